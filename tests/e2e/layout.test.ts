// End to end: every screen at a phone, two laptop and a desktop viewport, in Chromium through the web host. The page
// must never scroll sideways (wide tables scroll inside their own panel), and on a phone the screens are a bottom tab
// bar, the chart gets the width and the ticket's buttons are on screen. The Backtests screen is checked with saved
// runs and a comparison open, where it overflowed before.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Browser, Page } from 'playwright-core';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { launchBrowser } from '../support/browser';
import { connect } from '../support/host-process';
import { repoRoot, startHost, type RunningHost } from '../support/web-host';

const VIEWPORTS = [
  { width: 390, height: 844 },
  { width: 1280, height: 720 },
  { width: 1440, height: 900 },
  { width: 1920, height: 1080 },
];
const SCREENS = ['Overview', 'Chart', 'Orders & Positions', 'Portfolio', 'Analytics', 'Risk', 'Screening', 'Factor lab', 'Replay', 'Divergence', 'Tax', 'Backtests', 'Macro', 'Data sources', 'Operations', 'Settings'];

let browser: Browser;
let host: RunningHost;

beforeAll(async () => {
  browser = await launchBrowser();
  host = await startHost();
  // A ledger of four accounts in two currencies, with EUR/USD closes, so the investment screens show their tables.
  const api = await connect(host.port, host.token);
  await api.call('portfolio.import', { format: 'csv', text: readFileSync(join(repoRoot, 'tests/fixtures/portfolio/ledger.csv'), 'utf8') });
  await api.call('portfolio.import', { format: 'ib-flex', text: readFileSync(join(repoRoot, 'tests/fixtures/ib-flex-two-accounts.xml'), 'utf8') });
  const days = Array.from({ length: 1200 }, (_, i) => new Date(Date.UTC(2023, 11, 20 + i)).toISOString().slice(0, 10)).filter((d) => d < new Date().toISOString().slice(0, 10));
  await api.call('data.import', { symbol: 'EURUSD', timeframe: '1d', name: 'EURUSD.csv', text: ['Date,Close', ...days.map((d) => `${d},1.1`)].join('\n'), mapping: { time: 0, timeFormat: 'date', close: 1 } });
  api.close();
  // Two saved backtests to list and compare.
  const page = await browser.newPage({ viewport: { width: 1440, height: 900 } });
  await page.goto(host.url);
  await page.getByRole('navigation').getByRole('button', { name: 'Backtests' }).click();
  for (const symbol of ['NVDA', 'AAPL']) {
    await page.getByLabel('Instrument').selectOption(symbol);
    await page.getByRole('button', { name: 'Run backtest' }).click();
    await page.getByRole('table', { name: 'Saved runs' }).getByRole('row', { name: new RegExp(`sma-cross.*${symbol}`) }).waitFor({ timeout: 30_000 });
  }
  await page.close();
}, 120_000);

afterAll(async () => {
  await host?.stop();
  await browser?.close();
});

/** How far the page, or the screen's own scroll area, reaches past the viewport sideways (0 = fits). */
async function overflow(page: Page): Promise<{ page: number; content: number; widest: string }> {
  return page.evaluate(() => {
    const doc = document.documentElement;
    const content = document.querySelector('main.content')!;
    // The element reaching furthest right, for the failure message.
    let widest = '';
    let right = 0;
    for (const el of Array.from(content.querySelectorAll('*'))) {
      const r = el.getBoundingClientRect();
      if (r.right > right && r.width > 0) {
        right = r.right;
        widest = `${el.tagName.toLowerCase()}${el.className && typeof el.className === 'string' ? `.${el.className.split(' ').join('.')}` : ''} (${Math.round(r.right)} px)`;
      }
    }
    return { page: doc.scrollWidth - doc.clientWidth, content: content.scrollWidth - content.clientWidth, widest };
  });
}

