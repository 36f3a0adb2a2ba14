// End to end: an order filled on the paper account, then the blotter's orders, fills and positions saved as CSV files
// through the browser's download; the files are read back with csv-parse and must match what the tables show.
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
});
