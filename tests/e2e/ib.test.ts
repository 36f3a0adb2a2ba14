// End to end, Interactive Brokers: Settings → Connections in Chromium against the built web host and the TWS simulator.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Browser, Locator, Page } from 'playwright-core';
import { launchBrowser } from '../support/browser';
import { startHost, tempDataDir, type RunningHost } from '../support/web-host';

let browser: Browser;
let host: RunningHost;

async function visible(locator: Locator, timeout = 10_000): Promise<void> {
  await locator.first().waitFor({ state: 'visible', timeout });
}

async function openTerminal(url: string): Promise<Page> {
  const page = await browser.newPage({ viewport: { width: 1440, height: 900 } });
  page.on('pageerror', (e) => console.error('page error:', e.message));
  await page.goto(url);
  return page;
}

const nav = (page: Page, name: string | RegExp) => page.getByRole('navigation', { name: 'Screens' }).getByRole('button', { name }).click();
const brokerStatus = (page: Page) => page.getByRole('banner').getByRole('status', { name: 'Broker connection' });

beforeAll(async () => {
  browser = await launchBrowser();
  host = await startHost({ dataDir: tempDataDir('qc-e2e-ib-') });
});

afterAll(async () => {
  await host?.stop();
  await browser?.close();
});

describe('Settings → Connections on the paper session', () => {
  it('shows the paper broker as connected, the DEMO badge and no LIVE badge', async () => {
    const page = await openTerminal(host.url);
    await expect.poll(() => brokerStatus(page).textContent()).toMatch(/Paper\s*Connected/);
    await visible(page.getByRole('banner').getByText('DEMO', { exact: true }));
    expect(await page.getByText('LIVE', { exact: true }).count()).toBe(0);
    // The transport's own state only shows when the link to Quant Claude is down.
    expect(await page.getByRole('status', { name: 'Connection', exact: true }).count()).toBe(0);
    await page.close();
  });

  it('names each bad field next to it and sends nothing', async () => {
    const page = await openTerminal(host.url);
    await nav(page, 'Settings');
    const form = page.getByRole('form', { name: 'Interactive Brokers connection' });
    await expect.poll(() => form.getByLabel('Port').inputValue()).toBe('7497'); // the contract's default, from main
    await form.getByLabel('Host').fill('');
    await form.getByLabel('Port').fill('74a97');
    await form.getByLabel('Client id').fill('-1');
    await form.getByRole('button', { name: 'Connect', exact: true }).click();
    await visible(form.getByText(/Host is required/));
    await visible(form.getByText('Port must be a whole number from 1 to 65535'));
    await visible(form.getByText(/Client id must be a whole number from 0/));
    expect(await form.getByLabel('Port').getAttribute('aria-invalid')).toBe('true');
    // Nothing reached main: the session is still the paper one and no server error is shown.
    await expect.poll(() => brokerStatus(page).textContent()).toMatch(/Paper\s*Connected/);
    expect(await form.locator('.settings-failure').count()).toBe(0);
    // A preset fills the port and the mode.
    await form.getByLabel('Preset').selectOption({ label: 'Gateway paper (4002)' });
    expect(await form.getByLabel('Port').inputValue()).toBe('4002');
    expect(await form.getByRole('radio', { name: 'Paper' }).isChecked()).toBe(true);
    await page.close();
  });

  it('live mode asks for confirmation: nothing is sent until LIVE is typed', async () => {
    const page = await openTerminal(host.url);
    await nav(page, 'Settings');
    const form = page.getByRole('form', { name: 'Interactive Brokers connection' });
    await form.getByLabel('Preset').selectOption({ label: 'TWS live (7496)' });
    expect(await form.getByRole('radio', { name: /Live/ }).isChecked()).toBe(true);
    await form.getByRole('button', { name: 'Connect live…' }).click();
    const dialog = page.getByRole('dialog', { name: /real money/ });
    await visible(dialog);
    const confirm = dialog.getByRole('button', { name: 'Connect live' });
    expect(await confirm.isDisabled()).toBe(true);
    await dialog.getByLabel('Type LIVE to confirm').fill('live');
    expect(await confirm.isDisabled()).toBe(true);
    await dialog.getByRole('button', { name: 'Cancel' }).click();
    expect(await dialog.count()).toBe(0);
    expect(await form.locator('.settings-failure').count()).toBe(0);
    await page.close();
  });

  it('the theme can be chosen in Settings', async () => {
    const page = await openTerminal(host.url);
    await nav(page, 'Settings');
    const theme = () => page.evaluate(() => document.documentElement.dataset['theme']);
    await expect.poll(theme).toBe('dark');
    await page.getByRole('radio', { name: 'Light' }).check();
    await expect.poll(theme).toBe('light');
    await page.getByRole('radio', { name: 'Dark' }).check();
    await expect.poll(theme).toBe('dark');
    await page.close();
  });
});
