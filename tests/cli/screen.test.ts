// `cli screen --json` as a user runs it: a real process on the app's stock data (the demo universe). Symbols are read
// from a first run, never assumed.
import { execFile } from 'node:child_process';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { beforeAll, describe, expect, it } from 'vitest';
import { openSqliteStore } from '../../src-main/adapters/sqlite/store';
import { repoRoot } from '../support/web-host';

const run = promisify(execFile);

// A data folder of the test's own (a terminal started once on it): never the user's ~/.quant-claude.
let dataDir = '';
beforeAll(() => {
  dataDir = mkdtempSync(join(tmpdir(), 'qc-cli-screen-data-'));
  openSqliteStore({ file: join(dataDir, 'quant.db') }).dispose();
});

async function cli(...args: string[]): Promise<{ stdout: string; stderr: string; code: number }> {
  try {
    const withDir = args.includes('--data-dir') ? args : [...args, '--data-dir', dataDir];
    const { stdout, stderr } = await run(process.execPath, ['--import', 'tsx', join(repoRoot, 'src-main/cli/main.ts'), ...withDir], { cwd: repoRoot, maxBuffer: 64 << 20 });
    return { stdout, stderr, code: 0 };
  } catch (err) {
    const e = err as { stdout: string; stderr: string; code: number };
    return { stdout: e.stdout, stderr: e.stderr, code: e.code };
  }
}

type Out = { asOf: string; rows: { symbol: string; sector: string | null; composite: number | null; rank: number; factors: Record<string, { value: number | null; z: number | null }> }[] };
const parse = (r: { stdout: string; stderr: string; code: number }): Out => {
  expect(r.stderr).toBe('');
  expect(r.code).toBe(0);
  return JSON.parse(r.stdout) as Out;
};

describe('cli screen', () => {
  it('ranks the demo universe in the issue\'s shape; sector-neutral, filter, top and a file universe', async () => {
    const [plainR, neutralR, filteredR, topR] = await Promise.all([
      cli('screen', '--universe', 'demo', '--factor', 'momentum', '--factor', 'roe:2', '--json'),
      cli('screen', '--universe', 'demo', '--factor', 'momentum', '--factor', 'roe:2', '--sector-neutral', '--json'),
      cli('screen', '--factor', 'pe', '--filter', 'pe<20', '--json'),
      cli('screen', '--factor', 'momentum', '--factor', 'roe:2', '--top', '5', '--json'),
    ]);
    const plain = parse(plainR);
    expect(Object.keys(plain)).toEqual(['asOf', 'rows']);
    expect(plain.asOf).toMatch(/^\d{4}-\d{2}-\d{2}$/);
    expect(Object.keys(plain.rows[0]!)).toEqual(['symbol', 'sector', 'composite', 'rank', 'factors']);
    expect(Object.keys(plain.rows[0]!.factors)).toEqual(['mom_12_1', 'roe']);
    expect(plain.rows.map((r) => r.rank)).toEqual(plain.rows.map((_, i) => i + 1));
    // The composite is the weighted mean of the z-scores the stock has: (z_mom + 2·z_roe) / 3.
    const full = plain.rows.find((r) => r.factors['mom_12_1']!.z !== null && r.factors['roe']!.z !== null)!;
    expect(full.composite).toBeCloseTo((full.factors['mom_12_1']!.z! + 2 * full.factors['roe']!.z!) / 3, 12);
    const neutral = parse(neutralR);
    expect(neutral.rows.map((r) => r.symbol)).not.toEqual(plain.rows.map((r) => r.symbol));
    const filtered = parse(filteredR);
    expect(filtered.rows.length).toBeGreaterThan(0);
    expect(filtered.rows.length).toBeLessThan(plain.rows.length);
    for (const r of filtered.rows) expect(r.factors['pe']!.value!).toBeLessThan(20);
    expect(parse(topR).rows.map((r) => r.symbol)).toEqual(plain.rows.slice(0, 5).map((r) => r.symbol));

    // A universe from a file: five of the demo's symbols, with the sector column left out.
    const dir = mkdtempSync(join(tmpdir(), 'qc-cli-screen-'));
    const picked = plain.rows.slice(-5).map((r) => r.symbol);
    const file = join(dir, 'mine.csv');
    writeFileSync(file, `symbol\n${picked.join('\n')}\n`);
    const mine = parse(await cli('screen', '--universe', file, '--factor', 'momentum', '--json'));
    expect(mine.rows.map((r) => r.symbol).sort()).toEqual([...picked].sort());
    expect(mine.rows.every((r) => r.sector === null)).toBe(true);
  });

  it('refuses unknown factors, bad weights, malformed filters and unknown universes in words', async () => {
    const cases: [string[], RegExp][] = [
      [['--factor', 'nope'], /unknown factor "nope"/],
      [['--factor', 'pe:-1'], /weight must be a positive number/],
      [['--factor', 'pe', '--filter', 'pe<<3'], /"<3" is not a number/],
      [['--factor', 'pe', '--filter', 'colour=red'], /unknown field "colour"/],
      [['--factor', 'pe', '--universe', 'nowhere'], /No universe "nowhere"/],
      [[], /at least one --factor/],
      // A folder the terminal never ran on: said in words, and nothing is written there.
      [['--factor', 'pe', '--data-dir', mkdtempSync(join(tmpdir(), 'qc-cli-screen-new-'))], /No database yet at .*: start the terminal once/],
    ];
    const results = await Promise.all(cases.map(([args]) => cli('screen', ...args, '--json')));
    results.forEach((r, i) => {
      expect(r.code, cases[i]![0].join(' ')).toBe(1);
      expect(r.stdout).toBe('');
      expect(r.stderr).toMatch(cases[i]![1]);
    });
  });
});
