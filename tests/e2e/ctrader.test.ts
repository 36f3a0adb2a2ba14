// End to end in Chromium, cTrader: the Open API simulator (`npm run ctrader-sim`) as a child process, the built web
// host as another. Settings → Venues connects the cTrader account next to the paper one (client id in the form, client
// secret and access token typed once into the secrets store, only "set" comes back); the ticket buys EURUSD on it and
// the fill and the position show in the blotter, matching the simulator's own position. Screenshots in both themes.
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Browser, Page } from 'playwright-core';
import { launchBrowser } from '../support/browser';
import { CT_ACCESS_TOKEN, CT_ACCOUNT, CT_CLIENT_ID, CT_CREDENTIALS, startCtraderSim, type RunningCtraderSim } from '../support/ctrader-sim-process';
import { repoRoot, startHost, tempDataDir, type RunningHost } from '../support/web-host';

// With QC_SCREENSHOTS=1 the README's screenshots are taken (resources/screenshots); a plain test run writes nothing.
const SHOTS = process.env['QC_SCREENSHOTS'] === '1' ? join(repoRoot, 'resources/screenshots') : undefined;

let browser: Browser;
let host: RunningHost;
let sim: RunningCtraderSim;

const nav = (page: Page, name: string | RegExp) => page.getByRole('navigation', { name: 'Screens' }).getByRole('button', { name }).click();
const theme = (page: Page) => page.evaluate(() => document.documentElement.dataset['theme']);

/** The same view in both themes: `<name>-dark.png`, `<name>-light.png` (the page is left dark). */
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
  sim = await startCtraderSim(['--tick-ms', '500', '--heartbeat-ms', '1000']);
  const dataDir = tempDataDir('qc-e2e-ctrader-');
  writeFileSync(join(dataDir, 'config.yaml'), ['risk:', '  max_position_size: 1', ''].join('\n'));
  host = await startHost({ dataDir });
});

afterAll(async () => {
  await host?.stop();
  await sim?.stop();
  await browser?.close();
});

describe('cTrader in Chromium', () => {
  it('connects from Settings next to the paper account, buys EURUSD from the ticket, and shows the fill and the position', async () => {
    const page = await browser.newPage({ viewport: { width: 1440, height: 900 } });
    page.on('pageerror', (e) => console.error('page error:', e.message));
    await page.goto(host.url);

    await nav(page, 'Settings');
    const form = page.getByRole('form', { name: 'cTrader connection' });
    await expect.poll(() => form.getByTestId('venue-ctrader-secret-state').textContent()).toBe('not set');
    expect(await form.getByLabel('Environment').inputValue()).toBe('demo');
    await form.getByLabel('Client id').fill(CT_CLIENT_ID);
    await form.getByLabel('WebSocket URL (optional)').fill(sim.url);
    await form.getByLabel('Client secret and access token', { exact: true }).fill(CT_CREDENTIALS);
    await form.getByRole('button', { name: 'Connect', exact: true }).click();
    await expect.poll(() => form.getByTestId('venue-ctrader-secret-state').textContent()).toBe('set');
    expect(await form.getByLabel('Client secret and access token', { exact: true }).inputValue()).toBe('');
    await expect.poll(() => form.getByTestId('venue-ctrader-state').textContent(), { timeout: 20_000 }).toBe('connected');
    const accounts = page.getByRole('table', { name: 'Connected accounts' });
    await expect.poll(() => accounts.getByRole('row').allTextContents()).toEqual(expect.arrayContaining([
      expect.stringMatching(/^Paper/), expect.stringMatching(/^cTrader ••••456.*connected/),
    ]));
    expect(await page.content()).not.toContain(CT_ACCESS_TOKEN);
    expect(await page.content()).not.toContain(String(CT_ACCOUNT));
    // The picture shows the accounts table: cTrader next to the paper account.
    await accounts.scrollIntoViewIfNeeded();
    await shots(page, 'ctrader-connect');

    await nav(page, 'Chart');
    await page.getByLabel('Search symbol').fill('EURUSD');
    await page.getByRole('option', { name: /EURUSD/ }).first().click();
    await expect.poll(() => page.getByLabel('Symbol', { exact: true }).inputValue()).toBe('EURUSD');
    await page.getByLabel('Account').selectOption({ label: 'cTrader ••••456' });
    await page.getByLabel('Quantity').fill('5000');
    await page.getByRole('button', { name: 'Buy' }).click();
    await expect.poll(() => page.locator('.ticket-status').textContent(), { timeout: 15_000 }).toMatch(/Filled: Buy 5,?000 EURUSD/);
    await shots(page, 'ctrader-ticket');

    await nav(page, /Orders/);
    await expect.poll(() => page.getByRole('table', { name: 'Positions' }).getByRole('row', { name: /EURUSD\s*5,?000\b.*cTrader ••••456/ }).count(), { timeout: 15_000 }).toBe(1);
    await expect.poll(() => page.getByRole('table', { name: 'Fills' }).getByRole('row', { name: /EURUSD\s*buy\s*5,?000\b.*cTrader/ }).count(), { timeout: 15_000 }).toBe(1);
    const state = await sim.state();
    expect(state.positions).toEqual([expect.objectContaining({ symbol: 'EURUSD', tradeSide: 1, volume: 500_000 })]);
    await shots(page, 'ctrader-blotter');
    await page.close();
  });
});
