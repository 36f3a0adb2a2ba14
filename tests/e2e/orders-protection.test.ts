// End to end in Chromium: protected brackets and dust through the real renderer, the built web host and its SQLite file.
import Database from 'better-sqlite3';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Browser, Locator, Page } from 'playwright-core';
import { launchBrowser } from '../support/browser';
import { startHost, tempDataDir, type RunningHost } from '../support/web-host';

const SYMBOL = 'BTCUSD'; // 24/7: the paper broker fills at any hour

let browser: Browser;
let host: RunningHost;
let dataDir: string;

async function textMatches(locator: Locator, re: RegExp, timeout = 15_000): Promise<string> {
  let text = '';
  await expect.poll(async () => (text = (await locator.textContent()) ?? ''), { timeout }).toMatch(re);
  return text;
}

async function openTicket(): Promise<Page> {
  const page = await browser.newPage({ viewport: { width: 1440, height: 900 } });
  page.on('pageerror', (e) => console.error('page error:', e.message));
  await page.goto(host.url);
  await page.getByRole('link', { name: 'Chart' }).or(page.getByRole('button', { name: 'Chart' })).first().click();
  await page.getByLabel('Search symbol').fill(SYMBOL);
  await page.getByRole('option', { name: new RegExp(SYMBOL) }).first().click();
  await expect.poll(() => page.getByLabel('Symbol', { exact: true }).inputValue()).toBe(SYMBOL);
  return page;
}

async function lastPrice(page: Page): Promise<number> {
  let last = NaN;
  await expect.poll(async () => (last = Number(((await page.getByTestId('last-price').textContent()) ?? '').replace(/[^\d.]/g, '')))).toBeGreaterThan(0);
  return last;
}

function query<T>(sql: string): T[] {
  const db = new Database(join(dataDir, 'quant.db'), { readonly: true, fileMustExist: true });
  try {
    return db.prepare(sql).all() as T[];
  } finally {
    db.close();
  }
}

beforeAll(async () => {
  browser = await launchBrowser();
  dataDir = tempDataDir();
  host = await startHost({ dataDir });
});

afterAll(async () => {
  await host?.stop();
  await browser?.close();
});

describe('protected orders in Chromium', () => {
  it('a sell bracket with legs beyond the price collar (stop-loss +13 %, take-profit −19 %): the entry fills and both legs work', async () => {
    const page = await openTicket();
    const last = await lastPrice(page);
    // The case: 70,000 / 50,000 around 61,830, scaled to the demo price.
    await page.getByLabel('Order type').selectOption({ label: 'Market' });
    await page.getByLabel('Quantity').fill('0.05');
    await page.getByLabel('Stop-loss').fill((last * 1.13).toFixed(2));
    await page.getByLabel('Take-profit').fill((last * 0.81).toFixed(2));
    await page.getByRole('button', { name: 'Sell' }).click();
    await textMatches(page.locator('.ticket-status'), /Filled/);
    await expect.poll(() => query<{ type: string; status: string }>("select type, status from orders where source = 'bracket' order by type")
      .map((o) => `${o.type} ${o.status}`)).toEqual(['limit working', 'stop working']);
    await page.getByRole('navigation').getByRole('button', { name: /Orders/ }).click();
    await expect.poll(() => page.getByRole('table', { name: 'Working orders' }).getByRole('row', { name: new RegExp(`${SYMBOL}.*\\(bracket\\)`) }).count()).toBe(2);
    await expect.poll(() => page.locator('.unprotected').count()).toBe(0);
    await page.close();
  });

  it('a bracket with the stop-loss on the wrong side is refused with the field error; nothing is sent', async () => {
    const page = await openTicket();
    const last = await lastPrice(page);
    const before = query<{ n: number }>('select count(*) as n from orders')[0]!.n;
    await page.getByLabel('Order type').selectOption({ label: 'Market' });
    await page.getByLabel('Quantity').fill('0.01');
    await page.getByLabel('Stop-loss').fill((last * 1.05).toFixed(2)); // above the price for a buy
    await page.getByRole('button', { name: 'Buy' }).click();
    await textMatches(page.locator('#ticket-stopLoss-error'), /Stop-loss must be below the entry price/);
    await textMatches(page.locator('.ticket-status'), /Rejected: Stop-loss must be below/);
    const refused = query<{ status: string }>('select status from orders order by created_at desc limit 1');
    expect(query<{ n: number }>('select count(*) as n from orders')[0]!.n).toBe(before + 1);
    expect(refused[0]!.status).toBe('rejected');
    await page.close();
  });

  it('dust (0.0001 BTC, below the 0.001 lot) is refused with the reason: nothing filled, no commission', async () => {
    const page = await openTicket();
    const fillsBefore = query<{ n: number }>('select count(*) as n from fills')[0]!.n;
    const cashBefore = query<{ cash: string }>('select cash from accounts')[0]!.cash;
    await page.getByLabel('Order type').selectOption({ label: 'Market' });
    await page.getByLabel('Quantity').fill('0.0001');
    await page.getByRole('button', { name: 'Buy' }).click();
    await textMatches(page.locator('.ticket-status'), /Rejected: Quantity 0\.0001 is below the minimum size 0\.001 of BTCUSD/);
    expect(query<{ n: number }>('select count(*) as n from fills')[0]!.n).toBe(fillsBefore);
    expect(query<{ cash: string }>('select cash from accounts')[0]!.cash).toBe(cashBefore);
    await page.close();
  });
});
