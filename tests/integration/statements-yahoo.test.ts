// Yahoo's statement history (yahoo-finance2's fundamentalsTimeSeries) over real HTTP from the local fixture server,
// mapped to statements with estimated, flagged report dates, recorded point in time on a real SQLite file: a re-fetch
// stores nothing, a restatement is stored beside the first figures from the day it was seen.
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openSqliteStore } from '../../src-main/adapters/sqlite/store';
import { createYahooProvider } from '../../src-main/adapters/yahoo/provider';
import { ManualClock } from '../../src-main/ports/clock';
import { StatementsService } from '../../src-main/services/statements';
import { startYahooFixtureServer, type YahooFixtureServer } from '../support/yahoo-fixture-server';

const clock = new ManualClock(Date.parse('2026-12-02T15:00:00Z'));
let yahoo: YahooFixtureServer;
beforeAll(async () => {
  yahoo = await startYahooFixtureServer({ now: () => clock.now() });
});
afterAll(async () => {
  await yahoo?.close();
});

describe('Yahoo statements', () => {
  it('maps quarterly and annual financials and balance sheets; report dates are estimates (+45 / +90 days), flagged', async () => {
    const provider = createYahooProvider({ clock, fetch: yahoo.fetch });
    try {
      const rows = await provider.statements!('AAPL');
      const quarters = rows.filter((r) => r.period === 'quarter');
      const years = rows.filter((r) => r.period === 'annual');
      expect(quarters).toHaveLength(12);
      expect(years).toHaveLength(4);
      expect(quarters.at(-1)).toMatchObject({ symbol: 'AAPL', periodEnd: '2026-09-30', reportDate: '2026-11-14', estimatedReportDate: true, source: 'yahoo', currency: null });
      expect(years.at(-1)).toMatchObject({ periodEnd: '2025-12-31', reportDate: '2026-03-31', estimatedReportDate: true });
      // Both modules merged per period end: income statement and balance sheet in one record.
      for (const r of rows) for (const f of ['revenue', 'grossProfit', 'ebitda', 'netIncome', 'eps', 'totalEquity', 'totalDebt', 'cash', 'sharesOutstanding'] as const) expect(r[f]).toEqual(expect.any(Number));
      expect(quarters.at(-1)!.netIncome! / quarters.at(-1)!.revenue!).toBeCloseTo(0.12, 6);
      expect(yahoo.requests.filter((r) => r.endpoint === 'timeseries').map((r) => r.params['type']!.split(',')[0])).toEqual(
        expect.arrayContaining(['quarterlyTotalRevenue', 'annualTotalRevenue']),
      );
      await expect(provider.statements!('NOSUCH1')).rejects.toMatchObject({ reason: 'not-found' });
    } finally {
      provider.dispose();
    }
  });

  it('records them point in time: nothing new on a re-fetch, a restatement from the day it was seen', async () => {
    const provider = createYahooProvider({ clock, fetch: yahoo.fetch });
    const store = openSqliteStore({ file: join(mkdtempSync(join(tmpdir(), 'qc-yahoo-statements-')), 'quant.db') });
    try {
      const service = new StatementsService({ store: store.statements, clock, fetch: (s) => provider.statements!(s) });
      expect(await service.refresh(['AAPL', 'NOSUCH1'])).toEqual([
        { symbol: 'AAPL', stored: 16 }, { symbol: 'NOSUCH1', stored: 0, error: expect.stringMatching(/no statements/) },
      ]);
      expect(await service.refresh(['AAPL'])).toEqual([{ symbol: 'AAPL', stored: 0 }]);
      const before = (await service.statementsAsOf(['AAPL'], '2026-12-02')).get('AAPL')!;
      expect(before[0]).toMatchObject({ periodEnd: '2026-09-30', reportDate: '2026-11-14' });
      // Q3 is not known before its estimated report date.
      expect((await service.statementsAsOf(['AAPL'], '2026-11-13')).get('AAPL')![0]!.periodEnd).toBe('2026-06-30');

      yahoo.restate('2026-09-30', 1.1);
      clock.advance(10 * 86_400_000);
      expect(await service.refresh(['AAPL'])).toEqual([{ symbol: 'AAPL', stored: 1 }]);
      const then = (await service.statementsAsOf(['AAPL'], '2026-12-11')).get('AAPL')![0]!;
      const now = (await service.statementsAsOf(['AAPL'], '2026-12-12')).get('AAPL')![0]!;
      expect(then.revenue).toBe(before[0]!.revenue);
      expect(now).toMatchObject({ periodEnd: '2026-09-30', reportDate: '2026-12-12' });
      expect(now.revenue! / then.revenue!).toBeCloseTo(1.1, 6);
    } finally {
      provider.dispose();
      await store.dispose();
    }
  });
});