describe.each(VIEWPORTS)('at $width×$height', ({ width, height }) => {
  let page: Page;
  beforeAll(async () => {
    page = await browser.newPage({ viewport: { width, height } });
    page.on('pageerror', (e) => console.error('page error:', e.message));
    await page.goto(host.url);
    await page.getByRole('navigation').getByRole('button', { name: 'Overview' }).waitFor();
  });
  afterAll(() => page?.close());

  it.each(SCREENS)('%s fits the width', async (screen) => {
    await page.getByRole('navigation').getByRole('button', { name: screen, exact: true }).click();
    await expect.poll(() => page.getByRole('navigation').getByRole('button', { name: screen, exact: true }).getAttribute('aria-current')).toBe('page');
    if (screen === 'Backtests') {
      await page.getByRole('table', { name: 'Saved runs' }).getByRole('row', { name: /NVDA/ }).waitFor();
      // Open one run and compare both: the widest state of the screen.
      await page.getByRole('button', { name: /^Open sma-cross.*NVDA/ }).first().click();
      await page.getByRole('table', { name: 'Metrics' }).waitFor({ timeout: 20_000 });
      for (const box of await page.getByRole('checkbox', { name: /^Compare/ }).all()) await box.check();
      await page.getByRole('table', { name: 'Comparison' }).waitFor();
    }
    if (screen === 'Portfolio') await page.getByRole('table', { name: 'Holdings' }).locator('tbody tr').nth(6).waitFor();
    if (screen === 'Analytics') await page.getByRole('table', { name: 'Returns by period' }).waitFor({ timeout: 30_000 });
    if (screen === 'Tax') await page.getByRole('table', { name: 'Harvesting candidates' }).waitFor();
    if (screen === 'Macro') await page.getByRole('region', { name: 'Series DGS10' }).waitFor({ timeout: 20_000 });
    if (screen === 'Risk') await page.getByRole('table', { name: 'VaR table' }).waitFor({ timeout: 30_000 });
    if (screen === 'Screening') await page.getByRole('table', { name: 'Ranked stocks' }).waitFor({ timeout: 30_000 });
    if (screen === 'Factor lab') await page.getByRole('table', { name: 'Information coefficient' }).waitFor({ timeout: 60_000 });
    if (screen === 'Replay') await page.getByRole('region', { name: 'Replay timeline' }).waitFor();
    if (screen === 'Divergence') await page.getByRole('region', { name: 'Divergence' }).waitFor();
    if (screen === 'Operations') await page.getByRole('table', { name: 'Health checks' }).waitFor({ timeout: 20_000 });
    if (screen === 'Chart') await page.getByRole('img', { name: /chart/i }).first().locator('canvas').first().waitFor();
    await page.waitForTimeout(300); // charts size themselves on the next frame
    const o = await overflow(page);
    expect(o.page, `the page scrolls sideways by ${o.page} px; widest: ${o.widest}`).toBeLessThanOrEqual(0);
    expect(o.content, `the screen scrolls sideways by ${o.content} px; widest: ${o.widest}`).toBeLessThanOrEqual(0);
  });

  it('lays the shell out for the width', async () => {
    const nav = (await page.getByRole('navigation', { name: 'Screens' }).boundingBox())!;
    await page.getByRole('navigation').getByRole('button', { name: 'Chart', exact: true }).click();
    const chart = page.getByRole('img', { name: /chart/i }).first();
    await chart.locator('canvas').first().waitFor();
    const chartBox = (await chart.boundingBox())!;
    const sell = (await page.getByRole('button', { name: /^Sell/ }).first().boundingBox())!;
    const buy = (await page.getByRole('button', { name: /^Buy/ }).first().boundingBox())!;
    // The chart's tools sit over the plot's top left in one row (at phone width they wrapped to three, over a third
    // of the plot); all of them stay reachable.
    const tools = page.getByRole('toolbar', { name: 'Chart tools' }).first();
    expect((await tools.boundingBox())!.height).toBeLessThan(32);
    await tools.getByLabel('Time zone').scrollIntoViewIfNeeded();
    expect(await tools.getByLabel('Time zone').isVisible()).toBe(true);
    if (width < 700) {
      // A bottom tab bar across the width; the chart takes the width; the ticket (scrolled to) is entirely on screen.
      expect(nav.y + nav.height).toBeGreaterThanOrEqual(height - 1);
      expect(nav.width).toBeGreaterThanOrEqual(width - 1);
      expect(chartBox.width).toBeGreaterThanOrEqual(width * 0.85);
      await page.getByRole('button', { name: /^Sell/ }).first().scrollIntoViewIfNeeded();
      const sellNow = (await page.getByRole('button', { name: /^Sell/ }).first().boundingBox())!;
      expect(sellNow.x + sellNow.width).toBeLessThanOrEqual(width);
      expect(sellNow.y + sellNow.height).toBeLessThanOrEqual(nav.y + 1);
    } else {
      // The side menu on the left, the chart beside it, the ticket's buttons inside the window.
      expect(nav.x).toBe(0);
      expect(nav.width).toBeLessThan(width * 0.2);
      expect(chartBox.x).toBeGreaterThanOrEqual(nav.width);
      expect(sell.x + sell.width).toBeLessThanOrEqual(width);
      expect(buy.x).toBeGreaterThanOrEqual(0);
    }
  });
});
