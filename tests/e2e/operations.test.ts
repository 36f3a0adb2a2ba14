// End to end, Operations (issue 18) in Chromium against the built web host and the TWS simulator (a real child
// process): the health dot and the Health view turning to warn when the simulator goes silent (its feed goes stale),
// the Monitoring charts, and the log viewer with its filters. The app's clock runs from a Tuesday afternoon in New
// York (QC_TEST_FAULTS clock-from) so the US market is open whenever the test runs: a closed market's silence is normal.
// Monitoring and Logs then run on a second host on real time.
// With QC_SCREENSHOTS=1 the three views are captured in both themes.
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Browser, Locator, Page } from 'playwright-core';
import { launchBrowser } from '../support/browser';
import { startTwsSim, type RunningSim } from '../support/tws-sim-process';
import { repoRoot, startHost, tempDataDir, type RunningHost } from '../support/web-host';

const SHOTS = process.env['QC_SCREENSHOTS'] === '1' ? join(repoRoot, 'resources/screenshots') : undefined;

let browser: Browser;
let host: RunningHost;
let sim: RunningSim;
let page: Page;

beforeAll(async () => {
  browser = await launchBrowser();
  sim = await startTwsSim(['--account', 'DU7654321', '--tick-ms', '100']);
  const dataDir = tempDataDir('qc-e2e-ops-');
  writeFileSync(join(dataDir, 'config.yaml'), 'data_providers:\n  yahoo: { enabled: false }\napi_strategy:\n  stale_after: 2\n');
  host = await startHost({ dataDir, env: { QC_TEST_FAULTS: 'clock-from=2026-12-01T16:00:00Z,metrics-sample-ms=500' } });
  page = await browser.newPage({ viewport: { width: 1440, height: 900 } });
  page.on('pageerror', (e) => console.error('page error:', e.message));
  await page.goto(host.url);
});

afterAll(async () => {
  await host?.stop();
  await sim?.stop();
  await browser?.close();
});

const nav = (name: string) => page.getByRole('navigation', { name: 'Screens' }).getByRole('button', { name }).click();
const dot = () => page.getByRole('banner').getByRole('button', { name: /^Health: / });
const tab = (name: string) => page.getByRole('tablist', { name: 'Operations' }).getByRole('tab', { name }).click();
const checkRow = (name: string) => page.getByRole('table', { name: 'Health checks' }).getByRole('row', { name, exact: true });

async function shots(name: string, what: Locator): Promise<void> {
  if (!SHOTS) return;
  mkdirSync(SHOTS, { recursive: true });
  for (const theme of ['light', 'dark'] as const) {
    if ((await page.evaluate(() => document.documentElement.dataset['theme'])) !== theme) await page.getByRole('button', { name: 'Toggle theme' }).click();
    await expect.poll(() => page.evaluate(() => document.documentElement.dataset['theme'])).toBe(theme);
    await page.waitForTimeout(300); // the charts repaint in the theme's colours
    await what.screenshot({ path: join(SHOTS, `${name}-${theme}.png`) });
  }
}

