// End to end in Chromium, issue 14's CFD walk in one session: the OANDA and cTrader simulators as child processes, the
// built web host with a paper CFD account as another. Settings → Venues connects both next to the paper accounts; the
// chart draws the prices of the account chosen on the ticket (OANDA's candles and quotes, cTrader's, the demo
// market's); a buy of EURUSD on OANDA with a trailing stop whose level follows the price up in the blotter and on the
// chart; a margin-level alert set on the Risk screen and the simulator's price shock: the top bar warns and the toast
// fires; the paper CFD account stopped out by a demo price shock, the blotter saying why; the slippage report by venue.
// With QC_SCREENSHOTS=1 the README's screenshots are taken in both themes (resources/screenshots).
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Browser, Page } from 'playwright-core';
import type { ChartProbe } from '../../src-renderer/components/CandleChart';
import { launchBrowser } from '../support/browser';
import { shotsInBothThemes, trailLevel } from '../support/screenshots';
import { connect } from '../support/host-process';
import { CT_CLIENT_ID, CT_CREDENTIALS, startCtraderSim, type RunningCtraderSim } from '../support/ctrader-sim-process';
import { startOandaSim, SIM_ACCOUNT, SIM_TOKEN, type RunningOandaSim } from '../support/oanda-sim-process';
import { startHost, tempDataDir, type RunningHost } from '../support/web-host';

const OANDA = 'OANDA 101-•••-001';
const CTRADER = 'cTrader ••••456';

let browser: Browser;
let host: RunningHost;
let oanda: RunningOandaSim;
let ctrader: RunningCtraderSim;

const nav = (page: Page, name: string | RegExp) => page.getByRole('navigation', { name: 'Screens' }).getByRole('button', { name }).click();

/** Runs `f` on the main chart's probe in the page. */
function probe<T>(page: Page, f: (p: ChartProbe) => T): Promise<T> {
  return page.evaluate(`(${f.toString()})(window.__qcCharts.main)`) as Promise<T>;
}
/** The newest close the chart draws. */
const lastClose = (page: Page) => probe(page, (p) => p.closes().at(-1) ?? NaN);

/** OANDA's own mid for EUR_USD now, asked as any v20 client would. */
async function oandaMid(): Promise<number> {
  const res = await fetch(`${oanda.url}/v3/accounts/${SIM_ACCOUNT}/pricing?instruments=EUR_USD`, { headers: { Authorization: `Bearer ${SIM_TOKEN}` } });
  const p = ((await res.json()) as { prices: { bids: { price: string }[]; asks: { price: string }[] }[] }).prices[0]!;
  return (Number(p.bids[0]!.price) + Number(p.asks[0]!.price)) / 2;
}

beforeAll(async () => {
  browser = await launchBrowser();
  // Small accounts whose prices move only a little each tick, so the test's own moves stand out.
  oanda = await startOandaSim(['--tick-ms', '500', '--heartbeat-ms', '1000', '--balance', '10000']);
  ctrader = await startCtraderSim(['--tick-ms', '500', '--heartbeat-ms', '1000']);
  const dataDir = tempDataDir('qc-e2e-cfd-venues-');
  writeFileSync(join(dataDir, 'config.yaml'), [
    'risk:', '  max_position_size: 1', '  max_order_notional: 10000000', '  margin_alert_level: 150',
    // A position of 1.8 × equity in bitcoin is far beyond the default VaR budget (2 % of NAV): this test is about margin.
    '  max_portfolio_risk: null',
    'brokers:', '  paper_cfd:', '    enabled: true', '    initial_cash: 10000', '    stop_out_level: 50', '',
  ].join('\n'));
  host = await startHost({ dataDir, env: { QC_TEST_FAULTS: 'price-shock=BTCUSD:0.5' } });
});

afterAll(async () => {
  await host?.stop();
  await oanda?.stop();
  await ctrader?.stop();
  await browser?.close();
});

