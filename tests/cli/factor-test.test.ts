// `cli factor-test` as a user runs it: a real process on real CSV files. The numbers are the hand-worked ones of
// src-main/domain/factors/validation.test.ts, and, where this machine has pandas and scipy, the reference of
// scripts/alphalens-crosscheck.py (alphalens' steps restated in pandas) on random data with gaps and ties.
import { execFile, execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { describe, expect, it } from 'vitest';
import { repoRoot } from '../support/web-host';

const run = promisify(execFile);

async function cli(...args: string[]): Promise<{ stdout: string; stderr: string; code: number }> {
  try {
    const { stdout, stderr } = await run(process.execPath, ['--import', 'tsx', join(repoRoot, 'src-main/cli/main.ts'), ...args], { cwd: repoRoot, maxBuffer: 64 << 20 });
    return { stdout, stderr, code: 0 };
  } catch (err) {
    const e = err as { stdout: string; stderr: string; code: number };
    return { stdout: e.stdout, stderr: e.stderr, code: e.code };
  }
}

const dir = mkdtempSync(join(tmpdir(), 'qc-factor-test-'));
const file = (name: string, text: string) => {
  const p = join(dir, name);
  writeFileSync(p, text);
  return p;
};
const dates = ['2024-01-02', '2024-01-03', '2024-01-04', '2024-01-05'];
const closes: Record<string, number[]> = { A: [8, 12, 18, 18], B: [16, 12, 12, 18], C: [4, 6, 6, 6], D: [8, 8, 4, 4] };
const factor: Record<string, number[]> = { A: [1, 4, 1, 9], B: [2, 3, 1, 9], C: [3, 2, 2, 9], D: [4, 1, 2, 9] };
const long = (col: string, table: Record<string, number[]>) =>
  `date,symbol,${col}\n${Object.entries(table).flatMap(([s, v]) => v.map((x, i) => `${dates[i]},${s},${x}`)).join('\n')}\n`;
const prices = file('prices.csv', long('close', closes));
const values = file('factor.csv', long('value', factor));
const sectors = file('sectors.csv', 'symbol,sector\nA,Tech\nB,Tech\nC,Energy\nD,Energy\n');

type Out = { rows: number; periods: Record<string, { icMean: number; icStd: number; icir: number; quantileMeanReturn: number[]; quantileMeanReturnDemeaned: number[]; topMinusBottom: number; turnover: { top: number; bottom: number } }> };

const hasPandas = (() => {
  try {
    execFileSync('/usr/bin/python3', ['-c', 'import pandas, scipy'], { stdio: 'ignore' });
    return true;
  } catch {
    return false;
  }
})();

describe('cli factor-test', () => {
  it('prints the issue\'s shape with the hand-worked numbers', async () => {
    const r = await cli('factor-test', '--prices', prices, '--factor-file', values, '--periods', '1', '--quantiles', '2', '--json');
    expect(r.stderr).toBe('');
    expect(r.code).toBe(0);
    const out = JSON.parse(r.stdout) as Out;
    expect(Object.keys(out)).toEqual(['rows', 'periods']);
    expect(out.rows).toBe(12);
    const p = out.periods['1']!;
    expect(Object.keys(p)).toEqual(['icMean', 'icStd', 'icir', 'quantileMeanReturn', 'quantileMeanReturnDemeaned', 'topMinusBottom', 'turnover']);
    expect(p.icMean).toBeCloseTo((-1 / Math.sqrt(22.5) + 4.5 / Math.sqrt(22.5) - 2 / Math.sqrt(12)) / 3, 12);
    expect(p.quantileMeanReturn).toEqual([expect.closeTo(0.25 / 6, 12), expect.closeTo(1 / 6, 12)]);
    expect(p.quantileMeanReturnDemeaned).toEqual([expect.closeTo(-0.375 / 6, 12), expect.closeTo(0.375 / 6, 12)]);

    const bs = await cli('factor-test', '--prices', prices, '--factor-file', values, '--sectors', sectors, '--by-sector', '--periods', '1', '--quantiles', '2', '--json');
    const q = (JSON.parse(bs.stdout) as Out).periods['1']!;
    expect(q.icMean).toBeCloseTo((-0.4 + 2 / Math.sqrt(20)) / 2, 12);
    expect(q.quantileMeanReturnDemeaned).toEqual([expect.closeTo(0.03125, 12), expect.closeTo(-0.03125, 12)]);
  });

  it('computes a factor of closes by name and arguments', async () => {
    // mom_6m:1 = close / previous close − 1: defined from the 2nd row; with a 1-row forward return, d2 and d3 remain.
    const r = await cli('factor-test', '--prices', prices, '--factor', 'mom_6m:1', '--periods', '1', '--quantiles', '2', '--json');
    expect(r.stderr).toBe('');
    expect((JSON.parse(r.stdout) as Out).rows).toBe(8);
  });

  it.skipIf(!hasPandas)('matches the pandas/scipy restatement of alphalens, across the cross-section and by sector', () => {
    for (const mode of [['--periods', '1,3,5', '--quantiles', '4'], ['--by-sector', '--periods', '1,2', '--quantiles', '3']]) {
      const ref = JSON.parse(execFileSync('/usr/bin/python3', [join(repoRoot, 'scripts/alphalens-crosscheck.py'), dir, ...mode], { encoding: 'utf8' })) as Out;
      const args = ['--prices', join(dir, 'prices.csv'), '--factor-file', join(dir, 'factor.csv'), '--sectors', join(dir, 'sectors.csv'), ...mode, '--json'];
      const ours = JSON.parse(execFileSync(process.execPath, ['--import', 'tsx', join(repoRoot, 'src-main/cli/main.ts'), 'factor-test', ...args], { cwd: repoRoot, encoding: 'utf8', stdio: ['ignore', 'pipe', 'ignore'] })) as Out;
      expect(ours.rows).toBe(ref.rows);
      for (const [k, p] of Object.entries(ref.periods)) {
        const o = ours.periods[k]!;
        for (const key of ['icMean', 'icStd', 'icir', 'topMinusBottom'] as const) expect(o[key]).toBeCloseTo(p[key], 12);
        expect(o.quantileMeanReturn).toEqual(p.quantileMeanReturn.map((v) => expect.closeTo(v, 12) as number));
        expect(o.quantileMeanReturnDemeaned).toEqual(p.quantileMeanReturnDemeaned.map((v) => expect.closeTo(v, 12) as number));
        expect(o.turnover.top).toBeCloseTo(p.turnover.top, 12);
        expect(o.turnover.bottom).toBeCloseTo(p.turnover.bottom, 12);
      }
    }
    expect(readFileSync(join(dir, 'prices.csv'), 'utf8').startsWith('date,symbol,close')).toBe(true);
  });

  it('refuses malformed files and arguments with a message naming the problem', async () => {
    const cases: [string[], RegExp][] = [
      [['--prices', file('nocol.csv', 'date,ticker,close\n2024-01-02,A,1\n'), '--factor-file', values], /nocol\.csv: missing column "symbol"/],
      [['--prices', file('bad.csv', 'date,symbol,close\n2024-01-02,A,1\n2024-13-02,A,2\n2024-01-03,A,-3\n2024-01-02,A,4\n'), '--factor-file', values],
        /bad\.csv: 3 rows cannot be used \(row 2: date "2024-13-02" is not YYYY-MM-DD; row 3: close "-3" is not a positive number; row 4: A on 2024-01-02 appears twice\)/],
      [['--prices', prices, '--factor', 'pe'], /factor "pe" needs point-in-time fundamentals/],
      [['--prices', prices, '--factor', 'nope'], /unknown factor "nope"/],
      [['--prices', prices], /exactly one of --factor-file and --factor/],
      [['--prices', prices, '--factor-file', values, '--by-sector'], /--by-sector needs --sectors/],
      [['--prices', prices, '--factor-file', values, '--periods', '1,x'], /--periods must be whole numbers/],
    ];
    const results = await Promise.all(cases.map(([args]) => cli('factor-test', ...args, '--json')));
    results.forEach((r, i) => {
      expect(r.code, cases[i]![0].join(' ')).toBe(1);
      expect(r.stdout).toBe('');
      expect(r.stderr).toMatch(cases[i]![1]);
    });
  });
});
