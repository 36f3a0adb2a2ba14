// End to end, Interactive Brokers: Settings → Connections in Chromium against the built web host and the TWS simulator.
import { createServer } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Browser, Locator, Page } from 'playwright-core';
import { launchBrowser } from '../support/browser';
import { startTwsSim, type RunningSim } from '../support/tws-sim-process';
import { startHost, tempDataDir, type RunningHost } from '../support/web-host';

let browser: Browser;
let host: RunningHost;
let sim: RunningSim;

async function visible(locator: Locator, timeout = 10_000): Promise<void> {
  await locator.first().waitFor({ state: 'visible', timeout });
}

async function openTerminal(url: string): Promise<Page> {
  const page = await browser.newPage({ viewport: { width: 1440, height: 900 } });
  page.on('pageerror', (e) => console.error('page error:', e.message));
  await page.goto(url);
  return page;
}

const nav = (page: Page, name: string | RegExp) => page.getByRole('navigation', { name: 'Screens' }).getByRole('button', { name }).click();
const brokerStatus = (page: Page) => page.getByRole('banner').getByRole('status', { name: 'Broker connection' });

/** A port nothing listens on: bound once by the OS, then released. */
async function closedPort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as { port: number };
  await new Promise<void>((resolve) => server.close(() => resolve()));
  return port;
}

/** Dollar text → number ("$1,000,010.52" → 1000010.52). */
const dollars = (text: string | null): number => Number((text ?? '').replace(/[^\d.-]/g, ''));

async function connectIb(page: Page, opts: { clientId: number; live?: boolean }): Promise<void> {
  await nav(page, 'Settings');
  const form = page.getByRole('form', { name: 'Interactive Brokers connection' });
  await form.getByLabel('Host').fill('127.0.0.1');
  await form.getByLabel('Port').fill(String(sim.port));
  await form.getByLabel('Client id').fill(String(opts.clientId));
  await form.getByRole('radio', { name: opts.live ? /Live/ : 'Paper' }).check();
  if (opts.live) {
    await form.getByRole('button', { name: 'Connect live…' }).click();
    const dialog = page.getByRole('dialog', { name: /real money/ });
    await dialog.getByLabel('Type LIVE to confirm').fill('LIVE');
    await dialog.getByRole('button', { name: 'Connect live' }).click();
  } else {
    await form.getByRole('button', { name: 'Connect', exact: true }).click();
  }
  await expect.poll(() => brokerStatus(page).textContent(), { timeout: 20_000 }).toMatch(/^IB\s*Connected/);
}

beforeAll(async () => {
  browser = await launchBrowser();
  sim = await startTwsSim(['--account', 'DU7654321']);
  host = await startHost({ dataDir: tempDataDir('qc-e2e-ib-') });
});

afterAll(async () => {
  await host?.stop();
  await sim?.stop();
  await browser?.close();
});

