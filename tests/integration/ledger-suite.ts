// One behavioural suite for the ledger on every Store implementation (SQLite file, PostgreSQL server), through the
// ledger service: imports re-imported without duplicates, fills recorded once, a statement's copy of a fill not
// counted twice, manual entry and editing, lots and gains read back from the database.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import type { Fill } from '../../src-shared/domain/types';
import { ManualClock } from '../../src-main/ports/clock';
import type { Store } from '../../src-main/ports/store';
import { accountHash, ibAccountId } from '../../src-main/adapters/ib/session';
import { LedgerInputError, LedgerService, type FillAccount } from '../../src-main/services/ledger';

const flex = readFileSync(join(__dirname, '../fixtures/ib-flex-two-accounts.xml'), 'utf8');

// The ids the app gives IB accounts (a one-way hash of the number): statements and live fills meet under them.
const ibId = (n: string) => ibAccountId(accountHash(n));
const TAXABLE = ibId('U1234567');
const IRA = ibId('U7654321');

export function ledgerSuite(name: string, open: () => Promise<Store>) {
  describe(`Ledger on ${name}`, () => {
    const service = (store: Store) => new LedgerService({ ledger: store.ledger, fills: store.fills, clock: new ManualClock(Date.UTC(2024, 6, 1)), ibAccountId: ibId });

    it('the Flex fixture imports exactly; a second import adds nothing', async () => {
      const store = await open();
      try {
        const ledger = service(store);
        expect(await ledger.import(flex, 'ib-flex')).toEqual({ imported: 14, duplicates: 0, rejected: [], accountsCreated: [TAXABLE, IRA] });
        expect(await ledger.import(flex, 'ib-flex')).toEqual({ imported: 0, duplicates: 14, rejected: [], accountsCreated: [] });
        expect(await ledger.transactions()).toHaveLength(14);
        // The account numbers are not stored: only their one-way ids.
        expect(JSON.stringify([await ledger.transactions(), await ledger.accounts()])).not.toMatch(/U1234567|U7654321/);
        expect((await ledger.accounts()).map((a) => [a.id, a.taxType])).toEqual([[IRA, 'tax-advantaged'], [TAXABLE, 'taxable']]);
        const gains = await ledger.gains(2024);
        expect(gains.totals).toEqual({ proceeds: '6999.00', costBasis: '7513.00', adjustment: '308.40', gain: '-205.60' });
        expect((await ledger.washSales(2024))[0]).toMatchObject({ permanent: true, disallowed: '308.4' });
        // Oldest first by trade date, whatever the order of the file.
        const dates = (await ledger.transactions({ accountId: TAXABLE })).map((t) => t.date);
        expect(dates).toEqual([...dates].sort());
        expect(await ledger.transactions({ accountId: TAXABLE, symbol: 'AAPL', from: '2024-02-01', to: '2024-02-28' })).toHaveLength(2);
      } finally {
        await store.dispose();
      }
    });

    it('a CSV re-import is a no-op; a changed file adds only its new rows', async () => {
      const store = await open();
      try {
        const ledger = service(store);
        const text = 'date,account,type,symbol,quantity,price,fee,amount,currency\n2024-01-02,CSV acct,DEPOSIT,,,,,1000,USD\n2024-01-03,CSV acct,BUY,X,1,10,,,USD\n2024-01-03,CSV acct,BUY,X,1,10,,,USD\nbad,CSV acct,BUY,X,1,10,,,USD\n';
        expect(await ledger.import(text, 'csv')).toEqual({ imported: 3, duplicates: 0, rejected: [{ row: 4, reason: 'date "bad" is not a date as YYYY-MM-DD' }], accountsCreated: ['csv-acct'] });
        expect(await ledger.import(text, 'csv')).toMatchObject({ imported: 0, duplicates: 3, accountsCreated: [] });
        expect(await ledger.import(`${text}2024-01-04,CSV acct,SELL,X,2,11,,,USD\n`, 'csv')).toMatchObject({ imported: 1, duplicates: 3 });
      } finally {
        await store.dispose();
      }
    });

    it('fills become transactions once; the same execution in a statement is not counted twice', async () => {
      const store = await open();
      try {
        const ledger = service(store);
        const account: FillAccount = { accountId: TAXABLE, name: 'IB', kind: 'broker', currencyOf: () => 'USD' };
        // The fixture's AAPL purchase, as the connected account reported it live.
        const fill: Fill = { id: '0000e0d5.65952d0c.01.01', orderId: 'o1', accountId: TAXABLE, symbol: 'AAPL', side: 'buy', quantity: 100, price: 150.25, commission: '-1', time: Date.UTC(2024, 0, 3, 14, 35, 12) };
        expect(await ledger.recordFill(fill, account)).toBe(true);
        expect(await ledger.recordFill(fill, account)).toBe(false);
        expect(await ledger.transactions()).toEqual([expect.objectContaining({ source: 'fill', sourceRef: fill.id, type: 'BUY', quantity: '100', price: '150.25', fee: '1', date: '2024-01-03' })]);
        const r = await ledger.import(flex, 'ib-flex');
        expect(r).toMatchObject({ imported: 13, duplicates: 1 });
        // And the other way round: a fill already in the statement is not recorded again.
        const sell: Fill = { ...fill, id: '0000e0d5.65bb1e01.01.01', side: 'sell', quantity: 50, price: 140, time: Date.UTC(2024, 1, 1, 20, 45, 1) };
        expect(await ledger.recordFill(sell, account)).toBe(false);
        expect((await ledger.transactions({ symbol: 'AAPL' })).map((t) => `${t.accountId} ${t.type} ${t.quantity ?? t.amount}`)).toEqual([`${TAXABLE} BUY 100`, `${TAXABLE} SELL 50`, `${TAXABLE} DIVIDEND 12`, `${IRA} BUY 30`]);
      } finally {
        await store.dispose();
      }
    });

    it('manual entry, editing and deleting; bad input is refused with the field', async () => {
      const store = await open();
      try {
        const ledger = service(store);
        await ledger.upsertAccount({ id: 'm', name: 'Manual', kind: 'statement', baseCurrency: 'USD', taxType: 'taxable', lotMethod: 'hifo' });
        const t = await ledger.add({ accountId: 'm', date: '2024-03-01', type: 'BUY', symbol: 'Y', quantity: '2', price: '5', fee: '0', currency: 'USD' });
        expect(t.source).toBe('manual');
        expect((await ledger.lots()).lots).toEqual([expect.objectContaining({ quantity: '2', costBasis: '10' })]);
        await expect(ledger.add({ accountId: 'm', date: '2024-03-01', type: 'BUY', symbol: 'Y', quantity: '2', fee: '0', currency: 'USD' })).rejects.toThrow(new LedgerInputError('BUY needs price'));
        await expect(ledger.add({ accountId: 'nope', date: '2024-03-01', type: 'DEPOSIT', amount: '1', fee: '0', currency: 'USD' })).rejects.toThrow('No ledger account nope');
        const edited = await ledger.edit(t.id, { accountId: 'm', date: '2024-03-02', type: 'BUY', symbol: 'Y', quantity: '3', price: '5', fee: '0', currency: 'USD' });
        expect(await store.ledger.transactions.get(t.id)).toEqual(edited);
        expect((await ledger.lots()).lots).toEqual([expect.objectContaining({ quantity: '3', costBasis: '15', acquired: '2024-03-02' })]);
        await ledger.remove(t.id);
        expect(await ledger.transactions({ accountId: 'm' })).toEqual([]);
        await expect(ledger.remove(t.id)).rejects.toThrow('No transaction');
      } finally {
        await store.dispose();
      }
    });
  });
}
