// End to end in Chromium on the paper account: a limit order modified from the blotter's working orders (new price and
// quantity, confirmed first), then a modify the risk gate refuses, with its reason shown and the order unchanged; a
// market order's fill in the slippage report. With QC_SCREENSHOTS=1 the README's screenshots are taken, both themes.
import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Browser, Page } from 'playwright-core';
import { launchBrowser } from '../support/browser';
import { repoRoot, startHost, type RunningHost } from '../support/web-host';

const SHOTS = process.env['QC_SCREENSHOTS'] === '1' ? join(repoRoot, 'resources/screenshots') : undefined;
const theme = (page: Page) => page.evaluate(() => document.documentElement.dataset['theme']);

/** The same view in both themes: `<name>-dark.png`, `<name>-light.png` (the page is left dark). */
async function shots(page: Page, name: string, target?: () => Promise<void>): Promise<void> {
  if (!SHOTS) return;
  mkdirSync(SHOTS, { recursive: true });
  for (const want of ['dark', 'light'] as const) {
    if ((await theme(page)) !== want) await page.getByRole('button', { name: 'Toggle theme' }).click();
    await expect.poll(() => theme(page)).toBe(want);
    await page.evaluate(() => (document.activeElement as HTMLElement | null)?.blur());
    await target?.();
    await page.waitForTimeout(300);
    await page.screenshot({ path: join(SHOTS, `${name}-${want}.png`) });
  }
  await page.getByRole('button', { name: 'Toggle theme' }).click();
  await expect.poll(() => theme(page)).toBe('dark');
}

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

describe('execution from the blotter (paper)', () => {
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
    await shots(page, 'modify-order');
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

  it('a market buy appears in the slippage report: by venue, by instrument, by hour, and per fill (worse than the mid: positive)', async () => {
    await page.getByRole('navigation').getByRole('button', { name: 'Chart', exact: true }).click();
    await page.getByLabel('Order type').selectOption('market');
    await page.getByLabel('Quantity').fill('0.01');
    await page.getByRole('button', { name: 'Buy', exact: true }).click();
    await page.getByRole('navigation').getByRole('button', { name: 'Orders & Positions' }).click();
    const report = page.getByRole('region', { name: 'Slippage and spread' });
    const fillRow = report.getByRole('table', { name: 'Fill slippage' }).getByRole('row', { name: /BTCUSD/ }).first();
    await fillRow.waitFor({ timeout: 20_000 });
    const cells = fillRow.getByRole('cell');
    expect(await cells.nth(1).textContent()).toBe('paper');
    // The paper broker fills a market buy above the ask: more than half the spread worse than the mid.
    expect(Number((await cells.nth(8).textContent())!.replace(/,/g, ''))).toBeGreaterThan(0);
    expect(await cells.nth(10).textContent()).toMatch(/ USD$/);
    const venue = report.getByRole('table', { name: 'Slippage by venue' }).getByRole('row', { name: /paper/ });
    expect(Number(await venue.getByRole('cell').nth(1).textContent())).toBeGreaterThanOrEqual(1);
    await report.getByRole('figure', { name: /By instrument/ }).getByRole('group', { name: /^BTCUSD \+\d/ }).waitFor();
    const hour = String(new Date().getUTCHours()).padStart(2, '0');
    await report.getByRole('figure', { name: /By hour of day/ }).getByRole('group', { name: new RegExp(`^(${hour}|${String((Number(hour) + 23) % 24).padStart(2, '0')}) `) }).first().waitFor();
    await shots(page, 'slippage-report', () => report.scrollIntoViewIfNeeded());
  });
});
