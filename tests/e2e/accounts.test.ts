// End to end, several accounts: in Chromium against the built web host and the TWS simulator (a child process), the
// paper account and an IB account connected at once, an order on each from the ticket's account selector, positions
// per account and in total, and both accounts back after the host restarts.
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Browser, Locator, Page } from 'playwright-core';
import { launchBrowser } from '../support/browser';
import { connect } from '../support/host-process';
import { startTwsSim, type RunningSim } from '../support/tws-sim-process';
import { startHost, tempDataDir, type RunningHost } from '../support/web-host';

let browser: Browser;
let host: RunningHost;
let sim: RunningSim;
let page: Page;

/** Screenshots for a person to look at (not asserted); set QC_SHOTS to keep them. */
const SHOTS = process.env['QC_SHOTS'];
async function shot(name: string): Promise<void> {
  if (!SHOTS) return;
  mkdirSync(SHOTS, { recursive: true });
  await page.screenshot({ path: `${SHOTS}/${name}.png` });
}

async function visible(locator: Locator, timeout = 10_000): Promise<void> {
  await locator.first().waitFor({ state: 'visible', timeout });
}

const nav = (name: string | RegExp) => page.getByRole('navigation', { name: 'Screens' }).getByRole('button', { name }).click();
const brokerStatus = () => page.getByRole('banner').getByRole('status', { name: 'Broker connection' });
/** Dollar text → number ("$1,000,010.52" → 1000010.52). */
const dollars = (text: string | null): number => Number((text ?? '').replace(/[^\d.-]/g, ''));

async function order(account: RegExp, symbol: string, quantity: string): Promise<void> {
  await nav('Chart');
  const ticket = page.getByRole('form', { name: 'Order ticket' });
  const select = ticket.getByLabel('Account', { exact: true });
  const label = (await select.locator('option').allTextContents()).find((t) => account.test(t));
  expect(label, `an account option matching ${account}`).toBeDefined();
  await select.selectOption({ label: label! });
  await ticket.getByLabel('Symbol', { exact: true }).fill(symbol);
  await ticket.getByLabel('Order type').selectOption({ label: 'Market' });
  await ticket.getByLabel('Quantity').fill(quantity);
  await ticket.getByRole('button', { name: 'Buy' }).click();
  await expect.poll(() => ticket.getByRole('status').textContent(), { timeout: 20_000 }).toMatch(new RegExp(`Filled: Buy ${quantity.replace('.', '\\.')} ${symbol}`));
}

/** The Accounts table on Overview: one row per connected account, then the total. */
async function accountRows(): Promise<{ names: string[]; navs: number[]; total: number | null }> {
  await nav('Overview');
  const table = page.getByRole('table', { name: 'Accounts' });
  await visible(table);
  // One snapshot of the table (prices tick: cells read one call at a time can come from different renders).
  const { rows, foot } = await table.evaluate((t) => ({
    rows: [...t.querySelectorAll('tbody tr')].map((r) => [...r.querySelectorAll('td')].map((c) => c.textContent ?? '')),
    foot: [...t.querySelectorAll('tfoot tr')].map((r) => [...r.querySelectorAll('td')].map((c) => c.textContent ?? '')),
  }));
  const names = rows.map((r) => r[0] ?? '');
  const navs = rows.map((r) => dollars(r[3] ?? null));
  const total = foot.length > 0 ? dollars(foot[0]![3] ?? null) : null;
  return { names, navs, total };
}

/** No network: IB prices what it trades (AAPL); the demo market stays the fallback for the rest (BTCUSD on paper). */
const MARKET_CONFIG = `data_providers:
  yahoo:
    enabled: false
api_strategy:
  priority:
    quotes: [ib, demo]
`;

beforeAll(async () => {
  browser = await launchBrowser();
  sim = await startTwsSim(['--account', 'DU7654321']);
  const dataDir = tempDataDir('qc-e2e-accounts-');
  writeFileSync(join(dataDir, 'config.yaml'), MARKET_CONFIG);
  host = await startHost({ dataDir });
  page = await browser.newPage({ viewport: { width: 1440, height: 900 } });
  page.on('pageerror', (e) => console.error('page error:', e.message));
  await page.goto(host.url);
});

afterAll(async () => {
  await host?.stop();
  await sim?.stop();
  await browser?.close();
});

