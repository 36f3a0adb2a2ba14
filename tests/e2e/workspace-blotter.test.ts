// End to end (issue 15): the blotter's history in Chromium through the web host. A round trip on the paper account
// shows its realised P&L on today's cell of the P&L calendar (checked against the fills main recorded), the history's
// filters narrow the fills, and a broker account whose link is down shows the ticket's reason instead of its buttons
// while the paper account's ticket keeps its Buy and Sell. With QC_SCREENSHOTS=1 the calendar is pictured in both themes.
import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Browser, Page } from 'playwright-core';
import type { Fill } from '../../src-shared/domain/types';
import { launchBrowser } from '../support/browser';
import { connect } from '../support/host-process';
import { startTwsSim, type RunningSim } from '../support/tws-sim-process';
import { repoRoot, startHost, type RunningHost } from '../support/web-host';

const SHOTS = process.env['QC_SCREENSHOTS'] === '1' ? join(repoRoot, 'resources/screenshots') : undefined;

let browser: Browser;
let host: RunningHost;
let page: Page;
let sim: RunningSim | undefined;

const nav = (name: string) => page.getByRole('navigation', { name: 'Screens' }).getByRole('button', { name, exact: true }).click();

beforeAll(async () => {
  browser = await launchBrowser();
  host = await startHost();
  page = await browser.newPage({ viewport: { width: 1440, height: 1000 } });
  page.on('pageerror', (e) => console.error('page error:', e.message));
  await page.goto(host.url);
}, 60_000);

afterAll(async () => {
  await host?.stop();
  await sim?.stop();
  await browser?.close();
});

async function trade(side: 'Buy' | 'Sell', quantity: string): Promise<void> {
  await page.getByLabel('Quantity').fill(quantity);
  await page.getByRole('button', { name: side, exact: true }).click();
  // This order's fill, not the one before it (the status line shows the last order until the new one answers).
  await expect.poll(() => page.locator('.ticket-status').textContent(), { timeout: 20_000 }).toMatch(new RegExp(`^Filled: ${side} ${quantity} `));
}

