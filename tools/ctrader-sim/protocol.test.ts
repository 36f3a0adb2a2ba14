// The simulator at the wire: raw JSON frames over a real WebSocket, as any Open API client sends them (payload type
// numbers from Spotware's OpenApiMessages.proto): authorisation order and refusals, clientMsgId echo, heartbeats,
// spots as integers in 1/100000, volumes in cents, native SL/TP on the position, rate limits per connection.
import { afterEach, describe, expect, it } from 'vitest';
import WebSocket from 'ws';
import { PT, type Frame } from '../../src-main/adapters/ctrader/protocol';
import { CtraderSimulator } from './server';

let sim: CtraderSimulator | undefined;
const sockets: WebSocket[] = [];

afterEach(async () => {
  for (const s of sockets.splice(0)) s.terminate();
  await sim?.close();
  sim = undefined;
});

async function client(): Promise<{ send: (f: Frame) => void; next: (pred: (f: Frame) => boolean, ms?: number) => Promise<Frame>; frames: Frame[] }> {
  const ws = new WebSocket(`ws://127.0.0.1:${sim!.port}`);
  sockets.push(ws);
  const frames: Frame[] = [];
  const waiters: { pred: (f: Frame) => boolean; resolve: (f: Frame) => void }[] = [];
  ws.on('message', (d) => {
    const f = JSON.parse(String(d)) as Frame;
    frames.push(f);
    for (const w of waiters.splice(0)) {
      if (w.pred(f)) w.resolve(f);
      else waiters.push(w);
    }
  });
  await new Promise((r) => ws.once('open', r));
  return {
    frames,
    send: (f) => ws.send(JSON.stringify(f)),
    next: (pred, ms = 3_000) => new Promise<Frame>((resolve, reject) => {
      const seen = frames.find(pred);
      if (seen) return resolve(seen);
      const t = setTimeout(() => reject(new Error('no such frame')), ms);
      waiters.push({ pred, resolve: (f) => { clearTimeout(t); resolve(f); } });
    }),
  };
}

const boot = async (o: ConstructorParameters<typeof CtraderSimulator>[0] = {}) => {
  sim = new CtraderSimulator({ port: 0, clientId: 'cid', clientSecret: 'sec', accessToken: 'tok', accountId: 7_777, tickMs: 0, heartbeatMs: 100, ...o });
  await sim.start();
  return sim;
};

const byId = (id: string) => (f: Frame) => f.clientMsgId === id;