describe('the paper account and an IB account at the same time', () => {
  it('connects IB beside paper; the ticket picks the account; an order on each; positions per account and in total', async () => {
    await nav('Settings');
    const form = page.getByRole('form', { name: 'Interactive Brokers connection' });
    await form.getByLabel('Host').fill('127.0.0.1');
    await form.getByLabel('Port').fill(String(sim.port));
    await form.getByLabel('Client id').fill('31');
    await form.getByRole('radio', { name: 'Paper' }).check();
    await form.getByLabel('Connect when Quant Claude starts').check();
    await form.getByRole('button', { name: 'Connect', exact: true }).click();
    await expect.poll(() => brokerStatus().textContent(), { timeout: 20_000 }).toMatch(/^IB\s*Connected/);

    // The data feeds settle after IB joined: BTCUSD (which IB does not quote) moves to the demo market. An order before
    // that has no fresh price and is refused by the risk gate, as it should be.
    const api = await connect(host.port, host.token);
    try {
      await expect.poll(async () => {
        const feeds = await api.call<{ symbol: string; source: string | null; stale: boolean }[]>('data.feeds');
        const f = feeds.find((x) => x.symbol === 'BTCUSD');
        return f?.source === 'demo' && !f.stale;
      }, { timeout: 30_000 }).toBe(true);
    } finally {
      api.close();
    }
    await order(/^Paper$/, 'BTCUSD', '0.1');
    await shot('1-ticket-paper');
    await order(/^IB /, 'AAPL', '5');
    // The ticket's account shows its kind: an IB paper account.
    await visible(page.getByRole('form', { name: 'Order ticket' }).getByText('PAPER', { exact: true }));
    await shot('2-ticket-ib');

    await nav(/Orders/);
    const positions = page.getByRole('table', { name: 'Positions' });
    await visible(positions.getByRole('row', { name: /BTCUSD\s*0\.1\b.*Paper/ }));
    await visible(positions.getByRole('row', { name: /AAPL\s*5\b.*IB DU••••321/ }));
    await visible(positions.getByRole('row', { name: /Total.*all accounts/ }));
    await visible(page.getByRole('table', { name: 'Fills' }).getByRole('row', { name: /AAPL\s*buy\s*5\b.*IB/ }));
    await visible(page.getByRole('table', { name: 'Fills' }).getByRole('row', { name: /BTCUSD\s*buy\s*0\.1\b.*Paper/ }));
    await shot('3-blotter');

    let seen = await accountRows();
    await expect.poll(async () => (seen = await accountRows()).names.length, { timeout: 10_000 }).toBe(2);
    expect(seen.names[0]).toMatch(/^Paper/);
    expect(seen.names[1]).toMatch(/^IB DU••••321/);
    expect(seen.total).toBeCloseTo(seen.navs[0]! + seen.navs[1]!, 2);
    await shot('4-overview');
    expect(await page.content()).not.toContain('DU7654321');
  });

  it('after the host restarts both accounts are back, with their positions, and the ticket keeps the last account', async () => {
    const { dataDir, port } = host;
    await host.stop();
    host = await startHost({ dataDir, port }); // the same origin: the page's remembered choices stay
    await page.goto(host.url);
    await expect.poll(() => brokerStatus().textContent(), { timeout: 30_000 }).toMatch(/^IB\s*Connected/);
    await expect.poll(async () => (await accountRows()).names.length, { timeout: 20_000 }).toBe(2);

    await nav(/Orders/);
    const positions = page.getByRole('table', { name: 'Positions' });
    await visible(positions.getByRole('row', { name: /BTCUSD\s*0\.1\b.*Paper/ }), 20_000);
    await visible(positions.getByRole('row', { name: /AAPL\s*5\b.*IB DU••••321/ }), 20_000);

    await nav('Chart');
    const select = page.getByRole('form', { name: 'Order ticket' }).getByLabel('Account', { exact: true });
    await expect.poll(async () => select.locator('option:checked').textContent()).toMatch(/^IB DU••••321/);
    await shot('5-after-restart');

    // Settings lists both; only IB can be closed, and closing it leaves the paper account trading alone.
    await nav('Settings');
    const connected = page.getByRole('table', { name: 'Connected accounts' });
    await expect.poll(() => connected.locator('tbody tr').count()).toBe(2);
    expect(await connected.getByRole('button', { name: /Close the connection of Paper/ }).count()).toBe(0);
    await shot('6-settings');
    await connected.getByRole('button', { name: /Close the connection of IB DU••••321/ }).click();
    await expect.poll(() => connected.locator('tbody tr').count(), { timeout: 10_000 }).toBe(1);
    await expect.poll(() => brokerStatus().textContent()).toMatch(/^Paper\s*Connected/);
  });
});
