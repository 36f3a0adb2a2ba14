// Fundamental factors in the Factor lab on the demo universe (createStockData on a SQLite file, the demo market, seed
// 42): a value worked by hand on one stock around its report date, the same values the screener shows on those dates,
// and the lab and the top-N backtest on a value factor.
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createDemoMarket, type DemoMarket } from '../../src-main/adapters/demo/market';
import { openSqliteStore } from '../../src-main/adapters/sqlite/store';
import { createStockData, type StockDataServices } from '../../src-main/composition/stock-data';
import { factorByName, type FundamentalFactor } from '../../src-main/domain/factors/definitions';
import { fundamentalSeries } from '../../src-main/domain/factors/point-in-time-series';
import { ManualClock } from '../../src-main/ports/clock';
import type { Store } from '../../src-main/ports/store';
import { ScreenerInputError, ScreenerService } from '../../src-main/services/screener';

const clock = new ManualClock(Date.parse('2026-12-02T22:00:00Z'));
let store: Store;
let demo: DemoMarket;
let data: StockDataServices;
let screener: ScreenerService;

beforeAll(() => {
  store = openSqliteStore({ file: join(mkdtempSync(join(tmpdir(), 'qc-factor-lab-')), 'quant.db') });
  demo = createDemoMarket({ clock, seed: 42 });
  data = createStockData({ store, demo, clock });
  screener = new ScreenerService({ data, clock });
});
afterAll(async () => {
  demo?.dispose();
  await store?.dispose();
});

/** A fundamental factor on every close of `symbol` from `from`, as the lab computes it. */
async function series(name: string, symbol: string, from: string, to: string) {
  const rows = (await data.prices.dailyCloses([symbol], from, to)).get(symbol)!;
  const versions = await data.fundamentals.versionsReportedBy([symbol], to);
  const values = fundamentalSeries(factorByName(name) as FundamentalFactor, symbol, rows.map((r) => r.date), Float64Array.from(rows, (r) => r.close), versions);
  return new Map(rows.map((r, i) => [r.date, values[i]!]));
}

describe('fundamental factors in the Factor lab (demo universe)', () => {
  it('P/E of one stock by hand, the day before and the day of its Q2 2025 report', async () => {
    const symbol = demo.universe().companies[10]!.symbol;
    expect(symbol).toBe('VOO.DEMO'); // the demo universe is a function of its seed
    // Its quarters (period end, report date, diluted EPS), none restated in this span:
    // 2024-06-30 2024-08-19 4.25 · 2024-09-30 2024-11-01 3.86 · 2024-12-31 2025-02-16 4.58 · 2025-03-31 2025-05-24 4.60 ·
    // 2025-06-30 2025-08-05 4.72. Closes: 2025-08-04 80.91, 2025-08-05 76.85.
    const quarters = demo.universe().statements(symbol).filter((r) => r.periodEnd >= '2024-06-30' && r.periodEnd <= '2025-06-30');
    expect(quarters.map((r) => [r.periodEnd, r.reportDate, r.eps])).toEqual([
      ['2024-06-30', '2024-08-19', 4.25], ['2024-09-30', '2024-11-01', 3.86], ['2024-12-31', '2025-02-16', 4.58],
      ['2025-03-31', '2025-05-24', 4.6], ['2025-06-30', '2025-08-05', 4.72],
    ]);
    const pe = await series('pe', symbol, '2024-06-01', '2025-08-20');
    // 2025-08-04: TTM EPS 4.60 + 4.58 + 3.86 + 4.25 = 17.29 → 80.91 / 17.29 = 4.6796…
    expect(pe.get('2025-08-04')).toBeCloseTo(80.91 / 17.29, 10);
    // 2025-08-05: Q2 2025 is reported that day: 4.72 + 4.60 + 4.58 + 3.86 = 17.76 → 76.85 / 17.76 = 4.3271…
    expect(pe.get('2025-08-05')).toBeCloseTo(76.85 / 17.76, 10);
    const ey = await series('earnings_yield', symbol, '2024-06-01', '2025-08-20');
    expect(ey.get('2025-08-05')).toBeCloseTo(17.76 / 76.85, 10);
  });

  it('on any date, the lab sees what the screener shows on that date (value, growth, quality)', async () => {
    const symbols = demo.universe().companies.filter((_, i) => i % 97 === 3).map((c) => c.symbol);
    for (const asOf of ['2022-03-15', '2025-08-05']) {
      const snap = await screener.snapshot('demo', asOf);
      for (const name of ['pe', 'ev_ebitda', 'revenue_growth', 'eps_growth', 'roe', 'debt_to_equity', 'gross_margin', 'size']) {
        for (const symbol of symbols) {
          const lab = (await series(name, symbol, '2021-01-01', asOf)).get(asOf)!;
          const shown = snap.stocks.find((s) => s.symbol === symbol)!.values[name]!;
          if (shown === null) expect(lab, `${name} ${symbol} ${asOf}`).toBeNaN();
          else expect(lab, `${name} ${symbol} ${asOf}`).toBeCloseTo(shown, 12);
        }
      }
    }
  });

  it('validates earnings yield over the universe and backtests its top 20', async () => {
    const r = await screener.factorLab({ universe: 'demo', factor: 'earnings_yield', periods: [1, 5, 10], quantiles: 5, bySector: false, years: 4 });
    expect(r.factor).toBe('earnings_yield');
    expect(r.rows).toBeGreaterThan(400 * 900);
    // The demo universe prices value in (a cheap stock tends to re-rate, docs/stock-data.md): a positive IC, and the
    // top quantile ahead of the bottom.
    expect(r.periods['10']!.icMean!).toBeGreaterThan(0);
    expect(r.periods['10']!.topMinusBottom!).toBeGreaterThan(0);
    await expect(screener.factorLab({ universe: 'demo', factor: 'pe:3', periods: [1], quantiles: 5, bySector: false })).rejects.toBeInstanceOf(ScreenerInputError);
    const bt = await screener.factorBacktest({ universe: 'demo', factor: 'earnings_yield', top: 20, rebalance: 21, years: 2 });
    expect(bt.trades).toBeGreaterThan(20);
    expect(bt.equity.length).toBeGreaterThan(400);
  });
});
