// End to end: an order that fills while the page is loading its snapshots stays in the blotter. The page's load reads
// orders and fills from main; pushes for an order placed meanwhile reach the page first, and the older lists must not
// undo them. The WebSocket is routed through the test, which holds main's answers to `orders.list` and `fills.list`
// until the order has filled (the lists are then certainly older than the fill).
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Browser, Page, WebSocketRoute } from 'playwright-core';
import type { Fill, Order } from '../../src-shared/domain/types';
import { launchBrowser } from '../support/browser';
import { connect } from '../support/host-process';
import { startHost, type RunningHost } from '../support/web-host';

let browser: Browser;
let host: RunningHost;
let page: Page;

const HELD_METHODS = new Set(['orders.list', 'fills.list']);

/** The page's WebSocket, through the test: answers to the held methods wait in `held` while `holding` is set. */
const route = {
  holding: false,
  page: undefined as WebSocketRoute | undefined,
  heldIds: new Set<number>(),
  held: [] as { id: number; text: string }[],
  /** Ids of the calls the page sent, by method, and the answers forwarded to it. */
  sent: new Map<number, string>(),
  answered: [] as string[],
};

beforeAll(async () => {
  browser = await launchBrowser();
  host = await startHost();
  page = await browser.newPage({ viewport: { width: 1440, height: 900 } });
  page.on('pageerror', (e) => console.error('page error:', e.message));
  await page.routeWebSocket(/\/api\b/, (ws) => {
    route.page = ws;
    const server = ws.connectToServer();
    ws.onMessage((m) => {
      const frame = JSON.parse(String(m)) as { id?: number; method?: string };
      if (frame.id !== undefined && frame.method) {
        route.sent.set(frame.id, frame.method);
        if (route.holding && HELD_METHODS.has(frame.method)) route.heldIds.add(frame.id);
      }
      server.send(m);
    });
    server.onMessage((m) => {
      const frame = JSON.parse(String(m)) as { id?: number };
      if (frame.id !== undefined && route.heldIds.has(frame.id)) {
        route.held.push({ id: frame.id, text: String(m) });
        return;
      }
      if (frame.id !== undefined) route.answered.push(route.sent.get(frame.id) ?? '?');
      ws.send(m);
    });
  });
  await page.goto(host.url);
}, 60_000);

afterAll(async () => {
  await host?.stop();
  await browser?.close();
});

describe('a load in flight while an order fills', () => {
  it('the order and its fill stay in the blotter when the older lists land', async () => {
    await page.getByRole('navigation', { name: 'Screens' }).getByRole('button', { name: /Orders/ }).click();
    const status = page.getByRole('banner').getByRole('status', { name: 'Broker connection' });
    await expect.poll(() => status.textContent(), { timeout: 20_000 }).toMatch(/Paper\s*Connected/);

    // The link to main drops and comes back: the page loads everything again, and main's lists are held.
    route.holding = true;
    await route.page!.close();
    const heldMethods = () => new Set(route.held.map((m) => route.sent.get(m.id)));
    await expect.poll(() => heldMethods().size, { timeout: 20_000 }).toBe(2);

    // Meanwhile another client (a second window, a strategy) buys; BTCUSD trades around the clock on paper.
    const api = await connect(host.port, host.token);
    const placed = await api.call<{ order: Order }>('orders.place', { symbol: 'BTCUSD', side: 'buy', type: 'market', quantity: 0.1 });
    await expect.poll(async () => (await api.call<Fill[]>('fills.list', { limit: 10 })).some((f) => f.orderId === placed.order.id), { timeout: 20_000 }).toBe(true);
    api.close();
    const fills = page.getByRole('table', { name: 'Fills' }).getByRole('row', { name: /BTCUSD\s*buy\s*0\.1\b/ });
    const history = page.getByRole('table', { name: 'Order history' }).getByRole('row', { name: /BTCUSD.*filled/ });
    // The pushes reached the page while the lists were held.
    await fills.first().waitFor({ timeout: 20_000 });
    await history.first().waitFor({ timeout: 20_000 });

    // The held lists (taken before the order) land; the load ends with the broker's values.
    route.holding = false;
    const answeredBefore = route.answered.length;
    for (const m of route.held.splice(0)) route.page!.send(m.text);
    await expect.poll(() => route.answered.slice(answeredBefore).includes('account.brokerValues'), { timeout: 20_000 }).toBe(true);
    await page.evaluate(() => new Promise((r) => requestAnimationFrame(() => requestAnimationFrame(r))));
    expect(await fills.count()).toBe(1);
    expect(await history.count()).toBe(1);
  });
});
