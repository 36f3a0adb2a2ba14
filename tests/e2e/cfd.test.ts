// End to end in Chromium: a paper CFD account (config brokers.paper_cfd) buys BTCUSD on 2:1 margin through the ticket
// (the risk percent taken from a saved backtest's Kelly fraction, then a size from risk), the top bar shows its margin level below the alert level, a demo price shock (test fault,
// SIGUSR2) drives it below the stop-out level, and the blotter shows why the position was closed.
import Database from 'better-sqlite3';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Browser } from 'playwright-core';
import { launchBrowser } from '../support/browser';
import { connect } from '../support/host-process';
import { startHost, tempDataDir, type RunningHost } from '../support/web-host';

const SYMBOL = 'BTCUSD'; // 24/7: fills at any hour; ESMA retail leverage 2:1

let browser: Browser;
let host: RunningHost;
let dataDir: string;

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
  dataDir = tempDataDir('qc-e2e-cfd-');
  writeFileSync(join(dataDir, 'config.yaml'), [
    'risk:', '  max_position_size: 1', '  max_order_notional: 10000000', '  margin_alert_level: 150',
    // A position of 1.8 × equity in bitcoin is far beyond the default VaR budget (2 % of NAV): this test is about margin.
    '  max_portfolio_risk: null',
    'brokers:', '  paper_cfd:', '    enabled: true', '    initial_cash: 10000', '    stop_out_level: 50', '',
  ].join('\n'));
  host = await startHost({ dataDir, env: { QC_TEST_FAULTS: `price-shock=${SYMBOL}:0.5` } });
});

afterAll(async () => {
  await host?.stop();
  await browser?.close();
});

describe('paper CFD account in Chromium', () => {
  it('is stopped out after a price shock and the blotter says why', async () => {
    // A saved backtest for the Kelly option: its trades give W and R (the expected fraction worked out here).
    const api = await connect(host.port, host.token);
    const run = await api.call<{ id: string; trades: { pnl: number }[] }>('backtest.run', { strategy: 'sma-cross', source: { kind: 'demo', symbol: SYMBOL, timeframe: '1h' }, params: { fast: 5, slow: 20 }, cash: 1_000_000 });
    api.close();
    const wins = run.trades.filter((t) => t.pnl > 0);
    const losses = run.trades.filter((t) => t.pnl < 0);
    expect(wins.length * losses.length, `${run.trades.length} trades`).toBeGreaterThan(0);
    const w = wins.length / run.trades.length;
    const r = (wins.reduce((a, t) => a + t.pnl, 0) / wins.length) / Math.abs(losses.reduce((a, t) => a + t.pnl, 0) / losses.length);
    const kelly = Math.min(Math.max(w - (1 - w) / r, 0), 0.25);

    const page = await browser.newPage({ viewport: { width: 1440, height: 900 } });
    page.on('pageerror', (e) => console.error('page error:', e.message));
    await page.goto(host.url);
    await page.getByLabel('Search symbol').fill(SYMBOL);
    await page.getByRole('option', { name: new RegExp(SYMBOL) }).first().click();
    await expect.poll(() => page.getByLabel('Symbol', { exact: true }).inputValue()).toBe(SYMBOL);
    await page.getByLabel('Account').selectOption({ label: 'Paper CFD' });
    let last = NaN;
    await expect.poll(async () => (last = Number(((await page.getByTestId('last-price').textContent()) ?? '').replace(/[^\d.]/g, '')))).toBeGreaterThan(0);

    // Size from risk: 1 % of 10,000 = 100 USD over a stop 1 % below the price → 100 / (0.01 × price) BTC.
    await page.getByText('Size from risk').click();
    await page.getByLabel('Risk from a backtest (Kelly)').selectOption({ index: 1 });
    await expect.poll(() => page.getByLabel('Risk', { exact: true }).inputValue()).toBe((kelly * 100).toFixed(2));
    await page.getByLabel('Risk', { exact: true }).fill('1');
    await page.getByLabel('Stop distance').fill((last * 0.01).toFixed(2));
    await page.getByRole('button', { name: 'Compute size' }).click();
    const sized = page.getByRole('status', { name: 'Risk size' });
    await expect.poll(() => sized.textContent()).toMatch(/^[\d.]+ units .* risks [\d.]+ of 100\.00 USD/);
    await sized.getByRole('button', { name: 'Use' }).click();
    expect(Number(await page.getByLabel('Quantity').inputValue())).toBeCloseTo(100 / (last * 0.01), 2);

    // Then a position worth 1.8 × equity: margin at 2:1 is 90 % of equity, a level of ~111 % (below the 150 % alert).
    const quantity = Math.floor((18_000 / last) * 1000) / 1000;
    await page.getByLabel('Quantity').fill(String(quantity));
    await page.getByRole('button', { name: 'Buy' }).click();
    await expect.poll(() => page.locator('.ticket-status').textContent(), { timeout: 15_000 }).toMatch(/Filled/);
    const margin = page.getByRole('banner').getByRole('status', { name: 'Margin level' });
    await expect.poll(() => margin.textContent(), { timeout: 10_000 }).toMatch(/⚠ Margin 1\d\d\.\d\d % Paper CFD · below the alert level/);

    // Half the price: equity ~1,000 over ~4,500 of margin, ~22 % < 50 %: the desk closes the position.
    host.signal('SIGUSR2');
    await expect.poll(() => query<{ n: number }>("select count(*) as n from orders where source = 'stop-out' and status = 'filled'")[0]!.n, { timeout: 20_000 }).toBe(1);
    const [order] = query<{ symbol: string; side: string; note: string; account_id: string }>("select symbol, side, note, account_id from orders where source = 'stop-out'");
    expect(order).toMatchObject({ symbol: SYMBOL, side: 'sell', account_id: 'PAPER-CFD-1' });
    expect(order!.note).toMatch(/^stop-out: margin level \d+ % < 50 %$/);

    await page.getByRole('navigation').getByRole('button', { name: /Orders/ }).click();
    const row = page.getByRole('table', { name: 'Order history' }).getByRole('row', { name: new RegExp(`${SYMBOL}.*stop-out: margin level \\d+ % < 50 %`) });
    await expect.poll(() => row.count(), { timeout: 10_000 }).toBe(1);
    expect(await row.textContent()).toContain(order!.note);
    // Flat again: the top bar says so.
    await expect.poll(() => margin.textContent(), { timeout: 10_000 }).toMatch(/Margin — Paper CFD · no positions/);
    await page.close();
  });
});
