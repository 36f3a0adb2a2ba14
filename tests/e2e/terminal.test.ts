// End to end: the built web host as a real process, the real renderer in Debian Chromium, the real SQLite file.
import Database from 'better-sqlite3';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Browser, Locator, Page } from 'playwright-core';
import { launchBrowser } from '../support/browser';
import { startHost, tempDataDir, type RunningHost } from '../support/web-host';

const SYMBOL = 'BTCUSD'; // crypto trades 24/7, so the paper broker fills at any hour

let browser: Browser;
let host: RunningHost;
let dataDir: string;

/** Waits until the locator is visible (playwright-core has no expect of its own). */
async function visible(locator: Locator, timeout = 10_000): Promise<void> {
  await locator.first().waitFor({ state: 'visible', timeout });
}

async function textMatches(locator: Locator, re: RegExp, timeout = 15_000): Promise<string> {
  let text = '';
  await expect.poll(async () => (text = (await locator.textContent()) ?? ''), { timeout }).toMatch(re);
  return text;
}

async function openTerminal(url: string): Promise<Page> {
  const page = await browser.newPage({ viewport: { width: 1440, height: 900 } });
  page.on('pageerror', (e) => console.error('page error:', e.message));
  await page.goto(url);
  return page;
}

async function showSymbol(page: Page, symbol: string): Promise<void> {
  await page.getByRole('link', { name: 'Chart' }).or(page.getByRole('button', { name: 'Chart' })).first().click();
  const search = page.getByLabel('Search symbol');
  await search.fill(symbol);
  await page.getByRole('option', { name: new RegExp(symbol) }).first().click();
  await expect.poll(() => page.getByLabel('Symbol', { exact: true }).inputValue()).toBe(symbol);
}

