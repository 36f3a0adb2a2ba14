// The CLI's `analytics` and `portfolio performance` as a user runs them: a real process, real files, the JSON contract
// of issue 13 and its errors. Expected figures are computed by hand in the comments.
import { execFile } from 'node:child_process';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { describe, expect, it } from 'vitest';
import { repoRoot } from '../support/web-host';
import reference from '../fixtures/analytics-reference.json';

const run = promisify(execFile);
const REF = '/work/shared/data/reference';
const LEDGER = join(repoRoot, 'tests/fixtures/portfolio/ledger.csv');
const PRICES = join(repoRoot, 'tests/fixtures/portfolio/prices.csv');

async function cli(...args: string[]): Promise<{ stdout: string; stderr: string; code: number }> {
  try {
    const { stdout, stderr } = await run(process.execPath, ['--import', 'tsx', join(repoRoot, 'src-main/cli/main.ts'), ...args], { cwd: repoRoot });
    return { stdout, stderr, code: 0 };
  } catch (err) {
    const e = err as { stdout: string; stderr: string; code: number };
    return { stdout: e.stdout, stderr: e.stderr, code: e.code };
  }
}

const KEYS = ['annualReturn', 'annualVolatility', 'sharpe', 'sortino', 'calmar', 'maxDrawdown', 'var95', 'cvar95', 'var95Parametric', 'beta', 'alpha'];

describe('cli analytics', () => {
  it('DAX against FTSE: the issue\'s keys, equal to the empyrical/quantstats reference to 1e-9', async () => {
    const r = await cli('analytics', '--data', `${REF}/EuStockMarkets.csv`, '--column', 'DAX', '--benchmark', `${REF}/EuStockMarkets.csv`, '--benchmark-column', 'FTSE', '--json');
    expect(r.code, r.stderr).toBe(0);
    const out = JSON.parse(r.stdout) as Record<string, number>;
    expect(Object.keys(out)).toEqual(KEYS);
    for (const k of KEYS) expect(Math.abs(out[k]! - (reference.DAX_vs_FTSE as Record<string, number>)[k]!), k).toBeLessThan(Math.abs(out[k]!) * 1e-9);
  });

  it('GOOG without a benchmark: beta and alpha are null', async () => {
    const out = JSON.parse((await cli('analytics', '--data', `${REF}/GOOG.csv`, '--json')).stdout) as Record<string, number | null>;
    expect(out['beta']).toBeNull();
    expect(out['alpha']).toBeNull();
    expect(out['sharpe']).toBeCloseTo(reference.GOOG.sharpe, 9);
  });

  it('names a missing column and a missing file, without a stack trace', async () => {
    const noColumn = await cli('analytics', '--data', `${REF}/EuStockMarkets.csv`, '--column', 'NIKKEI', '--json');
    expect(noColumn.code).toBe(1);
    expect(noColumn.stderr).toMatch(/No column "NIKKEI" \(columns: time, DAX, SMI, CAC, FTSE\)/);
    expect(noColumn.stderr).not.toMatch(/\n\s+at /);
    const noFile = await cli('analytics', '--data', '/nonexistent.csv');
    expect(noFile.stderr).toMatch(/Cannot read \/nonexistent.csv: no such file/);
  });
});

