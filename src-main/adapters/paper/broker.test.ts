import { describe, expect, it } from 'vitest';
import type { Order } from '../../../src-shared/domain/types';
import type { BrokerEvent } from '../../ports/broker';
import { ManualClock } from '../../ports/clock';
import { createDemoMarket } from '../demo/market';
import { createPaperBroker } from './broker';
import { commissionFor } from './commission';

const MONDAY_OPEN = Date.parse('2026-11-30T15:00:00Z');

function setup(at = MONDAY_OPEN) {
  const clock = new ManualClock(at);
  const market = createDemoMarket({ clock, seed: 1 });
  const broker = createPaperBroker({ market, clock, slippageBps: 10 });
  const events: BrokerEvent[] = [];
  broker.onEvent((e) => events.push(e));
  return { clock, market, broker, events };
}

const order = (over: Partial<Order>): Order => ({
  id: crypto.randomUUID(), accountId: 'A', brokerOrderId: null, symbol: 'AAPL', side: 'buy', type: 'market', quantity: 10, limitPrice: null,
  stopPrice: null, timeInForce: 'day', stopLoss: null, takeProfit: null, parentId: null, source: 'manual', status: 'submitted',
  filledQuantity: 0, avgFillPrice: null, rejectReason: null, createdAt: 0, updatedAt: 0, ...over,
});
const settle = () => new Promise((r) => setImmediate(r));

describe('paper broker', () => {
  it('fills a market buy at the ask plus slippage, with the stock commission', async () => {
    const { market, broker, events } = setup();
    const ask = market.lastQuote('AAPL')!.ask;
    broker.placeOrder(order({ quantity: 10 }));
    await settle();
    expect(events.map((e) => e.kind)).toEqual(['ack', 'fill']);
    const fill = events[1] as Extract<BrokerEvent, { kind: 'fill' }>;
    expect(fill.price).toBeCloseTo(Math.round(ask * 1.001 * 100) / 100, 10);
    expect(fill.commission).toBe('1.00'); // 10 × 0.005 = 0.05 → minimum $1
  });

  it('works a limit until the market crosses it, then fills at the limit or better', async () => {
    const { clock, market, broker, events } = setup();
    const ask = market.lastQuote('BTCUSD')!.ask;
    broker.placeOrder(order({ symbol: 'BTCUSD', quantity: 0.01, type: 'limit', limitPrice: ask * 1.5 }));
    broker.placeOrder(order({ symbol: 'BTCUSD', quantity: 0.01, type: 'limit', limitPrice: ask * 0.5 }));
    await settle();
    const fills = events.filter((e) => e.kind === 'fill') as Extract<BrokerEvent, { kind: 'fill' }>[];
    expect(fills).toHaveLength(1);
    expect(fills[0]!.price).toBeLessThanOrEqual(ask * 1.5);
    expect(broker.workingOrderIds()).toHaveLength(1);
    clock.advance(1000);
    market.tick();
    expect(broker.workingOrderIds()).toHaveLength(1); // far below the market: still working
  });

  it('triggers a stop when the last price crosses it', async () => {
    const { clock, market, broker, events } = setup();
    const last = market.lastQuote('BTCUSD')!.last;
    broker.placeOrder(order({ symbol: 'BTCUSD', quantity: 0.01, side: 'sell', type: 'stop', stopPrice: last * 2 }));
    await settle();
    expect(events.map((e) => e.kind)).toEqual(['ack', 'fill']); // a sell stop above the market triggers at once
    broker.placeOrder(order({ symbol: 'BTCUSD', quantity: 0.01, side: 'sell', type: 'stop', stopPrice: last / 2 }));
    await settle();
    clock.advance(1000);
    market.tick();
    expect(events.filter((e) => e.kind === 'fill')).toHaveLength(1);
  });

  it('cancels a working order; cancelling an unknown one emits nothing', async () => {
    const { market, broker, events } = setup();
    const o = order({ symbol: 'BTCUSD', quantity: 0.01, type: 'limit', limitPrice: market.lastQuote('BTCUSD')!.bid / 2 });
    broker.placeOrder(o);
    await settle();
    broker.cancelOrder(o.id);
    broker.cancelOrder('unknown');
    await settle();
    expect(events.map((e) => e.kind)).toEqual(['ack', 'cancelled']);
    expect(broker.workingOrderIds()).toEqual([]);
  });

  it('a market order in a closed session waits for the open', async () => {
    const { clock, market, broker, events } = setup(Date.parse('2026-11-30T12:00:00Z')); // before the US open
    broker.placeOrder(order({ quantity: 5 }));
    await settle();
    expect(events.map((e) => e.kind)).toEqual(['ack']);
    clock.set(Date.parse('2026-11-30T14:30:30Z'));
    market.tick();
    expect(events.map((e) => e.kind)).toEqual(['ack', 'fill']);
  });

  it('rejects quantities that are not a multiple of the lot size, and unknown symbols', async () => {
    const { broker, events } = setup();
    broker.placeOrder(order({ symbol: 'EURUSD', quantity: 1500 }));
    broker.placeOrder(order({ symbol: 'NOPE' }));
    await settle();
    expect(events.map((e) => (e.kind === 'reject' ? e.reason : e.kind))).toEqual([
      'Quantity 1500 is not a multiple of the size step 1000 of EURUSD', 'Unknown symbol NOPE',
    ]);
  });
});

describe('commissions', () => {
  it('follow the IB-like schedules, rounded to cents', () => {
    expect(commissionFor({ assetClass: 'stock' }, 1000, 50)).toBe('5.00');
    expect(commissionFor({ assetClass: 'stock' }, 100_000, 0.5)).toBe('500.00'); // capped at 1 % of 50,000
    expect(commissionFor({ assetClass: 'stock' }, 1, 20)).toBe('0.20'); // the 1 % cap beats the $1 minimum
    expect(commissionFor({ assetClass: 'fx' }, 250_000, 1.1)).toBe('5.50');
    expect(commissionFor({ assetClass: 'fx' }, 1000, 1.1)).toBe('2.00');
    expect(commissionFor({ assetClass: 'index-cfd' }, 10, 6700)).toBe('3.35');
    expect(commissionFor({ assetClass: 'crypto' }, 0.05, 90_000)).toBe('8.10');
    expect(commissionFor({ assetClass: 'crypto' }, 0.001, 90_000)).toBe('1.75');
  });
});
