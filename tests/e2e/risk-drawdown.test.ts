// End to end in Chromium on the demo market (issue 17): a simulated drawdown (a demo price shock, QC_TEST_FAULTS, on a
// large bitcoin position) moves the paper account to REDUCING by itself, through the periodic limit evaluation: the
// top bar and the ticket show it, a buy is refused and a sell passes, the state history names the threshold; a second
// shock takes it on to HALTED, where a sell is refused too.
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Browser, Page } from 'playwright-core';
import { launchBrowser } from '../support/browser';
import { startHost, tempDataDir, type RunningHost } from '../support/web-host';

let browser: Browser;
let host: RunningHost;
let page: Page;

beforeAll(async () => {
  browser = await launchBrowser();
  const dataDir = tempDataDir('qc-e2e-risk-drawdown-');
  writeFileSync(join(dataDir, 'config.yaml'), [
    'risk:', '  max_position_size: 1', '  max_order_notional: 1000000', '  max_portfolio_risk: null',
    '  states:', '    drawdown_reducing: 0.1', '    drawdown_halted: 0.4', '',
  ].join('\n'));
  host = await startHost({ dataDir, env: { QC_TEST_FAULTS: 'price-shock=BTCUSD:0.5' } });
  page = await browser.newPage({ viewport: { width: 1440, height: 900 } });
  page.on('pageerror', (e) => console.error('page error:', e.message));
  await page.goto(host.url);
});

afterAll(async () => {
  await host?.stop();
  await browser?.close();
});

const ticket = () => page.getByRole('form', { name: 'Order ticket' });

async function order(side: 'Buy' | 'Sell', symbol: string, quantity: string, expected: RegExp): Promise<void> {
  await ticket().getByLabel('Symbol', { exact: true }).fill(symbol);
  await ticket().getByLabel('Order type').selectOption({ label: 'Market' });
  await ticket().getByLabel('Quantity').fill(quantity);
  await ticket().getByRole('button', { name: side }).click();
  await expect.poll(() => ticket().getByRole('status').textContent(), { timeout: 20_000 }).toMatch(expected);
}

describe('A drawdown moves the account to REDUCING in Chromium', () => {
  it('by itself, as prices move: then a buy is refused and a sell passes', async () => {
    await ticket().getByLabel('Symbol', { exact: true }).fill('BTCUSD');
    const askText = ticket().locator('.quote-line span').nth(1).locator('b');
    await expect.poll(async () => Number((await askText.textContent())?.replace(/,/g, '')), { timeout: 20_000 }).toBeGreaterThan(0);
    // 60 % of NAV in bitcoin; halving its price is a 30 % drawdown: past 10 % (REDUCING), short of 40 % (HALTED).
    const quantity = Math.floor((60_000 / Number((await askText.textContent())!.replace(/,/g, ''))) * 1000) / 1000;
    await order('Buy', 'BTCUSD', String(quantity), /^Filled: Buy [\d.,]+ BTCUSD/);
    const topBar = page.getByRole('status', { name: 'Top bar risk state' });
    expect(await topBar.textContent()).toBe('State ACTIVE');

    host.signal('SIGUSR2');
    await expect.poll(() => topBar.textContent(), { timeout: 30_000 }).toBe('State REDUCING');
    expect(await ticket().getByRole('note', { name: 'Ticket trading state' }).textContent()).toBe('Trading state REDUCING · only orders that reduce a position pass');
    await order('Buy', 'AAPL', '1', /^Rejected: Trading is REDUCING \(account PAPER-1\): only orders that reduce a position pass/);
    await order('Sell', 'BTCUSD', '0.1', /^Filled: Sell 0\.1 BTCUSD/);

    await page.getByRole('navigation', { name: 'Screens' }).getByRole('button', { name: 'Risk', exact: true }).click();
    await expect.poll(() => page.getByRole('table', { name: 'State history' }).textContent(), { timeout: 20_000 })
      .toMatch(/PAPER-1ACTIVEREDUCINGthreshold.*drawdown from the NAV peak (2\d|3\d)\.\d\d % reached the REDUCING threshold 10\.00 %/);
    expect(await topBar.textContent()).toBe('State REDUCING');
  });

  it('then on to HALTED at the next threshold: a reducing sell is refused too', async () => {
    const topBar = page.getByRole('status', { name: 'Top bar risk state' });
    // A second shock halves bitcoin again: the drawdown passes 40 %.
    host.signal('SIGUSR2');
    await expect.poll(() => topBar.textContent(), { timeout: 30_000 }).toBe('State HALTED');
    await page.getByRole('navigation', { name: 'Screens' }).getByRole('button', { name: 'Chart', exact: true }).click();
    await order('Sell', 'BTCUSD', '0.1', /^Rejected: Trading is HALTED \(account PAPER-1\)/);
    await page.getByRole('navigation', { name: 'Screens' }).getByRole('button', { name: 'Risk', exact: true }).click();
    await expect.poll(() => page.getByRole('table', { name: 'State history' }).textContent(), { timeout: 20_000 })
      .toMatch(/PAPER-1REDUCINGHALTEDthreshold.*drawdown from the NAV peak (4\d|5\d)\.\d\d % reached the HALTED threshold 40\.00 %/);
  });
});
