// End to end: the chart's legend under the crosshair, the way back to the newest bar, the market's open/closed state
// with the next open, and what the ticket and the blotter say about an order while its market is closed. The browser's
// clock is set (Playwright's page.clock) so "closed" does not depend on when the test runs; the host runs on real time.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Browser, Page } from 'playwright-core';
import { sessionState } from '../../src-shared/domain/sessions';
import { launchBrowser } from '../support/browser';
import { startHost, type RunningHost } from '../support/web-host';

let browser: Browser;
let host: RunningHost;

beforeAll(async () => {
  browser = await launchBrowser();
  host = await startHost();
});

afterAll(async () => {
  await host?.stop();
  await browser?.close();
});

async function openChart(page: Page, symbol: string): Promise<void> {
  await page.goto(host.url);
  await page.getByRole('navigation').getByRole('button', { name: 'Chart', exact: true }).click();
  await page.getByLabel('Search symbol').fill(symbol);
  await page.getByRole('option', { name: new RegExp(`^${symbol}`) }).first().click();
  await page.getByRole('img', { name: `${symbol} 1m candlestick chart` }).locator('canvas').first().waitFor();
}

const legendNumbers = async (page: Page) => {
  const text = (await page.getByRole('status', { name: 'Bar under the crosshair' }).textContent())!;
  const m = text.match(/O ([\d,.]+) H ([\d,.]+) L ([\d,.]+) C ([\d,.]+)/);
  expect(m, text).not.toBeNull();
  return m!.slice(1, 5).map((x) => Number(x.replace(/,/g, ''))) as [number, number, number, number];
};

describe('chart', () => {
  it('shows the OHLC of the bar under the crosshair, and the way back to now', async () => {
    const page = await browser.newPage({ viewport: { width: 1440, height: 900 } });
    await openChart(page, 'BTCUSD');
    const chart = page.getByRole('img', { name: 'BTCUSD 1m candlestick chart' });
    const box = (await chart.boundingBox())!;
    // Without the crosshair: the newest bar.
    const [o, h, l, c] = await legendNumbers(page);
    expect(h).toBeGreaterThanOrEqual(Math.max(o, c));
    expect(l).toBeLessThanOrEqual(Math.min(o, c));
    // Over an older bar: another bar's figures, as consistent.
    await page.mouse.move(box.x + box.width * 0.3, box.y + box.height * 0.4);
    await expect.poll(async () => (await legendNumbers(page)).join()).not.toBe([o, h, l, c].join());
    const [o2, h2, l2, c2] = await legendNumbers(page);
    expect(h2).toBeGreaterThanOrEqual(Math.max(o2, c2));
    expect(l2).toBeLessThanOrEqual(Math.min(o2, c2));
    // Dragging the time axis back shows "Now"; it brings the newest bar back and goes away.
    const now = page.getByRole('button', { name: 'Now ⇥' });
    expect(await now.count()).toBe(0);
    await page.mouse.move(box.x + box.width * 0.3, box.y + box.height * 0.5);
    await page.mouse.down();
    await page.mouse.move(box.x + box.width * 0.8, box.y + box.height * 0.5, { steps: 10 });
    await page.mouse.up();
    await now.waitFor();
    await now.click();
    await now.waitFor({ state: 'detached' });
    // A 24/7 market is always open.
    expect(await page.getByRole('status', { name: 'Market' }).textContent()).toBe('Open 24/7');
    await page.close();
  });

  it('says when a closed market opens, on the chart, the ticket and the blotter', async () => {
    const page = await browser.newPage({ viewport: { width: 1440, height: 900 } });
    // Saturday 5 December 2026, noon UTC: US equities reopen Monday 14:30 UTC.
    const saturday = Date.parse('2026-12-05T12:00:00Z');
    await page.clock.setFixedTime(saturday);
    await openChart(page, 'AAPL');
    const opens = sessionState('us-equity', saturday).changesAt!;
    expect(opens).toBe(Date.parse('2026-12-07T14:30:00Z'));
    const when = await page.evaluate((ms) => new Date(ms).toLocaleString(undefined, { weekday: 'short', hour: '2-digit', minute: '2-digit' }), opens);
    expect(await page.getByRole('status', { name: 'Market' }).textContent()).toBe(`Closed · opens ${when}`);
    await page.getByLabel('Quantity').fill('1');
    expect(await page.getByRole('note').filter({ hasText: 'Market closed' }).textContent()).toBe(`Market closed: opens ${when}. A market order waits and is sent at the open.`);
    // A limit 3 % below the market (inside the 5 % price collar) stays working; the blotter says when it starts working.
    const bid = Number((await page.locator('.quote-line b').first().textContent())!.replace(/,/g, ''));
    await page.getByLabel('Order type').selectOption('limit');
    await page.getByLabel('Limit price').fill((bid * 0.97).toFixed(2));
    await page.getByRole('button', { name: 'Buy', exact: true }).click();
    await page.getByRole('status').filter({ hasText: /accepted|working|submitted/i }).first().waitFor();
    await page.getByRole('navigation').getByRole('button', { name: 'Orders & Positions' }).click();
    const row = page.getByRole('table', { name: 'Working orders' }).getByRole('row', { name: /AAPL/ });
    await row.waitFor();
    expect(await row.textContent()).toContain(`market closed, works at ${when}`);
    await page.close();
  });
});
