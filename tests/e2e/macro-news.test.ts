// End to end in Chromium, offline: the web host's FRED client sent to the FRED fixture server and its Yahoo provider to
// the Yahoo fixture server. The Macro screen first says how to add the missing FRED key; the key typed into Data
// sources → API keys (it never comes back), the default series chart with their units and last observation dates; a
// series is removed, an unknown one refused, one added. The Chart screen shows the symbol's headlines beside the chart
// with their sentiment and the symbol's mean. Screenshots in both themes with QC_SCREENSHOTS=1.
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Browser, Page } from 'playwright-core';
import { launchBrowser } from '../support/browser';
import { FRED_FIXTURE_SERIES, fixtureObservations, startFredFixtureServer, type FredFixtureServer } from '../support/fred-fixture-server';
import { repoRoot, startHost, tempDataDir, type RunningHost } from '../support/web-host';
import { startYahooFixtureServer, type YahooFixtureServer } from '../support/yahoo-fixture-server';

const SHOTS = process.env['QC_SCREENSHOTS'] === '1' ? join(repoRoot, 'resources/screenshots') : undefined;
const KEY = 'e2efredkey0123456789abcdefghijkl';

let browser: Browser;
let host: RunningHost;
let fred: FredFixtureServer;
let yahoo: YahooFixtureServer;
let page: Page;

const nav = (name: string) => page.getByRole('navigation', { name: 'Screens' }).getByRole('button', { name, exact: true }).click();
const theme = () => page.evaluate(() => document.documentElement.dataset['theme']);

/** The same view in both themes: `<name>-dark.png`, `<name>-light.png` (the page is left dark). */
async function shots(name: string): Promise<void> {
  if (!SHOTS) return;
  for (const want of ['dark', 'light'] as const) {
    if ((await theme()) !== want) await page.getByRole('button', { name: 'Toggle theme' }).click();
    await expect.poll(theme).toBe(want);
    await page.evaluate(() => {
      (document.activeElement as HTMLElement | null)?.blur();
      document.querySelector('main.content')?.scrollTo(0, 0);
    });
    // Over the navigation: no crosshair on a chart.
    await page.mouse.move(80, 800);
    await page.waitForTimeout(400);
    await page.screenshot({ path: join(SHOTS, `${name}-${want}.png`) });
  }
  await page.getByRole('button', { name: 'Toggle theme' }).click();
  await expect.poll(theme).toBe('dark');
}

beforeAll(async () => {
  if (SHOTS) mkdirSync(SHOTS, { recursive: true });
  fred = await startFredFixtureServer({ apiKey: KEY });
  yahoo = await startYahooFixtureServer();
  const dataDir = tempDataDir();
  writeFileSync(join(dataDir, 'config.yaml'), `
data_providers:
  yahoo: { endpoint: "${yahoo.url}", timeout: 5, retry_attempts: 1 }
  fred: { endpoint: "${fred.url}", timeout: 5 }
`);
  browser = await launchBrowser();
  host = await startHost({ dataDir });
  page = await browser.newPage({ viewport: { width: 1440, height: 900 } });
  await page.goto(host.url);
});

afterAll(async () => {
  await host?.stop();
  await browser?.close();
  await fred?.close();
  await yahoo?.close();
});

