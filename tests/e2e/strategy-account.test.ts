// End to end in Chromium against the built web host and the TWS simulator: a live strategy started on the connected IB
// account (live mode: real money) from the Backtests screen's account choice; refused until the confirmation is ticked.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Browser, Page } from 'playwright-core';
import { launchBrowser } from '../support/browser';
import { startTwsSim, type RunningSim } from '../support/tws-sim-process';
import { startHost, tempDataDir, type RunningHost } from '../support/web-host';

let browser: Browser;
let host: RunningHost;
let sim: RunningSim;
let page: Page;

const nav = (p: Page, name: string | RegExp) => p.getByRole('navigation', { name: 'Screens' }).getByRole('button', { name }).click();
const brokerStatus = (p: Page) => p.getByRole('banner').getByRole('status', { name: 'Broker connection' });

beforeAll(async () => {
  browser = await launchBrowser();
  sim = await startTwsSim(['--account', 'DU7654321']);
  host = await startHost({ dataDir: tempDataDir('qc-e2e-strategy-account-') });
  page = await browser.newPage({ viewport: { width: 1440, height: 1000 } });
  page.on('pageerror', (e) => console.error('page error:', e.message));
  await page.goto(host.url);
});

afterAll(async () => {
  await host?.stop();
  await sim?.stop();
  await browser?.close();
});

describe('live strategy on a chosen account', () => {
  it('runs on the IB live account only after the real-money confirmation, and shows the account', async () => {
    await nav(page, 'Settings');
    const form = page.getByRole('form', { name: 'Interactive Brokers connection' });
    await form.getByLabel('Host').fill('127.0.0.1');
    await form.getByLabel('Port').fill(String(sim.port));
    await form.getByLabel('Client id').fill('21');
    await form.getByRole('radio', { name: /Live/ }).check();
    await form.getByRole('button', { name: 'Connect live…' }).click();
    const dialog = page.getByRole('dialog', { name: /real money/ });
    await dialog.getByLabel('Type LIVE to confirm').fill('LIVE');
    await dialog.getByRole('button', { name: 'Connect live' }).click();
    await expect.poll(() => brokerStatus(page).textContent(), { timeout: 20_000 }).toMatch(/^IB\s*Connected/);

    await nav(page, 'Backtests');
    const table = page.getByRole('table', { name: 'Live strategies' });
    await page.getByLabel('Instrument').selectOption('AAPL');
    await page.getByLabel('size', { exact: true }).fill('1');
    await page.getByLabel('Live timeframe').selectOption('1m');
    const picker = page.getByLabel('Live account');
    await expect.poll(async () => (await picker.locator('option').allTextContents()).join('|'), { timeout: 10_000 }).toMatch(/^paper\|IB .*\(live\)$/);
    await picker.selectOption({ index: 1 });
    const run = page.getByRole('button', { name: /^Run live on IB/ });
    // Without the confirmation: refused with the reason, nothing started.
    await run.click();
    await page.getByRole('alert').filter({ hasText: /trades real money/ }).waitFor();
    expect(await table.getByRole('row', { name: /on AAPL/ }).count()).toBe(0);
    await page.getByLabel(/Trade real money on IB/).check();
    await run.click();
    const row = table.getByRole('row', { name: /sma-cross .* on AAPL/ });
    await row.waitFor({ timeout: 20_000 });
    expect(await row.getByRole('cell').nth(1).textContent()).toMatch(/AAPL · 1m\s*IB-[0-9a-f]{16}$/);
    expect(await row.getByRole('cell').nth(2).textContent()).toMatch(/^(running|waiting for data)/);
    await page.getByRole('button', { name: /Stop sma-cross on AAPL/ }).click();
    await expect.poll(() => row.getByRole('cell').nth(2).textContent()).toMatch(/^stopped/);
  }, 120_000);
});
