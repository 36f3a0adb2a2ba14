// End to end: the Backtests screen in Chromium — a run on demo history, a CSV upload, an optimisation on the worker
// pool with its progress bar and heatmap, saved runs reopened and compared, and a strategy run live on paper from the
// settings ("Run live on paper"), seen acting on the demo market's closed minute bars, then stopped.
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Browser, Page } from 'playwright-core';
import { launchBrowser } from '../support/browser';
import { repoRoot, startHost, type RunningHost } from '../support/web-host';

let browser: Browser;
let host: RunningHost;
let page: Page;

beforeAll(async () => {
  browser = await launchBrowser();
  host = await startHost();
  page = await browser.newPage({ viewport: { width: 1440, height: 1000 } });
  await page.goto(host.url);
  await page.getByRole('navigation').getByRole('button', { name: 'Backtests' }).click();
});

afterAll(async () => {
  await host?.stop();
  await browser?.close();
});

const metric = async (label: string) => Number((await page.getByRole('table', { name: 'Metrics' }).getByRole('row', { name: new RegExp(`^${label}`) }).getByRole('cell').textContent())!.replace(/,/g, ''));

describe('Backtests screen', () => {
  it('runs a backtest on demo history: metrics, trades, charts, saved', async () => {
    await page.getByLabel('Instrument').selectOption('NVDA');
    await page.getByRole('button', { name: 'Run backtest' }).click();
    await page.getByRole('table', { name: 'Metrics' }).waitFor({ timeout: 20_000 });
    const trades = await metric('Trades');
    expect(trades).toBeGreaterThan(0);
    expect(await page.getByRole('table', { name: 'Trades' }).getByRole('row').count()).toBe(trades + 1);
    expect(await page.getByRole('img', { name: 'Price with trades' }).locator('canvas').count()).toBeGreaterThan(0);
    expect(await page.getByRole('img', { name: 'Drawdown of the backtest' }).locator('canvas').count()).toBeGreaterThan(0);
    await page.getByRole('table', { name: 'Saved runs' }).getByRole('row', { name: /sma-cross fast=10 slow=30.*NVDA/ }).waitFor();
  });

  it('runs on an uploaded CSV file and reports a malformed one', async () => {
    await page.getByLabel('Data source').selectOption('csv');
    await page.getByLabel('CSV file').setInputFiles(join(repoRoot, 'tests/fixtures/GOOG.csv'));
    await page.getByLabel('fast', { exact: true }).fill('10');
    await page.getByLabel('slow', { exact: true }).fill('20');
    await page.getByLabel('Commission (fraction)').fill('0.002');
    await page.getByRole('button', { name: 'Run backtest' }).click();
    await page.getByRole('heading', { name: /GOOG\.csv/ }).waitFor({ timeout: 20_000 });
    // The same figures as the CLI gives for this file and these settings.
    expect(await metric('Trades')).toBe(94);
    expect(await metric('Final equity')).toBeCloseTo(55574.51, 1);
    await page.getByLabel('CSV file').setInputFiles({ name: 'bad.csv', mimeType: 'text/csv', buffer: Buffer.from(',Open,High,Low,Close\n2020-01-01,1,2,0.5,1.5\n2020-01-02,1,2,0.5,-3\n') });
    await page.getByRole('button', { name: 'Run backtest' }).click();
    await page.getByRole('alert').filter({ hasText: /bad\.csv: 1 bad row.*row 2: non-positive/ }).waitFor();
  });

  it('charts a long run from its newest bars: older ones join as the view goes back', async () => {
    // 12,000 one-minute bars: more than a backtest price chart holds at first (chart/live-window BACKTEST_HOLD).
    const rows = ['Date,Open,High,Low,Close,Volume'];
    for (let k = 0; k < 12_000; k++) {
      const c = 100 + 10 * Math.sin(k / 300);
      rows.push(`${new Date(Date.UTC(2024, 0, 1) + k * 60_000).toISOString().slice(0, 16).replace('T', ' ')},${c.toFixed(4)},${(c + 0.2).toFixed(4)},${(c - 0.2).toFixed(4)},${c.toFixed(4)},1000`);
    }
    await page.getByLabel('Data source').selectOption('csv');
    await page.getByLabel('CSV file').setInputFiles({ name: 'long.csv', mimeType: 'text/csv', buffer: Buffer.from(rows.join('\n') + '\n') });
    // The form says when it has read the file (a run before that is refused).
    await page.getByText(/^Read long\.csv: 0\.\d MB$/).waitFor();
    await page.getByRole('button', { name: 'Run backtest' }).click();
    await page.getByRole('heading', { name: /long\.csv/ }).waitFor({ timeout: 30_000 });
    const held = page.getByLabel('Bars held');
    expect(await held.textContent()).toMatch(/newest 5,000 of 12,000 bars/);
    // Scrolling back (a horizontal wheel) reaches the oldest bar held: the bars held double, then all are.
    const chart = page.getByRole('img', { name: 'Price with trades' });
    const box = (await chart.boundingBox())!;
    await page.mouse.move(box.x + box.width / 2, box.y + box.height / 2);
    const seen = new Set<string>();
    await expect.poll(async () => {
      if (await held.count()) seen.add((await held.textContent())!.replace(/.*newest ([\d,]+) of.*/, '$1'));
      await page.mouse.wheel(-600, 0);
      return held.count();
    }, { timeout: 20_000, interval: 100 }).toBe(0);
    // The result carried the newest 5,000; the first step back fetched the rest (backtest.bars).
    expect([...seen]).toEqual(['5,000', '10,000']);
    expect(await page.getByRole('table', { name: 'Trades' }).getByRole('row').count()).toBe(await metric('Trades') + 1);
  });

  it('optimises on the worker pool with a progress bar and a heatmap', async () => {
    await page.getByLabel('Data source').selectOption('demo');
    await page.getByLabel('Instrument').selectOption('BTCUSD');
    await page.getByLabel('Bar size').selectOption('1h');
    await page.getByLabel('fast range').fill('2:40:1');
    await page.getByLabel('slow range').fill('20:300:10');
    const seen: number[] = [];
    await page.getByRole('button', { name: 'Optimize' }).click();
    const bar = page.getByRole('progressbar', { name: 'Optimization progress' });
    await bar.waitFor();
    while (await bar.isVisible()) {
      seen.push(Number((await bar.getAttribute('aria-valuenow', { timeout: 500 }).catch(() => null)) ?? NaN));
      await page.waitForTimeout(100);
    }
    await page.getByRole('table', { name: 'Optimization heatmap' }).waitFor({ timeout: 120_000 });
    expect(seen.filter((v) => v > 0 && v < 100).length).toBeGreaterThan(0); // the bar moved between 0 and 100
    const heat = page.getByRole('table', { name: 'Optimization heatmap' });
    expect(await heat.getByRole('row').count()).toBe(1 + 29); // header + slow 20…300
    expect(await page.getByRole('table', { name: 'Top results' }).getByRole('row').count()).toBe(16);
    await page.getByText(/backtests in [\d.]+ s · deflated Sharpe/).waitFor();
    // BTCUSD costs more than the 10,000 of cash: every set is starved by whole-unit sizing, and the screen says so.
    await page.getByRole('alert').filter({ hasText: /1098 of 1098 parameter sets made no trade: size "all" buys whole units/ }).waitFor();
  });

  it('explains a run whose all-in orders cannot buy one whole unit, and trades fractions when asked', async () => {
    // Demo BTCUSD trades far above the 10,000 of cash: "all" affords no whole coin.
    await page.getByLabel('Instrument').selectOption('BTCUSD');
    await page.getByLabel('Bar size').selectOption('1h');
    await page.getByRole('button', { name: 'Run backtest' }).click();
    await page.getByRole('heading', { name: /size=all on BTCUSD 1h/ }).waitFor({ timeout: 20_000 });
    await page.getByRole('alert').filter({ hasText: /orders? got no fill: size "all" buys whole units/ }).waitFor();
    await page.getByLabel('size', { exact: true }).fill('0.05');
    await page.getByRole('button', { name: 'Run backtest' }).click();
    await page.getByRole('heading', { name: /size=0\.05 on BTCUSD 1h/ }).waitFor({ timeout: 20_000 });
    expect(await page.getByRole('table', { name: 'Trades' }).locator('tbody tr').count()).toBeGreaterThan(0);
    expect(await page.getByRole('alert').filter({ hasText: /got no fill/ }).count()).toBe(0);
    // An optimisation of fast/slow keeps the size the trader set: 0.05 of a coin trades.
    await page.getByRole('button', { name: 'Optimize' }).click();
    await page.getByText(/backtests in [\d.]+ s · deflated Sharpe/).waitFor({ timeout: 60_000 });
    const top = page.getByRole('table', { name: 'Top results' });
    expect(Number(await top.locator('tbody tr').first().locator('td').last().textContent())).toBeGreaterThan(0);
    expect(await page.getByRole('alert').filter({ hasText: /made no trade/ }).count()).toBe(0);
    // 5/20 crosses trade so often on hourly bars that 1 % commissions eat the account: the screen says when it went.
    await page.getByLabel('fast', { exact: true }).fill('5');
    await page.getByLabel('slow', { exact: true }).fill('20');
    await page.getByLabel('size', { exact: true }).fill('0.1');
    await page.getByLabel('Commission (fraction)').fill('0.01');
    await page.getByRole('button', { name: 'Run backtest' }).click();
    await page.getByRole('heading', { name: /fast=5 slow=20 .*size=0\.1 on BTCUSD 1h/ }).waitFor({ timeout: 20_000 });
    await page.getByRole('alert').filter({ hasText: /The account was wiped out: equity fell to -?[\d.]+ on \d{4}-\d{2}-\d{2}/ }).waitFor();
    await page.getByLabel('Commission (fraction)').fill('0.001');
    await page.getByLabel('fast', { exact: true }).fill('10');
    await page.getByLabel('slow', { exact: true }).fill('30');
    await page.getByLabel('size', { exact: true }).fill('all');
  });

  it('limits a run to a date range', async () => {
    await page.getByLabel('Bar size').selectOption('1d');
    await page.getByLabel('Instrument').selectOption('AAPL');
    await page.getByLabel('From', { exact: true }).fill('2025-06-01');
    await page.getByLabel('To', { exact: true }).fill('2025-12-31');
    await page.getByRole('button', { name: 'Run backtest' }).click();
    await page.getByRole('heading', { name: /AAPL 1d \(demo\) 2025-06-01 → 2025-12-31/ }).waitFor({ timeout: 20_000 });
    const dates = await page.getByRole('table', { name: 'Trades' }).locator('tbody tr td:first-child').allTextContents();
    expect(dates.length).toBeGreaterThan(0);
    for (const d of dates) expect(d >= '2025-06-01' && d <= '2025-12-31').toBe(true);
    await page.getByLabel('From', { exact: true }).fill('');
    await page.getByLabel('To', { exact: true }).fill('');
  });

  it('runs and optimises a portfolio strategy (factor rotation) over several demo instruments', async () => {
    await page.getByLabel('Strategy').selectOption('rotation');
    for (const s of ['NVDA', 'JPM', 'KO']) await page.getByRole('checkbox', { name: s, exact: true }).check();
    await page.getByRole('button', { name: 'Run backtest' }).click();
    await page.getByRole('heading', { name: /rotation .* on AAPL, MSFT, NVDA, JPM, KO/ }).waitFor({ timeout: 20_000 });
    const symbols = new Set(await page.getByRole('table', { name: 'Trades' }).locator('tbody tr td:first-child').allTextContents());
    expect(symbols.size).toBeGreaterThan(1);
    for (const s of symbols) expect(['AAPL', 'MSFT', 'NVDA', 'JPM', 'KO']).toContain(s);
    // Optimised on the worker pool like a single-instrument strategy: lookback × top.
    await page.getByLabel('lookback range').fill('20:80:20');
    await page.getByLabel('top range').fill('1,2,3');
    await page.getByRole('button', { name: 'Optimize' }).click();
    await page.getByRole('heading', { name: /rotation optimisation \(sharpe\) on AAPL, MSFT, NVDA, JPM, KO/ }).waitFor({ timeout: 60_000 });
    expect(await page.getByRole('table', { name: 'Optimization heatmap' }).getByRole('row').count()).toBe(1 + 3);
    await page.getByText(/^12 backtests in/).waitFor();
    await page.getByLabel('Strategy').selectOption('sma-cross');
  });

  it('reopens saved runs and compares two backtests side by side', async () => {
    const saved = page.getByRole('table', { name: 'Saved runs' });
    await saved.getByRole('row', { name: /optimization/ }).first().waitFor();
    const compare = saved.getByRole('checkbox');
    expect(await compare.count()).toBeGreaterThanOrEqual(2);
    await compare.nth(0).check();
    await compare.nth(1).check();
    const table = page.getByRole('table', { name: 'Comparison' });
    await table.waitFor();
    expect(await table.getByRole('columnheader').count()).toBe(3);
    await saved.getByRole('button', { name: /Open sma-cross fast=10 slow=30.*NVDA/ }).click();
    await page.getByRole('heading', { name: /NVDA 1d/ }).waitFor();
  });

  it('runs a strategy live on paper from the backtest settings, shows it acting on closed bars, and stops it', async () => {
    const table = page.getByRole('table', { name: 'Live strategies' });
    await table.getByText(/No live strategies/).waitFor();
    await page.getByLabel('Instrument').selectOption('BTCUSD'); // trades around the clock
    await page.getByLabel('fast', { exact: true }).fill('2');
    await page.getByLabel('slow', { exact: true }).fill('3');
    await page.getByLabel('size', { exact: true }).fill('0.001');
    await page.getByLabel('Live timeframe').selectOption('1m');
    await page.getByRole('button', { name: 'Run live on paper' }).click();
    const row = table.getByRole('row', { name: /sma-cross fast=2 slow=3 .*size=0\.001 on BTCUSD/ });
    await row.waitFor();
    expect(await row.getByRole('cell').nth(2).textContent()).toMatch(/^running/);
    // The last closed bar it has seen moves on when the next minute closes (pushed by the `strategies` event).
    const lastBar = row.getByRole('cell').nth(3);
    const first = await lastBar.textContent();
    expect(first).not.toBe('—');
    await expect.poll(() => lastBar.textContent(), { timeout: 75_000, interval: 500 }).not.toBe(first);
    await page.screenshot({ path: join(tmpdir(), 'qc-live-strategies.png') }); // looked at by hand; README has one
    // Bad parameters are refused with the reason.
    await page.getByLabel('slow', { exact: true }).fill('x');
    await page.getByRole('button', { name: 'Run live on paper' }).click();
    await page.getByRole('alert').filter({ hasText: /slow must be a number/ }).waitFor();
    await page.getByRole('button', { name: /Stop sma-cross on BTCUSD/ }).click();
    await expect.poll(() => row.getByRole('cell').nth(2).textContent()).toMatch(/^stopped/);
    expect(await page.getByRole('button', { name: /Stop sma-cross on BTCUSD/ }).count()).toBe(0);
    // A portfolio strategy runs live on the chosen instruments.
    await page.getByLabel('Strategy').selectOption('rotation');
    await page.getByRole('button', { name: 'Run live on paper' }).click();
    const rotation = table.getByRole('row', { name: /^rotation .* on AAPL, MSFT, NVDA, JPM, KO/ });
    await rotation.waitFor();
    expect(await rotation.getByRole('cell').nth(2).textContent()).toMatch(/^running/);
    await page.getByRole('button', { name: /Stop rotation on AAPL/ }).click();
    await expect.poll(() => rotation.getByRole('cell').nth(2).textContent()).toMatch(/^stopped/);
  }, 120_000);
});
