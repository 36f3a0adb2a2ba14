import { describe, expect, it } from 'vitest';
import type { Fill } from './types';
import { realizedByDay } from './daily-pnl';

const day = (ms: number) => new Date(ms).toISOString().slice(0, 10);
const T = Date.UTC(2026, 11, 1, 15);
let n = 0;
const fill = (side: 'buy' | 'sell', quantity: number, price: number, time: number, over: Partial<Fill> = {}): Fill =>
  ({ id: `f${++n}`, orderId: 'o', accountId: 'paper', symbol: 'AAPL', side, quantity, price, commission: '1.00', time, ...over });

describe('realizedByDay', () => {
  it('realises against the average cost, net of commissions, on the closing day', () => {
    const pnl = realizedByDay([
      fill('buy', 10, 100, T), fill('buy', 10, 110, T + 1000),
      // Sold 15 of 20 at an average of 105: 15 × 15 = 225, less the commission.
      fill('sell', 15, 120, T + 86_400_000),
    ], day);
    expect(pnl.get('2026-12-01')).toEqual({ fills: 2, realized: { USD: '-2.00' } });
    expect(pnl.get('2026-12-02')).toEqual({ fills: 1, realized: { USD: '224.00' } });
  });

  it('a short gains when the price falls; a flip opens the rest at the fill price', () => {
    const pnl = realizedByDay([
      fill('sell', 5, 50, T, { commission: '0' }),
      // Buys back 5 at 40 (+50) and goes long 5 at 40; then sells them at 41 (+5).
      fill('buy', 10, 40, T + 1, { commission: '0' }),
      fill('sell', 5, 41, T + 2, { commission: '0' }),
    ], day);
    expect(pnl.get('2026-12-01')!.realized).toEqual({ USD: '55.00' });
  });

  it('keeps accounts, symbols and currencies apart', () => {
    const pnl = realizedByDay([
      fill('buy', 1, 100, T, { commission: '0' }), fill('sell', 1, 90, T, { commission: '0', accountId: 'other' }),
      fill('buy', 1000, 150, T, { commission: '0', symbol: 'USDJPY' }), fill('sell', 1000, 151, T + 5, { commission: '0', symbol: 'USDJPY' }),
    ], day, (s) => (s === 'USDJPY' ? 'JPY' : 'USD'));
    expect(pnl.get('2026-12-01')!.realized).toEqual({ USD: '0.00', JPY: '1000.00' });
  });
});
