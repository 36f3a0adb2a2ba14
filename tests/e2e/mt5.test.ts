// End to end in Chromium, MetaTrader 5 on the stand-in package: the built web host as a child process whose environment
// puts tests/mt5/stand-in first on PYTHONPATH, so the bridge it starts (tools/mt5-bridge/bridge.py) imports the stand-in
// as `MetaTrader5`. Settings → Venues connects the MT5 account next to the paper one (account number and server in the
// form, the password typed once as the venue's secret, only "set" comes back); the ticket buys EURUSD on it; the fill
// shows in the ticket and the position in the Positions table, and the stand-in terminal holds the deal. Screenshots in
// both themes (SHOTS).
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Browser, Page } from 'playwright-core';
import { launchBrowser } from '../support/browser';
import { standIn, STAND_IN_LOGIN, STAND_IN_PASSWORD, type StandIn } from '../mt5/harness';
import { repoRoot, startHost, tempDataDir, type RunningHost } from '../support/web-host';

const SHOTS = process.env['QC_SCREENSHOTS'] === '1' ? join(repoRoot, 'resources/screenshots') : undefined;

let browser: Browser;
let host: RunningHost;
let terminal: StandIn;

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
  terminal = standIn();
  terminal.setPrices({ EURUSD: [1.08512, 1.08524] });
  const dataDir = tempDataDir('qc-e2e-mt5-');
  writeFileSync(join(dataDir, 'config.yaml'), ['risk:', '  max_position_size: 1', 'brokers:', '  mt5:', '    server: StandIn-Demo', ''].join('\n'));
  host = await startHost({ dataDir, env: terminal.env });
});

afterAll(async () => {
  await host?.stop();
  await browser?.close();
});

describe('MetaTrader 5 (stand-in) in Chromium', () => {
  it('connects from Settings next to the paper account, buys EURUSD from the ticket and shows the fill and the position', async () => {
    const page = await browser.newPage({ viewport: { width: 1440, height: 900 } });
    page.on('pageerror', (e) => console.error('page error:', e.message));
    await page.goto(host.url);

    await nav(page, 'Settings');
    const form = page.getByRole('form', { name: 'MetaTrader 5 connection' });
    await expect.poll(() => form.getByTestId('venue-mt5-secret-state').textContent()).toBe('not set');
    // config.yaml's brokers.mt5 fills the form; Python defaults to python3 off Windows.
    expect(await form.getByLabel('Trade server (optional)').inputValue()).toBe('StandIn-Demo');
    expect(await form.getByLabel('Python').inputValue()).toBe('python3');
    await form.getByLabel('Account number (optional)').fill(STAND_IN_LOGIN);
    await form.getByLabel('Account password', { exact: true }).fill(STAND_IN_PASSWORD);
    await form.getByRole('button', { name: 'Connect', exact: true }).click();
    await expect.poll(() => form.getByTestId('venue-mt5-secret-state').textContent()).toBe('set');
    expect(await form.getByLabel('Account password', { exact: true }).inputValue()).toBe('');
    await expect.poll(() => form.getByTestId('venue-mt5-state').textContent(), { timeout: 20_000 }).toBe('connected');
    const accounts = page.getByRole('table', { name: 'Connected accounts' });
    await expect.poll(() => accounts.getByRole('row').allTextContents()).toEqual(expect.arrayContaining([
      expect.stringMatching(/^Paper/), expect.stringMatching(/^MT5 ••345.*connected/),
    ]));
    expect(await page.content()).not.toContain(STAND_IN_PASSWORD);
    await shots(page, 'mt5-connect');

    // The ticket: buy 10,000 EURUSD (0.1 lots) on the MT5 account; it fills at the stand-in's ask.
    await nav(page, 'Chart');
    await page.getByLabel('Search symbol').fill('EURUSD');
    await page.getByRole('option', { name: /EURUSD/ }).first().click();
    await expect.poll(() => page.getByLabel('Symbol', { exact: true }).inputValue()).toBe('EURUSD');
    await page.getByLabel('Account').selectOption({ label: 'MT5 ••345' });
    await page.getByLabel('Quantity').fill('10000');
    await page.getByRole('button', { name: 'Buy' }).click();
    await expect.poll(() => page.locator('.ticket-status').textContent(), { timeout: 20_000 }).toMatch(/Filled: Buy 10,?000 EURUSD/);
    expect(terminal.state().deals.map((d) => [d.symbol, d.volume])).toEqual([['EURUSD', 0.1]]);
    await shots(page, 'mt5-ticket');

    await nav(page, /Orders/);
    const positions = page.getByRole('table', { name: 'Positions' });
    await expect.poll(() => positions.getByRole('row', { name: /EURUSD/ }).allTextContents(), { timeout: 20_000 }).toEqual([expect.stringMatching(/^EURUSD\s*10,000\s*1\.08524.*MT5 ••345/)]);
    await expect.poll(() => page.getByRole('table', { name: 'Fills' }).getByRole('row', { name: /EURUSD\s*buy\s*10,000.*MT5 ••345/ }).count()).toBe(1);
    await shots(page, 'mt5-position');
    await page.close();
  });
});
