// End to end (issue 15): the chart screen's watchlists and layouts in Chromium through the web host. A list is created,
// filled from the search and from the chart, shows live prices, sorts, charts a symbol on a click, and is still there
// after the host restarts (kept in main's database, not the browser). A 4-chart layout with its own symbols and
// timeframes comes back after a reload. With QC_SCREENSHOTS=1 the README's pictures are taken (both themes).
import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Browser, Page } from 'playwright-core';
import { launchBrowser } from '../support/browser';
import { repoRoot, startHost, tempDataDir, type RunningHost } from '../support/web-host';

const SHOTS = process.env['QC_SCREENSHOTS'] === '1' ? join(repoRoot, 'resources/screenshots') : undefined;

let browser: Browser;
let host: RunningHost;
const dataDir = tempDataDir('qc-e2e-workspace-');

beforeAll(async () => {
  browser = await launchBrowser();
  host = await startHost({ dataDir });
}, 60_000);

afterAll(async () => {
  await host?.stop();
  await browser?.close();
});

async function openChart(page: Page): Promise<void> {
  page.on('pageerror', (e) => console.error('page error:', e.message));
  await page.goto(host.url);
  await page.getByRole('navigation').getByRole('button', { name: 'Chart', exact: true }).click();
}

const watchlist = (page: Page) => page.getByRole('region', { name: 'Watchlist' });
/** The symbols of the shown list, top to bottom. */
const listed = async (page: Page) => watchlist(page).getByRole('button', { name: /^Chart / }).allTextContents();
const lasts = async (page: Page) => (await watchlist(page).getByTestId('wl-last').allTextContents()).map((t) => Number(t.replace(/,/g, '')));

async function shots(page: Page, name: string): Promise<void> {
  if (!SHOTS) return;
  mkdirSync(SHOTS, { recursive: true });
  for (const want of ['dark', 'light'] as const) {
    if ((await page.evaluate(() => document.documentElement.dataset['theme'])) !== want) await page.getByRole('button', { name: 'Toggle theme' }).click();
    await expect.poll(() => page.evaluate(() => document.documentElement.dataset['theme'])).toBe(want);
    await page.evaluate(() => (document.activeElement as HTMLElement | null)?.blur());
    await page.waitForTimeout(400); // the charts repaint in the new colours
    await page.screenshot({ path: join(SHOTS, `${name}-${want}.png`) });
  }
}

describe('watchlists', () => {
  it('a list is created, filled from the search and the chart, live, sorted, charts on a click, and survives a host restart', async () => {
    const page = await browser.newPage({ viewport: { width: 1440, height: 900 } });
    await openChart(page);
    const wl = watchlist(page);
    await wl.getByRole('button', { name: 'New watchlist' }).click();
    await wl.getByLabel('New name').fill('Tech');
    await wl.getByRole('button', { name: 'Create' }).click();
    await expect.poll(() => wl.getByLabel('Choose watchlist').evaluate((s: HTMLSelectElement) => s.selectedOptions[0]?.textContent)).toBe('Tech');
    for (const symbol of ['NVDA', 'MSFT', 'BTCUSD']) {
      await wl.getByLabel('Add symbol to watchlist').fill(symbol);
      await wl.getByRole('option', { name: new RegExp(`^${symbol}`) }).first().click();
      await expect.poll(() => listed(page)).toContain(symbol);
    }
    // From the chart: the active chart's symbol (AAPL on a fresh start).
    await wl.getByRole('button', { name: 'Add AAPL' }).click();
    await expect.poll(() => listed(page)).toEqual(['NVDA', 'MSFT', 'BTCUSD', 'AAPL']);
    // Live: every row gets its last price from the quote stream.
    await expect.poll(async () => (await lasts(page)).every((n) => Number.isFinite(n) && n > 0), { timeout: 15_000 }).toBe(true);

    // Sorting by last: descending first (BTCUSD, far above the stocks, on top), then ascending, then as added.
    await wl.getByRole('button', { name: /^Last/ }).click();
    expect((await listed(page))[0]).toBe('BTCUSD');
    const down = await lasts(page);
    expect(down).toEqual([...down].sort((a, b) => b - a));
    await wl.getByRole('button', { name: /^Last/ }).click();
    expect((await listed(page)).at(-1)).toBe('BTCUSD');
    await wl.getByRole('button', { name: /^Symbol/ }).click();
    expect(await listed(page)).toEqual(['AAPL', 'BTCUSD', 'MSFT', 'NVDA']);
    await wl.getByRole('button', { name: /^Symbol/ }).click();
    await wl.getByRole('button', { name: /^Symbol/ }).click();
    expect(await listed(page)).toEqual(['NVDA', 'MSFT', 'BTCUSD', 'AAPL']);

    // A click charts the symbol.
    await wl.getByRole('button', { name: 'Chart NVDA' }).click();
    await page.getByRole('img', { name: 'NVDA 1m candlestick chart' }).locator('canvas').first().waitFor();
    await expect.poll(() => page.getByRole('region', { name: 'Chart' }).getByRole('heading').first().textContent()).toBe('NVDA');
    await wl.getByRole('button', { name: 'Remove MSFT' }).click();
    await expect.poll(() => listed(page)).toEqual(['NVDA', 'BTCUSD', 'AAPL']);
    await shots(page, 'watchlist');
    await page.close();

    // A restart of the host (and a new origin: another port, so nothing comes from the browser's storage).
    await host.stop();
    host = await startHost({ dataDir });
    const again = await browser.newPage({ viewport: { width: 1440, height: 900 } });
    await openChart(again);
    const names = watchlist(again).getByLabel('Choose watchlist');
    await expect.poll(() => names.locator('option').allTextContents()).toEqual(['Watchlist', 'Tech']);
    await names.selectOption({ label: 'Tech' });
    await expect.poll(() => listed(again)).toEqual(['NVDA', 'BTCUSD', 'AAPL']);
    await again.close();
  });
});

