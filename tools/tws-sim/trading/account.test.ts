// The ledger alone: per-currency cash, realized P&L across partial closes and flips, margin-settled futures.
import { describe, expect, it } from 'vitest';
import Decimal from 'decimal.js';
import { Account } from './account';
import { buildCatalog } from '../market/instruments';

const catalog = buildCatalog(Date.UTC(2026, 0, 5));
const inst = (symbol: string, secType: string) => catalog.find((i) => i.symbol === symbol && i.secType === secType)!;

describe('Account', () => {
  it('books stock fills with commission in the cost basis, realizes P&L on a close and a flip', () => {
    const a = new Account('DU1', '100000');
    const aapl = inst('AAPL', 'STK');
    a.applyFill(aapl, 'BUY', 100, 10, new Decimal('1'));
    expect(a.positions.get(aapl.conId)).toMatchObject({ quantity: 100, avgCost: 10.01 });
    expect(a.cashValue().toString()).toBe('98999');
    const r1 = a.applyFill(aapl, 'SELL', 40, 12, new Decimal('0.4'));
    expect(r1!.toString()).toBe(new Decimal(40 * 12).sub(40 * 10.01).sub('0.4').toString()); // 79.2
    const r2 = a.applyFill(aapl, 'SELL', 100, 11, new Decimal('1'));
    // Closes 60 (with 60 % of the fee), opens 40 short at 11 + 0.4/40.
    expect(r2!.toString()).toBe(new Decimal(60 * 11).sub(60 * 10.01).sub('0.6').toString());
    expect(a.positions.get(aapl.conId)).toMatchObject({ quantity: -40, avgCost: 11.01 });
    expect(a.cashValue().toString()).toBe(new Decimal(98999).add(480).sub('0.4').add(1100).sub(1).toString());
    const v = a.values(() => 11);
    expect(v.NetLiquidation.toString()).toBe(a.cashValue().sub(440).toString());
    expect(v.InitMarginReq.toString()).toBe('220');
  });

  it('keeps forex as two cash balances, valued at the live rate', () => {
    let eurusd = 1.1;
    let usdjpy = 150;
    const a = new Account('DU1', '100000', (c) => (c === 'EUR' ? eurusd : c === 'JPY' ? 1 / usdjpy : 1));
    a.applyFill(inst('EUR', 'CASH'), 'BUY', 20000, 1.1, new Decimal(2));
    expect(a.cash.get('EUR')!.toString()).toBe('20000');
    expect(a.cash.get('USD')!.toString()).toBe('77998');
    expect(a.values(() => 1.1).NetLiquidation.toString()).toBe('99998');
    eurusd = 1.2;
    expect(a.values(() => 1.2).NetLiquidation.toString()).toBe('101998');
    a.applyFill(inst('USD', 'CASH'), 'BUY', 10000, 150, new Decimal(2));
    expect(a.cash.get('JPY')!.toString()).toBe('-1500000');
    expect(a.cash.get('USD')!.toString()).toBe('87996');
    usdjpy = 100; // the yen debt got dearer: 1.5m JPY now costs 15,000 USD
    expect(a.cashValue().toString()).toBe(new Decimal(87996).add(24000).sub(15000).toString());
  });

  it('settles futures P&L into cash instead of paying the notional', () => {
    const a = new Account('DU1', '100000');
    const es = inst('ES', 'FUT');
    a.applyFill(es, 'BUY', 2, 5000, new Decimal('4.26'));
    expect(a.cashValue().toString()).toBe('99995.74');
    expect(a.values(() => 5010).NetLiquidation.toString()).toBe(new Decimal('99995.74').add(2 * 10 * 50).toString());
    expect(a.values(() => 5010).UnrealizedPnL.toString()).toBe(new Decimal(1000).sub('4.26').toString());
    const r = a.applyFill(es, 'SELL', 2, 5010, new Decimal('4.26'));
    expect(r!.toString()).toBe(new Decimal(1000).sub('4.26').sub('4.26').toString());
    expect(a.cashValue().toString()).toBe(new Decimal(100000).add(1000).sub('8.52').toString());
  });
});
