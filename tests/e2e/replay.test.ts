// End to end in Chromium on the demo market (issue 17 item 6): orders placed from the ticket, then the Replay screen
// rebuilds the day from the audit log. Scrubbing the timeline back before the first fill shows no position; stepping to
// the fill shows it; the end of the day shows the position the app holds. With QC_SCREENSHOTS=1 the screen is captured
// in both themes.
import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Browser, Page } from 'playwright-core';
import { launchBrowser } from '../support/browser';
import { repoRoot, startHost, type RunningHost } from '../support/web-host';

const SHOTS = process.env['QC_SCREENSHOTS'] === '1' ? join(repoRoot, 'resources/screenshots') : undefined;

let browser: Browser;
let host: RunningHost;
let page: Page;

beforeAll(async () => {
  browser = await launchBrowser();
  host = await startHost();
  page = await browser.newPage({ viewport: { width: 1440, height: 1000 } });
  page.on('pageerror', (e) => console.error('page error:', e.message));
  await page.goto(host.url);
  // The page has loaded (the broker's state comes last): the ticket knows BTCUSD before it is typed (under load in CI,
  // an order typed earlier was refused as an unknown symbol and the status stayed empty).
  await page.getByRole('banner').getByRole('status', { name: 'Broker connection' }).filter({ hasText: /Paper\s*Connected/ }).waitFor({ timeout: 30_000 });
});

afterAll(async () => {
  await host?.stop();
  await browser?.close();
});

async function shots(name: string): Promise<void> {
  if (!SHOTS) return;
  mkdirSync(SHOTS, { recursive: true });
  for (const theme of ['light', 'dark'] as const) {
    if ((await page.evaluate(() => document.documentElement.dataset['theme'])) !== theme) await page.getByRole('button', { name: 'Toggle theme' }).click();
    await expect.poll(() => page.evaluate(() => document.documentElement.dataset['theme'])).toBe(theme);
    await page.waitForTimeout(300);
    await page.locator('main').screenshot({ path: join(SHOTS, `${name}-${theme}.png`) });
  }
}

const ticket = () => page.getByRole('form', { name: 'Order ticket' });
const status = () => ticket().getByRole('status').textContent();

async function order(side: 'Buy' | 'Sell', quantity: string): Promise<void> {
  await ticket().getByLabel('Symbol', { exact: true }).fill('BTCUSD'); // trades around the clock
  await ticket().getByLabel('Order type').selectOption({ label: 'Market' });
  await ticket().getByLabel('Quantity').fill(quantity);
  await ticket().getByRole('button', { name: side }).click();
  await expect.poll(status, { timeout: 30_000 }).toMatch(new RegExp(`^Filled: ${side} ${quantity} BTCUSD`));
}

describe('Session replay in Chromium', () => {
  it('scrubs the day: no position before the fill, the position at it, the app\'s position at the end', async () => {
    await order('Buy', '0.02');
    await order('Sell', '0.01');

    await page.getByRole('navigation', { name: 'Screens' }).getByRole('button', { name: 'Replay', exact: true }).click();
    const journal = page.getByRole('list', { name: 'Journal entries' }).getByRole('listitem');
    await expect.poll(() => journal.count(), { timeout: 30_000 }).toBeGreaterThanOrEqual(10);
    const texts = await journal.allTextContents();
    const kinds = texts.map((x) => x.split(' ').find((w) => /^(order|risk)\./.test(w)));
    // Each order as journaled: intent, risk decision, submitted, ack, fill; in that order.
    expect(kinds.slice(0, 5)).toEqual(['order.intent', 'risk.decision', 'order.submitted', 'order.ack', 'order.fill']);
    expect(texts.filter((x) => x.includes('order.fill'))).toEqual([
      expect.stringMatching(/Fill: buy 0\.02 BTCUSD @ [\d.]+$/), expect.stringMatching(/Fill: sell 0\.01 BTCUSD @ [\d.]+$/),
    ]);

    const positions = page.getByRole('table', { name: 'Positions then' }).locator('tbody tr');
    const orders = page.getByRole('table', { name: 'Orders then' }).locator('tbody tr');
    const scrub = page.getByRole('slider', { name: 'Scrub' });
    // The timeline's start (before the first entry): nothing held, no order.
    await scrub.focus();
    await page.keyboard.press('Home');
    await expect.poll(() => positions.allTextContents(), { timeout: 20_000 }).toEqual(['No position.']);
    expect(await orders.allTextContents()).toEqual(['No order yet.']);
    expect(await page.getByRole('list', { name: 'Journal entries' }).locator('[aria-current="true"]').count()).toBe(0);

    // The intent of the buy: the order is there, nothing held yet.
    await journal.nth(0).getByRole('button').click();
    await expect.poll(() => orders.first().textContent(), { timeout: 20_000 }).toMatch(/BTCUSDbuymarket0\.020—new$/);
    expect(await positions.allTextContents()).toEqual(['No position.']);
    // At the first fill: 0.02 BTCUSD; the entry is highlighted; the chart has a buy marker.
    const firstFill = kinds.indexOf('order.fill');
    await journal.nth(firstFill).getByRole('button').click();
    await expect.poll(() => positions.first().textContent(), { timeout: 20_000 }).toMatch(/^BTCUSD0\.02/);
    expect(await journal.nth(firstFill).getAttribute('aria-current')).toBe('true');
    expect(await orders.first().textContent()).toMatch(/BTCUSDbuymarket0\.020\.02[\d.,]+filled$/);
    await expect.poll(() => page.evaluate(() => (window as unknown as { __qcReplay?: { markers: string[] } }).__qcReplay?.markers ?? [])).toContain('B 0.02');
    expect(await page.evaluate(() => (window as unknown as { __qcReplay?: { bars: number } }).__qcReplay?.bars ?? 0)).toBeGreaterThan(0);
    expect(await page.getByRole('status', { name: 'Trading state then' }).textContent()).toBe('ACTIVE');

    // The end of the timeline: the position the app holds now (Orders & Positions).
    await scrub.focus();
    await page.keyboard.press('End');
    await expect.poll(() => positions.first().textContent(), { timeout: 20_000 }).toMatch(/^BTCUSD0\.01/);
    await shots('replay');
    await page.getByRole('navigation', { name: 'Screens' }).getByRole('button', { name: 'Orders & Positions', exact: true }).click();
    await expect.poll(async () => (await page.getByRole('table', { name: 'Positions', exact: true }).locator('tbody tr').allTextContents()).join('|'), { timeout: 20_000 }).toMatch(/BTCUSD\s*0\.01/);
  });
});
