// End to end: a strategy started live from the Backtests screen's settings ("Run live on paper"), seen acting on the
// demo market's closed minute bars, and stopped — in Chromium through the web host.
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Browser, Page } from 'playwright-core';
import { launchBrowser } from '../support/browser';
import { startHost, type RunningHost } from '../support/web-host';

let browser: Browser;
let host: RunningHost;
let page: Page;

beforeAll(async () => {
  browser = await launchBrowser();
  host = await startHost();
  page = await browser.newPage({ viewport: { width: 1440, height: 1000 } });
  await page.goto(host.url);
  await page.getByRole('navigation').getByRole('button', { name: 'Backtests' }).click();
});

afterAll(async () => {
  await host?.stop();
  await browser?.close();
});

describe('Live strategies', () => {
  it('starts a strategy from the backtest settings, shows it acting on closed bars, and stops it', async () => {
    const table = page.getByRole('table', { name: 'Live strategies' });
    await table.getByText(/No live strategies/).waitFor();
    await page.getByLabel('Instrument').selectOption('BTCUSD'); // trades around the clock
    await page.getByLabel('fast', { exact: true }).fill('2');
    await page.getByLabel('slow', { exact: true }).fill('3');
    await page.getByLabel('size', { exact: true }).fill('0.001');
    await page.getByLabel('Live bar size').selectOption('1m');
    await page.getByRole('button', { name: 'Run live on paper' }).click();
    const row = table.getByRole('row', { name: /sma-cross fast=2 slow=3 .*size=0\.001 on BTCUSD/ });
    await row.waitFor();
    expect(await row.getByRole('cell').nth(2).textContent()).toMatch(/^running/);
    // The last closed bar it has seen moves on when the next minute closes (pushed by the `strategies` event).
    const lastBar = row.getByRole('cell').nth(3);
    const first = await lastBar.textContent();
    expect(first).not.toBe('—');
    await expect.poll(() => lastBar.textContent(), { timeout: 75_000, interval: 500 }).not.toBe(first);
    await page.screenshot({ path: join(tmpdir(), 'qc-live-strategies.png') }); // looked at by hand; README has one
    // Bad parameters are refused with the reason.
    await page.getByLabel('slow', { exact: true }).fill('x');
    await page.getByRole('button', { name: 'Run live on paper' }).click();
    await page.getByRole('alert').filter({ hasText: /slow must be a number/ }).waitFor();
    await page.getByRole('button', { name: /Stop sma-cross on BTCUSD/ }).click();
    await expect.poll(() => row.getByRole('cell').nth(2).textContent()).toMatch(/^stopped/);
    expect(await page.getByRole('button', { name: /Stop sma-cross on BTCUSD/ }).count()).toBe(0);
  }, 120_000);
});
