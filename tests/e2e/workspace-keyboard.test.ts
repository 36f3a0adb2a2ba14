// End to end (issue 15): the chart screen's keyboard in Chromium through the web host. Typing on the chart opens the
// symbol search with what was typed, Esc closes it and dialogs, `?` lists the shortcuts, Alt+digit picks a timeframe,
// arrows move the chart through time and End comes back to now, Alt+T focuses the ticket without sending anything.
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
  page = await browser.newPage({ viewport: { width: 1440, height: 900 } });
  page.on('pageerror', (e) => console.error('page error:', e.message));
  await page.goto(host.url);
  await page.getByRole('navigation').getByRole('button', { name: 'Chart', exact: true }).click();
  await page.getByRole('img', { name: 'AAPL 1m candlestick chart' }).locator('canvas').first().waitFor();
}, 60_000);

afterAll(async () => {
  await host?.stop();
  await browser?.close();
});

/** Keys go to the page, not a field: the chart is clicked first (a click on the canvas leaves the focus on the body). */
async function onChart(): Promise<void> {
  await page.evaluate(() => (document.activeElement as HTMLElement | null)?.blur());
}

describe('keyboard', () => {
  it('typing on the chart opens the symbol search with the text; Enter charts the first match; Esc closes it', async () => {
    await onChart();
    await page.keyboard.type('ms');
    const search = page.getByLabel('Search symbol');
    await expect.poll(() => search.evaluate((el) => el === document.activeElement)).toBe(true);
    await expect.poll(() => search.inputValue()).toBe('Ms');
    await page.getByRole('listbox').getByRole('option', { name: /^MSFT/ }).waitFor();
    await page.keyboard.press('Escape');
    await expect.poll(() => page.getByRole('listbox').count()).toBe(0);
    expect(await search.inputValue()).toBe('');
    // Again, this time taken with Enter.
    await onChart();
    // The first key opens the search; the rest go to its field once it holds the focus (under load a key typed in
    // between could be lost).
    await page.keyboard.type('N');
    await expect.poll(() => search.evaluate((el) => el === document.activeElement)).toBe(true);
    await page.keyboard.type('VDA');
    await expect.poll(() => search.inputValue()).toBe('NVDA');
    await page.getByRole('listbox').getByRole('option', { name: /^NVDA/ }).waitFor();
    await page.keyboard.press('Enter');
    await page.getByRole('img', { name: 'NVDA 1m candlestick chart' }).waitFor();
  });

  it('? lists the shortcuts; Esc closes the list', async () => {
    await onChart();
    await page.keyboard.press('?');
    const dialog = page.getByRole('dialog', { name: 'Keyboard shortcuts' });
    await dialog.waitFor();
    const rows = await dialog.getByRole('row').allTextContents();
    expect(rows.some((r) => r.startsWith('Alt+T') && r.includes('Buy or Sell'))).toBe(true);
    expect(rows.some((r) => r.startsWith('?'))).toBe(true);
    await page.keyboard.press('Escape');
    await dialog.waitFor({ state: 'detached' });
  });

  it('Alt+3 picks the hour bars, arrows move through time, End comes back to now', async () => {
    await onChart();
    await page.keyboard.press('Alt+Digit3');
    await page.getByRole('img', { name: 'NVDA 1h candlestick chart' }).locator('canvas').first().waitFor();
    expect(await page.getByRole('group', { name: 'Timeframe' }).getByRole('button', { name: '1h' }).getAttribute('aria-pressed')).toBe('true');
    await page.keyboard.press('Alt+Digit1');
    await page.getByRole('img', { name: 'NVDA 1m candlestick chart' }).locator('canvas').first().waitFor();
    const now = page.getByRole('button', { name: 'Now ⇥' });
    expect(await now.count()).toBe(0);
    for (let i = 0; i < 3; i++) await page.keyboard.press('ArrowLeft');
    await now.waitFor();
    await page.keyboard.press('End');
    await now.waitFor({ state: 'detached' });
  });

  it('Alt+T focuses the ticket and sends nothing', async () => {
    await onChart();
    await page.keyboard.press('Alt+KeyT');
    await expect.poll(() => page.evaluate(() => document.activeElement?.id)).toBe('ticket-quantity');
    // Typing now goes to the quantity; Enter in the ticket places nothing.
    await page.keyboard.type('5');
    await page.keyboard.press('Enter');
    expect(await page.getByLabel('Quantity').inputValue()).toBe('5');
    expect(await page.locator('.ticket-status').textContent()).toBe('');
    await page.getByRole('navigation').getByRole('button', { name: 'Orders & Positions' }).click();
    await page.getByRole('table', { name: 'Order history' }).getByRole('row', { name: 'No orders yet' }).waitFor();
    expect(await page.getByRole('table', { name: 'Working orders' }).getByRole('row', { name: 'No working orders' }).count()).toBe(1);
  });

  it('Esc closes the dialogs of other screens too (the bar import)', async () => {
    await page.getByRole('navigation').getByRole('button', { name: 'Data sources' }).click();
    await page.getByRole('button', { name: 'Import a CSV file…' }).click();
    const dialog = page.getByRole('dialog', { name: 'Import bars' });
    await dialog.waitFor();
    await page.keyboard.press('Escape');
    await dialog.waitFor({ state: 'detached' });
  });
});
