// The CLI as a user runs it: a real process, real files, its JSON contract and its errors.
import { execFile } from 'node:child_process';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { describe, expect, it } from 'vitest';
import { syntheticCsv } from '../support/synthetic-csv';
import { repoRoot } from '../support/web-host';

const run = promisify(execFile);
const GOOG = join(repoRoot, 'tests/fixtures/GOOG.csv');

async function cli(...args: string[]): Promise<{ stdout: string; stderr: string; code: number }> {
  try {
    const { stdout, stderr } = await run(process.execPath, ['--import', 'tsx', join(repoRoot, 'src-main/cli/main.ts'), ...args], { cwd: repoRoot, maxBuffer: 64 << 20 });
    return { stdout, stderr, code: 0 };
  } catch (err) {
    const e = err as { stdout: string; stderr: string; code: number };
    return { stdout: e.stdout, stderr: e.stderr, code: e.code };
  }
}

describe('cli backtest', () => {
  it('prints one JSON object with metrics, trades and the equity curve', async () => {
    const r = await cli('backtest', '--data', GOOG, '--strategy', 'sma-cross', '--param', 'fast=10', '--param', 'slow=20', '--commission', '0.002', '--json');
    expect(r.code).toBe(0);
    const out = JSON.parse(r.stdout) as { metrics: Record<string, number>; trades: Record<string, unknown>[]; equity: { time: string; equity: number }[] };
    expect(Object.keys(out.metrics).sort()).toEqual(['cagrPct', 'exposurePct', 'finalEquity', 'maxDrawdownPct', 'returnPct', 'sharpe', 'sortino', 'trades', 'winRatePct']);
    expect(out.equity).toHaveLength(2148);
    expect(out.equity[0]).toEqual({ time: '2004-08-19T00:00:00Z', equity: 10000 });
    expect(out.metrics['trades']).toBe(out.trades.length);
    // Consistency: final equity = cash + Σ trade P&L (all trades closed at the end), drawdown negative.
    const pnl = out.trades.reduce((a, t) => a + (t['pnl'] as number), 0);
    expect(out.metrics['finalEquity']).toBeCloseTo(10000 + pnl, 1);
    expect(out.metrics['maxDrawdownPct']).toBeLessThan(0);
    expect(out.trades.every((t) => (t['commission'] as number) > 0)).toBe(true);
    // long-short: every exit is the next entry (always in the market after the first cross)
    for (let i = 1; i < out.trades.length; i++) expect(out.trades[i]!['entryTime']).toBe(out.trades[i - 1]!['exitTime']);
  });

  it('--equity: every bar below 100k bars, the last bar of each UTC day above, or none; the output says which', async () => {
    const small = await cli('backtest', '--data', GOOG, '--strategy', 'sma-cross', '--json');
    expect(JSON.parse(small.stdout)).toMatchObject({ equitySampling: 'full', equity: expect.any(Array) });
    expect((await cli('backtest', '--data', GOOG, '--strategy', 'sma-cross')).stdout).toMatch(/Equity curve \(--json\): every bar \(--equity full\)/);

    const dir = mkdtempSync(join(tmpdir(), 'qc-cli-'));
    const big = join(dir, 'minutes.csv');
    const { text, rows } = syntheticCsv(6_000_000);
    expect(rows).toBeGreaterThan(100_000);
    writeFileSync(big, text);
    type Out = { metrics: Record<string, number>; equity: { time: string; equity: number }[]; equitySampling: string };
    const args = ['backtest', '--data', big, '--strategy', 'sma-cross', '--json'];
    const daily = JSON.parse((await cli(...args)).stdout) as Out;
    const full = JSON.parse((await cli(...args, '--equity', 'full')).stdout) as Out;
    const none = JSON.parse((await cli(...args, '--equity', 'none')).stdout) as Out;
    expect([daily.equitySampling, full.equitySampling, none.equitySampling]).toEqual(['daily', 'full', 'none']);
    expect(full.equity).toHaveLength(rows);
    expect(none.equity).toEqual([]);
    // Daily = the full curve's last point of each UTC day; the metrics do not depend on what is printed.
    const lastOfDay = full.equity.filter((p, i) => i + 1 === full.equity.length || full.equity[i + 1]!.time.slice(0, 10) !== p.time.slice(0, 10));
    expect(daily.equity).toEqual(lastOfDay);
    expect(daily.metrics).toEqual(full.metrics);
    expect(none.metrics).toEqual(full.metrics);
    expect((await cli('backtest', '--data', big, '--strategy', 'sma-cross')).stdout).toMatch(/Equity curve \(--json\): the last bar of each UTC day \(--equity daily\)/);
    expect((await cli(...args, '--equity', 'weekly')).stderr).toMatch(/--equity must be full, daily or none \(got "weekly"\)/);
  });

  it('lines up with backtesting.py on its own GOOG data (SmaCross 10/20, commission 0.002)', async () => {
    // backtesting.py (master, 2026-07) run on the same file: Backtest(GOOG, SmaCross, cash=10_000, commission=.002,
    // exclusive_orders=True, finalize_trades=True) — see docs/backtesting.md and tools/crosscheck/.
    const expected = { trades: 94, finalEquity: 55574.51, returnPct: 455.7451, maxDrawdownPct: -33.9316, sharpe: 0.5969, sortino: 1.136, winRatePct: 53.1915, exposurePct: 97.067, cagrPct: 22.2679 };
    const r = await cli('backtest', '--data', GOOG, '--strategy', 'sma-cross', '--param', 'fast=10', '--param', 'slow=20', '--commission', '0.002', '--json');
    const m = (JSON.parse(r.stdout) as { metrics: Record<string, number> }).metrics;
    for (const [k, v] of Object.entries(expected)) expect(m[k], k).toBeCloseTo(v, 2);
  });

  it('reports bad input clearly, without a stack trace', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'qc-cli-'));
    const bad = join(dir, 'bad.csv');
    writeFileSync(bad, ',Open,High,Low,Close\n2020-01-01,1,2,0.5,1.5\n2020-01-02,1,2,0.5,-3\n2020-13-01,1,2,0.5,1\n');
    const cases: [string[], RegExp][] = [
      [['backtest', '--data', join(dir, 'missing.csv'), '--strategy', 'sma-cross'], /Cannot read .*missing\.csv: no such file/],
      [['backtest', '--data', bad, '--strategy', 'sma-cross'], /2 bad rows.*row 2: non-positive.*row 3: bad date/],
      [['backtest', '--data', GOOG, '--strategy', 'nope'], /Unknown strategy "nope"/],
      [['backtest', '--data', GOOG, '--strategy', 'sma-cross', '--param', 'fast=abc'], /fast must be a number/],
      [['backtest', '--data', GOOG, '--strategy', 'sma-cross', '--param', 'speed=3'], /Unknown parameter "speed"/],
      [['backtest', '--data', GOOG, '--strategy', 'sma-cross', '--cash', 'NaN'], /--cash must be a number/],
      [['indicators', '--data', GOOG, '--ind', 'sma:0'], /Bad parameter "0" in sma:0/],
      [['backtest', '--data', GOOG, '--strategy', 'pairs'], /pairs needs exactly 2 data files \(got 1\)/],
      [['backtest', '--data', GOOG, '--data', GOOG, '--strategy', 'sma-cross'], /give exactly one --data/],
    ];
    for (const [args, message] of cases) {
      const r = await cli(...args);
      expect(r.code).not.toBe(0);
      expect(r.stderr).toMatch(message);
      expect(r.stderr).not.toMatch(/\n\s+at /);
    }
  });
});

