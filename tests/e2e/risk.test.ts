// End to end in Chromium on the demo market (issue 17): the Risk screen sets the paper account to REDUCING with a
// reason; then the ticket's buy is refused and a sell passes; the screen shows the state history and the VaR table.
// With QC_SCREENSHOTS=1 the Risk screen is captured in both themes (resources/screenshots); a plain run writes nothing.
import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Browser, Page } from 'playwright-core';
import { launchBrowser } from '../support/browser';
import { repoRoot, startHost, tempDataDir, type RunningHost } from '../support/web-host';

const SHOTS = process.env['QC_SCREENSHOTS'] === '1' ? join(repoRoot, 'resources/screenshots') : undefined;

let browser: Browser;
let host: RunningHost;
let page: Page;

const nav = (name: string | RegExp) => page.getByRole('navigation', { name: 'Screens' }).getByRole('button', { name, exact: true }).click();

async function screenshots(name: string): Promise<void> {
  if (!SHOTS) return;
  mkdirSync(SHOTS, { recursive: true });
  for (const theme of ['dark', 'light'] as const) {
    const p = await browser.newPage({ viewport: { width: 1440, height: 2000 } });
    await p.goto(host.url);
    await p.getByRole('navigation', { name: 'Screens' }).waitFor();
    if ((await p.evaluate(() => document.documentElement.dataset['theme'])) !== theme) await p.getByRole('button', { name: 'Toggle theme' }).click();
    await expect.poll(() => p.evaluate(() => document.documentElement.dataset['theme'])).toBe(theme);
    await p.getByRole('navigation', { name: 'Screens' }).getByRole('button', { name: 'Risk', exact: true }).click();
    await expect.poll(() => p.getByRole('table', { name: 'VaR table' }).locator('tbody tr').count(), { timeout: 30_000 }).toBe(12);
    await p.screenshot({ path: join(SHOTS, `${name}-${theme}.png`) });
    await p.close();
  }
}

/** Sends a market order from the ticket and waits for its status to match `expected` (fill or refusal). */
async function order(side: 'Buy' | 'Sell', quantity: string, expected: RegExp, symbol = 'AAPL'): Promise<void> {
  await nav('Chart');
  const ticket = page.getByRole('form', { name: 'Order ticket' });
  await ticket.getByLabel('Symbol', { exact: true }).fill(symbol);
  await ticket.getByLabel('Order type').selectOption({ label: 'Market' });
  await ticket.getByLabel('Quantity').fill(quantity);
  await ticket.getByRole('button', { name: side }).click();
  await expect.poll(() => ticket.getByRole('status').textContent(), { timeout: 20_000 }).toMatch(expected);
}

beforeAll(async () => {
  browser = await launchBrowser();
  // US market hours whenever the test runs: the paper broker holds market orders while the market is closed.
  host = await startHost({ dataDir: tempDataDir('qc-e2e-risk-'), env: { QC_TEST_FAULTS: 'clock-from=2026-12-01T16:00:00Z' } });
  page = await browser.newPage({ viewport: { width: 1440, height: 900 } });
  page.on('pageerror', (e) => console.error('page error:', e.message));
  await page.goto(host.url);
});

afterAll(async () => {
  await host?.stop();
  await browser?.close();
});

describe('Risk screen and trading states in Chromium', () => {
  it('REDUCING refuses a buy and passes a sell on the paper account', async () => {
    await order('Buy', '10', /^Filled: Buy 10 AAPL/);
    await order('Buy', '10', /^Filled: Buy 10 MSFT/, 'MSFT');
    await order('Buy', '20', /^Filled: Buy 20 XOM/, 'XOM');

    await nav('Risk');
    const state = page.getByRole('status', { name: 'Trading state' });
    await expect.poll(() => state.textContent(), { timeout: 20_000 }).toBe('ACTIVE');
    // The VaR table: three methods × 95/99 % × 1/10 days, each labelled; the seed's VaR budget among the limits.
    await expect.poll(() => page.getByRole('table', { name: 'VaR table' }).locator('tbody tr').count(), { timeout: 30_000 }).toBe(12);
    expect(await page.getByRole('table', { name: 'VaR table' }).textContent()).toMatch(/Historical.*Parametric \(normal\).*Monte Carlo \(10,000 paths\)/);
    await expect.poll(() => page.getByRole('meter', { name: 'max_portfolio_risk' }).count()).toBe(1);

    await page.getByLabel('New state').selectOption('REDUCING');
    await page.getByLabel('Reason').fill('e2e: drawdown drill');
    await page.getByRole('button', { name: 'Set state' }).click();
    await expect.poll(() => state.textContent(), { timeout: 20_000 }).toBe('REDUCING');
    await expect.poll(() => page.getByRole('table', { name: 'State history' }).textContent()).toMatch(/ACTIVEREDUCINGmanuale2e: drawdown drill/);

    // The top bar and the ticket follow the pushed state change.
    await expect.poll(() => page.getByRole('status', { name: 'Top bar risk state' }).textContent(), { timeout: 20_000 }).toBe('State REDUCING');
    await nav('Chart');
    await expect.poll(() => page.getByRole('form', { name: 'Order ticket' }).getByRole('note', { name: 'Ticket trading state' }).textContent(), { timeout: 20_000 })
      .toBe('Trading state REDUCING · only orders that reduce a position pass');
    await order('Buy', '1', /^Rejected: Trading is REDUCING \(account PAPER-1\): only orders that reduce a position pass/);
    await order('Sell', '4', /^Filled: Sell 4 AAPL/);
    await screenshots('risk');
  });
});