function auditKinds(dir: string): string[] {
  const db = new Database(join(dir, 'quant.db'), { readonly: true, fileMustExist: true });
  try {
    return (db.prepare('select kind from audit_log order by seq').all() as { kind: string }[]).map((r) => r.kind);
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

describe('the terminal in Chromium', () => {
  it('prints one ready line with a loopback URL and a fresh token', () => {
    // Start-up time is a bench figure (demo_market_startup_ms), not an assertion: this machine's load varies.
    expect(host.url).toMatch(/^http:\/\/127\.0\.0\.1:\d+\/\?token=[\w-]{16,}$/);
    expect(host.output().match(/Quant Claude ready at/g)).toHaveLength(1);
    console.log(`web host ready in ${host.startupMs.toFixed(0)} ms`);
  });

  it('shows a candlestick chart that moves with live demo ticks', async () => {
    const page = await openTerminal(host.url);
    await showSymbol(page, SYMBOL);
    await expect.poll(() => page.locator('canvas').count()).toBeGreaterThan(0);
    const last = page.getByTestId('last-price');
    const first = await last.textContent();
    await expect.poll(() => last.textContent(), { timeout: 15_000 }).not.toBe(first);
    await page.close();
  });

  it('rejects bad tickets in the form: nothing is submitted', async () => {
    const page = await openTerminal(host.url);
    await showSymbol(page, SYMBOL);
    const before = auditKinds(dataDir).filter((k) => k === 'order.submitted').length;
    for (const qty of ['-5', '0', 'abc']) {
      await page.getByLabel('Quantity').fill(qty);
      await page.getByRole('button', { name: 'Buy' }).click();
      await visible(page.getByText(/Quantity must/));
    }
    await page.getByLabel('Quantity').fill('1');
    await page.getByLabel('Order type').selectOption({ label: 'Limit' });
    await page.getByLabel('Limit price').fill('');
    await page.getByRole('button', { name: 'Buy' }).click();
    await visible(page.getByText('Limit price is required for a limit order'));
    expect(auditKinds(dataDir).filter((k) => k === 'order.submitted').length).toBe(before);
    expect(auditKinds(dataDir)).not.toContain('order.intent');
    await page.close();
  });

  it('rejects an order that breaches a risk limit, names the limit and audits it', async () => {
    const page = await openTerminal(host.url);
    await showSymbol(page, SYMBOL);
    await page.getByLabel('Order type').selectOption({ label: 'Market' });
    await page.getByLabel('Quantity').fill('50'); // 50 BTC is far above 10 % of a 100k account
    await page.getByRole('button', { name: 'Buy' }).click();
    await textMatches(page.locator('.ticket-status'), /Rejected.*(max_position_size|max_order_notional)/);
    const kinds = auditKinds(dataDir);
    expect(kinds).toContain('order.rejected');
    expect(kinds.filter((k) => k === 'order.submitted')).toHaveLength(0);
    await page.close();
  });

  it('works a limit order and cancels it from the blotter', async () => {
    const page = await openTerminal(host.url);
    await showSymbol(page, SYMBOL);
    const last = Number((await page.getByTestId('last-price').textContent())!.replace(/,/g, ''));
    await page.getByLabel('Order type').selectOption({ label: 'Limit' });
    await page.getByLabel('Quantity').fill('0.01');
    await page.getByLabel('Limit price').fill((last * 0.98).toFixed(2)); // inside the collar, below the market
    await page.getByRole('button', { name: 'Buy' }).click();
    await textMatches(page.locator('.ticket-status'), /Working/);
    await page.getByRole('navigation').getByRole('button', { name: /Orders/ }).click();
    const cancel = page.getByRole('button', { name: `Cancel order ${SYMBOL} buy 0.01` });
    await visible(cancel);
    await cancel.click();
    await visible(page.getByRole('table', { name: 'Order history' }).getByRole('row', { name: new RegExp(`${SYMBOL}.*cancelled`) }));
    expect(auditKinds(dataDir)).toContain('order.cancelled');
    await page.close();
  });

  it('the theme toggle persists across reloads', async () => {
    const page = await openTerminal(host.url);
    const theme = () => page.evaluate(() => document.documentElement.dataset['theme']);
    await expect.poll(theme).toBe('dark');
    await page.getByRole('button', { name: 'Toggle theme' }).click();
    await expect.poll(theme).toBe('light');
    await page.reload();
    await expect.poll(theme).toBe('light');
    // Stored in main too, so a new browser profile gets it.
    const fresh = await browser.newPage();
    await fresh.goto(host.url);
    await expect.poll(() => fresh.evaluate(() => document.documentElement.dataset['theme'])).toBe('light');
    await page.getByRole('button', { name: 'Toggle theme' }).click();
    await expect.poll(theme).toBe('dark');
    await fresh.close();
    await page.close();
  });

  it('places a paper Buy: fill, position row, cash; still there after reload and restart', async () => {
    let page = await openTerminal(host.url);
    await showSymbol(page, SYMBOL);
    await page.getByLabel('Order type').selectOption({ label: 'Market' });
    await page.getByLabel('Quantity').fill('0.05');
    await page.getByRole('button', { name: 'Buy' }).click();
    await textMatches(page.locator('.ticket-status'), /Filled/);

    const blotter = async (p: Page) => {
      await p.getByRole('link', { name: /Orders/ }).or(p.getByRole('button', { name: /Orders/ })).first().click();
      const positions = p.getByRole('table', { name: /Positions/ });
      await visible(positions.getByRole('row', { name: new RegExp(`${SYMBOL}.*0\\.05`) }));
      await visible(p.getByRole('table', { name: /Order history/ }).getByRole('row', { name: new RegExp(`${SYMBOL}.*filled`) }));
    };
    await blotter(page);
    await page.getByRole('link', { name: 'Overview' }).or(page.getByRole('button', { name: 'Overview' })).first().click();
    const cash = page.getByTestId('cash');
    await expect.poll(async () => Number((await cash.textContent())!.replace(/[^\d.-]/g, ''))).toBeLessThan(100_000);

    await page.reload();
    await blotter(page);
    await page.close();

    await host.stop();
    host = await startHost({ dataDir });
    page = await openTerminal(host.url);
    await blotter(page);
    // The kill switch: engaged from the header, new orders are refused with the reason.
    page.on('dialog', (d) => void d.accept());
    await page.getByRole('button', { name: /Kill switch/ }).click();
    await expect.poll(() => page.getByRole('button', { name: /Kill switch/ }).getAttribute('aria-pressed')).toBe('true');
    await showSymbol(page, SYMBOL);
    await page.getByLabel('Quantity').fill('0.01');
    await page.getByRole('button', { name: 'Buy' }).click();
    await textMatches(page.locator('.ticket-status'), /Rejected: The kill switch is engaged/);
    await page.getByRole('button', { name: /Kill switch/ }).click();
    await expect.poll(() => page.getByRole('button', { name: /Kill switch/ }).getAttribute('aria-pressed')).toBe('false');
    const kinds = auditKinds(dataDir);
    expect(kinds).toContain('risk.kill-switch.engaged');
    for (const k of ['order.intent', 'risk.decision', 'order.submitted', 'order.ack', 'order.fill']) expect(kinds).toContain(k);
    expect(kinds.indexOf('order.submitted')).toBeLessThan(kinds.indexOf('order.fill'));
    await page.close();
  });

  it('never sends an order while the connection is down', async () => {
    const page = await openTerminal(host.url);
    await showSymbol(page, SYMBOL);
    const before = auditKinds(dataDir).length;
    await host.stop();
    await page.getByRole('status', { name: 'Connection' }).filter({ hasText: 'Reconnecting' }).waitFor();
    await page.getByLabel('Order type').selectOption({ label: 'Market' });
    await page.getByLabel('Quantity').fill('0.01');
    await page.getByRole('button', { name: 'Buy' }).click();
    await textMatches(page.locator('.ticket-status'), /Not sent: Not connected/);
    // Enter in a field never places an order either.
    await page.getByLabel('Quantity').press('Enter');
    expect(auditKinds(dataDir).length).toBe(before);
    await page.close();
  });
});
