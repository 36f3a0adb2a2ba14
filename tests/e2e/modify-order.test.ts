// End to end in Chromium: a paper limit order modified from the blotter's working orders (new price and quantity,
// confirmed first), then a modify the risk gate refuses, with its reason shown in the dialog and the order unchanged.
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
  await page.goto(host.url);
}, 60_000);

afterAll(async () => {
  await host?.stop();
  await browser?.close();
});

const num = (s: string) => Number(s.replace(/,/g, ''));

describe('modify a working order from the blotter (paper)', () => {
  it('moves the limit and changes the quantity after a confirmation; a modify past the risk limits is refused with the reason', async () => {
    // BTCUSD trades around the clock: the limit rests 3 % below the market whenever the test runs.
    await page.getByRole('navigation').getByRole('button', { name: 'Chart', exact: true }).click();
    await page.getByLabel('Search symbol').fill('BTCUSD');
    await page.getByRole('option', { name: /^BTCUSD/ }).first().click();
    const bid = num((await page.locator('.quote-line b').first().textContent())!);
    await page.getByLabel('Quantity').fill('0.01');
    await page.getByLabel('Order type').selectOption('limit');
    await page.getByLabel('Limit price').fill((bid * 0.97).toFixed(2));
    await page.getByRole('button', { name: 'Buy', exact: true }).click();
    await page.getByRole('navigation').getByRole('button', { name: 'Orders & Positions' }).click();
    const row = page.getByRole('table', { name: 'Working orders' }).getByRole('row', { name: /BTCUSD/ });
    await row.filter({ hasText: 'working' }).waitFor({ timeout: 20_000 });

    const newPrice = (bid * 0.96).toFixed(2);
    await row.getByRole('button', { name: /^Modify order BTCUSD/ }).click();
    const dialog = page.getByRole('dialog', { name: 'Modify BUY BTCUSD' });
    await dialog.getByLabel('Limit price').fill(newPrice);
    await dialog.getByLabel('Quantity').fill('0.02');
    await dialog.getByRole('button', { name: 'Review' }).click();
    expect(await dialog.textContent()).toContain('qty 0.01 → 0.02');
    await dialog.getByRole('button', { name: 'Confirm modify' }).click();
    await dialog.waitFor({ state: 'detached' });
    await row.filter({ hasText: Number(newPrice).toLocaleString('en-US', { minimumFractionDigits: 2 }) }).waitFor();
    const cells = row.getByRole('cell');
    expect(await cells.nth(3).textContent()).toBe('0.02');
    expect(num((await cells.nth(4).textContent())!.replace('LMT ', ''))).toBe(Number(newPrice));

    // 100 BTC is far past the max position size of the paper account: refused, with the rule's words, nothing changed.
    await row.getByRole('button', { name: /^Modify order BTCUSD/ }).click();
    await dialog.getByLabel('Quantity').fill('100');
    await dialog.getByRole('button', { name: 'Review' }).click();
    await dialog.getByRole('button', { name: 'Confirm modify' }).click();
    const refusal = dialog.getByRole('alert');
    await refusal.waitFor();
    expect(await refusal.textContent()).toMatch(/^Refused: .*(max position size|max order notional)/);
    expect(await cells.nth(3).textContent()).toBe('0.02');
    await page.keyboard.press('Escape');
    await dialog.waitFor({ state: 'detached' });
  });
});