describe('layouts', () => {
  it('four charts with their own symbols and timeframes come back after a reload', async () => {
    const page = await browser.newPage({ viewport: { width: 1440, height: 900 } });
    await openChart(page);
    await page.getByRole('button', { name: '4 charts' }).click();
    const pane = (n: number) => page.getByRole('group', { name: new RegExp(`^Chart ${n}: `) });
    await expect.poll(() => page.getByRole('group', { name: /^Chart \d: / }).count()).toBe(4);
    // Chart 1 active (a fresh layout's), a symbol from the search goes to it alone (not linked); then chart 2.
    await page.getByLabel('Search symbol').fill('NVDA');
    await page.getByRole('option', { name: /^NVDA/ }).first().click();
    await page.getByRole('button', { name: 'Make chart 2 active' }).click();
    await page.getByLabel('Search symbol').fill('XAUUSD');
    await page.getByRole('option', { name: /^XAUUSD/ }).first().click();
    await page.getByLabel('Timeframe of chart 3').selectOption('1h');
    await page.getByLabel('Timeframe of chart 4').selectOption('5m');
    const names = async () => page.getByRole('group', { name: /^Chart \d: / }).evaluateAll((els) => els.map((e) => e.getAttribute('aria-label')));
    await expect.poll(names).toEqual(['Chart 1: NVDA 1m', 'Chart 2: XAUUSD 1m', 'Chart 3: EURUSD 1h', 'Chart 4: BTCUSD 5m']);
    for (let n = 1; n <= 4; n++) await pane(n).locator('canvas').first().waitFor();
    // The header and the ticket follow the active chart.
    await expect.poll(() => page.getByRole('form', { name: 'Order ticket' }).getByLabel('Symbol', { exact: true }).inputValue()).toBe('XAUUSD');
    await shots(page, 'layout-4');

    await page.reload();
    await page.getByRole('navigation').getByRole('button', { name: 'Chart', exact: true }).click();
    await expect.poll(names).toEqual(['Chart 1: NVDA 1m', 'Chart 2: XAUUSD 1m', 'Chart 3: EURUSD 1h', 'Chart 4: BTCUSD 5m']);
    for (let n = 1; n <= 4; n++) await pane(n).getByRole('img', { name: /candlestick chart$/ }).locator('canvas').first().waitFor();
    expect(await pane(2).getAttribute('aria-current')).toBe('true');
    await expect.poll(() => page.getByRole('form', { name: 'Order ticket' }).getByLabel('Symbol', { exact: true }).inputValue()).toBe('XAUUSD');

    // Linked: one symbol on every chart, each keeping its timeframe.
    await page.getByLabel('Link symbols').check();
    await expect.poll(names).toEqual(['Chart 1: XAUUSD 1m', 'Chart 2: XAUUSD 1m', 'Chart 3: XAUUSD 1h', 'Chart 4: XAUUSD 5m']);
    await page.getByLabel('Link symbols').uncheck();
    await page.close();

    // The phone: one column, the charts stacked, the watchlist below and collapsible; the page never scrolls sideways.
    const phone = await browser.newPage({ viewport: { width: 390, height: 844 } });
    await openChart(phone);
    // (A new browser context: its own storage, so the layout is chosen again.)
    await phone.getByRole('button', { name: '4 charts' }).click();
    await expect.poll(() => phone.getByRole('group', { name: /^Chart \d: / }).count()).toBe(4);
    expect(await phone.evaluate(() => document.documentElement.scrollWidth - document.documentElement.clientWidth)).toBe(0);
    const toggle = watchlist(phone).getByRole('button', { name: 'Hide' });
    await toggle.click();
    expect(await watchlist(phone).getByRole('table').count()).toBe(0);
    await watchlist(phone).getByRole('button', { name: 'Show' }).click();
    await phone.locator('main.content').evaluate((el) => el.scrollTo(0, 0));
    await shots(phone, 'phone-workspace');
    await phone.close();
  });
});
