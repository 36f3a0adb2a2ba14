// End to end: the Data sources screen and the Chart's source tag in Chromium, with the web host's Yahoo provider sent to
// the local Yahoo fixture server. Yahoo is the configured primary and the demo market the fallback, so the test can
// break the primary (HTTP 503 at the fixture) and watch the instrument fail over, and back.
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Browser, Page } from 'playwright-core';
import { launchBrowser } from '../support/browser';
import { startHost, tempDataDir, type RunningHost } from '../support/web-host';
import { startYahooFixtureServer, type YahooFixtureServer } from '../support/yahoo-fixture-server';

let browser: Browser;
let host: RunningHost;
let yahoo: YahooFixtureServer;
let page: Page;

const SHOTS = process.env['SCREENSHOT_DIR'];

beforeAll(async () => {
  yahoo = await startYahooFixtureServer();
  const dataDir = tempDataDir();
  writeFileSync(join(dataDir, 'config.yaml'), `
data_providers:
  yahoo: { endpoint: "${yahoo.url}", rate_limit: 2000, timeout: 5, retry_attempts: 1 }
api_strategy:
  primary_data: yahoo
  stale_after: 2
  failback_after: 3
  poll_interval: 1
  health_check_interval: 2
  circuit_breaker: { failure_threshold: 2, open_for: 2 }
  cross_validation: { enabled: true, threshold: 0.02, interval: 3 }
  priority: { quotes: [yahoo, demo], bars: [yahoo, demo] }
`);
  browser = await launchBrowser();
  host = await startHost({ dataDir });
  page = await browser.newPage({ viewport: { width: 1440, height: 900 } });
  await page.goto(host.url);
});

afterAll(async () => {
  await host?.stop();
  await browser?.close();
  await yahoo?.close();
});

const tag = () => page.getByTestId('price-source');
const sourceRow = (name: string) => page.getByRole('table', { name: 'Data sources' }).getByRole('row', { name });

describe('Data sources', () => {
  it('the Chart names the source of the price: Yahoo as the primary', async () => {
    await page.getByRole('navigation').getByRole('button', { name: 'Chart' }).click();
    await expect.poll(async () => tag().textContent(), { timeout: 20_000 }).toBe('Yahoo');
    expect(await tag().getAttribute('class')).not.toMatch(/fallback/);
    expect(yahoo.count('quote')).toBeGreaterThan(0);
    expect(yahoo.count('chart')).toBeGreaterThan(0); // the chart's bars came from Yahoo too
  });

  it('the panel shows each provider with health, circuit, rate usage; divergences are flagged', async () => {
    await page.getByRole('navigation').getByRole('button', { name: 'Data sources' }).click();
    const y = sourceRow('Yahoo');
    await expect.poll(async () => y.textContent(), { timeout: 15_000 }).toMatch(/quotes #1.*healthy.*closed.*\d+ \/ 2000/);
    expect(await sourceRow('Demo').textContent()).toMatch(/streaming.*quotes #2.*healthy.*closed.*no limit/);
    // The fixture's prices are not the demo market's: cross-validation flags them.
    const divergences = page.getByRole('table', { name: 'Price divergences' });
    await expect.poll(async () => divergences.getByRole('row', { name: /^BTCUSD last price/ }).count(), { timeout: 20_000 }).toBe(1); // one current flag, not one per check
    expect(await divergences.getByRole('row', { name: /^BTCUSD last price/ }).textContent()).toMatch(/Yahoo.*Demo.*\d+\.\d\d %/);
    expect(await page.getByRole('table', { name: 'Instrument feeds' }).getByRole('row', { name: 'AAPL' }).textContent()).toMatch(/^AAPLYahoo/);
    if (SHOTS) await page.screenshot({ path: join(SHOTS, 'data-sources-healthy.png') });
  });

  it('Yahoo answers 503: its circuit opens, the instrument is fed by the demo market, tagged as a fallback', async () => {
    yahoo.fault({ type: 'status', status: 503 });
    const y = sourceRow('Yahoo');
    await expect.poll(async () => y.textContent(), { timeout: 20_000 }).toMatch(/down.*open/);
    await expect.poll(async () => y.textContent(), { timeout: 10_000 }).toMatch(/HTTP 503/);
    const aapl = page.getByRole('table', { name: 'Instrument feeds' }).getByRole('row', { name: 'AAPL' });
    await expect.poll(async () => aapl.textContent(), { timeout: 10_000 }).toMatch(/Demo \(fallback\)/);
    if (SHOTS) await page.screenshot({ path: join(SHOTS, 'data-sources-failover.png') });
    await page.getByRole('navigation').getByRole('button', { name: 'Chart' }).click();
    await expect.poll(async () => tag().textContent(), { timeout: 10_000 }).toBe('Demo (fallback)');
    expect(await tag().getAttribute('class')).toMatch(/fallback/);
    if (SHOTS) await page.screenshot({ path: join(SHOTS, 'chart-fallback.png') });
  });

  it('Yahoo recovers: the probe closes its circuit and the instrument fails back after the hysteresis', async () => {
    yahoo.fault(null);
    await page.getByRole('navigation').getByRole('button', { name: 'Chart' }).click();
    await expect.poll(async () => tag().textContent(), { timeout: 30_000 }).toBe('Yahoo');
    await page.getByRole('navigation').getByRole('button', { name: 'Data sources' }).click();
    await expect.poll(async () => sourceRow('Yahoo').textContent(), { timeout: 10_000 }).toMatch(/healthy.*closed/);
  });
});