/** Y = 2·X + 10 + noise, with one dislocation a pairs strategy should trade: X.csv and Y.csv in a new folder. */
function pairFiles(): string {
  const dir = mkdtempSync(join(tmpdir(), 'qc-cli-'));
  const lines = (f: (i: number) => number) => [',Open,High,Low,Close', ...Array.from({ length: 120 }, (_, i) => {
    const d = new Date(Date.UTC(2024, 0, 1) + i * 86_400_000).toISOString().slice(0, 10);
    const v = f(i).toFixed(4);
    return `${d},${v},${v},${v},${v}`;
  })].join('\n');
  const x = (i: number) => 50 + Math.sin(i / 4) * 3;
  writeFileSync(join(dir, 'X.csv'), lines(x));
  writeFileSync(join(dir, 'Y.csv'), lines((i) => 2 * x(i) + 10 + Math.cos(i * 1.7) * 0.3 + (i === 90 ? 8 : 0)));
  return dir;
}

describe('cli portfolio backtests', () => {
  it('pairs over two files: symbols from the file names, trades on both legs', async () => {
    const dir = pairFiles();
    const r = await cli('backtest', '--data', join(dir, 'Y.csv'), '--data', join(dir, 'X.csv'), '--strategy', 'pairs', '--param', 'lookback=30', '--json');
    expect(r.stderr).toBe('');
    const out = JSON.parse(r.stdout) as { trades: { symbol: string; side: string }[]; metrics: Record<string, number> };
    expect(new Set(out.trades.map((t) => t.symbol))).toEqual(new Set(['X', 'Y']));
    expect(out.metrics['trades']).toBe(out.trades.length);
  });
});

