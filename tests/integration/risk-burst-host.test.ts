// The burst through the running web host: 200 market buys of 0.01 BTC sent at once over one WebSocket on a
// fresh account. The risk gate counts working orders, so the position stays within 10 % of NAV and cash positive.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import WebSocket from 'ws';
import { startHost, type RunningHost } from '../support/web-host';

let host: RunningHost;
let ws: WebSocket;
let nextId = 1;
const pending = new Map<number, (frame: { result?: unknown; error?: { message: string } }) => void>();

function call<T>(method: string, params: unknown = {}): Promise<T> {
  const id = nextId++;
  return new Promise<T>((resolve, reject) => {
    pending.set(id, (f) => (f.error ? reject(new Error(f.error.message)) : resolve(f.result as T)));
    ws.send(JSON.stringify({ id, method, params }));
  });
}

beforeAll(async () => {
  host = await startHost();
  ws = new WebSocket(`ws://127.0.0.1:${host.port}/api?token=${host.token}`);
  ws.on('message', (raw) => {
    const f = JSON.parse(String(raw)) as { id?: number; result?: unknown; error?: { message: string } };
    if (typeof f.id === 'number') pending.get(f.id)?.(f);
  });
  await new Promise((r, j) => (ws.once('open', r), ws.once('error', j)));
});
afterAll(async () => {
  ws?.close();
  await host?.stop();
});

describe('risk gate through the web host', () => {
  it('200 concurrent market buys of 0.01 BTC: the position stays within max_position_size, cash stays positive', async () => {
    const results = await Promise.all(Array.from({ length: 200 }, () =>
      call<{ rejection: { rule: string } | null }>('orders.place', { symbol: 'BTCUSD', side: 'buy', type: 'market', quantity: 0.01, timeInForce: 'day' })));
    const accepted = results.filter((r) => r.rejection === null).length;
    const rules = new Set(results.flatMap((r) => (r.rejection ? [r.rejection.rule] : [])));
    expect(accepted).toBeGreaterThan(0);
    expect([...rules]).toEqual(['max_position_size']);
    // Every accepted order fills (market, 24x7); wait until the books show them all.
    let fills: unknown[] = [];
    for (let i = 0; i < 100 && fills.length < accepted; i++) {
      fills = await call<unknown[]>('fills.list', { limit: 1000 });
      if (fills.length < accepted) await new Promise((r) => setTimeout(r, 100));
    }
    expect(fills).toHaveLength(accepted);
    const summary = await call<{ nav: string; cash: string }>('account.summary');
    const positions = await call<{ symbol: string; quantity: number; marketValue?: string }[]>('positions.list');
    const btc = positions.find((p) => p.symbol === 'BTCUSD')!;
    expect(btc.quantity).toBeCloseTo(accepted * 0.01, 9);
    const quotes = await call<{ symbol: string; last: number }[]>('quotes.snapshot');
    const last = quotes.find((q) => q.symbol === 'BTCUSD')!.last;
    // The cap is checked at the price of the moment; allow the market's drift during the burst (well under 1 %).
    expect(btc.quantity * last).toBeLessThanOrEqual(0.1 * Number(summary.nav) * 1.01);
    expect(Number(summary.cash)).toBeGreaterThan(100_000 - 0.1 * 100_000 * 1.01 - 200);
  });
});
