// Proof that the simulator speaks OANDA's real v20 protocol: OANDA's own JavaScript client (@oanda/v20) against the
// simulator process over HTTP: accounts, instruments, pricing, candles, every entry order type with SL/TP/trailing on
// fill, cancel, trades, positions, transactions, and both streams. Skipped, saying why, when the package is not installed.
/* eslint-disable @typescript-eslint/no-explicit-any -- the client's answers are untyped JavaScript objects, checked field by field */
import { createRequire } from 'node:module';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startOandaSim, SIM_ACCOUNT, SIM_TOKEN, type RunningOandaSim } from '../../tests/support/oanda-sim-process';

interface V20Response { statusCode: string; body: Record<string, any> | null; contentType: string }
type Handler = (r: V20Response) => void;
// The client's shape, as far as this test uses it (the package ships no types).
interface V20Context {
  setToken(t: string): void;
  account: { list(h: Handler): void; summary(id: string, h: Handler): void; instruments(id: string, q: object, h: Handler): void; changes(id: string, q: object, h: Handler): void };
  pricing: { get(id: string, q: object, h: Handler): void; stream(id: string, q: object, chunk: (m: any) => void, h: Handler): void };
  instrument: { candles(name: string, q: object, h: Handler): void };
  order: { create(id: string, b: object, h: Handler): void; cancel(id: string, spec: string, h: Handler): void; listPending(id: string, h: Handler): void; get(id: string, spec: string, h: Handler): void };
  trade: { listOpen(id: string, h: Handler): void; close(id: string, spec: string, b: object, h: Handler): void };
  position: { listOpen(id: string, h: Handler): void; get(id: string, name: string, h: Handler): void };
  transaction: { since(id: string, q: object, h: Handler): void; stream(id: string, chunk: (m: any) => void, h: Handler): void };
  request(method: string, path: string, body: object, chunk: (line: string) => void, h: Handler): void;
}

/** @oanda/v20 (CommonJS, no main: its entry is `context`); OANDA_V20_SRC may point at a checkout of its src/ instead. */
function loadClient(): { Context: new (host: string, port: number, ssl: boolean, app?: string) => V20Context } | null {
  const require = createRequire(import.meta.url);
  for (const id of [process.env['OANDA_V20_SRC'] ? `${process.env['OANDA_V20_SRC']}/context.js` : null, '@oanda/v20/context.js', '@oanda/v20/context']) {
    if (!id) continue;
    try {
      return require(id) as ReturnType<typeof loadClient>;
    } catch {
      // try the next
    }
  }
  return null;
}

const client = loadClient();
if (!client) console.warn('SKIPPED tools/oanda-sim/v20-client.test.ts: @oanda/v20 is not installed (npm install -D @oanda/v20); the simulator is then not checked against OANDA\'s own client.');