describe('cli portfolio optimisation', () => {
  it('optimises pairs over two files on the worker pool; the best equals a direct backtest with its parameters', async () => {
    const dir = pairFiles();
    const files = ['--data', join(dir, 'Y.csv'), '--data', join(dir, 'X.csv')];
    const r = await cli('optimize', ...files, '--strategy', 'pairs', '--param', 'lookback=20,30,40', '--param', 'entry=1.5:2.5:0.5', '--workers', '2', '--objective', 'returnPct', '--json');
    expect(r.code).toBe(0);
    const out = JSON.parse(r.stdout) as { evaluated: number; best: Record<string, number>; results: { params: Record<string, number>; returnPct: number }[] };
    expect(out.evaluated).toBe(9);
    expect(out.results.some((x) => x.returnPct !== 0)).toBe(true); // it traded
    const { lookback, entry } = out.results[0]!.params;
    const direct = JSON.parse((await cli('backtest', ...files, '--strategy', 'pairs', '--param', `lookback=${lookback}`, '--param', `entry=${entry}`, '--json')).stdout) as { metrics: Record<string, number> };
    expect(out.results[0]!.returnPct).toBeCloseTo(direct.metrics['returnPct']!, 3);
    const bad = await cli('optimize', '--data', join(dir, 'Y.csv'), '--strategy', 'pairs', '--param', 'lookback=20,30');
    expect(bad.stderr).toMatch(/pairs needs exactly 2 data files \(got 1\)/);
  });
});

describe('cli indicators', () => {
  it('one row per bar, one column per indicator line, empty until defined', async () => {
    const r = await cli('indicators', '--data', GOOG, '--ind', 'sma:3', '--ind', 'macd:12:26:9', '--ind', 'bbands:20:2');
    const lines = r.stdout.trim().split('\n');
    expect(lines[0]).toBe('time,sma_3,macd_12_26_9,macd_signal_12_26_9,macd_hist_12_26_9,bb_upper_20_2,bb_middle_20_2,bb_lower_20_2');
    expect(lines).toHaveLength(2149);
    expect(lines[2]!.split(',')[1]).toBe('');
    // First SMA(3) of GOOG's closes 100.34, 108.31, 109.4
    expect(Number(lines[3]!.split(',')[1])).toBeCloseTo((100.34 + 108.31 + 109.4) / 3, 10);
    const json = JSON.parse((await cli('indicators', '--data', GOOG, '--ind', 'rsi:14', '--format', 'json')).stdout) as Record<string, number | null>[];
    expect(json[13]!['rsi_14']).toBeNull();
    expect(json[14]!['rsi_14']).toBeGreaterThan(0);
  });
});
