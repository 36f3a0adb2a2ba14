#!/usr/bin/env node
/* global document */
// Regenerates the README screenshots: the built web host on a temp data folder, Debian Chromium, both themes.
import { spawn } from 'node:child_process';
import { mkdirSync, mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { chromium } from 'playwright-core';
import { buildIfStale } from './build-if-stale.mjs';

const root = new URL('..', import.meta.url).pathname;
const outDir = join(root, 'resources', 'screenshots');
mkdirSync(outDir, { recursive: true });
buildIfStale();

const host = spawn(process.execPath, [join(root, 'out/main/web.js'), '--port', '0', '--data-dir', mkdtempSync(join(tmpdir(), 'qc-shots-'))], { stdio: ['ignore', 'pipe', 'inherit'] });
const url = await new Promise((resolve) => {
  let out = '';
  host.stdout.on('data', (d) => {
    out += d;
    const m = out.match(/ready at (\S+)/);
    if (m) resolve(m[1]);
  });
});

const browser = await chromium.launch({
  executablePath: process.env.CHROMIUM_PATH ?? '/usr/bin/chromium',
  args: ['--headless', '--no-sandbox', '--disable-gpu', '--disable-background-networking', '--disable-component-update', '--no-first-run', '--disable-sync', '--disable-quic'],
});
const page = await browser.newPage({ viewport: { width: 1440, height: 860 } });
await page.goto(url);
const nav = (name) => page.getByRole('navigation').getByRole('button', { name }).click();

// A small portfolio so the screens have something to show.
for (const [symbol, quantity] of [['BTCUSD', '0.08'], ['EURUSD', '5000'], ['XAUUSD', '2']]) {
  await page.getByLabel('Search symbol').fill(symbol);
  await page.getByRole('option', { name: new RegExp(symbol) }).first().click();
  await page.getByLabel('Quantity').fill(quantity);
  await page.getByRole('button', { name: 'Buy' }).click();
  await page.waitForTimeout(600);
}
await page.getByLabel('Search symbol').fill('BTCUSD');
await page.getByRole('option', { name: /BTCUSD/ }).first().click();
await page.getByLabel('Order type').selectOption({ label: 'Limit' });
await page.getByLabel('Quantity').fill('0.05');
await page.waitForTimeout(3000);

for (const theme of ['dark', 'light']) {
  if ((await page.evaluate(() => document.documentElement.dataset.theme)) !== theme) await page.getByRole('button', { name: 'Toggle theme' }).click();
  await nav('Chart');
  await page.waitForTimeout(1500);
  await page.screenshot({ path: join(outDir, `terminal-${theme}.png`) });
  await nav('Orders & Positions');
  await page.waitForTimeout(800);
  await page.screenshot({ path: join(outDir, `blotter-${theme}.png`) });
  await nav('Overview');
  await page.waitForTimeout(800);
  await page.screenshot({ path: join(outDir, `overview-${theme}.png`) });
  await nav('Settings');
  await page.waitForTimeout(500);
  await page.screenshot({ path: join(outDir, `settings-${theme}.png`) });
}
// Backtests: a run and an optimisation.
if ((await page.evaluate(() => document.documentElement.dataset.theme)) !== 'dark') await page.getByRole('button', { name: 'Toggle theme' }).click();
await nav('Backtests');
await page.getByLabel('Instrument').selectOption('NVDA');
await page.getByRole('button', { name: 'Run backtest' }).click();
await page.getByRole('table', { name: 'Metrics' }).waitFor({ timeout: 30_000 });
await page.waitForTimeout(800);
await page.screenshot({ path: join(outDir, 'backtest-dark.png') });
await page.getByRole('button', { name: 'Optimize' }).click();
await page.getByRole('table', { name: 'Optimization heatmap' }).waitFor({ timeout: 60_000 });
await page.waitForTimeout(500);
await page.screenshot({ path: join(outDir, 'optimization-dark.png') });
await browser.close();
host.kill('SIGTERM');
process.stdout.write(`Screenshots written to ${outDir}\n`);
