// The layers of docs/architecture.md bite: a file that breaks each rule, written into the tree where it would live,
// makes ESLint (the project's own eslint.config.js, through its Node API) report that rule, and each environment's
// tsconfig refuses the globals it lacks; the real tree passes. One file, so its probes never meet in the tree.
import { spawnSync } from 'node:child_process';
import { rmSync, writeFileSync } from 'node:fs';
import { dirname, join, relative } from 'node:path';
import { fileURLToPath } from 'node:url';
import { ESLint } from 'eslint';
import { afterEach, describe, expect, it } from 'vitest';

const root = join(dirname(fileURLToPath(import.meta.url)), '..', '..');
const eslint = new ESLint({ cwd: root });
const written: string[] = [];
let n = 0;

afterEach(() => {
  for (const f of written.splice(0)) rmSync(f, { force: true });
});

/** Writes `source` as a new file in `folder` (relative to the repository) and returns its path. */
function probe(folder: string, source: string, ext = 'ts'): string {
  const file = join(root, folder, `zz-layering-probe-${process.pid}-${n++}.${ext}`);
  written.push(file);
  writeFileSync(file, source);
  return file;
}

/** The rule ids ESLint reports for `file`, with the message of each. */
async function problems(file: string): Promise<{ ruleId: string | null; message: string }[]> {
  const [result] = await eslint.lintFiles([file]);
  return result!.messages.map((m) => ({ ruleId: m.ruleId, message: m.message }));
}

/** An import from the probe's folder to `target` (a file relative to the repository root), without extension. */
function importFrom(folder: string, target: string): string {
  const spec = relative(join(root, folder), join(root, target)).replace(/\.tsx?$/, '');
  return `import * as m from '${spec.startsWith('.') ? spec : `./${spec}`}';\nexport const probe = m;\n`;
}

const ADAPTER = 'src-main/adapters/paper/broker.ts';
const SERVICE = 'src-main/services/backtests.ts';
const TRANSPORT = 'src-main/transport/dispatcher.ts';
const ELECTRON_FOLDER = 'src-main/electron/security.ts';
const MAIN = 'src-main/ports/clock.ts';
const RENDERER = 'src-renderer/lib/format.ts';

const zoneCases: [string, string, string][] = [
  ['domain ↛ adapters', 'src-main/domain', ADAPTER],
  ['domain ↛ services', 'src-main/domain', SERVICE],
  ['domain ↛ transport', 'src-main/domain', TRANSPORT],
  ['domain ↛ electron/', 'src-main/domain', ELECTRON_FOLDER],
  ['ports ↛ adapters', 'src-main/ports', ADAPTER],
  ['ports ↛ services', 'src-main/ports', SERVICE],
  ['services ↛ adapters', 'src-main/services', ADAPTER],
  ['services ↛ transport', 'src-main/services', TRANSPORT],
  ['services ↛ electron/', 'src-main/services', ELECTRON_FOLDER],
  ['adapters ↛ services', 'src-main/adapters', SERVICE],
  ['adapters ↛ transport', 'src-main/adapters', TRANSPORT],
  ['src-shared ↛ src-main', 'src-shared/api', MAIN],
  ['src-shared ↛ src-renderer', 'src-shared/api', RENDERER],
  ['renderer ↛ src-main', 'src-renderer/lib', MAIN],
  ['cli ↛ a store adapter (it opens the database through the headless app)', 'src-main/cli', 'src-main/adapters/sqlite/store.ts'],
];

describe('layering lint', () => {
  it.each(zoneCases)('%s', async (_name, folder, target) => {
    const found = await problems(probe(folder, importFrom(folder, target)));
    expect(found.map((p) => p.ruleId)).toContain('import-x/no-restricted-paths');
  });

  it.each([
    ['domain ↛ node:*', 'src-main/domain', 'node:fs'],
    ['domain ↛ Node built-ins without the prefix', 'src-main/domain', 'path'],
    ['src-shared ↛ node:*', 'src-shared/domain', 'node:crypto'],
  ])('%s', async (_name, folder, module) => {
    const found = await problems(probe(folder, `import * as m from '${module}';\nexport const probe = m;\n`));
    expect(found.map((p) => p.ruleId)).toContain('import-x/no-nodejs-modules');
  });

  it('only src-main/electron/ imports electron', async () => {
    const source = "import { app } from 'electron';\nexport const probe = app;\n";
    expect((await problems(probe('src-main/services', source))).map((p) => p.ruleId)).toContain('no-restricted-imports');
    expect((await problems(probe('src-main/electron', source))).map((p) => p.ruleId)).not.toContain('no-restricted-imports');
  });

  it('no import cycles', async () => {
    const a = probe('src-main/domain', '');
    const b = probe('src-main/domain', '');
    const name = (f: string) => `./${relative(dirname(f), f).replace(/\.ts$/, '')}`;
    writeFileSync(a, `import { b } from '${name(b)}';\nexport const a = (): number => b() + 1;\n`);
    writeFileSync(b, `import { a } from '${name(a)}';\nexport const b = (): number => a() - 1;\n`);
    const found = await problems(a);
    expect(found.map((p) => p.ruleId)).toContain('import-x/no-cycle');
  });

  it('an allowed import passes (services → ports, adapters → domain)', async () => {
    expect(await problems(probe('src-main/services', importFrom('src-main/services', 'src-main/ports/clock.ts')))).toEqual([]);
    expect(await problems(probe('src-main/adapters', importFrom('src-main/adapters', 'src-main/domain/money.ts')))).toEqual([]);
  });

  it('the tree as committed passes', async () => {
    const results = await eslint.lintFiles(['src-main', 'src-shared', 'src-renderer']);
    const errors = results.flatMap((r) => r.messages.filter((m) => m.severity === 2).map((m) => `${relative(root, r.filePath)}:${m.line} ${m.ruleId}: ${m.message}`));
    expect(errors).toEqual([]);
  });
});

const tsc = join(root, 'node_modules', 'typescript', 'bin', 'tsc');

/** tsc's error lines for `project` with `source` written as a probe file in `folder` (removed after). */
function errorsWith(project: string, folder: string, source: string): { probe: string; lines: string[] } {
  const name = `zz-env-probe-${process.pid}.ts`;
  const file = join(root, folder, name);
  writeFileSync(file, source);
  try {
    const r = spawnSync(process.execPath, [tsc, '--noEmit', '-p', project], { cwd: root, encoding: 'utf8' });
    return { probe: name, lines: r.stdout.split('\n').filter((l) => l.includes('error TS')) };
  } finally {
    rmSync(file, { force: true });
  }
}

describe('one tsconfig per environment', () => {
  it('src-shared has neither DOM nor Node types', () => {
    const { probe, lines } = errorsWith('tsconfig.shared.json', 'src-shared/api', 'export const a = document.title;\nexport const b = process.pid;\n');
    expect(lines.filter((l) => l.includes(probe) && /TS2584|TS2591/.test(l))).toHaveLength(2);
    expect(lines.filter((l) => !l.includes(probe))).toEqual([]);
  });

  it('the renderer has the DOM and no Node types', () => {
    const { probe, lines } = errorsWith('tsconfig.renderer.json', 'src-renderer/lib', 'export const a = document.title;\nexport const b = process.pid;\n');
    expect(lines.filter((l) => l.includes(probe))).toEqual([expect.stringMatching(/TS2591: Cannot find name 'process'/)]);
    expect(lines.filter((l) => !l.includes(probe))).toEqual([]);
  });
});
