// End to end in Chromium, OANDA: the simulator (`npm run oanda-sim`) as a child process, the built web host as another.
// Settings → Venues connects the OANDA account next to the paper one (the API token typed once, only "set" comes back);
// the ticket buys EURUSD on it with a trailing stop, and the stop's level in the blotter follows the simulator's price up;
// a position opened at OANDA outside the terminal and a price shock (the simulator's fault endpoint) drive OANDA's own
// margin level below the alert level, and the top bar warns; the daily financing shows on the position. Screenshots
// of each step in both themes (SHOTS).
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Browser, Page } from 'playwright-core';
import { launchBrowser } from '../support/browser';
import { shotsInBothThemes, trailLevel } from '../support/screenshots';
import { startOandaSim, SIM_ACCOUNT, SIM_TOKEN, type RunningOandaSim } from '../support/oanda-sim-process';
import { startHost, tempDataDir, type RunningHost } from '../support/web-host';

let browser: Browser;
let host: RunningHost;
let sim: RunningOandaSim;

const nav = (page: Page, name: string | RegExp) => page.getByRole('navigation', { name: 'Screens' }).getByRole('button', { name }).click();

beforeAll(async () => {
  browser = await launchBrowser();
  // A small account (10,000 USD) whose price moves only by a little each tick, so the test's own moves stand out.
  sim = await startOandaSim(['--tick-ms', '500', '--heartbeat-ms', '1000', '--balance', '10000']);
  const dataDir = tempDataDir('qc-e2e-oanda-');
  writeFileSync(join(dataDir, 'config.yaml'), ['risk:', '  max_position_size: 1', '  margin_alert_level: 150', ''].join('\n'));
  host = await startHost({ dataDir });
});

afterAll(async () => {
  await host?.stop();
  await sim?.stop();
  await browser?.close();
});