describe('cli portfolio performance', () => {
  it('one USD account by hand: flows mid-period, a withdrawal, a losing last day', async () => {
    // IRA: NAV 1000, 1100, 2310 (1100 deposited at the start of the day), 1879 (310 withdrawn at the end, XYZ −10 %).
    // TWR = 1.1 · 1.05 · (2189 / 2310) − 1 = 0.0945; less than a year: no annual TWR.
    const r = await cli('portfolio', 'performance', '--transactions', LEDGER, '--prices', PRICES, '--account', 'IRA', '--json');
    expect(r.code, r.stderr).toBe(0);
    const out = JSON.parse(r.stdout) as Record<string, number | null>;
    expect(Object.keys(out)).toEqual(['startValue', 'endValue', 'netFlows', 'twr', 'twrAnnual', 'mwr']);
    expect(out['startValue']).toBe(0);
    expect(out['endValue']).toBeCloseTo(1879, 9);
    expect(out['netFlows']).toBeCloseTo(1790, 9);
    expect(out['twr']).toBeCloseTo(0.0945, 12);
    expect(out['twrAnnual']).toBeNull();
    expect(out['mwr']).toBeGreaterThan(1);
    // The skipped row is named on stderr, stdout stays one JSON object.
    expect(r.stderr).toMatch(/row 11 skipped: type "BOGUS" is not one of BUY, SELL/);
  });

  it('--to values at the last close on or before it', async () => {
    const out = JSON.parse((await cli('portfolio', 'performance', '--transactions', LEDGER, '--prices', PRICES, '--account', 'IRA', '--to', '2024-01-02', '--json')).stdout) as Record<string, number>;
    expect(out['endValue']).toBeCloseTo(1100, 9);
    expect(out['twr']).toBeCloseTo(0.1, 12);
  });

  it('a EUR account with a split, a dividend with withholding and a short, in EUR; the total in USD', async () => {
    // EUROS in EUR: day 1 1000 (10 SAP at 100); day 2 split 2:1, SAP 50 → 1000; day 3 SAP 52 + 7.5 net dividend →
    // 1047.5; day 4 SAP 51 → 1020 + 7.5 cash, short 5 SHORTY at 20 (fee 1) opened: +99 cash, −90 value → 1036.5.
    const eur = JSON.parse((await cli('portfolio', 'performance', '--transactions', LEDGER, '--prices', PRICES, '--account', 'EUROS', '--json')).stdout) as Record<string, number>;
    expect(eur['endValue']).toBeCloseTo(1036.5, 9);
    expect(eur['twr']).toBeCloseTo(0.0365, 12);
    // All accounts in USD (EUR/USD 1.10, then 1.12 from day 3): IRA 1879 + EUROS 1036.5 · 1.12.
    const all = JSON.parse((await cli('portfolio', 'performance', '--transactions', LEDGER, '--prices', PRICES, '--base', 'USD', '--json')).stdout) as Record<string, number>;
    expect(all['endValue']).toBeCloseTo(1879 + 1036.5 * 1.12, 9);
    expect(all['netFlows']).toBeCloseTo(1790 + 1100, 9);
  });

  it('a symbol nobody can price, a bad date and no ledger are errors in words', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'qc-perf-'));
    const prices = join(dir, 'prices.csv');
    writeFileSync(prices, 'date,symbol,close\n2024-01-01,XYZ,100\n');
    const unpriced = await cli('portfolio', 'performance', '--transactions', LEDGER, '--prices', prices, '--account', 'EUROS', '--json');
    // SAP falls back to its trade price (and the split), SHORTY too; the EUR account needs no rate. It prices.
    expect(unpriced.code, unpriced.stderr).toBe(0);
    const usd = await cli('portfolio', 'performance', '--transactions', LEDGER, '--prices', prices, '--base', 'USD', '--json');
    expect(usd.code).toBe(1);
    expect(usd.stderr).toMatch(/no rate EUR\/USD on or before 2024-01-01 \(add it to --prices\)/);
    expect((await cli('portfolio', 'performance', '--transactions', LEDGER, '--to', '2024-13-01')).stderr).toMatch(/--to must be a date YYYY-MM-DD/);
    // Without --transactions the data folder's ledger is read: a folder without a database says so.
    expect((await cli('portfolio', 'performance', '--data-dir', dir)).stderr).toMatch(/No database yet at .*start the terminal once/);
    expect((await cli('portfolio', 'performance', '--transactions', LEDGER, '--account', 'NOPE')).stderr).toMatch(/No account NOPE in the ledger \(accounts: IRA, EUROS\)/);
  });

  it('reads the data folder\'s ledger after `portfolio import`, with the same figures as from the file', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'qc-perf-'));
    const imported = await cli('portfolio', 'import', '--file', LEDGER, '--data-dir', dir, '--json');
    expect(imported.code, imported.stderr).toBe(0);
    expect(JSON.parse(imported.stdout)).toMatchObject({ imported: 10, duplicates: 0 });
    for (const account of [[], ['--account', 'IRA'], ['--account', 'euros']]) {
      const fromFolder = await cli('portfolio', 'performance', '--data-dir', dir, '--prices', PRICES, ...account, '--json');
      const fromFile = await cli('portfolio', 'performance', '--transactions', LEDGER, '--prices', PRICES, ...account, '--json');
      expect(fromFolder.code, fromFolder.stderr).toBe(0);
      expect(JSON.parse(fromFolder.stdout)).toEqual(JSON.parse(fromFile.stdout));
    }
  });
});
