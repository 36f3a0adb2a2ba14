// Where no browser can be had, the set-up says what to run and `npm test` stops at once with that one line (before the
// typecheck, the build and the five end-to-end files); where one exists, the same line names it. Child processes with
// a bare PATH stand in for a fresh machine.
import { spawnSync } from 'node:child_process';
import { mkdtempSync, realpathSync, symlinkSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';

const root = join(dirname(fileURLToPath(import.meta.url)), '..', '..');
const script = join(root, 'scripts', 'browser.mjs');
// No Playwright download either: its browsers folder is an empty one.
const noDownloads = mkdtempSync(join(tmpdir(), 'qc-no-browsers-'));

/** A PATH holding node, npm and sh (npm runs scripts with it) only: the machine has no browser on it. */
function barePath(): string {
  const bin = mkdtempSync(join(tmpdir(), 'qc-bare-bin-'));
  symlinkSync(process.execPath, join(bin, 'node'));
  symlinkSync(realpathSync('/bin/sh'), join(bin, 'sh'));
  const npm = spawnSync('sh', ['-c', 'command -v npm'], { encoding: 'utf8' }).stdout.trim();
  symlinkSync(realpathSync(npm), join(bin, 'npm'));
  return bin;
}

function run(cmd: string, args: string[], env: Record<string, string>) {
  const base = { HOME: process.env['HOME'] ?? tmpdir(), PLAYWRIGHT_BROWSERS_PATH: noDownloads };
  const r = spawnSync(cmd, args, { cwd: root, encoding: 'utf8', env: { ...base, ...env } });
  return { status: r.status, out: `${r.stdout}${r.stderr}` };
}

describe('a browser for the end-to-end tests', () => {
  it('a CHROMIUM_PATH that is missing: one line naming it, exit 1', () => {
    const r = run(process.execPath, [script], { PATH: barePath(), CHROMIUM_PATH: '/nonexistent/chromium' });
    expect(r.status).toBe(1);
    expect(r.out.trim().split('\n')).toEqual(['[browser] CHROMIUM_PATH=/nonexistent/chromium is missing: point it at a Chromium or Chrome executable, or unset it to use one on PATH.']);
  });

  it('none on PATH and no download: one line saying what to run, exit 1', () => {
    const r = run(process.execPath, [script], { PATH: barePath() });
    expect(r.status).toBe(1);
    const lines = r.out.trim().split('\n');
    expect(lines).toHaveLength(1);
    expect(lines[0]).toMatch(/^\[browser\] No browser for the end-to-end tests: .*npx playwright-core install chromium.*CHROMIUM_PATH/);
  });

  it('a chromium on PATH is found and named', () => {
    const bin = barePath();
    const chromium = spawnSync('sh', ['-c', 'command -v chromium || command -v google-chrome || command -v chromium-browser'], { encoding: 'utf8' }).stdout.trim();
    expect(chromium, 'this machine runs the e2e tests, so it has a browser').not.toBe('');
    symlinkSync(chromium, join(bin, 'chromium'));
    const r = run(process.execPath, [script], { PATH: bin });
    expect(r.status).toBe(0);
    expect(r.out.trim()).toBe(`[browser] End-to-end tests use ${join(bin, 'chromium')} (chromium on PATH).`);
  });

  it('npm test without a browser stops before the typecheck with that line', () => {
    const bin = barePath();
    const r = run(join(bin, 'npm'), ['test'], { PATH: bin, npm_config_update_notifier: 'false' });
    expect(r.status).not.toBe(0);
    expect(r.out).toContain('[browser] No browser for the end-to-end tests:');
    // npm heads each script it runs with "> name@version script": the typecheck never started.
    expect(r.out).toContain('> quant-claude@0.1.0 test');
    expect(r.out).not.toContain('> quant-claude@0.1.0 typecheck');
  });
});
