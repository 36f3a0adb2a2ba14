// End to end: an order filled on the paper account, then the blotter's orders, fills and positions saved as CSV files
// through the browser's download (read back with csv-parse, they must match the tables); then the position reversed,
// closed, and flattened from the blotter, each asked for first.
import { readFileSync } from 'node:fs';
import { parse } from 'csv-parse/sync';
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
  page = await browser.newPage({ viewport: { width: 1440, height: 900 }, acceptDownloads: true });
  await page.goto(host.url);
  // BTCUSD trades around the clock, so the paper broker fills it whenever the test runs.
  await page.getByRole('navigation').getByRole('button', { name: 'Chart', exact: true }).click();
  await page.getByLabel('Search symbol').fill('BTCUSD');
  await page.getByRole('option', { name: /^BTCUSD/ }).first().click();
  await page.getByLabel('Quantity').fill('0.01');
  await page.getByRole('button', { name: 'Buy', exact: true }).click();
  await page.getByRole('navigation').getByRole('button', { name: 'Orders & Positions' }).click();
  await page.getByRole('table', { name: 'Fills' }).getByRole('row', { name: /BTCUSD/ }).waitFor({ timeout: 20_000 });
}, 60_000);

afterAll(async () => {
  await host?.stop();
  await browser?.close();
});

async function exported(button: string): Promise<{ name: string; rows: Record<string, string>[] }> {
  const [download] = await Promise.all([page.waitForEvent('download'), page.getByRole('button', { name: button }).click()]);
  const path = await download.path();
  return { name: download.suggestedFilename(), rows: parse(readFileSync(path, 'utf8'), { columns: true }) as Record<string, string>[] };
}

describe('blotter CSV export', () => {
  it('orders: the filled buy with its fill price, the account by its label', async () => {
    const { name, rows } = await exported('Export orders CSV');
    expect(name).toMatch(/^orders-\d{4}-\d{2}-\d{2}\.csv$/);
    const order = rows.find((r) => r['symbol'] === 'BTCUSD')!;
    expect(order).toMatchObject({ side: 'buy', type: 'market', quantity: '0.01', status: 'filled', filledQuantity: '0.01', account: 'Paper' });
    expect(Number(order['avgFillPrice'])).toBeGreaterThan(0);
    expect(Date.parse(order['created']!)).toBeGreaterThan(Date.now() - 120_000);
  });

  it('fills and positions agree with the tables', async () => {
    const fills = await exported('Export fills CSV');
    const fill = fills.rows.find((r) => r['symbol'] === 'BTCUSD')!;
    const shownPrice = (await page.getByRole('table', { name: 'Fills' }).getByRole('row', { name: /BTCUSD/ }).getByRole('cell').nth(4).textContent())!;
    expect(Number(fill['price']).toLocaleString('en-US', { minimumFractionDigits: 2, maximumFractionDigits: 2 })).toBe(shownPrice);
    expect(fill).toMatchObject({ side: 'buy', quantity: '0.01', account: 'Paper' });
    const positions = await exported('Export positions CSV');
    expect(positions.rows.map((r) => [r['symbol'], r['quantity']])).toContainEqual(['BTCUSD', '0.01']);
    // No broker account id in any file: only labels.
    expect(JSON.stringify([fills.rows, positions.rows])).not.toMatch(/PAPER-|DU\d/);
  });

  it('reverses, closes and flattens a position from the blotter, each confirmed first', async () => {
    const asked: string[] = [];
    const accept = (d: import('playwright-core').Dialog) => (asked.push(d.message()), d.accept());
    page.on('dialog', accept);
    const qtyOf = async () => {
      const row = page.getByRole('table', { name: 'Positions' }).getByRole('row', { name: /BTCUSD/ });
      return (await row.count()) ? Number((await row.getByRole('cell').nth(1).textContent())!.replace(/,/g, '')) : 0;
    };
    expect(await qtyOf()).toBe(0.01);
    await page.getByRole('button', { name: /^Reverse BTCUSD/ }).click();
    await expect.poll(qtyOf, { timeout: 20_000 }).toBe(-0.01);
    expect(asked.pop()).toMatch(/^Reverse BTCUSD \(Paper\): sell 0\.02 at market, from 0\.01 to -0\.01\?$/);
    await page.getByRole('button', { name: /^Close BTCUSD/ }).click();
    await expect.poll(qtyOf, { timeout: 20_000 }).toBe(0);
    expect(asked.pop()).toMatch(/^Close 0\.01 BTCUSD \(Paper\) at market\?$/);
    // Flatten all: a new position, then every position of the account closed.
    await page.getByRole('navigation').getByRole('button', { name: 'Chart', exact: true }).click();
    await page.getByLabel('Quantity').fill('0.02');
    await page.getByRole('button', { name: 'Buy', exact: true }).click();
    await page.getByRole('navigation').getByRole('button', { name: 'Orders & Positions' }).click();
    await expect.poll(qtyOf, { timeout: 20_000 }).toBe(0.02);
    await page.getByRole('button', { name: 'Flatten all · Paper' }).click();
    await expect.poll(qtyOf, { timeout: 20_000 }).toBe(0);
    expect(asked.pop()).toBe('Flatten all 1 position of Paper at market?');
    // Every one went through the order history as a market order.
    const history = page.getByRole('table', { name: 'Order history' }).getByRole('row', { name: /BTCUSD/ });
    await expect.poll(() => history.count()).toBe(5);
    page.off('dialog', accept);
  });
});