describe('ctrader-sim at the wire', () => {
  it('authorises the application, then the account, echoing clientMsgId; refuses in cTrader\'s error codes', async () => {
    await boot();
    const c = await client();
    c.send({ clientMsgId: 'early', payloadType: PT.TRADER_REQ, payload: { ctidTraderAccountId: 7_777 } });
    expect((await c.next(byId('early'))).payload).toMatchObject({ errorCode: 'CH_CLIENT_NOT_AUTHENTICATED' });
    c.send({ clientMsgId: 'bad', payloadType: PT.APPLICATION_AUTH_REQ, payload: { clientId: 'cid', clientSecret: 'nope' } });
    expect(await c.next(byId('bad'))).toMatchObject({ payloadType: PT.OA_ERROR_RES, payload: { errorCode: 'CH_CLIENT_AUTH_FAILURE' } });
    c.send({ clientMsgId: 'app', payloadType: PT.APPLICATION_AUTH_REQ, payload: { clientId: 'cid', clientSecret: 'sec' } });
    expect(await c.next(byId('app'))).toEqual({ clientMsgId: 'app', payloadType: PT.APPLICATION_AUTH_RES, payload: {} });
    c.send({ clientMsgId: 'acc-other', payloadType: PT.ACCOUNT_AUTH_REQ, payload: { ctidTraderAccountId: 1, accessToken: 'tok' } });
    expect((await c.next(byId('acc-other'))).payload).toMatchObject({ errorCode: 'CH_CTID_TRADER_ACCOUNT_NOT_FOUND' });
    c.send({ clientMsgId: 'acc', payloadType: PT.ACCOUNT_AUTH_REQ, payload: { ctidTraderAccountId: 7_777, accessToken: 'tok' } });
    expect(await c.next(byId('acc'))).toMatchObject({ payloadType: PT.ACCOUNT_AUTH_RES, payload: { ctidTraderAccountId: 7_777 } });
    c.send({ clientMsgId: 'trader', payloadType: PT.TRADER_REQ, payload: { ctidTraderAccountId: 7_777 } });
    expect((await c.next(byId('trader'))).payload).toMatchObject({ trader: { balance: 10_000_000, moneyDigits: 2, leverageInCents: 3000, accountType: 1 } });
    await c.next((f) => f.payloadType === PT.HEARTBEAT_EVENT);
  });

  it('spots in 1/100000; a market order with relative SL/TP fills in cents of units, and the stop-loss closes the position', async () => {
    const s = await boot();
    const c = await client();
    c.send({ clientMsgId: 'a', payloadType: PT.APPLICATION_AUTH_REQ, payload: { clientId: 'cid', clientSecret: 'sec' } });
    c.send({ clientMsgId: 'b', payloadType: PT.ACCOUNT_AUTH_REQ, payload: { ctidTraderAccountId: 7_777, accessToken: 'tok' } });
    await c.next(byId('b'));
    s.fault({ kind: 'price', symbol: 'EURUSD', mid: 1.1 });
    c.send({ clientMsgId: 'spots', payloadType: PT.SUBSCRIBE_SPOTS_REQ, payload: { ctidTraderAccountId: 7_777, symbolId: [1] } });
    expect((await c.next(byId('spots'))).payloadType).toBe(PT.SUBSCRIBE_SPOTS_RES);
    expect((await c.next((f) => f.payloadType === PT.SPOT_EVENT)).payload).toMatchObject({ symbolId: 1, bid: 109_996, ask: 110_004 });
    // 10,000 units = 1,000,000 cents; stop 50 pips (0.0050) below the fill: 500 in 1/100000.
    c.send({ clientMsgId: 'o1', payloadType: PT.NEW_ORDER_REQ, payload: { ctidTraderAccountId: 7_777, symbolId: 1, orderType: 1, tradeSide: 1, volume: 1_000_000, relativeStopLoss: 500, clientOrderId: 'mine-1' } });
    const accepted = await c.next(byId('o1'));
    expect(accepted.payload).toMatchObject({ executionType: 2, order: { clientOrderId: 'mine-1', orderStatus: 1, tradeData: { volume: 1_000_000, tradeSide: 1 } } });
    const filled = await c.next((f) => f.payloadType === PT.EXECUTION_EVENT && f.payload?.['executionType'] === 3);
    expect(filled.payload).toMatchObject({ deal: { filledVolume: 1_000_000, executionPrice: 1.10004 }, position: { positionStatus: 1, stopLoss: expect.closeTo(1.09504, 8) } });
    s.fault({ kind: 'price', symbol: 'EURUSD', mid: 1.095 });
    const closed = await c.next((f) => f.payloadType === PT.EXECUTION_EVENT && (f.payload?.['order'] as { orderType?: number } | undefined)?.orderType === 4);
    expect(closed.payload).toMatchObject({ executionType: 3, isServerEvent: true, position: { positionStatus: 2 }, deal: { tradeSide: 2 } });
  });

  it('refuses orders with ProtoOAOrderErrorEvent (bad volume, not enough money) and requests beyond the rate limits', async () => {
    await boot({ balance: 1_000 });
    const c = await client();
    c.send({ clientMsgId: 'a', payloadType: PT.APPLICATION_AUTH_REQ, payload: { clientId: 'cid', clientSecret: 'sec' } });
    c.send({ clientMsgId: 'b', payloadType: PT.ACCOUNT_AUTH_REQ, payload: { ctidTraderAccountId: 7_777, accessToken: 'tok' } });
    await c.next(byId('b'));
    c.send({ clientMsgId: 'v', payloadType: PT.NEW_ORDER_REQ, payload: { ctidTraderAccountId: 7_777, symbolId: 1, orderType: 1, tradeSide: 1, volume: 150_000 } });
    expect(await c.next(byId('v'))).toMatchObject({ payloadType: PT.ORDER_ERROR_EVENT, payload: { errorCode: 'TRADING_BAD_VOLUME' } });
    c.send({ clientMsgId: 'm', payloadType: PT.NEW_ORDER_REQ, payload: { ctidTraderAccountId: 7_777, symbolId: 1, orderType: 1, tradeSide: 1, volume: 10_000_000 } });
    expect(await c.next(byId('m'))).toMatchObject({ payloadType: PT.ORDER_ERROR_EVENT, payload: { errorCode: 'NOT_ENOUGH_MONEY' } });
    // Eight deal-list requests at once: the historical limit is 5 a second.
    for (let i = 0; i < 8; i++) c.send({ clientMsgId: `h${i}`, payloadType: PT.DEAL_LIST_REQ, payload: { ctidTraderAccountId: 7_777, fromTimestamp: 0, toTimestamp: Date.now() } });
    const answers = await Promise.all([...Array(8).keys()].map((i) => c.next(byId(`h${i}`))));
    expect(answers.filter((f) => f.payloadType === PT.DEAL_LIST_RES)).toHaveLength(5);
    expect(answers.filter((f) => f.payload?.['errorCode'] === 'REQUEST_FREQUENCY_EXCEEDED')).toHaveLength(3);
  });
});