describe('blotter history', () => {
  it('a paper round trip shows its realised P&L on today\'s calendar cell; filters narrow the fills', async () => {
    await nav('Chart');
    // BTCUSD trades around the clock: the paper broker fills it whenever the test runs.
    await page.getByLabel('Search symbol').fill('BTCUSD');
    await page.getByRole('option', { name: /^BTCUSD/ }).first().click();
    await trade('Buy', '0.1');
    await trade('Sell', '0.1');

    // What main recorded: the two fills, their prices and commissions.
    const api = await connect(host.port, host.token);
    const read = async () => ((await api.call('fills.list', { limit: 10 })) as Fill[]).filter((f) => f.symbol === 'BTCUSD');
    await expect.poll(async () => (await read()).length).toBe(2);
    const fills = await read();
    api.close();
    expect(fills.map((f) => f.side).sort()).toEqual(['buy', 'sell']);
    const buy = fills.find((f) => f.side === 'buy')!;
    const sell = fills.find((f) => f.side === 'sell')!;
    const realised = (sell.price - buy.price) * 0.1 - Number(buy.commission) - Number(sell.commission);

    await nav('Orders & Positions');
    const expected = await page.evaluate(([v, t]) => ({
      money: new Intl.NumberFormat(undefined, { style: 'currency', currency: 'USD', signDisplay: 'exceptZero' }).format(v),
      day: new Date(t).toLocaleDateString(undefined, { day: 'numeric', month: 'short', year: 'numeric' }),
    }), [Math.round(realised * 100) / 100, sell.time] as const);
    const cell = page.getByRole('table', { name: /^P&L by day/ }).getByRole('cell', { name: new RegExp(`^${expected.day.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}: `) });
    await expect.poll(() => cell.getAttribute('aria-label')).toBe(`${expected.day}: ${expected.money}, 2 fills`);
    expect(await cell.getAttribute('class')).toContain(realised > 0 ? 'pos' : realised < 0 ? 'neg' : 'flat');

    // Filters: the sells only, then a symbol with no fills.
    const fillRows = page.getByRole('table', { name: 'Fills' }).locator('tbody tr');
    expect(await fillRows.count()).toBe(2);
    await page.getByLabel('Filter side').selectOption('sell');
    await expect.poll(() => fillRows.count()).toBe(1);
    expect(await fillRows.first().textContent()).toMatch(/BTCUSD\s*sell/);
    expect(await page.getByRole('table', { name: 'Order history' }).locator('tbody tr').allTextContents()).toEqual([expect.stringMatching(/BTCUSD\s*sell/)]);
    await page.getByLabel('Filter symbol').fill('AAPL');
    await expect.poll(() => fillRows.first().textContent()).toBe('No fills match the filters');
    // A date range that ends before today leaves the fills out, one that holds today keeps them.
    await page.getByRole('button', { name: 'Clear filters' }).click();
    await page.getByLabel('To date').fill('2020-01-31');
    await expect.poll(() => fillRows.first().textContent()).toBe('No fills match the filters');
    await page.getByLabel('To date').fill('');
    await page.getByLabel('From date').fill('2020-01-01');
    await expect.poll(() => fillRows.count()).toBe(2);
    await page.getByRole('button', { name: 'Clear filters' }).click();

    if (SHOTS) {
      mkdirSync(SHOTS, { recursive: true });
      for (const want of ['dark', 'light'] as const) {
        if ((await page.evaluate(() => document.documentElement.dataset['theme'])) !== want) await page.getByRole('button', { name: 'Toggle theme' }).click();
        await page.getByRole('region', { name: 'P&L calendar' }).scrollIntoViewIfNeeded();
        await page.waitForTimeout(200);
        await page.getByRole('region', { name: 'P&L calendar' }).screenshot({ path: join(SHOTS, `pnl-calendar-${want}.png`) });
      }
    }
  });

  it('a disconnected broker account disables the ticket with the reason; the paper account keeps its buttons', async () => {
    sim = await startTwsSim(['--account', 'DU7654321']);
    await nav('Settings');
    const form = page.getByRole('form', { name: 'Interactive Brokers connection' });
    await form.getByLabel('Host').fill('127.0.0.1');
    await form.getByLabel('Port').fill(String(sim.port));
    await form.getByLabel('Client id').fill('31');
    await form.getByRole('radio', { name: 'Paper' }).check();
    await form.getByRole('button', { name: 'Connect', exact: true }).click();
    await expect.poll(() => page.getByRole('banner').getByRole('status', { name: 'Broker connection' }).textContent(), { timeout: 20_000 }).toMatch(/^IB\s*Connected/);
    await nav('Chart');
    const ticket = page.getByRole('form', { name: 'Order ticket' });
    const ib = await ticket.getByLabel('Account').locator('option').filter({ hasText: /^IB/ }).textContent();
    await ticket.getByLabel('Account').selectOption({ label: ib! });
    await ticket.getByRole('button', { name: 'Buy', exact: true }).waitFor();

    // The TWS goes away: the IB account stays listed, its ticket says why it takes no order.
    await sim.stop();
    sim = undefined;
    const reason = ticket.getByRole('note', { name: 'Ticket disabled' });
    await reason.waitFor({ timeout: 20_000 });
    expect(await reason.textContent()).toMatch(new RegExp(`^${ib!.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')} is (disconnected|reconnecting): orders cannot be sent\\.`));
    expect(await ticket.getByRole('button', { name: 'Buy', exact: true }).count()).toBe(0);
    expect(await ticket.getByRole('button', { name: 'Sell', exact: true }).count()).toBe(0);

    // The paper account is always on: its ticket keeps its buttons (whether its order fills is the price feed's matter:
    // with the TWS gone, the failover decides where BTCUSD's price comes from).
    await ticket.getByLabel('Account').selectOption({ label: 'Paper' });
    await expect.poll(() => reason.count()).toBe(0);
    expect(await ticket.getByRole('button', { name: 'Buy', exact: true }).isEnabled()).toBe(true);
    expect(await ticket.getByRole('button', { name: 'Sell', exact: true }).isEnabled()).toBe(true);
  });
});