describe.skipIf(!client)('the simulator through OANDA\'s own client (@oanda/v20)', () => {
  let sim: RunningOandaSim;
  let ctx: V20Context;
  const call = (f: (h: Handler) => void) => new Promise<V20Response>((resolve) => f(resolve));

  beforeAll(async () => {
    sim = await startOandaSim(['--tick-ms', '0', '--heartbeat-ms', '200']);
    ctx = new client!.Context('127.0.0.1', sim.port, false, 'quant-claude-test');
    ctx.setToken(SIM_TOKEN);
  });
  afterAll(async () => {
    await sim?.stop();
  });

  it('lists the account, its summary, instruments, prices and candles', async () => {
    const list = await call((h) => ctx.account.list(h));
    expect(list.statusCode).toBe('200');
    expect(list.body!['accounts'].map((a: { id: string }) => a.id)).toEqual([SIM_ACCOUNT]);
    const summary = (await call((h) => ctx.account.summary(SIM_ACCOUNT, h))).body!['account'];
    expect(summary).toMatchObject({ id: SIM_ACCOUNT, currency: 'USD', NAV: '100000.0000', hedgingEnabled: false });
    expect(summary.marginCloseoutPercent).toBeDefined();
    const instruments = (await call((h) => ctx.account.instruments(SIM_ACCOUNT, {}, h))).body!['instruments'];
    expect(instruments.map((i: { name: string }) => i.name)).toEqual(expect.arrayContaining(['EUR_USD', 'GBP_USD', 'USD_JPY', 'XAU_USD', 'SPX500_USD']));
    expect(instruments.find((i: { name: string }) => i.name === 'USD_JPY')).toMatchObject({ pipLocation: -2, marginRate: '0.0333', type: 'CURRENCY' });
    const prices = (await call((h) => ctx.pricing.get(SIM_ACCOUNT, { instruments: 'EUR_USD,SPX500_USD' }, h))).body!['prices'];
    expect(prices).toHaveLength(2);
    expect(Number(prices[0].asks[0].price)).toBeGreaterThan(Number(prices[0].bids[0].price));
    const candles = await call((h) => ctx.instrument.candles('XAU_USD', { granularity: 'M5', count: 6, price: 'MBA' }, h));
    expect(candles.statusCode).toBe('200');
    expect(candles.body!['candles']).toHaveLength(6);
    expect(candles.body!['candles'][0].mid.o).toMatch(/^\d+\.\d{3}$/);
    expect(Number(candles.body!['candles'][0].ask.c)).toBeGreaterThan(Number(candles.body!['candles'][0].bid.c));
  });

  it('takes MARKET, LIMIT, STOP and MARKET_IF_TOUCHED orders with stop-loss, take-profit and trailing stop on fill; cancels; closes', async () => {
    const mid = Number((await call((h) => ctx.pricing.get(SIM_ACCOUNT, { instruments: 'EUR_USD' }, h))).body!['prices'][0].closeoutBid);
    const m = await call((h) => ctx.order.create(SIM_ACCOUNT, { order: {
      type: 'MARKET', instrument: 'EUR_USD', units: '1000', clientExtensions: { id: 'v20-m' },
      stopLossOnFill: { price: (mid - 0.01).toFixed(5) }, takeProfitOnFill: { price: (mid + 0.01).toFixed(5) }, trailingStopLossOnFill: { distance: '0.00200' },
    } }, h));
    expect(m.statusCode).toBe('201');
    expect(m.body!['orderCreateTransaction']).toMatchObject({ type: 'MARKET_ORDER', units: '1000' });
    expect(m.body!['orderFillTransaction']).toMatchObject({ type: 'ORDER_FILL', units: '1000', clientOrderID: 'v20-m' });
    const tradeID = m.body!['orderFillTransaction'].tradeOpened.tradeID;
    const open = (await call((h) => ctx.trade.listOpen(SIM_ACCOUNT, h))).body!['trades'];
    expect(open).toHaveLength(1);
    expect(open[0].stopLossOrder.type).toBe('STOP_LOSS');
    expect(open[0].takeProfitOrder.type).toBe('TAKE_PROFIT');
    expect(open[0].trailingStopLossOrder).toMatchObject({ type: 'TRAILING_STOP_LOSS', distance: '0.00200' });

    for (const [type, price] of [['LIMIT', mid - 0.02], ['STOP', mid + 0.02], ['MARKET_IF_TOUCHED', mid - 0.03]] as const) {
      const r = await call((h) => ctx.order.create(SIM_ACCOUNT, { order: { type, instrument: 'EUR_USD', units: '500', price: price.toFixed(5), timeInForce: 'GTC', trailingStopLossOnFill: { distance: '0.00150' } } }, h));
      expect(r.statusCode).toBe('201');
      expect(r.body!['orderCreateTransaction'].type).toBe(`${type}_ORDER`);
      expect(r.body!['orderFillTransaction']).toBeUndefined();
    }
    const pending = (await call((h) => ctx.order.listPending(SIM_ACCOUNT, h))).body!['orders'];
    expect(pending.map((o: { type: string }) => o.type).sort()).toEqual(['LIMIT', 'MARKET_IF_TOUCHED', 'STOP', 'STOP_LOSS', 'TAKE_PROFIT', 'TRAILING_STOP_LOSS']);
    const limit = pending.find((o: { type: string }) => o.type === 'LIMIT');
    const cancel = await call((h) => ctx.order.cancel(SIM_ACCOUNT, limit.id, h));
    expect(cancel.statusCode).toBe('200');
    expect(cancel.body!['orderCancelTransaction']).toMatchObject({ type: 'ORDER_CANCEL', orderID: limit.id, reason: 'CLIENT_REQUEST' });
    const again = await call((h) => ctx.order.cancel(SIM_ACCOUNT, limit.id, h));
    expect(again.statusCode).toBe('404');

    const bad = await call((h) => ctx.order.create(SIM_ACCOUNT, { order: { type: 'MARKET', instrument: 'EUR_USD', units: '0' } }, h));
    expect(bad.statusCode).toBe('400');
    expect(bad.body!['orderRejectTransaction'].type).toBe('MARKET_ORDER_REJECT');
    expect(bad.body!['errorCode']).toBe('UNITS_INVALID');

    const pos = (await call((h) => ctx.position.get(SIM_ACCOUNT, 'EUR_USD', h))).body!['position'];
    expect(pos.long.units).toBe('1000');
    const closed = await call((h) => ctx.trade.close(SIM_ACCOUNT, tradeID, { units: 'ALL' }, h));
    expect(closed.statusCode).toBe('200');
    expect(closed.body!['orderFillTransaction'].tradesClosed[0].tradeID).toBe(tradeID);
    expect((await call((h) => ctx.position.listOpen(SIM_ACCOUNT, h))).body!['positions']).toHaveLength(0);

    const since = await call((h) => ctx.transaction.since(SIM_ACCOUNT, { id: '1' }, h));
    const types = since.body!['transactions'].map((t: { type: string }) => t.type);
    expect(types).toEqual(expect.arrayContaining(['MARKET_ORDER', 'ORDER_FILL', 'STOP_LOSS_ORDER', 'TAKE_PROFIT_ORDER', 'TRAILING_STOP_LOSS_ORDER', 'ORDER_CANCEL', 'MARKET_ORDER_REJECT']));
    const changes = await call((h) => ctx.account.changes(SIM_ACCOUNT, { sinceTransactionID: '1' }, h));
    expect(changes.body!['changes'].ordersCancelled.length).toBeGreaterThan(0);
  });

  it('streams prices and transactions (newline-delimited JSON with heartbeats)', async () => {
    const prices: any[] = [];
    const txs: any[] = [];
    // The client's pricing.stream cannot parse a PRICE (`new Price` is undefined in its pricing.js: oanda/v20-javascript
    // issues #7 and #15, open), so the pricing stream goes through the client's own streaming request with JSON.parse.
    ctx.request('GET', `/v3/accounts/${SIM_ACCOUNT}/pricing/stream?instruments=EUR_USD,XAU_USD&`, {}, (line) => prices.push(JSON.parse(line)), () => undefined);
    ctx.transaction.stream(SIM_ACCOUNT, (m) => txs.push(m), () => undefined);
    const until = async (what: string, cond: () => boolean) => {
      for (let i = 0; !cond(); i++) {
        if (i > 200) throw new Error(`timed out waiting for ${what}`);
        await new Promise((r) => setTimeout(r, 25));
      }
    };
    await until('two prices and a heartbeat', () => prices.filter((p) => p.type === 'PRICE').length >= 2 && prices.some((p) => p.type === 'HEARTBEAT'));
    expect(prices.find((p) => p.type === 'PRICE' && p.instrument === 'XAU_USD').bids[0].price).toMatch(/^\d+\.\d{3}$/);
    await until('a transactions heartbeat', () => txs.some((t) => t.type === 'HEARTBEAT'));
    await call((h) => ctx.order.create(SIM_ACCOUNT, { order: { type: 'MARKET', instrument: 'USD_JPY', units: '-100' } }, h));
    await until('the fill on the stream', () => txs.some((t) => t.type === 'ORDER_FILL' && t.instrument === 'USD_JPY'));
    expect(txs.find((t) => t.type === 'ORDER_FILL').units).toBe('-100');
    await sim.fault({ kind: 'price', instrument: 'EUR_USD', mid: 1.2345 });
    await until('the new price on the stream', () => prices.some((p) => p.type === 'PRICE' && p.instrument === 'EUR_USD' && p.closeoutBid.startsWith('1.234')));
    await sim.fault({ kind: 'drop' });
  });
});
