// End to end in Chromium on the demo market (issue 17 item 7): a live strategy (SMA 1/2 cross on BTCUSD minute bars,
// which trades within a few minutes) started from the Backtests screen; once it has traded, the Divergence screen
// compares it with the backtest of the same strategy over the same bars: counts that add up, the price differences of
// matched trades, the equity and drift chart, and the report kept across a reload. With QC_SCREENSHOTS=1 the screen is
// captured in both themes.
import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Browser, Page } from 'playwright-core';
import { launchBrowser } from '../support/browser';
import { repoRoot, startHost, type RunningHost } from '../support/web-host';

const SHOTS = process.env['QC_SCREENSHOTS'] === '1' ? join(repoRoot, 'resources/screenshots') : undefined;

let browser: Browser;
let host: RunningHost;
let page: Page;

beforeAll(async () => {
  browser = await launchBrowser();
  // The demo market is a pure function of the minute, so a pinned clock makes the live run's bars the same every run:
  // from 16:03 UTC on 1 December 2026 BTCUSD's 1m closes turn at the bars closing 1, 2 and 3 minutes after start (a
  // cross of SMA 1 and 2 each time). On the wall clock a run could meet minutes without a turn and time out.
  host = await startHost({ env: { QC_TEST_FAULTS: 'clock-from=2026-12-01T16:03:00Z' } });
  page = await browser.newPage({ viewport: { width: 1440, height: 1000 } });
  page.on('pageerror', (e) => console.error('page error:', e.message));
  await page.goto(host.url);
});

afterAll(async () => {
  await host?.stop();
  await browser?.close();
});

const nav = (name: string) => page.getByRole('navigation', { name: 'Screens' }).getByRole('button', { name, exact: true }).click();
const figure = async (label: string) => Number((await page.getByRole('group', { name: 'Divergence figures' }).locator('div', { hasText: label }).locator('b').textContent())!.replace(/[^\d.+−-]/g, '').replace('−', '-'));

describe('Live vs backtest divergence in Chromium', () => {
  it('reports a live strategy beside its backtest over the same bars', async () => {
    await nav('Backtests');
    await page.getByLabel('Instrument').selectOption('BTCUSD');
    await page.getByLabel('fast', { exact: true }).fill('1');
    await page.getByLabel('slow', { exact: true }).fill('2');
    await page.getByLabel('size', { exact: true }).fill('0.001');
    await page.getByLabel('Live timeframe').selectOption('1m');
    await page.getByRole('button', { name: 'Run live on paper' }).click();
    await page.getByRole('table', { name: 'Live strategies' }).getByRole('row', { name: /sma-cross fast=1 slow=2 .* on BTCUSD/ }).waitFor();

    await nav('Divergence');
    await expect.poll(() => page.getByLabel('Live strategy').locator('option').allTextContents(), { timeout: 20_000 }).toEqual([expect.stringMatching(/^sma-cross on BTCUSD 1m · running$/)]);
    const compare = page.getByRole('button', { name: 'Compare with backtest' });
    // Minute bars close once a minute: compare until the live run has traded (a cross of SMA 1 and 2 comes within minutes).
    await expect.poll(async () => {
      await compare.click();
      await expect.poll(() => compare.isEnabled()).toBe(true);
      return (await page.getByRole('group', { name: 'Divergence figures' }).count()) ? figure('Live trades') : 0;
    }, { timeout: 300_000, interval: 15_000 }).toBeGreaterThanOrEqual(1);

    const live = await figure('Live trades');
    const backtest = await figure('Backtest trades');
    const matched = await figure('Matched');
    const missed = await figure('Missed');
    const extra = await figure('Extra');
    expect(matched + missed).toBe(backtest);
    expect(matched + extra).toBe(live);
    // The same strategy on the same bars makes the same first decision: at least that trade is matched.
    expect(matched).toBeGreaterThanOrEqual(1);
    expect(await page.getByRole('table', { name: 'Matched trades' }).locator('tbody tr').count()).toBe(Math.max(1, matched));
    expect(await page.getByRole('table', { name: 'Missed trades' }).locator('tbody tr').count()).toBe(Math.max(1, missed));
    {
      // Same strategy, same bars: a live market order fills at the quote after the bar, the backtest at the next open.
      const diffs = await page.getByRole('table', { name: 'Matched trades' }).locator('tbody tr td:nth-child(6)').allTextContents();
      for (const d of diffs) expect(Math.abs(Number(d.replace(/[^\d.+-]/g, '')))).toBeLessThan(200);
    }
    await page.getByRole('img', { name: 'Live and backtest equity with the drift' }).locator('canvas').first().waitFor();
    await page.getByText(/manual report of/).waitFor();

    // Stored: the report is there after a reload of the page.
    await page.reload();
    await nav('Divergence');
    await expect.poll(async () => ((await page.getByRole('group', { name: 'Divergence figures' }).count()) ? figure('Live trades') : -1), { timeout: 20_000 }).toBe(live);

    if (SHOTS) {
      mkdirSync(SHOTS, { recursive: true });
      for (const theme of ['light', 'dark'] as const) {
        if ((await page.evaluate(() => document.documentElement.dataset['theme'])) !== theme) await page.getByRole('button', { name: 'Toggle theme' }).click();
        await expect.poll(() => page.evaluate(() => document.documentElement.dataset['theme'])).toBe(theme);
        await page.waitForTimeout(300);
        await page.locator('main').screenshot({ path: join(SHOTS, `divergence-${theme}.png`) });
      }
    }
  }, 420_000);
});
