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

  it('values an order quoted in another currency in the account currency (USDJPY in yen on a USD account)', () => {
    // 1,000 USDJPY at 150 = 150,000 JPY; at 1/150 USD per JPY that is $1,000: within $50,000 and 10 % of $100,000.
    const jpy = { lastPrice: 150, fxToAccount: 1 / 150, quoteCurrency: 'JPY' };
    expect(rule(checkOrder(buy(1_000), ctx(jpy)))).toBe('ok');
    // Counted in yen, the same order would have been 150,000 "dollars": over both limits.
    expect(rule(checkOrder(buy(1_000), ctx({ lastPrice: 150 })))).toBe('max_order_notional');
    // 10,001 at 150 JPY = $10,001: just over 10 % of NAV.
    const d = checkOrder(buy(10_001), ctx({ ...jpy, limits: { maxPositionSize: 0.1, maxOrderNotional: 1e9, priceCollarPct: 0.05, maxDailyTrades: 100 } }));
    expect(rule(d)).toBe('max_position_size');
    expect(!d.ok && d.message).toContain('$10,001.00');
    // No rate to the account currency: refused with words, never valued as if 1:1.
    const none = checkOrder(buy(1), ctx({ lastPrice: 150, fxToAccount: NaN, quoteCurrency: 'JPY' }));
    expect(rule(none)).toBe('no_price');
    expect(!none.ok && none.message).toMatch(/No exchange rate from JPY/);
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

  it('working orders count as if filled, per side: buys add to the long worst case, sells to the short one', () => {
    expect(rule(checkOrder(buy(50), ctx({ workingBuyQuantity: 50 })))).toBe('ok'); // 100 × 100 = 10 %
    expect(rule(checkOrder(buy(51), ctx({ workingBuyQuantity: 50 })))).toBe('max_position_size');
    // Working sells do not make a buy look smaller, nor do working buys make a sell look reducing.
    expect(rule(checkOrder(buy(101), ctx({ workingSellQuantity: 500 })))).toBe('max_position_size');
    expect(rule(checkOrder({ ...buy(101), side: 'sell' }, ctx({ workingBuyQuantity: 500 })))).toBe('max_position_size');
    // A sell against a long position whose other sells are already working is not reducing any more.
    expect(rule(checkOrder({ ...buy(100), side: 'sell' }, ctx({ positionQuantity: 100 })))).toBe('ok');
    expect(rule(checkOrder({ ...buy(101), side: 'sell' }, ctx({ positionQuantity: 100, workingSellQuantity: 100 })))).toBe('max_position_size');
  });

  it('daily trades: reducing orders still pass at the limit', () => {
    expect(rule(checkOrder({ ...buy(10), side: 'sell' }, ctx({ positionQuantity: 10, tradesToday: 100 })))).toBe('ok');
  });

  it('size step and minimum size: dust and off-step quantities are refused with the reason, in decimal', () => {
    const q = (quantity: number, lotSize: number) => checkOrder(buy(quantity), ctx({ lotSize, lastPrice: 1, nav: 1e12, limits: { ...ctx().limits, maxOrderNotional: 1e12 } }));
    expect(rule(q(5e-324, 0.001))).toBe('invalid_quantity');
    expect(!q(5e-324, 0.001).ok && (q(5e-324, 0.001) as { message: string }).message).toBe('Quantity 5e-324 is below the minimum size 0.001 of X');
    expect(rule(q(1e-10, 1000))).toBe('invalid_quantity');
    const off = q(1000.0000001, 1000);
    expect(!off.ok && off.message).toBe('Quantity 1000.0000001 is not a multiple of the size step 1000 of X');
    expect(rule(q(0.05, 0.001))).toBe('ok');
    expect(rule(q(0.3, 0.1))).toBe('ok'); // 0.1 + 0.2 style float residue is not a problem in decimal
    expect(rule(q(2000, 1000))).toBe('ok');
  });

  it('protective legs skip the collar and the exposure limits but not the size rules', () => {
    const far = buy(1, { side: 'sell', type: 'stop', stopPrice: 50 });
    expect(rule(checkOrder(far, ctx()))).toBe('price_collar');
    expect(rule(checkOrder(far, ctx({ protective: true, killSwitch: true, tradesToday: 1000 })))).toBe('ok');
    expect(rule(checkOrder({ ...far, quantity: 0.5 }, ctx({ protective: true, lotSize: 1 })))).toBe('invalid_quantity');
  });
});
