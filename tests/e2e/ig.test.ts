// End to end in Chromium, IG: the simulator (`npm run ig-sim`) as a child process, the built web host as another.
// Settings → Venues connects the IG account next to the paper one (identifier in the form, the API key and password
// typed once as the venue's secret, only "set" comes back); the ticket buys EURUSD on it; the fill shows in the ticket
// and the position in the Positions table, and the simulator holds the deal. Screenshots in both themes (SHOTS).
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Browser, Page } from 'playwright-core';
import { launchBrowser } from '../support/browser';
import { SIM_ACCOUNT, SIM_API_KEY, SIM_IDENTIFIER, SIM_PASSWORD, SIM_SECRET, startIgSim, type RunningIgSim } from '../support/ig-sim-process';
import { repoRoot, startHost, tempDataDir, type RunningHost } from '../support/web-host';

const SHOTS = process.env['QC_SCREENSHOTS'] === '1' ? join(repoRoot, 'resources/screenshots') : undefined;

let browser: Browser;
let host: RunningHost;
let sim: RunningIgSim;

const nav = (page: Page, name: string | RegExp) => page.getByRole('navigation', { name: 'Screens' }).getByRole('button', { name }).click();
const theme = (page: Page) => page.evaluate(() => document.documentElement.dataset['theme']);

async function shots(page: Page, name: string): Promise<void> {
  if (!SHOTS) return;
  for (const want of ['dark', 'light'] as const) {
    if ((await theme(page)) !== want) await page.getByRole('button', { name: 'Toggle theme' }).click();
    await expect.poll(() => theme(page)).toBe(want);
    await page.evaluate(() => (document.activeElement as HTMLElement | null)?.blur());
    await page.mouse.move(700, 880);
    await page.waitForTimeout(300);
    await page.screenshot({ path: join(SHOTS, `${name}-${want}.png`) });
  }
  await page.getByRole('button', { name: 'Toggle theme' }).click();
  await expect.poll(() => theme(page)).toBe('dark');
}

beforeAll(async () => {
  if (SHOTS) mkdirSync(SHOTS, { recursive: true });
  browser = await launchBrowser();
  // IG's real allowances on (30 non-trading requests a minute): the venue's default polling keeps within them.
  sim = await startIgSim(['--tick-ms', '500', '--non-trading-per-minute', '30', '--trading-per-minute', '100']);
  const dataDir = tempDataDir('qc-e2e-ig-');
  writeFileSync(join(dataDir, 'config.yaml'), ['risk:', '  max_position_size: 1', ''].join('\n'));
  host = await startHost({ dataDir });
});

afterAll(async () => {
  await host?.stop();
  await sim?.stop();
  await browser?.close();
});

describe('IG in Chromium', () => {
  it('connects from Settings next to the paper account, buys EURUSD from the ticket and shows the fill and the position', async () => {
    const page = await browser.newPage({ viewport: { width: 1440, height: 900 } });
    page.on('pageerror', (e) => console.error('page error:', e.message));
    await page.goto(host.url);

    await nav(page, 'Settings');
    const form = page.getByRole('form', { name: 'IG connection' });
    await expect.poll(() => form.getByTestId('venue-ig-secret-state').textContent()).toBe('not set');
    expect(await form.getByLabel('Environment').inputValue()).toBe('demo');
    await form.getByLabel('Identifier (user name)').fill(SIM_IDENTIFIER);
    await form.getByLabel('API key and password', { exact: true }).fill(SIM_SECRET);
    await form.getByLabel('REST URL (optional)').fill(sim.url);
    await form.getByRole('button', { name: 'Connect', exact: true }).click();
    await expect.poll(() => form.getByTestId('venue-ig-secret-state').textContent()).toBe('set');
    expect(await form.getByLabel('API key and password', { exact: true }).inputValue()).toBe('');
    await expect.poll(() => form.getByTestId('venue-ig-state').textContent(), { timeout: 20_000 }).toBe('connected');
    const accounts = page.getByRole('table', { name: 'Connected accounts' });
    await expect.poll(() => accounts.getByRole('row').allTextContents()).toEqual(expect.arrayContaining([
      expect.stringMatching(/^Paper/), expect.stringMatching(/^IG ••654.*connected/),
    ]));
    for (const secret of [SIM_API_KEY, SIM_PASSWORD, SIM_ACCOUNT]) expect(await page.content()).not.toContain(secret);
    await shots(page, 'ig-connect');

    // The ticket: buy 10,000 EURUSD (0.1 IG contracts) on the IG account.
    await nav(page, 'Chart');
    await page.getByLabel('Search symbol').fill('EURUSD');
    await page.getByRole('option', { name: /EURUSD/ }).first().click();
    await expect.poll(() => page.getByLabel('Symbol', { exact: true }).inputValue()).toBe('EURUSD');
    await page.getByLabel('Account').selectOption({ label: 'IG ••654' });
    await page.getByLabel('Quantity').fill('10000');
    await page.getByRole('button', { name: 'Buy' }).click();
    await expect.poll(() => page.locator('.ticket-status').textContent(), { timeout: 20_000 }).toMatch(/Filled: Buy 10,?000 EURUSD/);
    const deals = (await sim.state()).deals;
    expect(deals.map((d) => [d.epic, d.direction, d.size])).toEqual([['CS.D.EURUSD.CFD.IP', 'BUY', 0.1]]);
    await shots(page, 'ig-ticket');

    await nav(page, /Orders/);
    const positions = page.getByRole('table', { name: 'Positions' });
    await expect.poll(() => positions.getByRole('row', { name: /EURUSD/ }).allTextContents(), { timeout: 20_000 }).toEqual([expect.stringMatching(/^EURUSD\s*10,000\s*1\.0\d+.*IG ••654/)]); // quantity, then the average price
    await expect.poll(() => page.getByRole('table', { name: 'Fills' }).getByRole('row', { name: /EURUSD\s*buy\s*10,000.*IG ••654/ }).count()).toBe(1);
    await shots(page, 'ig-position');
    await page.close();
  });
});