describe('Macro screen', () => {
  it('without a key, says where to add one; with the key, charts the default series with units and last dates', async () => {
    await nav('Macro');
    const alert = page.getByRole('alert', { name: 'FRED key missing' });
    await expect.poll(() => alert.textContent(), { timeout: 20_000 }).toMatch(/No FRED API key.*Data sources → API keys → FRED/);
    expect(fred.count()).toBe(0);
    // The link leads to the key form.
    await alert.getByRole('button', { name: /Data sources/ }).click();
    await page.getByLabel('FRED API key').fill(KEY);
    await page.getByRole('row', { name: 'FRED' }).getByRole('button', { name: 'Save' }).click();
    await expect.poll(() => page.getByTestId('key-state-fred').textContent()).toBe('set');
    await nav('Macro');
    await page.getByRole('button', { name: 'Refresh' }).click();
    await expect.poll(() => page.getByRole('img', { name: /chart$/ }).count(), { timeout: 20_000 }).toBe(5);
    expect(await alert.count()).toBe(0);
    const now = Date.now();
    for (const s of FRED_FIXTURE_SERIES) {
      const lastDate = fixtureObservations(s, now).filter((o) => o.value !== '.').at(-1)!.date;
      const meta = await page.getByTestId(`macro-meta-${s.id}`).textContent();
      expect(meta).toContain(`${s.units} (${s.seasonal_adjustment_short}) · ${s.frequency}`);
      expect(meta).toContain(`last observation ${lastDate}`);
    }
    // The key went to FRED as api_key and came back to no renderer.
    expect(fred.requests.at(-1)!.params['api_key']).toBe(KEY);
    expect(await page.content()).not.toContain(KEY);
    await shots('macro');
  });

  it('removes a series, refuses an unknown id, adds one back', async () => {
    await page.getByRole('button', { name: 'Remove FEDFUNDS' }).click();
    await expect.poll(() => page.getByRole('region', { name: 'Series FEDFUNDS' }).count()).toBe(0);
    await page.getByLabel('FRED series id').fill('t10y2y');
    await page.getByRole('button', { name: 'Add series' }).click();
    await expect.poll(() => page.getByRole('status').filter({ hasText: 'FRED has no series T10Y2Y' }).count(), { timeout: 10_000 }).toBe(1);
    await page.getByLabel('FRED series id').fill('fedfunds');
    await page.getByRole('button', { name: 'Add series' }).click();
    await expect.poll(() => page.getByTestId('macro-meta-FEDFUNDS').textContent(), { timeout: 10_000 }).toMatch(/^Percent \(NSA\) · Monthly/);
    // The last one added comes last.
    expect(await page.getByRole('region', { name: /^Series / }).evaluateAll((els) => els.map((e) => e.getAttribute('aria-label')))).toEqual(
      ['Series GDP', 'Series CPIAUCSL', 'Series UNRATE', 'Series DGS10', 'Series FEDFUNDS'],
    );
  });
});

describe('News beside the chart', () => {
  it('shows the symbol\'s headlines with a sentiment score each and the mean', async () => {
    await nav('Chart');
    await page.getByLabel('Search symbol').fill('AAPL');
    await page.getByRole('option', { name: /AAPL/ }).first().click();
    const list = page.getByRole('list', { name: 'Headlines about AAPL' });
    await expect.poll(() => list.getByRole('listitem').count(), { timeout: 20_000 }).toBe(6);
    const rows = await list.getByRole('listitem').allTextContents();
    // Scores hand-checked in src-main/domain/sentiment/score.test.ts.
    expect(rows[0]).toMatch(/^\+0\.71Apple beats estimates as record revenue lifts sharesReuters/);
    expect(rows[1]).toMatch(/^−0\.60Apple shares fall after analyst downgrade/);
    expect(rows[2]).toMatch(/^0\.00Apple to present at investor conference/);
    expect(rows[3]).toMatch(/^−0\.50Apple cuts guidance, citing uncertainty over demand.*uncertain/);
    expect(rows[4]).toMatch(/^\+0\.20Apple does not expect a slowdown/);
    expect(rows[5]).toMatch(/^\+0\.56Apple raises dividend and announces buyback/);
    expect(await list.getByLabel('Sentiment positive').count()).toBe(3);
    expect(await list.getByLabel('Sentiment negative').count()).toBe(2);
    expect(await page.getByTestId('news-aggregate').textContent()).toBe('neutral +0.06');
    expect(yahoo.requests.some((r) => r.endpoint === 'search' && r.params['q'] === 'AAPL' && r.params['newsCount'] === '8')).toBe(true);
    await shots('chart-news');
  });
});