describe('Settings → Connections on the paper session', () => {
  it('shows the paper broker as connected, the DEMO badge and no LIVE badge', async () => {
    const page = await openTerminal(host.url);
    await expect.poll(() => brokerStatus(page).textContent()).toMatch(/Paper\s*Connected/);
    await visible(page.getByRole('banner').getByText('DEMO', { exact: true }));
    expect(await page.getByText('LIVE', { exact: true }).count()).toBe(0);
    // The transport's own state only shows when the link to Quant Claude is down.
    expect(await page.getByRole('status', { name: 'Connection', exact: true }).count()).toBe(0);
    await page.close();
  });

  it('names each bad field next to it and sends nothing', async () => {
    const page = await openTerminal(host.url);
    await nav(page, 'Settings');
    const form = page.getByRole('form', { name: 'Interactive Brokers connection' });
    await expect.poll(() => form.getByLabel('Port').inputValue()).toBe('7497'); // the contract's default, from main
    await form.getByLabel('Host').fill('');
    await form.getByLabel('Port').fill('74a97');
    await form.getByLabel('Client id').fill('-1');
    await form.getByRole('button', { name: 'Connect', exact: true }).click();
    await visible(form.getByText(/Host is required/));
    await visible(form.getByText('Port must be a whole number from 1 to 65535'));
    await visible(form.getByText(/Client id must be a whole number from 0/));
    expect(await form.getByLabel('Port').getAttribute('aria-invalid')).toBe('true');
    // Nothing reached main: the session is still the paper one and no server error is shown.
    await expect.poll(() => brokerStatus(page).textContent()).toMatch(/Paper\s*Connected/);
    expect(await form.locator('.settings-failure').count()).toBe(0);
    // A preset fills the port and the mode.
    await form.getByLabel('Preset').selectOption({ label: 'Gateway paper (4002)' });
    expect(await form.getByLabel('Port').inputValue()).toBe('4002');
    expect(await form.getByRole('radio', { name: 'Paper' }).isChecked()).toBe(true);
    await page.close();
  });

  it('live mode asks for confirmation: nothing is sent until LIVE is typed', async () => {
    const page = await openTerminal(host.url);
    await nav(page, 'Settings');
    const form = page.getByRole('form', { name: 'Interactive Brokers connection' });
    await form.getByLabel('Preset').selectOption({ label: 'TWS live (7496)' });
    expect(await form.getByRole('radio', { name: /Live/ }).isChecked()).toBe(true);
    await form.getByRole('button', { name: 'Connect live…' }).click();
    const dialog = page.getByRole('dialog', { name: /real money/ });
    await visible(dialog);
    const confirm = dialog.getByRole('button', { name: 'Connect live' });
    expect(await confirm.isDisabled()).toBe(true);
    await dialog.getByLabel('Type LIVE to confirm').fill('live');
    expect(await confirm.isDisabled()).toBe(true);
    await dialog.getByRole('button', { name: 'Cancel' }).click();
    expect(await dialog.count()).toBe(0);
    expect(await form.locator('.settings-failure').count()).toBe(0);
    await page.close();
  });

  it('a TWS that is not there: the broker state says so in the top bar, the reason shows plainly in Settings', async () => {
    const page = await openTerminal(host.url);
    await nav(page, 'Settings');
    const form = page.getByRole('form', { name: 'Interactive Brokers connection' });
    await form.getByLabel('Preset').selectOption({ label: 'TWS paper (7497)' });
    await form.getByLabel('Port').fill(String(await closedPort()));
    await form.getByRole('button', { name: 'Connect', exact: true }).click();
    await visible(form.getByRole('button', { name: 'Working…' }));
    await expect.poll(() => brokerStatus(page).textContent(), { timeout: 10_000 }).toMatch(/^IB\s*(Disconnected|Connecting)/);
    const failure = form.locator('.settings-failure');
    await expect.poll(() => failure.textContent(), { timeout: 30_000 }).toMatch(/^Could not connect to Interactive Brokers: \w+/);
    expect(await failure.getAttribute('role')).toBe('alert');
    await visible(form.getByRole('button', { name: 'Connect', exact: true }));
    // A failed connect leaves the paper session in charge.
    await expect.poll(() => brokerStatus(page).textContent(), { timeout: 10_000 }).toMatch(/^Paper\s*Connected/);
    // The link to Quant Claude itself never dropped.
    expect(await page.getByRole('status', { name: 'Connection', exact: true }).count()).toBe(0);
    await page.close();
  });

  it('the theme can be chosen in Settings', async () => {
    const page = await openTerminal(host.url);
    await nav(page, 'Settings');
    const theme = () => page.evaluate(() => document.documentElement.dataset['theme']);
    await expect.poll(theme).toBe('dark');
    await page.getByRole('radio', { name: 'Light' }).check();
    await expect.poll(theme).toBe('light');
    await page.getByRole('radio', { name: 'Dark' }).check();
    await expect.poll(theme).toBe('dark');
    await page.close();
  });
});