describe('CFD venues next to the paper accounts in Chromium', () => {
  it('connects OANDA and cTrader, charts each venue\'s prices, trails a stop, warns on margin, stops out a paper CFD account, reports slippage', async () => {
    // The demo market's EURUSD now, while the paper account is the default one.
    const api = await connect(host.port, host.token);
    const demoLast = async (symbol: string) => (await api.call<{ close: number }[]>('bars.history', { symbol, timeframe: '1m', limit: 1 }))[0]!.close;
    const demoEurusd = await demoLast('EURUSD');
    const btc = await demoLast('BTCUSD');
    api.close();
    const page = await browser.newPage({ viewport: { width: 1440, height: 900 } });
    page.on('pageerror', (e) => console.error('page error:', e.message));
    await page.goto(host.url);
    const account = page.getByLabel('Account');

    // First the paper CFD account: 1.8 × its equity in bitcoin at 2:1, then the demo market halves the price (test
    // fault, SIGUSR2): the desk closes the position and the blotter says why.
    await page.getByLabel('Search symbol').fill('BTCUSD');
    await page.getByRole('option', { name: /BTCUSD/ }).first().click();
    await expect.poll(() => page.getByLabel('Symbol', { exact: true }).inputValue()).toBe('BTCUSD');
    await account.selectOption({ label: 'Paper CFD' });
    await page.getByLabel('Quantity').fill(String(Math.floor((18_000 / btc) * 1000) / 1000));
    await page.getByRole('button', { name: 'Buy' }).click();
    await expect.poll(() => page.locator('.ticket-status').textContent(), { timeout: 15_000 }).toMatch(/Filled: Buy [\d.]+ BTCUSD/);
    host.signal('SIGUSR2');
    await nav(page, /Orders/);
    const history = page.getByRole('table', { name: 'Order history' });
    const why = history.getByRole('row', { name: /BTCUSD.*stop-out: margin level \d+ % < 50 %/ });
    await expect.poll(() => why.count(), { timeout: 20_000 }).toBe(1);
    expect(await why.textContent()).toMatch(/Paper CFD/);
    await why.scrollIntoViewIfNeeded();
    await shotsInBothThemes(page, 'cfd-venues-stop-out');

    // Settings → Venues: cTrader, then OANDA (connected last: the default account), each with its credential typed once.
    await nav(page, 'Settings');
    const ct = page.getByRole('form', { name: 'cTrader connection' });
    await ct.getByLabel('Client id').fill(CT_CLIENT_ID);
    await ct.getByLabel('WebSocket URL (optional)').fill(ctrader.url);
    await ct.getByLabel('Client secret and access token', { exact: true }).fill(CT_CREDENTIALS);
    await ct.getByRole('button', { name: 'Connect', exact: true }).click();
    await expect.poll(() => ct.getByTestId('venue-ctrader-state').textContent(), { timeout: 20_000 }).toBe('connected');
    const oa = page.getByRole('form', { name: 'OANDA connection' });
    await oa.getByLabel('REST URL (optional)').fill(oanda.url);
    await oa.getByLabel('API token', { exact: true }).fill(SIM_TOKEN);
    await oa.getByRole('button', { name: 'Connect', exact: true }).click();
    await expect.poll(() => oa.getByTestId('venue-oanda-state').textContent(), { timeout: 20_000 }).toBe('connected');
    const accounts = page.getByRole('table', { name: 'Connected accounts' });
    await expect.poll(() => accounts.getByRole('row').allTextContents(), { timeout: 10_000 }).toEqual([
      expect.anything(), // the header
      expect.stringMatching(/^Paper CFD/), expect.stringMatching(/^Paper(?! CFD)/),
      expect.stringMatching(new RegExp(`^${CTRADER}.*connected`)), expect.stringMatching(new RegExp(`^${OANDA}.*connected`)),
    ]);
    expect(await page.content()).not.toContain(SIM_TOKEN);
    await accounts.scrollIntoViewIfNeeded();
    await shotsInBothThemes(page, 'cfd-venues-accounts');

    // Three prices for EURUSD, far apart: OANDA's (~1.08), cTrader's (moved 0.15 above the demo market's) and the demo market's.
    const ctMid = Number((demoEurusd + 0.15).toFixed(4));
    await ctrader.fault({ kind: 'price', symbol: 'EURUSD', mid: ctMid });
    await nav(page, 'Chart');
    await page.getByLabel('Search symbol').fill('EURUSD');
    await page.getByRole('option', { name: /EURUSD/ }).first().click();
    await expect.poll(() => page.getByLabel('Symbol', { exact: true }).inputValue()).toBe('EURUSD');
    // The chart follows the account chosen on the ticket: its venue's candles and quotes.
    await account.selectOption({ label: CTRADER });
    await expect.poll(async () => Math.abs((await lastClose(page)) - ctMid), { timeout: 15_000 }).toBeLessThan(0.005);
    // A plain market buy on cTrader, for the slippage report.
    await page.getByLabel('Quantity').fill('5000');
    await page.getByRole('button', { name: 'Buy' }).click();
    await expect.poll(() => page.locator('.ticket-status').textContent(), { timeout: 15_000 }).toMatch(/Filled: Buy 5,?000 EURUSD/);
    await account.selectOption({ label: 'Paper' });
    await expect.poll(async () => Math.abs((await lastClose(page)) - demoEurusd), { timeout: 15_000 }).toBeLessThan(0.005);
    await account.selectOption({ label: OANDA });
    await expect.poll(async () => Math.abs((await lastClose(page)) - (await oandaMid())), { timeout: 15_000 }).toBeLessThan(0.001);
    // OANDA's candles, not the demo market's: every close drawn is within 2 % of OANDA's price.
    const closes = await probe(page, (p) => p.closes());
    const mid = await oandaMid();
    expect(closes.length).toBeGreaterThan(50);
    expect(closes.every((c) => Math.abs(c / mid - 1) < 0.02)).toBe(true);

    // The ticket: buy 5,000 EURUSD on OANDA with a trailing stop 0.0050 behind the price.
    await page.getByLabel('Quantity').fill('5000');
    await page.getByText('Trailing & dynamic stops').click();
    await page.getByLabel('Trailing stop').selectOption('distance');
    await page.getByLabel('Trail distance').fill('0.0050');
    await page.getByRole('button', { name: 'Buy' }).click();
    await expect.poll(() => page.locator('.ticket-status').textContent(), { timeout: 15_000 }).toMatch(/Filled: Buy 5,?000 EURUSD/);
    // The trailing stop is the position's stop-loss leg on the chart ("SL 5,000").
    const trailLine = () => probe(page, (p) => p.tradingLines().find((l) => l.kind === 'stop-loss' && l.orderId !== undefined)?.price ?? NaN);
    await expect.poll(trailLine, { timeout: 15_000 }).toBeGreaterThan(0);
    const lineStart = await trailLine();

    await nav(page, /Orders/);
    await expect.poll(() => trailLevel(page), { timeout: 15_000 }).toBeGreaterThan(0);
    const start = await trailLevel(page);
    const before = await oandaMid();
    expect(start).toBeCloseTo(before - 0.005, 3);
    expect(lineStart).toBeCloseTo(start, 3); // read a moment apart: the stop trails each tick
    // OANDA's price rises by 100 pips: the stop follows to 0.0050 under the new price, in the blotter and on the chart.
    await oanda.fault({ kind: 'price', instrument: 'EUR_USD', mid: before + 0.01 });
    await expect.poll(() => trailLevel(page), { timeout: 15_000 }).toBeGreaterThan(start + 0.008);
    const moved = await trailLevel(page);
    expect(moved).toBeCloseTo(before + 0.01 - 0.005, 3);
    await nav(page, 'Chart');
    await expect.poll(trailLine, { timeout: 15_000 }).toBeCloseTo(moved, 3);
    await expect.poll(() => lastClose(page), { timeout: 15_000 }).toBeGreaterThan(before + 0.008);
    await shotsInBothThemes(page, 'cfd-venues-trailing');

    // A margin-level alert at 160 % on the Risk screen (for the default account, OANDA), besides the top bar's 150 %.
    await nav(page, 'Risk');
    const alertsPanel = page.getByRole('region', { name: 'Alerts' });
    await alertsPanel.getByLabel('Alert kind').selectOption('margin-level');
    await alertsPanel.getByLabel('Alert direction').selectOption('below');
    await alertsPanel.getByLabel('Alert level').fill('160');
    await alertsPanel.getByRole('button', { name: 'Add alert' }).click();
    await expect.poll(() => alertsPanel.getByRole('table', { name: 'Alert rules' }).locator('tbody tr').allTextContents()).toEqual([expect.stringMatching(/below 160/)]);

    // 150,000 EURUSD opened at OANDA outside the terminal (another v20 client): on 10,000 USD at 30:1 a level near 185 %.
    const opened = await fetch(`${oanda.url}/v3/accounts/${SIM_ACCOUNT}/orders`, {
      method: 'POST', headers: { Authorization: `Bearer ${SIM_TOKEN}`, 'Content-Type': 'application/json' },
      body: JSON.stringify({ order: { type: 'MARKET', instrument: 'EUR_USD', units: '150000', timeInForce: 'FOK', positionFill: 'DEFAULT' } }),
    });
    expect(opened.status).toBe(201);
    const margin = page.getByRole('banner').getByRole('status', { name: 'Margin level' });
    await expect.poll(() => margin.textContent(), { timeout: 20_000 }).toMatch(new RegExp(`^Margin 1[6-9]\\d\\.\\d\\d % ${OANDA}$`));
    const toasts = page.getByRole('region', { name: 'Alert toasts' }).getByRole('alert');
    expect(await toasts.count()).toBe(0);
    // The simulator's price shock, 2 % down: the level falls under both; the top bar warns and the alert fires once.
    await oanda.fault({ kind: 'shock', instrument: 'EUR_USD', pct: -2 });
    await expect.poll(() => margin.textContent(), { timeout: 20_000 }).toMatch(new RegExp(`^⚠ Margin 1[0-4]\\d\\.\\d\\d % ${OANDA} · below the alert level$`));
    await expect.poll(() => toasts.allTextContents(), { timeout: 20_000 }).toEqual([expect.stringMatching(new RegExp(`^${OANDA} margin level below 160 %${OANDA}: margin level 1[0-4]\\d\\.\\d\\d % \\(alert below 160 %\\)×$`))]);
    // The shock also took the price through the trailing stop: OANDA closed the 5,000.
    await nav(page, /Orders/);
    await expect.poll(() => history.getByRole('row', { name: /EURUSD.*sell.*TRAIL.*filled/ }).count(), { timeout: 15_000 }).toBe(1);
    // The cTrader position is marked at cTrader's price, not at the shocked OANDA quotes the default account streams.
    const ctLast = page.getByRole('table', { name: 'Positions' }).getByRole('row', { name: new RegExp(`EURUSD.*${CTRADER}`) }).getByRole('cell').nth(3);
    await expect.poll(async () => Math.abs(Number((await ctLast.textContent())!.replace(/,/g, '')) - ctMid), { timeout: 15_000 }).toBeLessThan(0.005);
    await shotsInBothThemes(page, 'cfd-venues-margin');

    // The slippage report: the fills of all three venues, by venue.
    const report = page.getByRole('region', { name: 'Slippage and spread' });
    const byVenue = report.getByRole('table', { name: 'Slippage by venue' });
    // The paper CFD account's fills are the paper broker's ("paper").
    await expect.poll(async () => (await byVenue.locator('tbody tr td:first-child').allTextContents()).sort(), { timeout: 15_000 }).toEqual(['ctrader', 'oanda', 'paper']);
    const oandaFill = report.getByRole('table', { name: 'Fill slippage' }).getByRole('row', { name: /oanda\s*EURUSD\s*buy/ }).first();
    // The arrival mid is OANDA's own (~1.08), not another market's.
    expect(Number((await oandaFill.getByRole('cell').nth(5).textContent())!.replace(/,/g, ''))).toBeCloseTo(before, 2);
    expect(await why.count()).toBe(1);
    await report.scrollIntoViewIfNeeded();
    await shotsInBothThemes(page, 'cfd-venues-slippage');
    await page.close();
  });
});
