// End to end in Chromium (issue 18): Settings backs up on demand, stages a restore that the next start applies (the
// order placed after the backup is gone, the old database kept aside), and shows config.yaml edited by hand while the
// terminal runs as a version with its diff, restorable from the list.
// With QC_SCREENSHOTS=1 the Backups and Configuration history sections are captured in both themes.
import { existsSync, mkdirSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Browser, Page } from 'playwright-core';
import { DEFAULT_CONFIG_YAML } from '../../src-main/config/config';
import { launchBrowser } from '../support/browser';
import { repoRoot, startHost, tempDataDir, type RunningHost } from '../support/web-host';

const SHOTS = process.env['QC_SCREENSHOTS'] === '1' ? join(repoRoot, 'resources/screenshots') : undefined;

let browser: Browser;
let host: RunningHost;
let page: Page;
const dataDir = tempDataDir('qc-e2e-operations-');

async function open(): Promise<void> {
  host = await startHost({ dataDir });
  page = await browser.newPage({ viewport: { width: 1440, height: 1000 } });
  page.on('pageerror', (e) => console.error('page error:', e.message));
  await page.goto(host.url);
  await page.getByRole('navigation', { name: 'Screens' }).getByRole('button', { name: 'Settings', exact: true }).click();
}

beforeAll(async () => {
  browser = await launchBrowser();
  await open();
});

afterAll(async () => {
  await host?.stop();
  await browser?.close();
});

/** One API call from the page, on its own WebSocket (same origin and token). */
function call<T>(method: string, params: unknown): Promise<T> {
  return page.evaluate(async ([method, params]) => {
    const token = new URL(location.href).searchParams.get('token') ?? '';
    const ws = new WebSocket(`ws://${location.host}/api?token=${token}`);
    await new Promise((r) => (ws.onopen = r));
    try {
      return await new Promise<unknown>((resolve, reject) => {
        ws.onmessage = (e) => {
          const frame = JSON.parse(String(e.data)) as { id?: number; result?: unknown; error?: { message: string } };
          if (frame.id !== 1) return;
          if (frame.error) reject(new Error(frame.error.message));
          else resolve(frame.result);
        };
        ws.send(JSON.stringify({ id: 1, method, params }));
      });
    } finally {
      ws.close();
    }
  }, [method, params] as const) as Promise<T>;
}

async function shots(name: string, what: ReturnType<Page['locator']>): Promise<void> {
  if (!SHOTS) return;
  mkdirSync(SHOTS, { recursive: true });
  for (const theme of ['light', 'dark'] as const) {
    if ((await page.evaluate(() => document.documentElement.dataset['theme'])) !== theme) await page.getByRole('button', { name: 'Toggle theme' }).click();
    await expect.poll(() => page.evaluate(() => document.documentElement.dataset['theme'])).toBe(theme);
    await what.screenshot({ path: join(SHOTS, `${name}-${theme}.png`) });
  }
}

const backups = () => page.getByRole('region', { name: 'Backups' });
const history = () => page.getByRole('region', { name: 'Configuration history' });

describe('operations in Settings', () => {
  it('the configuration history shows a hand edit with its diff and restores a version', async () => {
    await expect.poll(() => history().getByRole('table', { name: 'Configuration versions' }).getByRole('row').count()).toBe(2); // header + start
    writeFileSync(join(dataDir, 'config.yaml'), DEFAULT_CONFIG_YAML.replace('max_order_notional: 50000', 'max_order_notional: 75000'));
    const rows = history().getByRole('table', { name: 'Configuration versions' }).getByRole('row');
    await expect.poll(() => rows.count(), { timeout: 20_000 }).toBe(3);
    await rows.nth(1).click();
    const diff = history().getByLabel('Diff');
    await expect.poll(() => diff.textContent()).toContain('+  max_order_notional: 75000');
    expect(await diff.locator('.del').first().textContent()).toContain('-  max_order_notional: 50000');
    await shots('settings-config-history', history());

    // The first version back: the file holds it again, the restore is a version of its own.
    await rows.nth(2).getByRole('button', { name: 'Restore' }).click();
    await expect.poll(() => history().getByRole('status').textContent()).toMatch(/config\.yaml is version #1 again; it applies at the next start/);
    expect(readFileSync(join(dataDir, 'config.yaml'), 'utf8')).toBe(DEFAULT_CONFIG_YAML);
    await expect.poll(() => rows.nth(1).textContent()).toContain('restore #1');
  }, 90_000);

  it('backs up on demand, stages a restore, and the next start uses the backup', async () => {
    const first = await call<{ order: { id: string } }>('orders.place', { symbol: 'BTCUSD', side: 'buy', type: 'market', quantity: 0.001 });
    await backups().getByRole('button', { name: 'Back up now' }).click();
    await expect.poll(() => backups().getByRole('status').first().textContent(), { timeout: 20_000 }).toMatch(/^Backed up: qc-manual-\d{4}-\d\d-\d\dT\d\d-\d\d-\d\dZ\.sqlite \(\d+ (KB|MB), integrity ok\)$/);
    const files = backups().getByRole('table', { name: 'Backup files' }).getByRole('row');
    await expect.poll(() => files.count()).toBe(2);
    // An order after the backup: the restore will not have it.
    const later = await call<{ order: { id: string } }>('orders.place', { symbol: 'BTCUSD', side: 'sell', type: 'market', quantity: 0.001 });

    await files.nth(1).getByRole('button', { name: 'Restore…' }).click();
    await files.nth(1).getByRole('button', { name: 'Restore', exact: true }).click();
    const staged = backups().locator('.ops-pending');
    await expect.poll(() => staged.textContent()).toMatch(/Restore staged: qc-manual-.*\.sqlite replaces the database at the next start of Quant Claude \(the current one is kept aside\)/);
    await shots('settings-backups', backups());

    await page.close();
    await host.stop();
    await open();
    const ids = (await call<{ id: string }[]>('orders.list', {})).map((o) => o.id);
    expect(ids).toContain(first.order.id);
    expect(ids).not.toContain(later.order.id);
    expect(readdirSync(dataDir).some((f) => /^quant\.db\.before-restore-\d{4}-\d\d-\d\dT\d\d-\d\d-\d\dZ$/.test(f))).toBe(true);
    expect(existsSync(join(dataDir, 'restore-pending.sqlite'))).toBe(false);
    await expect.poll(() => backups().locator('.ops-pending').count()).toBe(0);
  }, 120_000);
});