describe('Operations', () => {
  it('the health dot opens the Health view; a silent TWS makes the IB feed stale: warn', async () => {
    await nav('Settings');
    const form = page.getByRole('form', { name: 'Interactive Brokers connection' });
    await form.getByLabel('Host').fill('127.0.0.1');
    await form.getByLabel('Port').fill(String(sim.port));
    await form.getByLabel('Client id').fill('31');
    await form.getByRole('radio', { name: 'Paper' }).check();
    await form.getByRole('button', { name: 'Connect', exact: true }).click();
    await expect.poll(() => page.getByRole('banner').getByRole('status', { name: 'Broker connection' }).textContent(), { timeout: 20_000 }).toMatch(/^IB\s*Connected/);

    await dot().click();
    await page.getByRole('region', { name: 'Health' }).waitFor();
    await expect.poll(() => checkRow('ib:quote-age').getAttribute('class'), { timeout: 20_000 }).toMatch(/\bpass\b/);
    expect(await checkRow('database:connectivity').getAttribute('class')).toMatch(/\bpass\b/);
    // A fresh data folder has no backup yet: that alone warns.
    expect(await checkRow('backup:age').textContent()).toMatch(/warn.*No backup in the data folder yet/);
    await expect.poll(() => dot().getAttribute('aria-label')).toBe('Health: warn');

    sim.command('silent on');
    await expect.poll(() => checkRow('ib:quote-age').textContent(), { timeout: 20_000 }).toMatch(/^warn.*No quote for \d+ s \(stale after 2 s\)/);
    expect(await page.getByRole('status', { name: 'Overall health' }).textContent()).toBe('warn');
    await shots('operations-health', page.getByRole('region', { name: 'Health' }));
    sim.command('silent off');
    // The IB session's lines are in the log viewer, its account id nowhere.
    await tab('Logs');
    await expect.poll(() => page.getByRole('table', { name: 'Log lines' }).textContent(), { timeout: 10_000 }).toContain('IB: connected');
    expect(await page.getByRole('table', { name: 'Log lines' }).textContent()).not.toContain('DU7654321');
  }, 90_000);

  it('Monitoring: charts of the key series fill with samples', async () => {
    // A host on real time: the renderer's tick-to-UI is measured against the quotes' times (the shifted clock's
    // quotes look two days old to the browser and are left out).
    await host.stop();
    await page.close();
    host = await startHost({ dataDir: tempDataDir('qc-e2e-ops-monitoring-'), env: { QC_TEST_FAULTS: 'metrics-sample-ms=500' } });
    page = await browser.newPage({ viewport: { width: 1440, height: 900 } });
    page.on('pageerror', (e) => console.error('page error:', e.message));
    await page.goto(host.url);
    await dot().click();
    await tab('Monitoring');
    for (const name of ['API requests', 'Quotes per second', 'Orders, fills, rejections', 'Tick to UI (p95)', 'Event loop lag', 'Memory', 'CPU']) {
      await page.getByRole('figure', { name }).waitFor();
    }
    await expect.poll(async () => Number((await page.getByRole('region', { name: 'Monitoring' }).getByText(/samples \(every 15 s/).textContent())?.split(' ')[0]), { timeout: 20_000 }).toBeGreaterThan(5);
    expect(await page.getByRole('figure', { name: 'Quotes per second' }).textContent()).toMatch(/quotes\/s [1-9]/);
    expect(await page.getByRole('figure', { name: 'Memory' }).locator('canvas').count()).toBeGreaterThan(0);
    // The renderer's tick-to-UI reports (every 5 s) reach the samples.
    await expect.poll(() => page.getByRole('figure', { name: 'Tick to UI (p95)' }).textContent(), { timeout: 20_000 }).toMatch(/tick→UI p95 \d/);
    // Tall enough for all eight charts in one picture.
    await page.setViewportSize({ width: 1440, height: 1300 });
    await shots('operations-monitoring', page.getByRole('region', { name: 'Monitoring' }));
    await page.setViewportSize({ width: 1440, height: 900 });
  }, 60_000);

  it('Logs: newest first, filtered by text and level', async () => {
    await tab('Logs');
    const rows = page.getByRole('table', { name: 'Log lines' }).getByRole('row');
    await expect.poll(() => rows.count(), { timeout: 10_000 }).toBeGreaterThan(2);
    await page.getByLabel('Text filter').fill('Quant Claude started');
    await expect.poll(() => rows.count()).toBe(2); // the header and the one line
    expect(await rows.nth(1).textContent()).toMatch(/info\s*Quant Claude started/);
    await page.getByLabel('Text filter').fill('');
    await page.getByLabel('Log level').selectOption('fatal');
    await expect.poll(() => page.getByRole('table', { name: 'Log lines' }).textContent()).toMatch(/No line matches/);
    await page.getByLabel('Log level').selectOption('info');
    await expect.poll(() => rows.count()).toBeGreaterThan(2);
    await shots('operations-logs', page.getByRole('region', { name: 'Logs' }));
  }, 60_000);
});