describe('connected to TWS (the simulator, over TCP)', () => {
  let page: Page;

  it('connects from Settings: status Connected, PAPER badge, clean reconciliation banner', async () => {
    page = await openTerminal(host.url);
    await connectIb(page, { clientId: 7 });
    const status = brokerStatus(page);
    await expect.poll(() => status.textContent()).toContain('DU••••321'); // masked: the full account id never reaches the page
    expect(await page.content()).not.toContain('DU7654321');
    expect(await status.getAttribute('title')).toMatch(new RegExp(`127\\.0\\.0\\.1:${sim.port} · client 7`));
    await visible(page.getByRole('banner').getByText('PAPER', { exact: true }));
    expect(await page.getByRole('banner').getByText('DEMO', { exact: true }).count()).toBe(0);
    const banner = page.getByRole('region', { name: 'Reconciliation' });
    await visible(banner.getByText('Reconciled: everything matched the broker'));
    expect(sim.output()).toMatch(/started the API with clientId 7/);
  });

  it('buys on the Chart order ticket: filled by TWS, the fill and the position in Orders & Positions', async () => {
    await nav(page, 'Chart');
    const ticket = page.getByRole('form', { name: 'Order ticket' });
    await ticket.getByLabel('Symbol', { exact: true }).fill('AAPL');
    await ticket.getByLabel('Order type').selectOption({ label: 'Market' });
    await ticket.getByLabel('Quantity').fill('10');
    await ticket.getByRole('button', { name: 'Buy' }).click();
    await expect.poll(() => ticket.getByRole('status').textContent(), { timeout: 20_000 }).toMatch(/Filled: Buy 10 AAPL at [\d.]+/);
    await nav(page, /Orders/);
    await visible(page.getByRole('table', { name: 'Fills' }).getByRole('row', { name: /AAPL\s*buy\s*10\b/ }));
    await visible(page.getByRole('table', { name: 'Positions' }).getByRole('row', { name: /AAPL\s*10\b/ }));
    await visible(page.getByRole('table', { name: 'Order history' }).getByRole('row', { name: /AAPL.*filled/ }));
    expect(sim.output()).not.toMatch(/protocol error/);
  });

  it('shows the IB account values on Overview: cash is the starting cash less the fill and its commission', async () => {
    await nav(page, /Orders/);
    const fill = page.getByRole('table', { name: 'Fills' }).getByRole('row', { name: /AAPL/ }).first().getByRole('cell');
    const fillPrice = Number(await fill.nth(4).textContent());
    const commission = dollars(await fill.nth(5).textContent());
    await nav(page, 'Overview');
    const values = page.getByRole('region', { name: 'Interactive Brokers account' });
    await visible(values);
    for (const label of ['Net liquidation', 'Total cash', 'Buying power', 'Available funds', 'Excess liquidity', 'Initial margin', 'Maintenance margin']) {
      await visible(values.getByText(label, { exact: true }));
    }
    // The simulator starts with 1,000,000 and pushes account values every 3 s.
    await expect.poll(async () => dollars(await page.getByTestId('ib-TotalCashValue').textContent()), { timeout: 15_000 })
      .toBeCloseTo(1_000_000 - 10 * fillPrice - commission, 2);
    expect(dollars(await page.getByTestId('ib-InitMarginReq').textContent())).toBeGreaterThan(0);
    expect(dollars(await page.getByTestId('ib-NetLiquidation').textContent())).toBeGreaterThan(990_000);
  });

  it('a dropped TWS link shows apart from the transport, comes back and reconciles again', async () => {
    const banner = page.getByRole('region', { name: 'Reconciliation' });
    await banner.getByRole('button', { name: 'Dismiss' }).click();
    expect(await banner.count()).toBe(0);
    sim.command('drop');
    await expect.poll(() => brokerStatus(page).textContent(), { timeout: 10_000 }).toMatch(/Disconnected|Connecting/);
    // Only the broker link dropped: the link to Quant Claude itself is up.
    expect(await page.getByRole('status', { name: 'Connection', exact: true }).count()).toBe(0);
    await expect.poll(() => brokerStatus(page).textContent(), { timeout: 30_000 }).toMatch(/^IB\s*Connected/);
    await visible(banner.getByText(/^Reconciled:/), 15_000);
  });

  it('a limit order filled while TWS was away: the banner names the missed fill, the blotter has it', async () => {
    await page.getByRole('region', { name: 'Reconciliation' }).getByRole('button', { name: 'Dismiss' }).click();
    await nav(page, 'Chart');
    const ticket = page.getByRole('form', { name: 'Order ticket' });
    await page.getByLabel('Search symbol').fill('AAPL');
    await page.getByRole('option', { name: /AAPL/ }).first().click();
    await expect.poll(() => ticket.getByLabel('Symbol', { exact: true }).inputValue()).toBe('AAPL');
    const last = Number((await page.getByTestId('last-price').textContent())!.replace(/,/g, ''));
    const limit = Math.round(last * 0.98 * 100) / 100; // inside the price collar, below the market: it works
    await ticket.getByLabel('Order type').selectOption({ label: 'Limit' });
    await ticket.getByLabel('Quantity').fill('5');
    await ticket.getByLabel('Limit price').fill(limit.toFixed(2));
    await ticket.getByRole('button', { name: 'Buy' }).click();
    await expect.poll(() => ticket.getByRole('status').textContent(), { timeout: 15_000 }).toMatch(/Working: Buy 5 AAPL/);
    sim.command('refuse on');
    sim.command('drop');
    await expect.poll(() => brokerStatus(page).textContent(), { timeout: 10_000 }).toMatch(/Disconnected|Connecting/);
    sim.command(`price AAPL ${(limit - 1).toFixed(2)}`); // the order fills at TWS while we are away
    await expect.poll(() => sim.output(), { timeout: 5_000 }).toMatch(/AAPL \{/);
    sim.command('refuse off');
    await expect.poll(() => brokerStatus(page).textContent(), { timeout: 30_000 }).toMatch(/^IB\s*Connected/);
    const banner = page.getByRole('region', { name: 'Reconciliation' });
    await visible(banner.getByText(/Missed fill inserted: buy 5 AAPL/), 15_000);
    await visible(banner.getByText(/Reconciled: \d+ differences? with the broker/));
    await nav(page, /Orders/);
    await visible(page.getByRole('table', { name: 'Fills' }).getByRole('row', { name: /AAPL\s*buy\s*5\b/ }));
    await visible(page.getByRole('table', { name: 'Positions' }).getByRole('row', { name: /AAPL\s*15\b/ }));
  });

  it('disconnects back to the paper session with the DEMO badge', async () => {
    await nav(page, 'Settings');
    await page.getByRole('button', { name: 'Disconnect' }).click();
    await expect.poll(() => brokerStatus(page).textContent(), { timeout: 10_000 }).toMatch(/^Paper\s*Connected/);
    await visible(page.getByRole('banner').getByText('DEMO', { exact: true }));
    await nav(page, 'Overview');
    expect(await page.getByRole('region', { name: 'Interactive Brokers account' }).count()).toBe(0);
  });

  it('live mode: confirmed with LIVE, then marked in the top bar and on the order ticket', async () => {
    await connectIb(page, { clientId: 8, live: true });
    await visible(page.getByRole('banner').getByText('LIVE', { exact: true }));
    expect(await page.getByRole('banner').getByText('PAPER', { exact: true }).count()).toBe(0);
    await nav(page, 'Chart');
    await visible(page.getByRole('form', { name: 'Order ticket' }).getByText(/LIVE/));
    await nav(page, 'Settings');
    await page.getByRole('button', { name: 'Disconnect' }).click();
    await expect.poll(() => brokerStatus(page).textContent(), { timeout: 10_000 }).toMatch(/^Paper\s*Connected/);
    expect(await page.getByText('LIVE', { exact: true }).count()).toBe(0);
    await page.close();
  });
});
