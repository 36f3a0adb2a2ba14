// Doyensec's electronegativity over what Electron runs (the built out/: main, preload, renderer; `npx electron-vite
// build` first, as `npm test` does): no finding of high severity, and every other finding explained in
// docs/electron-security.md (by its check id). The programmatic API is used because the package's CLI breaks on our
// hoisted commander.
import { existsSync, readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { repoRoot } from '../support/web-host';

interface Finding { id: string; file: string; location: { line: number }; severity: { name: string }; confidence: { name: string }; description: string }
type Run = (o: Record<string, unknown>) => Promise<{ issues: Finding[]; errors: { file: string; message: string; tolerable: boolean }[] }>;

const require = createRequire(import.meta.url);

describe('electronegativity', () => {
  it('finds nothing of high severity in the built app, and every other finding is explained', async () => {
    const out = join(repoRoot, 'out');
    expect(existsSync(join(out, 'main/index.js')), 'build first: npx electron-vite build').toBe(true);
    const run = require('@doyensec/electronegativity') as Run;
    const { issues, errors } = await run({
      input: out,
      isRelative: true,
      // Read from the installed package: the loader cannot find it in a bundle, and would assume Electron 0.1.
      electronVersionOverride: (require('electron/package.json') as { version: string }).version,
      // This one downloads Electron's release list: a test does not reach the internet (docs/electron-security.md).
      excludeFromScan: ['AvailableSecurityFixesGlobalCheck'],
    });
    expect(errors.filter((e) => !e.tolerable)).toEqual([]);
    const shown = issues.map((i) => `${i.severity.name} ${i.id} ${i.file}:${i.location.line}`);
    expect(shown.filter((s) => /^(HIGH|CRITICAL) /.test(s))).toEqual([]);
    const doc = readFileSync(join(repoRoot, 'docs/electron-security.md'), 'utf8');
    expect(issues.map((i) => i.id).filter((id) => !doc.includes(`\`${id}\``))).toEqual([]);
  }, 180_000);
});