describe('OANDA in Chromium', () => {
  it('connects from Settings, trails a stop behind EURUSD as the price rises, and warns when a price shock takes the margin level below the alert', async () => {
    const page = await browser.newPage({ viewport: { width: 1440, height: 900 } });
    page.on('pageerror', (e) => console.error('page error:', e.message));
    await page.goto(host.url);

    // Settings → Venues: the OANDA form (from the venue's own field list), the token typed once.
    await nav(page, 'Settings');
    const form = page.getByRole('form', { name: 'OANDA connection' });
    await expect.poll(() => form.getByTestId('venue-oanda-secret-state').textContent()).toBe('not set');
    expect(await form.getByLabel('Environment').inputValue()).toBe('practice');
    await form.getByLabel('REST URL (optional)').fill('not a url');
    await form.getByLabel('API token', { exact: true }).fill(SIM_TOKEN);
    await form.getByRole('button', { name: 'Connect', exact: true }).click();
    // A bad field is named next to it, by the venue's own schema in main.
    await expect.poll(() => form.getByLabel('REST URL (optional)').getAttribute('aria-invalid')).toBe('true');
    await expect.poll(() => form.getByTestId('venue-oanda-secret-state').textContent()).toBe('set');
    expect(await form.getByLabel('API token', { exact: true }).inputValue()).toBe(''); // the token is gone from the page once saved
    await form.getByLabel('REST URL (optional)').fill(sim.url);
    await form.getByRole('button', { name: 'Connect', exact: true }).click();
    await expect.poll(() => form.getByTestId('venue-oanda-state').textContent(), { timeout: 20_000 }).toBe('connected');
    const accounts = page.getByRole('table', { name: 'Connected accounts' });
    await expect.poll(() => accounts.getByRole('row').allTextContents()).toEqual(expect.arrayContaining([
      expect.stringMatching(/^Paper/), expect.stringMatching(/^OANDA 101-•••-001.*connected/),
    ]));
    // Choosing live asks for LIVE first, as IB does; cancelled, nothing changes.
    await form.getByLabel('Environment').selectOption('live');
    await form.getByRole('button', { name: 'Connect live…' }).click();
    const dialog = page.getByRole('dialog', { name: /real money/ });
    expect(await dialog.getByRole('button', { name: 'Connect live' }).isDisabled()).toBe(true);
    await dialog.getByRole('button', { name: 'Cancel' }).click();
    await form.getByLabel('Environment').selectOption('practice');
    expect(await page.content()).not.toContain(SIM_TOKEN);
    expect(await page.content()).not.toContain(SIM_ACCOUNT);
    await shotsInBothThemes(page, 'oanda-connect');

    // The ticket: buy 5,000 EURUSD on the OANDA account with a trailing stop 0.0050 behind the price.
    await nav(page, 'Chart');
    await page.getByLabel('Search symbol').fill('EURUSD');
    await page.getByRole('option', { name: /EURUSD/ }).first().click();
    await expect.poll(() => page.getByLabel('Symbol', { exact: true }).inputValue()).toBe('EURUSD');
    await page.getByLabel('Account').selectOption({ label: 'OANDA 101-•••-001' });
    await page.getByLabel('Quantity').fill('5000');
    await page.getByText('Trailing & dynamic stops').click();
    await page.getByLabel('Trailing stop').selectOption('distance');
    await page.getByLabel('Trail distance').fill('0.0050');
    await page.getByRole('button', { name: 'Buy' }).click();
    await expect.poll(() => page.locator('.ticket-status').textContent(), { timeout: 15_000 }).toMatch(/Filled: Buy 5,?000 EURUSD/);
    await shotsInBothThemes(page, 'oanda-trailing-ticket');

    await nav(page, /Orders/);
    await expect.poll(() => trailLevel(page), { timeout: 15_000 }).toBeGreaterThan(0);
    const start = await trailLevel(page);
    const priced = await (await fetch(`${sim.url}/v3/accounts/${SIM_ACCOUNT}/pricing?instruments=EUR_USD`, { headers: { Authorization: `Bearer ${SIM_TOKEN}` } })).json() as { prices: { bids: { price: string }[]; asks: { price: string }[] }[] };
    const now = (Number(priced.prices[0]!.bids[0]!.price) + Number(priced.prices[0]!.asks[0]!.price)) / 2;
    expect(start).toBeCloseTo(now - 0.005, 3);
    // The price rises by 100 pips: the stop follows to 0.0050 under the new price.
    await sim.fault({ kind: 'price', instrument: 'EUR_USD', mid: now + 0.01 });
    await expect.poll(() => trailLevel(page), { timeout: 15_000 }).toBeGreaterThan(start + 0.008);
    expect(await trailLevel(page)).toBeCloseTo(now + 0.01 - 0.005, 3);
    await shotsInBothThemes(page, 'oanda-trailing');

    // A position opened at OANDA outside the terminal (another OANDA client): 150,000 EURUSD on 10,000 USD at 30:1,
    // a margin level near 185 %. Then a 2 % fall: the level drops below the 150 % alert and the top bar warns.
    const opened = await fetch(`${sim.url}/v3/accounts/${SIM_ACCOUNT}/orders`, {
      method: 'POST', headers: { Authorization: `Bearer ${SIM_TOKEN}`, 'Content-Type': 'application/json' },
      body: JSON.stringify({ order: { type: 'MARKET', instrument: 'EUR_USD', units: '150000', timeInForce: 'FOK', positionFill: 'DEFAULT' } }),
    });
    expect(opened.status).toBe(201);
    const margin = page.getByRole('banner').getByRole('status', { name: 'Margin level' });
    await expect.poll(() => margin.textContent(), { timeout: 20_000 }).toMatch(/^Margin 1[6-9]\d\.\d\d % OANDA 101-•••-001$/);
    await sim.fault({ kind: 'shock', instrument: 'EUR_USD', pct: -2 });
    await expect.poll(() => margin.textContent(), { timeout: 20_000 }).toMatch(/^⚠ Margin 1[0-4]\d\.\d\d % OANDA 101-•••-001 · below the alert level$/);
    // The shock also took the price through the trailing stop: the app sent its market order and OANDA filled it.
    const history = page.getByRole('table', { name: 'Order history' });
    await expect.poll(() => history.getByRole('row', { name: /EURUSD.*sell.*TRAIL.*filled/ }).count(), { timeout: 15_000 }).toBe(1);
    await shotsInBothThemes(page, 'margin-alert');

    // OANDA's daily rollover (DAILY_FINANCING) is booked on the position and shows in the blotter's Financing column.
    const said = await sim.fault({ kind: 'rollover', days: 1 });
    const charged = Number(/financing (-?[\d.]+)/.exec(said)![1]);
    expect(charged).toBeLessThan(0); // long EUR: charged
    const positions = page.getByRole('table', { name: 'Positions' });
    await positions.getByRole('columnheader', { name: 'Financing' }).waitFor({ timeout: 15_000 });
    const column = (await positions.getByRole('columnheader').allTextContents()).indexOf('Financing');
    const cell = positions.getByRole('row', { name: /EURUSD.*OANDA/ }).getByRole('cell').nth(column);
    await expect.poll(async () => Number((await cell.textContent())!.replace(/[$,]/g, '')), { timeout: 15_000 }).toBeCloseTo(charged, 2);
    await shotsInBothThemes(page, 'oanda-financing');

    // Closing the connection from its form: the paper account alone again.
    await nav(page, 'Settings');
    await form.getByRole('button', { name: 'Close the OANDA connection' }).click();
    await expect.poll(() => form.getByTestId('venue-oanda-state').textContent(), { timeout: 10_000 }).toBe('not connected');
    await expect.poll(() => accounts.getByRole('row').count()).toBe(2); // the header and Paper
    await page.close();
  });
});
