// End to end in Chromium: the Data sources screen's API keys (set, replace, remove; the key never shown) and the CSV
// import dialog (a malformed file's rejected rows with reasons; EuStockMarkets' DAX column through the mapping, then
// backtested from the local store).
import { readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Browser, Page } from 'playwright-core';
import { MAX_IMPORT_BYTES } from '../../src-shared/api/limits';
import { launchBrowser } from '../support/browser';
import { startHost, tempDataDir, type RunningHost } from '../support/web-host';

const SHOTS = process.env['SCREENSHOT_DIR'] ?? tmpdir();
const KEY = 'E2EPOLYKEY5512';
let browser: Browser;
let host: RunningHost;
let page: Page;

beforeAll(async () => {
  browser = await launchBrowser();
  host = await startHost({ dataDir: tempDataDir() });
  page = await browser.newPage({ viewport: { width: 1440, height: 900 } });
  await page.goto(host.url);
  await page.getByRole('navigation').getByRole('button', { name: 'Data sources' }).click();
});

afterAll(async () => {
  await host?.stop();
  await browser?.close();
});

describe('Data sources: API keys and CSV import', () => {
  it('an API key is set, shown as present (never the key), then removed', async () => {
    const keys = page.getByRole('table', { name: 'API keys' });
    const state = page.getByTestId('key-state-polygon');
    await expect.poll(async () => state.textContent(), { timeout: 15_000 }).toBe('none');
    const input = keys.getByLabel('Polygon API key');
    expect(await input.getAttribute('type')).toBe('password');
    await input.fill(KEY);
    await keys.getByRole('row', { name: 'Polygon' }).getByRole('button', { name: 'Save' }).click();
    await expect.poll(async () => state.textContent()).toBe('set');
    expect(await input.inputValue()).toBe('');
    expect(await page.getByTestId('key-state-alphavantage').textContent()).toBe('none');
    expect(await page.content()).not.toContain(KEY);

    // Still set after a reload (it lives in main, encrypted).
    await page.reload();
    await page.getByRole('navigation').getByRole('button', { name: 'Data sources' }).click();
    await expect.poll(async () => page.getByTestId('key-state-polygon').textContent(), { timeout: 15_000 }).toBe('set');

    await page.getByRole('button', { name: 'Remove the Polygon key' }).click();
    await expect.poll(async () => page.getByTestId('key-state-polygon').textContent()).toBe('none');
    expect(await page.getByRole('status').filter({ hasText: 'key removed' }).count()).toBe(1);
  });

  it('a malformed CSV: the rejected rows are listed with their reasons', async () => {
    await page.getByRole('button', { name: 'Import a CSV file…' }).click();
    const dialog = page.getByRole('dialog', { name: 'Import bars' });
    const csv = [
      'Date,Open,High,Low,Close,Volume',
      '2024-01-02,100,101,99,100.5,1000',
      '2024-01-03,100,101,99,abc,1000',
      '2024-02-30,100,101,99,100.5,1000',
      '2024-01-05,100,98,99,100.5,1000',
      '2024-01-08,100,101,99,100.7,1000',
    ].join('\n');
    await dialog.getByLabel('CSV file').setInputFiles({ name: 'broken.csv', mimeType: 'text/csv', buffer: Buffer.from(csv) });
    const preview = dialog.getByRole('table', { name: 'CSV preview' });
    await expect.poll(async () => preview.getByRole('row').count()).toBe(6);
    expect(await dialog.getByLabel('Close').inputValue()).toBe('4'); // guessed from the header
    expect(await dialog.getByLabel('Symbol').inputValue()).toBe('BROKEN');
    await dialog.getByRole('button', { name: 'Import', exact: true }).click();
    const report = dialog.getByRole('status', { name: 'Import report' });
    await expect.poll(async () => report.textContent(), { timeout: 15_000 }).toMatch(/^2 bars imported; 3 rows rejected/);
    const rows = await dialog.getByRole('table', { name: 'Rejected rows' }).locator('tbody tr').allTextContents();
    expect(rows).toHaveLength(3);
    expect(rows[0]).toMatch(/^2.*close/i);
    expect(rows[1]).toMatch(/^3bad date "2024-02-30"/);
    expect(rows[2]).toMatch(/^4.*high/i);
    await dialog.getByRole('button', { name: 'Close' }).click();
    expect(await page.getByRole('dialog').count()).toBe(0);
  });

  it("EuStockMarkets: no Close column, so the DAX column is mapped as close with decimal-year dates, and every row imports", async () => {
    await page.getByRole('button', { name: 'Import a CSV file…' }).click();
    const dialog = page.getByRole('dialog', { name: 'Import bars' });
    const file = '/work/shared/data/reference/EuStockMarkets.csv';
    const lines = readFileSync(file, 'utf8').trim().split('\n').length - 1;
    await dialog.getByLabel('CSV file').setInputFiles(file);
    await expect.poll(async () => dialog.textContent()).toContain(`${lines} data rows; no Close column found`);
    expect(await dialog.getByLabel('Date format').inputValue()).toBe('decimal-year');
    await dialog.getByLabel('Close').selectOption({ label: 'DAX' });
    await dialog.getByLabel('Symbol').fill('DAX');
    await dialog.getByLabel('Calendar (gap report)').selectOption('cfd-23x5');
    await page.screenshot({ path: join(SHOTS, 'import-dialog-mapping.png') });
    await dialog.getByRole('button', { name: 'Import', exact: true }).click();
    const report = dialog.getByRole('status', { name: 'Import report' });
    await expect.poll(async () => report.textContent(), { timeout: 30_000 }).toMatch(new RegExp(`^${lines} bars imported; 0 rows rejected`));
    await page.screenshot({ path: join(SHOTS, 'import-dialog-report.png') });
    await dialog.getByRole('button', { name: 'Close' }).click();
  });

  it('data completeness of an imported series, against a calendar chosen for it', async () => {
    // BROKEN (imported above) kept 2024-01-02 and 2024-01-08; it has no calendar of its own.
    const series = page.getByLabel('Completeness series');
    await expect.poll(async () => series.locator('option').allTextContents()).toContainEqual(expect.stringMatching(/^BROKEN · 1d · 2 bars, 2024-01-02 → 2024-01-08$/));
    await series.selectOption('BROKEN|1d');
    await page.getByRole('alert').filter({ hasText: 'No trading calendar is known for BROKEN: choose one' }).waitFor();
    await page.getByLabel('Completeness calendar').selectOption('us-equity');
    const table = page.getByRole('table', { name: 'Data completeness' });
    await table.waitFor();
    // 2 to 8 January 2024: five weekdays expected (the weekend none), two stored, three missing.
    const total = await table.getByRole('row', { name: 'Completeness total' }).locator('td').allTextContents();
    expect(total.slice(1, 4)).toEqual(['5', '2', '3']);
    expect(total[0]).toMatch(/40\.0 % coverage/);
    expect(await table.locator('tbody tr').allTextContents()).toHaveLength(5); // the weekend, with nothing expected or stored, is left out
    await page.getByRole('heading', { name: 'Data completeness' }).scrollIntoViewIfNeeded();
    await page.screenshot({ path: join(SHOTS, 'completeness.png') });
  });

  it('a file over the import limit is refused by the dialog before it is read or sent; the page stays connected', async () => {
    await page.getByRole('button', { name: 'Import a CSV file…' }).click();
    const dialog = page.getByRole('dialog', { name: 'Import bars' });
    const buffer = Buffer.alloc(MAX_IMPORT_BYTES + 1, 'a');
    await dialog.getByLabel('CSV file').setInputFiles({ name: 'huge.csv', mimeType: 'text/csv', buffer });
    const alert = dialog.getByRole('alert');
    await expect.poll(async () => alert.textContent(), { timeout: 30_000 }).toMatch(/^huge\.csv \(24 MB\) is over the 24 MB import limit\. Split the file/);
    expect(await dialog.getByRole('table', { name: 'CSV preview' }).count()).toBe(0);
    await dialog.getByRole('button', { name: 'Close' }).click();
    // Nothing was sent that the host would refuse: the connection is the same and still answers.
    expect(await page.getByText('Reconnecting').count()).toBe(0);
    await expect.poll(async () => page.getByTestId('key-state-polygon').textContent()).toBe('none');
  });

  it('a file of several megabytes (hourly bars of five years) imports over the web host', async () => {
    const lines = ['Date,Open,High,Low,Close,Volume'];
    let price = 100;
    for (let t = Date.UTC(2019, 0, 1) / 1000; t < Date.UTC(2024, 0, 1) / 1000; t += 3600) {
      const next = price * (1 + Math.sin(t / 7200) * 0.001);
      lines.push(`${new Date(t * 1000).toISOString().slice(0, 19).replace('T', ' ')},${price.toFixed(4)},${(Math.max(price, next) + 0.05).toFixed(4)},${(Math.min(price, next) - 0.05).toFixed(4)},${next.toFixed(4)},${1000 + (t % 977)}`);
      price = next;
    }
    const buffer = Buffer.from(lines.join('\n'));
    expect(buffer.length).toBeGreaterThan(3 << 19); // over a WebSocket frame of 1 MB, the web host's former limit
    await page.getByRole('button', { name: 'Import a CSV file…' }).click();
    const dialog = page.getByRole('dialog', { name: 'Import bars' });
    await dialog.getByLabel('CSV file').setInputFiles({ name: 'hourly.csv', mimeType: 'text/csv', buffer });
    await expect.poll(async () => dialog.textContent(), { timeout: 30_000 }).toContain(`${lines.length - 1} data rows; columns recognised`);
    await dialog.getByLabel('Bar size').selectOption('1h');
    await dialog.getByLabel('Calendar (gap report)').selectOption('crypto-24x7');
    await dialog.getByRole('button', { name: 'Import', exact: true }).click();
    await expect.poll(async () => dialog.getByRole('status', { name: 'Import report' }).textContent(), { timeout: 60_000 }).toMatch(new RegExp(`^${lines.length - 1} bars imported; 0 rows rejected`));
    await dialog.getByRole('button', { name: 'Close' }).click();
  });

  it('the imported DAX is a backtest source (local store)', async () => {
    await page.getByRole('navigation').getByRole('button', { name: 'Backtests' }).click();
    await page.getByLabel('Data source').selectOption('stored');
    await page.getByLabel('Stored symbol').fill('dax');
    await page.getByRole('button', { name: 'Run backtest' }).click();
    await page.getByRole('heading', { name: /DAX 1d \(local store\)/ }).waitFor({ timeout: 30_000 });
  });
});
