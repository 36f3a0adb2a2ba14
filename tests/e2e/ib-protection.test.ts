// End to end with the TWS simulator in Chromium: a bracket whose stop-loss the venue refuses shows "Unprotected" with a
// working Flatten; a position difference after the simulator lost its state (a fresh simulator for the same account) is
// resolved from the reconciliation banner by taking the broker's position.
import Database from 'better-sqlite3';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Browser, Page } from 'playwright-core';
import { launchBrowser } from '../support/browser';
import { startTwsSim, type RunningSim } from '../support/tws-sim-process';
import { startHost, tempDataDir, type RunningHost } from '../support/web-host';

let browser: Browser;
let host: RunningHost;
let sim: RunningSim;
let dataDir: string;

const brokerStatus = (page: Page) => page.getByRole('banner').getByRole('status', { name: 'Broker connection' });
const nav = (page: Page, name: string | RegExp) => page.getByRole('navigation', { name: 'Screens' }).getByRole('button', { name }).click();

async function connectIb(page: Page, port: number): Promise<void> {
  await nav(page, 'Settings');
  const form = page.getByRole('form', { name: 'Interactive Brokers connection' });
  await form.getByLabel('Host').fill('127.0.0.1');
  await form.getByLabel('Port').fill(String(port));
  await form.getByLabel('Client id').fill('7');
  await form.getByRole('radio', { name: 'Paper' }).check();
  await form.getByRole('button', { name: 'Connect', exact: true }).click();
  await expect.poll(() => brokerStatus(page).textContent(), { timeout: 30_000 }).toMatch(new RegExp('^IB\\s*Connected'));
}

beforeAll(async () => {
  browser = await launchBrowser();
  sim = await startTwsSim(['--account', 'DU7654321']);
  dataDir = tempDataDir('qc-e2e-rec-');
  host = await startHost({ dataDir });
});

afterAll(async () => {
  await host?.stop();
  await sim?.stop();
  await browser?.close();
});

describe('IB in Chromium: unprotected brackets and reconciliation resolution', () => {
  it('TWS refuses the stop-loss of a bracket: the ticket and the blotter say "Unprotected", Flatten closes the position', async () => {
    const page = await browser.newPage({ viewport: { width: 1440, height: 900 } });
    page.on('pageerror', (e) => console.error('page error:', e.message));
    await page.goto(host.url);
    await connectIb(page, sim.port);
    sim.command('stops off');
    await expect.poll(() => sim.output()).toMatch(/stop orders refused/);
    await nav(page, 'Chart');
    const ticket = page.getByRole('form', { name: 'Order ticket' });
    await ticket.getByLabel('Symbol', { exact: true }).fill('AAPL');
    await ticket.getByLabel('Order type').selectOption({ label: 'Market' });
    await ticket.getByLabel('Quantity').fill('10');
    // Fixed levels around AAPL on the simulator (≈ 190): the ticket's quote line can still show the previous symbol's
    // or the demo market's AAPL (235) for a moment after the symbol is typed, and a stop-loss derived from that was
    // refused by our own check as above the entry, not by TWS. 160 and 225 bracket it (within the 50 % band).
    await ticket.getByLabel('Stop-loss').fill('160');
    await ticket.getByLabel('Take-profit').fill('225');
    await ticket.getByRole('button', { name: 'Buy' }).click();
    const alert = ticket.locator('.unprotected');
    // (It failed now and then in full runs only: on failure, say what the ticket and the orders showed.)
    try {
      await expect.poll(() => alert.textContent(), { timeout: 60_000 }).toMatch(/Unprotected position \(AAPL\):.*the stop-loss was rejected: .*Stop orders are not accepted/);
    } catch (err) {
      const status = await ticket.getByRole('status').first().textContent().catch(() => '?');
      const orders = host.output().split('\n').filter((l) => /order|reject|bracket/i.test(l)).slice(-15).join('\n');
      throw new Error(`no Unprotected alert; ticket status: ${status}; simulator: ${sim.output().split('\n').slice(-10).join(' | ')}; host: ${orders}`, { cause: err });
    }
    await nav(page, /Orders/);
    const blotterAlert = page.locator('.blotter .unprotected');
    await expect.poll(() => blotterAlert.count()).toBe(1);
    await blotterAlert.getByRole('button', { name: 'Flatten AAPL' }).click();
    await expect.poll(() => page.getByRole('table', { name: 'Positions' }).getByRole('row', { name: /AAPL/ }).count(), { timeout: 20_000 }).toBe(0);
    await expect.poll(() => blotterAlert.count()).toBe(0);
    sim.command('stops on');
    const db = new Database(join(dataDir, 'quant.db'), { readonly: true, fileMustExist: true });
    try {
      const flatten = db.prepare("select id, status, side, quantity from orders where source = 'flatten'").all() as { id: string; status: string; side: string; quantity: number }[];
      expect(flatten).toMatchObject([{ status: 'filled', side: 'sell', quantity: 10 }]);
      const kinds = (db.prepare('select kind from audit_log where order_id = ? order by seq').all(flatten[0]!.id) as { kind: string }[]).map((r) => r.kind);
      expect(kinds.slice(0, 3)).toEqual(['order.intent', 'risk.decision', 'order.submitted']);
    } finally {
      db.close();
    }
    await page.close();
  });

  it("ours 20 AAPL, broker 0: Take broker's position sets ours to 0, journaled with the reason", async () => {
    const page = await browser.newPage({ viewport: { width: 1440, height: 900 } });
    page.on('pageerror', (e) => console.error('page error:', e.message));
    await page.goto(host.url);
    // Still connected from the test above (connecting again would restart the session under the order).
    await expect.poll(() => brokerStatus(page).textContent(), { timeout: 30_000 }).toMatch(/^IB\s*Connected/);
    await nav(page, 'Chart');
    const ticket = page.getByRole('form', { name: 'Order ticket' });
    await ticket.getByLabel('Symbol', { exact: true }).fill('AAPL');
    await ticket.getByLabel('Order type').selectOption({ label: 'Market' });
    await ticket.getByLabel('Quantity').fill('20');
    await ticket.getByRole('button', { name: 'Buy' }).click();
    await expect.poll(() => ticket.getByRole('status').textContent(), { timeout: 20_000 }).toMatch(/Filled: Buy 20 AAPL/);

    // The simulator loses everything (a fresh one for the same account): the next reconciliation differs.
    await sim.stop();
    sim = await startTwsSim(['--account', 'DU7654321']);
    await connectIb(page, sim.port);
    const banner = page.getByRole('region', { name: 'Reconciliation' });
    await banner.getByText('Position AAPL: ours 20, broker 0').waitFor({ timeout: 20_000 });
    await banner.getByLabel('Reason').fill('simulator restarted without its positions');
    await banner.getByRole('button', { name: "Take broker's position (0)" }).click();
    await expect.poll(() => banner.getByText('Position AAPL: ours 20, broker 0').count(), { timeout: 10_000 }).toBe(0);
    await nav(page, /Orders/);
    await expect.poll(() => page.getByRole('table', { name: 'Positions' }).getByRole('row', { name: /AAPL/ }).count(), { timeout: 10_000 }).toBe(0);

    const db = new Database(join(dataDir, 'quant.db'), { readonly: true, fileMustExist: true });
    try {
      const entry = db.prepare("select payload from audit_log where kind = 'position.adjusted'").get() as { payload: string };
      expect(JSON.parse(entry.payload)).toMatchObject({ symbol: 'AAPL', from: 20, to: 0, reason: 'simulator restarted without its positions', cash: 'unchanged' });
    } finally {
      db.close();
    }
    await page.close();
  });
});
