// The portfolio.* methods through the dispatcher, with responses validated against the contract (as in development),
// on the ledger service over a real SQLite file: what the UI screens and the order ticket will call.
import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import type { Quote } from '../../src-shared/domain/types';
import { openSqliteStore } from '../adapters/sqlite/store';
import { ManualClock } from '../ports/clock';
import type { MarketData } from '../ports/market-data';
import { LedgerService } from '../services/ledger';
import { createDispatcher, type ApiHandlers } from './dispatcher';
import { portfolioHandlers } from './portfolio-handlers';

const store = openSqliteStore({ file: join(mkdtempSync(join(tmpdir(), 'qc-portfolio-api-')), 'quant.db') });
afterAll(() => store.dispose());
const ledger = new LedgerService({ ledger: store.ledger, fills: store.fills, clock: new ManualClock(Date.UTC(2024, 2, 1)) });
// The market's last trades: what the harvesting list prices lots with when no price is given.
const quotes: Record<string, Quote> = { AAPL: { symbol: 'AAPL', time: 0, bid: 129.9, ask: 130.1, last: 130, lastSize: 1, source: 'test' } };
const market = { lastQuote: (s: string) => quotes[s] } as unknown as MarketData;
const dispatch = createDispatcher(portfolioHandlers({ ledger, market: () => market }) as ApiHandlers, { validateResponses: true });
const call = async (method: string, params: unknown) => {
  const r = await dispatch(method, params);
  if (!r.ok) throw new Error(`${r.error.code}: ${r.error.message}`);
  return r.result as never;
};

describe('portfolio.* through the dispatcher', () => {
  it('imports, then answers every read in the contract\'s shapes', async () => {
    const text = readFileSync(join(__dirname, '../../tests/fixtures/ib-flex-two-accounts.xml'), 'utf8');
    expect(await call('portfolio.import', { format: 'ib-flex', text })).toMatchObject({ imported: 14, duplicates: 0 });
    expect((await call('portfolio.accounts.list', {}) as unknown[]).length).toBe(2);
    expect((await call('portfolio.transactions.list', { accountId: 'U7654321' }) as unknown[]).length).toBe(2);
    expect((await call('portfolio.lots', { method: 'hifo' }) as { lots: unknown[] }).lots).toHaveLength(4);
    // After 2024-01-04: USD 25000 − 15026 (AAPL) − 3287 (EUR bought) = 6687; EUR 3000 − 2811.25 (SAP); the IRA has nothing yet.
    expect(await call('portfolio.balances', { asOf: '2024-01-04' })).toEqual({
      cash: [{ accountId: 'U1234567', currency: 'EUR', amount: '188.75' }, { accountId: 'U1234567', currency: 'USD', amount: '6687.00' }],
      holdings: [{ accountId: 'U1234567', symbol: 'AAPL', quantity: '100', currency: 'USD' }, { accountId: 'U1234567', symbol: 'SAP', quantity: '20', currency: 'EUR' }],
    });
    expect(await call('portfolio.gains', { year: 2024 })).toMatchObject({ totals: { gain: '-205.60' } });
    expect(await call('portfolio.washSales', { year: 2024 })).toEqual([expect.objectContaining({ permanent: true, disallowed: '308.4' })]);
    const { csv } = await call('portfolio.form8949', { year: 2024 }) as { csv: string };
    expect(csv.split('\n')[1]).toBe('I,U1234567,50 sh. AAPL,01/03/2024,02/01/2024,6999,7513,W,308.4,-205.6,USD');
  });

  it('harvesting prices lots from the market when no price is given; the ticket\'s what-if', async () => {
    // 50 AAPL at 7513 in the taxable account, worth 6500 at 130: −1013, saving 243.12 at 24 %. The IRA lot is not listed.
    const list = await call('portfolio.harvest', { rate: '0.24', asOf: '2024-03-01' }) as { accountId: string; unrealized: string; estimatedSaving: string }[];
    expect(list.map((c) => [c.accountId, c.unrealized, c.estimatedSaving])).toEqual([['U1234567', '-1013.00', '243.12']]);
    // Selling those 50 on 2024-03-01: the IRA purchase of 2024-02-20 is inside the window, but its 30 shares were used
    // by the February sale already, so this loss is not washed, and the ticket says how to keep it so.
    const w = await call('portfolio.whatIf', { accountId: 'U1234567', symbol: 'AAPL', side: 'sell', quantity: '50', price: '130', date: '2024-03-01' }) as { disallowed: string; warnings: string[] };
    expect(w.disallowed).toBe('0.00');
    expect(w.warnings[0]).toContain('until 2024-03-31');
  });

  it('manual entry: add, edit, delete; bad input is BAD_REQUEST naming the field, an unknown id NOT_FOUND', async () => {
    const tx = await call('portfolio.transactions.add', { accountId: 'U1234567', date: '2024-03-01', type: 'DEPOSIT', amount: '100', currency: 'USD' }) as { id: string };
    const edited = await call('portfolio.transactions.edit', { id: tx.id, transaction: { accountId: 'U1234567', date: '2024-03-02', type: 'DEPOSIT', amount: '150', currency: 'USD' } });
    expect(edited).toMatchObject({ id: tx.id, amount: '150', source: 'manual' });
    expect(await call('portfolio.transactions.delete', { id: tx.id })).toEqual({ ok: true });
    expect(await dispatch('portfolio.transactions.delete', { id: tx.id })).toMatchObject({ ok: false, error: { code: 'NOT_FOUND' } });
    expect(await dispatch('portfolio.transactions.add', { accountId: 'U1234567', date: '2024-03-01', type: 'BUY', symbol: 'X', quantity: '1', currency: 'USD' }))
      .toEqual({ ok: false, error: { code: 'BAD_REQUEST', message: 'BUY needs price' } });
    expect(await dispatch('portfolio.transactions.add', { accountId: 'U1234567', date: '2024-3-1', type: 'DEPOSIT', amount: '1', currency: 'USD' }))
      .toMatchObject({ ok: false, error: { code: 'BAD_REQUEST', fields: { date: 'a date as YYYY-MM-DD' } } });
  });
});
