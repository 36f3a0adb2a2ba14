#!/usr/bin/env node
/* global document */
// Regenerates the README screenshots: the built web host on a temp data folder, Debian Chromium, both themes.
// The Interactive Brokers ones connect to the TWS simulator (tools/tws-sim) run as a child process. `--ib` takes only those.
import { spawn } from 'node:child_process';
import { mkdirSync, mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { chromium } from 'playwright-core';
import { findBrowser } from './browser.mjs';
import { buildIfStale } from './build-if-stale.mjs';

const root = new URL('..', import.meta.url).pathname;
const outDir = join(root, 'resources', 'screenshots');
mkdirSync(outDir, { recursive: true });
buildIfStale();

const host = spawn(process.execPath, [join(root, 'out/main/web.js'), '--port', '0', '--data-dir', mkdtempSync(join(tmpdir(), 'qc-shots-'))], { stdio: ['ignore', 'pipe', 'inherit'] });
// A failed step must not leave the host (or the simulator) running.
const children = [host];
process.on('exit', () => children.forEach((c) => c.kill('SIGTERM')));
const url = await new Promise((resolve) => {
  let out = '';
  host.stdout.on('data', (d) => {
    out += d;
    const m = out.match(/ready at (\S+)/);
    if (m) resolve(m[1]);
  });
});

const found = await findBrowser();
if (!found.path) throw new Error(found.problem);
const browser = await chromium.launch({
  executablePath: found.path,
  args: ['--headless', '--no-sandbox', '--disable-gpu', '--disable-background-networking', '--disable-component-update', '--no-first-run', '--disable-sync', '--disable-quic'],
});
const page = await browser.newPage({ viewport: { width: 1440, height: 860 } });
await page.goto(url);
const nav = (name) => page.getByRole('navigation').getByRole('button', { name }).click();
const setTheme = async (theme) => {
  if ((await page.evaluate(() => document.documentElement.dataset.theme)) !== theme) await page.getByRole('button', { name: 'Toggle theme' }).click();
};
const ibOnly = process.argv.includes('--ib');

if (!ibOnly) {
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
    await setTheme(theme);
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
  // The chart with the crosshair's legend, and the phone layout (390×844), in both themes.
  for (const theme of ['dark', 'light']) {
    await setTheme(theme);
    await nav('Chart');
    await page.waitForTimeout(1200);
    const box = await page.getByRole('img', { name: /candlestick chart/ }).boundingBox();
    await page.mouse.move(box.x + box.width * 0.55, box.y + box.height * 0.4);
    await page.waitForTimeout(400);
    await page.screenshot({ path: join(outDir, `chart-legend-${theme}.png`) });
    await page.mouse.move(0, 0);
    await page.setViewportSize({ width: 390, height: 844 });
    await page.waitForTimeout(800);
    await page.screenshot({ path: join(outDir, `phone-chart-${theme}.png`) });
    await nav('Orders & Positions');
    await page.waitForTimeout(600);
    await page.screenshot({ path: join(outDir, `phone-blotter-${theme}.png`) });
    await page.setViewportSize({ width: 1440, height: 860 });
  }
  // Backtests: a run and an optimisation.
  await setTheme('dark');
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
}

// Interactive Brokers: Settings → Connections, connected to the simulator, the reconciliation banner, IB account values.
const sim = spawn(process.execPath, ['--import', 'tsx', join(root, 'tools/tws-sim/cli.ts'), '--port', '0'], { cwd: root, stdio: ['pipe', 'pipe', 'inherit'] });
children.push(sim);
const simPort = await new Promise((resolve) => {
  let out = '';
  sim.stdout.on('data', (d) => {
    out += d;
    const m = out.match(/listening on [\d.]+:(\d+)/);
    if (m) resolve(m[1]);
  });
});
await setTheme('dark');
await nav('Settings');
// The IB form (Settings also has a form per venue of the registry, with its own Connect buttons).
const ib = page.getByRole('form', { name: 'Interactive Brokers connection' });
await page.getByLabel('Preset').selectOption({ label: 'TWS live (7496)' });
await ib.getByRole('button', { name: 'Connect live…' }).click();
await page.getByLabel('Type LIVE to confirm').fill('LIVE');
await page.waitForTimeout(300);
await page.screenshot({ path: join(outDir, 'ib-live-confirm-dark.png') });
await page.getByRole('button', { name: 'Cancel' }).click();
await page.getByLabel('Preset').selectOption({ label: 'TWS paper (7497)' });
await page.getByLabel('Port').fill(simPort);
await page.getByLabel('Client id').fill('7');
await ib.getByRole('button', { name: 'Connect', exact: true }).click();
await page.getByRole('region', { name: 'Reconciliation' }).waitFor({ timeout: 20_000 });
await nav('Chart');
await page.getByLabel('Search symbol').fill('AAPL');
await page.getByRole('option', { name: /AAPL/ }).first().click();
await page.getByLabel('Order type').selectOption({ label: 'Market' });
await page.getByLabel('Quantity').fill('25');
await page.getByRole('button', { name: 'Buy' }).click();
await page.waitForTimeout(4000); // the simulator pushes account values every 3 s
for (const theme of ['dark', 'light']) {
  await setTheme(theme);
  await nav('Settings');
  await page.waitForTimeout(600);
  await page.screenshot({ path: join(outDir, `ib-settings-${theme}.png`) });
  await nav('Overview');
  await page.waitForTimeout(800);
  await page.screenshot({ path: join(outDir, `ib-overview-${theme}.png`) });
}
await setTheme('dark');
// The status in trouble: a data farm down (degraded), then TWS gone (disconnected, next retry).
sim.stdin.write('farm usfarm broken\n');
await page.getByRole('status', { name: 'Broker connection' }).filter({ hasText: 'Degraded' }).first().waitFor({ timeout: 10_000 });
await nav('Chart');
await page.waitForTimeout(800);
await page.screenshot({ path: join(outDir, 'ib-degraded-dark.png'), clip: { x: 0, y: 0, width: 1440, height: 120 } });
// A limit order that fills at TWS while the link is down: the reconciliation after the reconnect reports it.
await page.getByRole('region', { name: 'Reconciliation' }).getByRole('button', { name: 'Dismiss' }).click();
const last = Number((await page.getByTestId('last-price').textContent()).replace(/,/g, ''));
const limit = (Math.round(last * 0.98 * 100) / 100).toFixed(2);
await page.getByLabel('Order type').selectOption({ label: 'Limit' });
await page.getByLabel('Quantity').fill('5');
await page.getByLabel('Limit price').fill(limit);
await page.getByRole('button', { name: 'Buy' }).click();
await page.waitForTimeout(1000);
sim.stdin.write('refuse on\ndrop\n');
await page.getByRole('status', { name: 'Broker connection' }).filter({ hasText: 'retry' }).first().waitFor({ timeout: 10_000 });
await page.screenshot({ path: join(outDir, 'ib-disconnected-dark.png'), clip: { x: 0, y: 0, width: 1440, height: 120 } });
sim.stdin.write(`price AAPL ${(Number(limit) - 1).toFixed(2)}\nrefuse off\nfarm usfarm ok\n`);
await page.getByRole('status', { name: 'Broker connection' }).filter({ hasText: /^IB\s*Connected/ }).first().waitFor({ timeout: 30_000 });
await page.getByRole('region', { name: 'Reconciliation' }).getByText(/Missed fill/).waitFor({ timeout: 15_000 });
for (const theme of ['dark', 'light']) {
  await setTheme(theme);
  await nav('Orders & Positions');
  await page.waitForTimeout(800);
  await page.screenshot({ path: join(outDir, `ib-reconciliation-${theme}.png`) });
}
await setTheme('dark');
// Live: marked in the top bar and on the ticket.
await nav('Settings');
await ib.getByRole('radio', { name: /Live/ }).check();
await ib.getByRole('button', { name: 'Connect live…' }).click();
await page.getByLabel('Type LIVE to confirm').fill('LIVE');
await page.getByRole('button', { name: 'Connect live', exact: true }).click();
await page.getByRole('banner').getByText('LIVE', { exact: true }).waitFor({ timeout: 20_000 });
await nav('Chart');
await page.waitForTimeout(1500);
await page.screenshot({ path: join(outDir, 'ib-live-chart-dark.png') });
await nav('Settings');
await page.getByRole('button', { name: 'Disconnect' }).click();
sim.kill('SIGTERM');
await browser.close();
host.kill('SIGTERM');
process.stdout.write(`Screenshots written to ${outDir}\n`);
