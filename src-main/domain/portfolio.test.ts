import { describe, expect, it } from 'vitest';
import { applyFillToPosition, cashAfterFill, markToMarket, summarize, type PositionState } from './portfolio';

const fill = (side: 'buy' | 'sell', quantity: number, price: number, commission = '0.00') => ({ accountId: 'A', symbol: 'X', side, quantity, price, commission });

function run(fills: ReturnType<typeof fill>[]): PositionState | undefined {
  let pos: PositionState | undefined;
  for (const f of fills) pos = applyFillToPosition(pos, f).position;
  return pos;
}

describe('positions from fills', () => {
  it('averages in: 10 @ 100 then 30 @ 104 ⇒ 40 @ 103', () => {
    const p = run([fill('buy', 10, 100), fill('buy', 30, 104)])!;
    expect(p.quantity).toBe(40);
    expect(p.avgPrice).toBe(103);
    expect(p.realizedPnl).toBe('0.00');
  });

  it('partial close realises (exit − avg) × qty less commission and keeps the average', () => {
    const r = applyFillToPosition({ accountId: 'A', symbol: 'X', quantity: 40, avgPrice: 103, realizedPnl: '0.00' }, fill('sell', 15, 110.5, '1.25'));
    expect(r.position.quantity).toBe(25);
    expect(r.position.avgPrice).toBe(103);
    expect(r.realizedDelta).toBe('111.25'); // 15 × 7.5 − 1.25
  });

  it('flips long to short through zero: the rest opens at the fill price', () => {
    const p = run([fill('buy', 10, 50), fill('sell', 25, 60)])!;
    expect(p.quantity).toBe(-15);
    expect(p.avgPrice).toBe(60);
    expect(p.realizedPnl).toBe('100.00');
  });

  it('short cover: profit when the price fell', () => {
    const p = run([fill('sell', 100, 20), fill('buy', 100, 18.37, '1.00')])!;
    expect(p.quantity).toBe(0);
    expect(p.avgPrice).toBe(0);
    expect(p.realizedPnl).toBe('162.00'); // 100 × 1.63 − 1
  });

  it('fractional crypto quantities stay exact', () => {
    const p = run([fill('buy', 0.1, 90000.5), fill('buy', 0.2, 90001.5), fill('sell', 0.3, 90002)])!;
    expect(p.quantity).toBe(0);
    expect(p.realizedPnl).toBe('0.25'); // 0.3 × 90002 − (9000.05 + 18000.30) = 27000.60 − 27000.35
  });
});

describe('cash', () => {
  it('buy pays notional and commission, sell receives notional less commission, to the cent', () => {
    let cash = '100000.00';
    cash = cashAfterFill(cash, { side: 'buy', quantity: 3, price: 101.333, commission: '1.00' });
    expect(cash).toBe('99695.00'); // 303.999 → 304.00, + 1.00
    cash = cashAfterFill(cash, { side: 'sell', quantity: 3, price: 102, commission: '1.00' });
    expect(cash).toBe('100000.00'); // + 306.00 − 1.00
  });

  it('a thousand 0.01 commissions sum exactly', () => {
    let cash = '100000.10';
    for (let i = 0; i < 1000; i++) cash = cashAfterFill(cash, { side: 'buy', quantity: 0, price: 1, commission: '0.01' });
    expect(cash).toBe('99990.10');
  });
});

describe('marking and totals', () => {
  it('unrealised P&L and NAV = cash + Σ market value; day P&L against the start of day', () => {
    const pos: PositionState = { accountId: 'A', symbol: 'X', quantity: -10, avgPrice: 50, realizedPnl: '5.00' };
    expect(markToMarket(pos, 45).unrealizedPnl).toBe('50.00');
    const { summary } = summarize({ accountId: 'A', broker: 'paper', currency: 'USD', cash: '1000.00', positions: [pos], prices: () => 45, dayStartNav: '600.00' });
    expect(summary.nav).toBe('550.00');
    expect(summary.dayPnl).toBe('-50.00');
    expect(summary.grossExposure).toBe('450.00');
    expect(summary.realizedPnl).toBe('5.00');
  });
});
