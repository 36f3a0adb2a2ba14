import { describe, expect, it } from 'vitest';
import { checkOrder, type RiskContext, type RiskOrder } from './risk';

const ctx = (over: Partial<RiskContext> = {}): RiskContext => ({
  limits: { maxPositionSize: 0.1, maxOrderNotional: 50_000, priceCollarPct: 0.05, maxDailyTrades: 100 },
  killSwitch: false, brokerName: 'paper', lastPrice: 100, positionQuantity: 0, nav: 100_000, tradesToday: 0, ...over,
});
const buy = (quantity: number, over: Partial<RiskOrder> = {}): RiskOrder => ({ symbol: 'X', side: 'buy', type: 'market', quantity, ...over });
const rule = (d: ReturnType<typeof checkOrder>) => (d.ok ? 'ok' : d.rule);

describe('risk engine', () => {
  it('kill switch blocks every new order', () => {
    expect(rule(checkOrder(buy(1), ctx({ killSwitch: true })))).toBe('kill_switch');
  });

  it('sanity: NaN, zero, negative quantities and bad prices', () => {
    for (const q of [NaN, 0, -5, Infinity]) expect(rule(checkOrder(buy(q), ctx()))).toBe('invalid_order');
    expect(rule(checkOrder(buy(1, { type: 'limit', limitPrice: NaN }), ctx()))).toBe('invalid_order');
  });

  it('no price ⇒ reject', () => {
    expect(rule(checkOrder(buy(1), ctx({ lastPrice: undefined })))).toBe('no_price');
  });

  it('max position size: 10 % of NAV, both sides of the boundary; reducing always passes', () => {
    expect(rule(checkOrder(buy(100), ctx()))).toBe('ok'); // 10,000 = 10 %
    const d = checkOrder(buy(101), ctx());
    expect(rule(d)).toBe('max_position_size');
    expect(!d.ok && d.message).toMatch(/\$10,100\.00.*max position size of 10 % \(risk\.max_position_size\)/);
    expect(rule(checkOrder({ ...buy(150), side: 'sell' }, ctx({ positionQuantity: 200 })))).toBe('ok');
    expect(rule(checkOrder({ ...buy(350), side: 'sell' }, ctx({ positionQuantity: 200 })))).toBe('max_position_size'); // flips to −150
  });

  it('max order notional names the limit', () => {
    const d = checkOrder(buy(501), ctx({ nav: 10_000_000 }));
    expect(rule(d)).toBe('max_order_notional');
    expect(!d.ok && d.message).toBe('Order notional $50,100.00 exceeds the max order notional of $50,000.00 (risk.max_order_notional)');
    expect(rule(checkOrder(buy(500), ctx({ nav: 10_000_000 })))).toBe('ok');
  });

  it('price collar: ±5 % of the last price for limit and stop', () => {
    expect(rule(checkOrder(buy(1, { type: 'limit', limitPrice: 95 }), ctx()))).toBe('ok');
    expect(rule(checkOrder(buy(1, { type: 'limit', limitPrice: 94.9 }), ctx()))).toBe('price_collar');
    expect(rule(checkOrder(buy(1, { type: 'stop', stopPrice: 105.1 }), ctx()))).toBe('price_collar');
  });

  it('max daily trades per broker', () => {
    expect(rule(checkOrder(buy(1), ctx({ tradesToday: 99 })))).toBe('ok');
    const d = checkOrder(buy(1), ctx({ tradesToday: 100 }));
    expect(!d.ok && d.message).toMatch(/brokers\.paper\.max_daily_trades/);
  });
});
