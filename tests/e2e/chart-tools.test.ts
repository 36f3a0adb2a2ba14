// End to end: the chart's indicators (computed by the domain's batch functions, kept per chart across reloads),
// drawings (kept per symbol), order/position lines and fill markers, right-click to prefill the ticket, dragging an
// order's line (confirmation), and the time-zone setting shared by the chart's axis and the tables. The chart is read
// through its test hook (window.__qcCharts), which reads lightweight-charts' own series, panes and price lines.
import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Browser, Page } from 'playwright-core';
import { rsi, sma } from '../../src-shared/domain/indicators/batch';
import type { Order } from '../../src-shared/domain/types';
import { launchBrowser } from '../support/browser';
import { connect } from '../support/host-process';
import { repoRoot, startHost, type RunningHost } from '../support/web-host';
import type { ChartProbe } from '../../src-renderer/components/CandleChart';

const SHOTS = process.env['QC_SCREENSHOTS'] === '1' ? join(repoRoot, 'resources/screenshots') : undefined;

let browser: Browser;
let host: RunningHost;

beforeAll(async () => {
  browser = await launchBrowser();
  // US market hours whenever the test runs: the paper broker holds market orders while the market is closed.
  host = await startHost({ env: { QC_TEST_FAULTS: 'clock-from=2026-12-01T16:00:00Z' } });
});

afterAll(async () => {
  await host?.stop();
  await browser?.close();
});

async function openChart(page: Page, symbol: string): Promise<void> {
  await page.goto(host.url);
  await page.getByRole('navigation').getByRole('button', { name: 'Chart', exact: true }).click();
  await page.getByLabel('Search symbol').fill(symbol);
  await page.getByRole('option', { name: new RegExp(`^${symbol}`) }).first().click();
  await page.getByRole('img', { name: `${symbol} 1m candlestick chart` }).locator('canvas').first().waitFor();
  await expect.poll(() => probe(page, (p) => p.closes().length), { timeout: 20_000 }).toBeGreaterThan(50);
}

/** Runs `f` on the main chart's probe in the page. */
function probe<T>(page: Page, f: (p: ChartProbe) => T): Promise<T> {
  return page.evaluate(`(${f.toString()})(window.__qcCharts.main)`) as Promise<T>;
}

/** The page as it is, in the current theme and the other one (then back). */
async function shootBothThemes(page: Page, name: string): Promise<void> {
  mkdirSync(SHOTS!, { recursive: true });
  for (let i = 0; i < 2; i++) {
    const theme = await page.evaluate(() => document.documentElement.dataset['theme']);
    await page.waitForTimeout(300);
    await page.screenshot({ path: join(SHOTS!, `${name}-${theme}.png`) });
    await page.getByRole('button', { name: 'Toggle theme' }).click();
  }
}

const round = (xs: ArrayLike<number>) => Array.from(xs, (v) => (v === null || Number.isNaN(v) ? null : Number(v.toFixed(6))));

describe('chart tools', () => {
  it('adds an SMA on price and an RSI in a pane, computed as the backtests compute them; a changed period is kept after a reload', async () => {
    const page = await browser.newPage({ viewport: { width: 1440, height: 900 } });
    await page.goto(host.url);
    await page.evaluate(() => localStorage.clear());
    await openChart(page, 'BTCUSD');
    expect(await probe(page, (p) => p.panes())).toBe(1);
    await page.getByRole('button', { name: 'Indicators' }).click();
    const dialog = page.getByRole('dialog', { name: 'Indicators' });
    await dialog.getByLabel('Indicator to add').selectOption('sma');
    await dialog.getByRole('button', { name: 'Add' }).click();
    await dialog.getByLabel('Indicator to add').selectOption('rsi');
    await dialog.getByRole('button', { name: 'Add' }).click();
    const list = await probe(page, (p) => p.indicators());
    expect(list.map((i) => [i.kind, i.pane, i.lines])).toEqual([['sma', 0, ['SMA 20']], ['rsi', 1, ['RSI 14']]]);
    expect(await probe(page, (p) => p.panes())).toBe(2);
    // The values drawn are the domain's, over the chart's own closes (a live quote may change the last bar in between:
    // the comparison is over the bars before it).
    const closes = await probe(page, (p) => p.closes());
    const [smaLine, rsiLine] = await Promise.all([probe(page, (p) => p.values('i1', 0)), probe(page, (p) => p.values('i2', 0))]);
    const upTo = closes.length - 2;
    expect(round(smaLine.slice(0, upTo) as number[])).toEqual(round(sma(closes, 20).slice(0, upTo)));
    expect(round(rsiLine.slice(0, upTo) as number[])).toEqual(round(rsi(closes, 14).slice(0, upTo)));
    expect(smaLine.filter((v) => v !== null).length).toBe(closes.length - 19);

    // A period of 0 is refused (the line keeps its period); 50 is applied, and kept after a reload.
    const period = dialog.getByLabel('SMA Period');
    await period.fill('0');
    expect(await period.getAttribute('aria-invalid')).toBe('true');
    expect((await probe(page, (p) => p.indicators()))[0]!.lines).toEqual(['SMA 20']);
    await period.fill('50');
    await expect.poll(() => probe(page, (p) => p.indicators()[0]!.lines[0])).toBe('SMA 50');
    await page.keyboard.press('Escape');
    await dialog.waitFor({ state: 'detached' });
    await page.reload();
    await page.getByRole('navigation').getByRole('button', { name: 'Chart', exact: true }).click();
    await expect.poll(() => probe(page, (p) => p.indicators().map((i) => `${i.kind}:${i.lines.join('|')}:${i.pane}`).join()), { timeout: 20_000 })
      .toBe('sma:SMA 50:0,rsi:RSI 14:1');
    await expect.poll(() => probe(page, (p) => p.values('i1', 0).filter((v) => v !== null).length), { timeout: 20_000 }).toBeGreaterThan(0);
    // Removing the RSI removes its pane.
    await page.getByRole('button', { name: /^Indicators/ }).click();
    await dialog.getByRole('button', { name: 'Remove RSI' }).click();
    expect(await probe(page, (p) => p.panes())).toBe(1);
    await page.close();
  });

  it('holds the newest 500 of the 2,000 loaded bars; zooming out joins the older ones, 500 at a time, without moving the view', async () => {
    const page = await browser.newPage({ viewport: { width: 1440, height: 900 } });
    await page.goto(host.url);
    await page.evaluate(() => localStorage.clear());
    await openChart(page, 'BTCUSD');
    const held = () => probe(page, (p) => p.closes().length);
    // 500, and the live bars since the history was read.
    await expect.poll(held).toBeGreaterThanOrEqual(500);
    expect(await held()).toBeLessThan(510);
    const chart = page.getByRole('img', { name: 'BTCUSD 1m candlestick chart' });
    const box = (await chart.boundingBox())!;
    await page.mouse.move(box.x + box.width * 0.6, box.y + box.height * 0.5);
    // Zooming out (the wheel, anchored at the newest bar) brings the oldest bar held near: 500 more join, and the view
    // does not jump (the same newest time at the right edge, the oldest time in view only a zoom step further back).
    const views: { held: number; from: number; to: number }[] = [];
    await expect.poll(async () => {
      await page.mouse.wheel(0, 400);
      const v = (await probe(page, (p) => p.view()))!;
      views.push({ held: await held(), from: v.from, to: v.to });
      return views.at(-1)!.held;
    }, { timeout: 30_000 }).toBeGreaterThanOrEqual(1000);
    const at = views.findIndex((v) => v.held >= 1000);
    expect(at).toBeGreaterThan(0);
    expect(views[at]!.to).toBe(views[at - 1]!.to);
    expect(views[at - 1]!.from - views[at]!.from).toBeLessThan((views[at - 1]!.to - views[at - 1]!.from) * 0.25);
    // Panning back in time (dragging to the right) brings the rest: all 2,000 loaded bars.
    await expect.poll(async () => {
      await page.mouse.move(box.x + box.width * 0.2, box.y + box.height * 0.5);
      await page.mouse.down();
      await page.mouse.move(box.x + box.width * 0.8, box.y + box.height * 0.5, { steps: 5 });
      await page.mouse.up();
      return held();
    }, { timeout: 30_000 }).toBeGreaterThanOrEqual(2000);
    await page.close();
  });

  it('draws a horizontal line and a trend line that stay after a reload, and deletes them', async () => {
    const page = await browser.newPage({ viewport: { width: 1440, height: 900 } });
    await openChart(page, 'BTCUSD');
    const chart = page.getByRole('img', { name: 'BTCUSD 1m candlestick chart' });
    const box = (await chart.boundingBox())!;
    const before = (await probe(page, (p) => p.drawings())).length;
    await page.getByRole('button', { name: 'Horizontal line' }).click();
    await page.mouse.click(box.x + box.width * 0.5, box.y + box.height * 0.3);
    await page.getByRole('button', { name: 'Trend line' }).click();
    await page.mouse.click(box.x + box.width * 0.3, box.y + box.height * 0.6);
    await page.mouse.click(box.x + box.width * 0.6, box.y + box.height * 0.4);
    const drawn = await probe(page, (p) => p.drawings());
    expect(drawn.slice(before).map((d) => d.tool)).toEqual(['hline', 'trend']);
    const hline = drawn[before]! as { price: number };
    // The line is at the price where it was clicked.
    expect(Math.abs(((await page.evaluate(`window.__qcCharts.main.priceY(${hline.price})`)) as number) - box.height * 0.3)).toBeLessThan(1.5);
    await page.reload();
    await page.getByRole('navigation').getByRole('button', { name: 'Chart', exact: true }).click();
    await expect.poll(() => probe(page, (p) => p.drawings().map((d) => d.tool).join()), { timeout: 20_000 }).toBe(drawn.map((d) => d.tool).join());
    expect(((await probe(page, (p) => p.drawings()))[before] as { price: number }).price).toBe(hline.price);
    await page.getByRole('button', { name: /^Drawings/ }).click();
    const panel = page.getByRole('dialog', { name: 'Drawings' });
    await panel.getByRole('button', { name: /^Delete Horizontal line/ }).first().click();
    await panel.getByRole('button', { name: /^Delete Trend line/ }).first().click();
    expect((await probe(page, (p) => p.drawings())).filter((d) => d.tool === 'hline' || d.tool === 'trend').length).toBe(drawn.filter((d) => d.tool === 'hline' || d.tool === 'trend').length - 2);
    await page.reload();
    await page.getByRole('navigation').getByRole('button', { name: 'Chart', exact: true }).click();
    await page.getByRole('img', { name: 'BTCUSD 1m candlestick chart' }).waitFor();
    expect((await probe(page, (p) => p.drawings())).length).toBe(drawn.length - 2);
    await page.close();
  });

  it('shows a working order as a line with side, quantity and type; right-click fills the ticket; a drag asks before modifying', async () => {
    const page = await browser.newPage({ viewport: { width: 1440, height: 900 } });
    await openChart(page, 'BTCUSD');
    const bid = Number((await page.locator('.quote-line b').first().textContent())!.replace(/,/g, ''));
    const limit = Number((bid * 0.995).toFixed(2)); // near the market: the line is in view
    await page.getByLabel('Quantity').fill('0.01');
    await page.getByLabel('Order type').selectOption('limit');
    await page.getByLabel('Limit price').fill(String(limit));
    await page.getByRole('button', { name: 'Buy', exact: true }).click();
    await expect.poll(() => probe(page, (p) => p.tradingLines().filter((l) => l.kind === 'order').map((l) => `${l.title}@${l.price}`)), { timeout: 15_000 })
      .toContain(`BUY 0.01 LMT@${limit}`);

    // Right-click at a price: the ticket gets a limit at that price; nothing is sent.
    await page.getByLabel('Order type').selectOption('market');
    const chart = page.getByRole('img', { name: 'BTCUSD 1m candlestick chart' });
    const box = (await chart.boundingBox())!;
    await page.mouse.click(box.x + box.width * 0.4, box.y + box.height * 0.35, { button: 'right' });
    const menu = page.getByRole('menu', { name: 'Chart menu' });
    const item = menu.getByRole('menuitem', { name: /^Limit order at/ });
    const menuPrice = Number((await item.textContent())!.match(/at ([\d,.]+)/)![1]!.replace(/,/g, ''));
    await item.click();
    await menu.waitFor({ state: 'detached' });
    expect(await page.getByLabel('Order type').inputValue()).toBe('limit');
    expect(Number(await page.getByLabel('Limit price').inputValue())).toBe(menuPrice);
    expect((await probe(page, (p) => p.tradingLines())).filter((l) => l.kind === 'order' && l.price === menuPrice)).toEqual([]);

    // Dragging the order's line up asks for confirmation; Cancel puts the line back.
    const line = (await probe(page, (p) => p.tradingLines())).find((l) => l.price === limit && l.kind === 'order')!;
    const y = (await page.evaluate(`window.__qcCharts.main.priceY(${limit})`)) as number;
    await page.mouse.move(box.x + box.width * 0.5, box.y + y);
    await page.mouse.down();
    await page.mouse.move(box.x + box.width * 0.5, box.y + y - 40, { steps: 8 });
    await page.mouse.up();
    const confirm = page.getByRole('dialog', { name: 'Modify order' });
    await confirm.waitFor();
    const text = (await confirm.textContent())!;
    expect(text).toContain('BUY 0.01 LMT');
    const to = Number(text.match(/to ([\d,.]+)\?/)![1]!.replace(/,/g, ''));
    expect(to).toBeGreaterThan(limit);
    expect((await probe(page, (p) => p.tradingLines())).find((l) => l.orderId === line.orderId)!.price).toBe(to);
    await confirm.getByRole('button', { name: 'Cancel' }).click();
    expect((await probe(page, (p) => p.tradingLines())).find((l) => l.orderId === line.orderId)!.price).toBe(limit);

    // A market buy fills: a fill marker and the position's average-price line.
    await page.getByLabel('Order type').selectOption('market');
    await page.getByRole('button', { name: 'Buy', exact: true }).click();
    await expect.poll(() => probe(page, (p) => p.markers()), { timeout: 15_000 }).toBeGreaterThan(0);
    await expect.poll(() => probe(page, (p) => p.tradingLines().filter((l) => l.kind === 'position').map((l) => l.title)), { timeout: 15_000 }).toEqual(['POS +0.01']);
    await page.close();
  });

  it('moves the stop-loss line as the trailing stop the app holds trails (held-order moves reach the chart)', async () => {
    const page = await browser.newPage({ viewport: { width: 1440, height: 900 } });
    await openChart(page, 'BTCUSD');
    await page.getByLabel('Quantity').fill('0.01');
    await page.getByLabel('Order type').selectOption('market');
    await page.getByText('Trailing & dynamic stops').click();
    await page.getByLabel('Trailing stop').selectOption('distance');
    // Wide enough not to be hit by the demo's noise within the test; any new high moves it.
    await page.getByLabel('Trail distance').fill('150');
    await page.getByRole('button', { name: 'Buy', exact: true }).click();
    const stopLine = async () => (await probe(page, (p) => p.tradingLines())).find((l) => l.kind === 'stop-loss' && l.orderId !== undefined);
    await expect.poll(async () => (await stopLine())?.price ?? 0, { timeout: 15_000 }).toBeGreaterThan(0);
    const first = (await stopLine())!;
    await expect.poll(async () => (await stopLine())?.price ?? Number.NaN, { timeout: 90_000 }).toBeGreaterThan(first.price);
    await page.close();
  });

  it('modifies a working order by dragging its line, after confirmation', async () => {
    const page = await browser.newPage({ viewport: { width: 1440, height: 900 } });
    await openChart(page, 'BTCUSD');
    const bid = Number((await page.locator('.quote-line b').first().textContent())!.replace(/,/g, ''));
    const limit = Number((bid * 0.993).toFixed(2));
    await page.getByLabel('Quantity').fill('0.02');
    await page.getByLabel('Order type').selectOption('limit');
    await page.getByLabel('Limit price').fill(String(limit));
    await page.getByRole('button', { name: 'Buy', exact: true }).click();
    await expect.poll(() => probe(page, (p) => p.tradingLines().some((l) => l.title === 'BUY 0.02 LMT')), { timeout: 15_000 }).toBe(true);
    const box = (await page.getByRole('img', { name: 'BTCUSD 1m candlestick chart' }).boundingBox())!;
    const confirm = page.getByRole('dialog', { name: 'Modify order' });
    // The price scale can move between reading the line's height and pressing on it (a new bar, a busy machine): the
    // drag is tried again from the line's new height until the confirmation opens.
    for (let attempt = 0; attempt < 5 && !(await confirm.isVisible()); attempt++) {
      const y = (await page.evaluate(`window.__qcCharts.main.priceY(${limit})`)) as number;
      await page.mouse.move(box.x + box.width * 0.5, box.y + y);
      await page.mouse.down();
      await page.mouse.move(box.x + box.width * 0.5, box.y + y - 30, { steps: 8 });
      await page.mouse.up();
      await confirm.waitFor({ timeout: 3_000 }).catch(() => undefined);
    }
    const to = Number((await confirm.textContent())!.match(/to ([\d,.]+)\?/)![1]!.replace(/,/g, ''));
    await confirm.getByRole('button', { name: 'Modify' }).click();
    await confirm.waitFor({ state: 'detached' });
    await expect.poll(() => probe(page, (p) => p.tradingLines().find((l) => l.title === 'BUY 0.02 LMT')?.price), { timeout: 15_000 }).toBe(to);
    await page.close();
  });

  it("changes a working order's quantity from its line's menu, after confirmation, through orders.modify; orders a few ticks apart are each offered", async () => {
    const page = await browser.newPage({ viewport: { width: 1440, height: 900 } });
    await openChart(page, 'BTCUSD');
    const bid = Number((await page.locator('.quote-line b').first().textContent())!.replace(/,/g, ''));
    // A price of its own, apart from the orders earlier tests left (the drag test's ends near bid × 0.994 too).
    const api = await connect(host.port, host.token);
    const working = (await api.call('orders.list', { scope: 'open' })) as Order[];
    api.close();
    const taken = working.flatMap((o) => [o.limitPrice, o.stopPrice]).filter((x): x is number => x !== null);
    const limit = [0.994, 0.9965, 0.9925, 0.998, 0.991].map((f) => Number((bid * f).toFixed(2))).find((x) => taken.every((t) => Math.abs(t - x) > bid * 0.0012))!;
    // Two orders a dollar apart: under a pixel on this scale.
    const buy = async (quantity: string, at: number) => {
      await page.getByLabel('Quantity').fill(quantity);
      await page.getByLabel('Order type').selectOption('limit');
      await page.getByLabel('Limit price').fill(String(at));
      await page.getByRole('button', { name: 'Buy', exact: true }).click();
      await expect.poll(async () => (await probe(page, (p) => p.tradingLines())).some((l) => l.title === `BUY ${quantity} LMT` && l.price === at), { timeout: 15_000 }).toBe(true);
    };
    await buy('0.01', limit);
    const near = Number((limit - 1).toFixed(2));
    await buy('0.04', near);
    const menu = page.getByRole('menu', { name: 'Chart menu' });
    const item = menu.getByRole('menuitem', { name: /^Change quantity of BUY 0\.01 LMT at / });
    const other = menu.getByRole('menuitem', { name: /^Change quantity of BUY 0\.04 LMT at / });
    // As with the drag: the scale can move between reading the line's height and the click; tried again until the
    // menu offers the order.
    for (let attempt = 0; attempt < 5 && !(await item.isVisible()); attempt++) {
      await page.keyboard.press('Escape');
      const box = (await page.getByRole('img', { name: 'BTCUSD 1m candlestick chart' }).boundingBox())!;
      const y = (await page.evaluate(`window.__qcCharts.main.priceY(${limit})`)) as number;
      await page.mouse.click(box.x + box.width * 0.5, box.y + y, { button: 'right' });
      await item.waitFor({ timeout: 3_000 }).catch(() => undefined);
    }
    // Both orders are offered, each with its price.
    const priceIn = async (l: typeof item) => Number((await l.textContent())!.match(/at ([\d,.]+)…/)![1]!.replace(/,/g, ''));
    expect(await priceIn(item)).toBe(limit);
    expect(await priceIn(other)).toBe(near);
    await item.click();
    const dialog = page.getByRole('dialog', { name: 'Modify quantity' });
    const field = dialog.getByLabel('New quantity');
    expect(await field.inputValue()).toBe('0.01');
    // Nothing is sent for a quantity that is not one, or unchanged.
    await field.fill('0');
    expect(await dialog.getByRole('button', { name: 'Review' }).isDisabled()).toBe(true);
    await field.fill('0.03');
    await dialog.getByRole('button', { name: 'Review' }).click();
    expect(await dialog.textContent()).toContain('Change BUY 0.01 LMT from 0.01 to 0.03?');
    expect((await probe(page, (p) => p.tradingLines())).some((l) => l.title === 'BUY 0.01 LMT')).toBe(true);
    if (SHOTS) await shootBothThemes(page, 'chart-order-quantity');
    await dialog.getByRole('button', { name: 'Modify' }).click();
    await dialog.waitFor({ state: 'detached' });
    // The order event carries the new quantity; the line's price is unchanged.
    await expect.poll(() => probe(page, (p) => p.tradingLines().filter((l) => l.kind === 'order').map((l) => `${l.title}@${l.price}`)), { timeout: 15_000 })
      .toContain(`BUY 0.03 LMT@${limit}`);
    expect((await probe(page, (p) => p.tradingLines())).some((l) => l.title === 'BUY 0.04 LMT' && l.price === near)).toBe(true);
    await page.close();
  });

  it("moves a stop-loss that waits for its entry's fill by dragging its line, after confirmation; the refusal of a wrong-side level is shown", async () => {
    const page = await browser.newPage({ viewport: { width: 1440, height: 900 } });
    await openChart(page, 'BTCUSD');
    const bid = Number((await page.locator('.quote-line b').first().textContent())!.replace(/,/g, ''));
    const limit = Number((bid * 0.995).toFixed(2));
    const stopLoss = Number((limit * 0.997).toFixed(2));
    await page.getByLabel('Quantity').fill('0.01');
    await page.getByLabel('Order type').selectOption('limit');
    await page.getByLabel('Limit price').fill(String(limit));
    await page.getByLabel('Stop-loss').fill(String(stopLoss));
    await page.getByRole('button', { name: 'Buy', exact: true }).click();
    const leg = async () => (await probe(page, (p) => p.tradingLines())).find((l) => l.title === 'SL 0.01 (on fill)');
    await expect.poll(async () => (await leg())?.price, { timeout: 15_000 }).toBe(stopLoss);
    const box = (await page.getByRole('img', { name: 'BTCUSD 1m candlestick chart' }).boundingBox())!;
    const confirm = page.getByRole('dialog', { name: 'Modify order' });
    /** Drags the line at `price` by dy pixels, again from its new height if the scale moved before the press. */
    const drag = async (price: number, dy: number) => {
      for (let attempt = 0; attempt < 5 && !(await confirm.isVisible()); attempt++) {
        const y = (await page.evaluate(`window.__qcCharts.main.priceY(${price})`)) as number;
        await page.mouse.move(box.x + box.width * 0.5, box.y + y);
        await page.mouse.down();
        await page.mouse.move(box.x + box.width * 0.5, box.y + y + dy, { steps: 8 });
        await page.mouse.up();
        await confirm.waitFor({ timeout: 3_000 }).catch(() => undefined);
      }
    };
    await drag(stopLoss, 30);
    const text = (await confirm.textContent())!;
    expect(text).toContain('SL 0.01 (on fill)');
    const to = Number(text.match(/to ([\d,.]+)\?/)![1]!.replace(/,/g, ''));
    expect(to).toBeLessThan(stopLoss);
    if (SHOTS) await shootBothThemes(page, 'chart-leg-drag');
    await confirm.getByRole('button', { name: 'Modify' }).click();
    await confirm.waitFor({ state: 'detached' });
    // The entry's order event carries the moved leg; the entry itself is where it was.
    await expect.poll(async () => (await leg())?.price, { timeout: 15_000 }).toBe(to);
    expect((await probe(page, (p) => p.tradingLines())).find((l) => l.title === 'BUY 0.01 LMT')!.price).toBe(limit);

    // Above the entry, a buy's stop-loss is refused: the reason is shown and the line goes back when cancelled.
    const y = (await page.evaluate(`window.__qcCharts.main.priceY(${to})`)) as number;
    const entryY = (await page.evaluate(`window.__qcCharts.main.priceY(${limit})`)) as number;
    await drag(to, entryY - y - 25);
    await confirm.getByRole('button', { name: 'Modify' }).click();
    await expect.poll(async () => (await confirm.getByRole('alert').textContent()) ?? '', { timeout: 15_000 }).toMatch(/Stop-loss must be below the entry price/);
    await confirm.getByRole('button', { name: 'Cancel' }).click();
    await expect.poll(async () => (await leg())?.price, { timeout: 15_000 }).toBe(to);
    await page.close();
  });

  it('shows times in the chosen zone on the chart axis and in the tables, and keeps the choice', async () => {
    const page = await browser.newPage({ viewport: { width: 1440, height: 900 }, timezoneId: 'Asia/Tokyo' });
    await openChart(page, 'AAPL');
    const t = Date.UTC(2026, 11, 3, 15, 0) / 1000;
    const label = (zone: string | undefined) => page.evaluate(([s, z]) => new Intl.DateTimeFormat(undefined, { weekday: 'short', day: 'numeric', month: 'short', year: '2-digit', hour: '2-digit', minute: '2-digit', timeZone: z }).format(new Date((s as number) * 1000)), [t, zone] as const);
    const zone = page.getByLabel('Time zone');
    await zone.selectOption('utc');
    expect(await probe(page, (p) => p.timeLabel(Date.UTC(2026, 11, 3, 15, 0) / 1000))).toBe(await label('UTC'));
    await zone.selectOption('exchange');
    expect(await probe(page, (p) => p.timeLabel(Date.UTC(2026, 11, 3, 15, 0) / 1000))).toBe(await label('America/New_York'));
    await zone.selectOption('local');
    expect(await probe(page, (p) => p.timeLabel(Date.UTC(2026, 11, 3, 15, 0) / 1000))).toBe(await label('Asia/Tokyo'));

    // The tables: an order's time in the blotter follows the same choice.
    await page.getByLabel('Quantity').fill('1');
    await page.getByLabel('Order type').selectOption('limit');
    const bid = Number((await page.locator('.quote-line b').first().textContent())!.replace(/,/g, ''));
    await page.getByLabel('Limit price').fill((bid * 0.97).toFixed(2));
    await page.getByRole('button', { name: 'Buy', exact: true }).click();
    await page.getByRole('status').filter({ hasText: /accepted|working|submitted/i }).first().waitFor();
    const orderTime = async () => {
      await page.getByRole('navigation').getByRole('button', { name: 'Orders & Positions' }).click();
      const row = page.getByRole('table', { name: 'Working orders' }).getByRole('row', { name: /AAPL/ }).first();
      const text = (await row.textContent())!;
      await page.getByRole('navigation').getByRole('button', { name: 'Chart', exact: true }).click();
      return text;
    };
    const tokyo = await orderTime();
    await page.getByLabel('Time zone').selectOption('utc');
    const utc = await orderTime();
    expect(utc).not.toBe(tokyo);
    // Tokyo is 9 hours ahead of UTC: the same order, its hour 9 apart (on a 12- or a 24-hour clock).
    const hour = (s: string) => Number(s.match(/(\d{1,2}):\d\d:\d\d/)![1]);
    expect((hour(tokyo) - hour(utc) + 24) % 12).toBe(9);
    await page.reload();
    await page.getByRole('navigation').getByRole('button', { name: 'Chart', exact: true }).click();
    expect(await page.getByLabel('Time zone').inputValue()).toBe('utc');
    await page.close();
  });

  it('says which zone "exchange" uses and why: UTC for an instrument whose exchange zone is unknown, on the chart and in Settings', async () => {
    const page = await browser.newPage({ viewport: { width: 1440, height: 900 }, timezoneId: 'Asia/Tokyo' });
    // A symbol outside the instrument list (as restored from an older workspace): no session, so no exchange zone.
    await page.addInitScript(() => {
      if (sessionStorage.getItem('zone-test')) return;
      sessionStorage.setItem('zone-test', '1');
      localStorage.setItem('qc.timeZone', 'exchange');
      localStorage.setItem('qc.symbol', 'NOPE');
      localStorage.setItem('qc.workspace', JSON.stringify({ layout: 1, panes: [{ symbol: 'NOPE', timeframe: '1m' }], active: 0, linked: false }));
    });
    await page.goto(host.url);
    await page.getByRole('navigation').getByRole('button', { name: 'Chart', exact: true }).click();
    await page.getByRole('img', { name: 'NOPE 1m candlestick chart' }).locator('canvas').first().waitFor();
    const zone = page.getByLabel('Time zone');
    await expect.poll(() => zone.getAttribute('title'), { timeout: 15_000 }).toBe('Times in UTC — exchange time zone unknown for NOPE');
    expect(await zone.locator('option[value="exchange"]').textContent()).toBe('Exchange (unknown: UTC)');
    expect(await zone.inputValue()).toBe('exchange');
    // The axis really is in UTC (the browser is in Tokyo).
    const t = Date.UTC(2026, 11, 3, 15, 0) / 1000;
    const utc = await page.evaluate((s) => new Intl.DateTimeFormat(undefined, { weekday: 'short', day: 'numeric', month: 'short', year: '2-digit', hour: '2-digit', minute: '2-digit', timeZone: 'UTC' }).format(new Date(s * 1000)), t);
    expect(await probe(page, (p) => p.timeLabel(Date.UTC(2026, 11, 3, 15, 0) / 1000))).toBe(utc);
    if (SHOTS) await shootBothThemes(page, 'chart-zone-fallback');

    const settingsSays = async () => {
      await page.getByRole('navigation').getByRole('button', { name: 'Settings' }).click();
      const text = await page.getByRole('status', { name: 'Time zone in use' }).textContent();
      await page.getByRole('navigation').getByRole('button', { name: 'Chart', exact: true }).click();
      return text;
    };
    expect(await settingsSays()).toBe('Times in UTC — exchange time zone unknown for NOPE');

    // A known instrument: its exchange's zone, named.
    await page.getByLabel('Search symbol').fill('AAPL');
    await page.getByRole('option', { name: /^AAPL/ }).first().click();
    await expect.poll(() => page.getByLabel('Time zone').getAttribute('title'), { timeout: 15_000 }).toBe('Times in America/New_York — the exchange time of AAPL');
    expect(await page.getByLabel('Time zone').locator('option[value="exchange"]').textContent()).toBe('Exchange (New York)');
    expect(await settingsSays()).toBe('Times in America/New_York — the exchange time of AAPL');
    await page.close();
  });

  it("plots a backtest's own indicators on its price chart: the SMAs of an SMA cross, Bollinger Bands and an RSI pane for mean reversion", async () => {
    const page = await browser.newPage({ viewport: { width: 1440, height: 900 } });
    await page.goto(host.url);
    await page.getByRole('navigation').getByRole('button', { name: 'Backtests' }).click();
    await page.getByLabel('Instrument').selectOption('NVDA');
    const chartRows = () => page.getByRole('img', { name: 'Price with trades' }).locator('table tr').count();
    const run = async (strategy: string) => {
      await page.getByLabel('Strategy').selectOption(strategy);
      await page.getByRole('button', { name: 'Run backtest' }).click();
      await page.getByRole('table', { name: 'Metrics' }).waitFor({ timeout: 20_000 });
    };
    await run('sma-cross');
    await expect.poll(() => page.getByLabel('Plotted indicators').textContent(), { timeout: 20_000 }).toBe('SMA 10 · SMA 30');
    const onePane = await chartRows();
    await run('mean-reversion');
    await expect.poll(() => page.getByLabel('Plotted indicators').textContent(), { timeout: 20_000 }).toBe('Bollinger Bands 20 2 · RSI 14');
    // The RSI has a pane of its own: the chart has more rows (a pane and its separator).
    expect(await chartRows()).toBeGreaterThan(onePane);
    await page.close();
  });

  it.skipIf(!SHOTS)('screenshots: indicators, drawings and order lines, both themes', async () => {
    mkdirSync(SHOTS!, { recursive: true });
    for (const theme of ['dark', 'light'] as const) {
      const page = await browser.newPage({ viewport: { width: 1440, height: 900 } });
      await page.goto(host.url);
      if ((await page.evaluate(() => document.documentElement.dataset['theme'])) !== theme) await page.getByRole('button', { name: 'Toggle theme' }).click();
      await expect.poll(() => page.evaluate(() => document.documentElement.dataset['theme'])).toBe(theme);
      // Set after the theme switch (a mounted chart saves its own list when it is rebuilt); read when the chart mounts.
      await page.evaluate(() => {
        localStorage.setItem('qc.chart.main.indicators', JSON.stringify([
          { id: 'i1', kind: 'sma', params: [20] }, { id: 'i2', kind: 'bbands', params: [20, 2] }, { id: 'i3', kind: 'rsi', params: [14] }, { id: 'i4', kind: 'macd', params: [12, 26, 9] },
        ]));
      });
      await openChart(page, 'BTCUSD');
      if ((await probe(page, (p) => p.tradingLines().length)) === 0) {
        // A working limit near the market and a small position, for their lines.
        const bid = Number((await page.locator('.quote-line b').first().textContent())!.replace(/,/g, ''));
        await page.getByLabel('Quantity').fill('0.01');
        await page.getByRole('button', { name: 'Buy', exact: true }).click();
        await page.getByLabel('Order type').selectOption('limit');
        await page.getByLabel('Limit price').fill((bid * 0.997).toFixed(2));
        await page.getByRole('button', { name: 'Buy', exact: true }).click();
        await expect.poll(() => probe(page, (p) => p.tradingLines().length), { timeout: 15_000 }).toBe(2);
      }
      const closes = await probe(page, (p) => p.closes());
      const last = closes[closes.length - 1]!;
      const lo = Math.min(...closes.slice(-80));
      const hi = Math.max(...closes.slice(-80));
      await page.evaluate(([l, h, c]) => {
        const now = Math.floor(Date.now() / 60_000) * 60;
        localStorage.setItem('qc.chart.drawings.BTCUSD', JSON.stringify([
          { id: 'h1', tool: 'hline', price: h },
          { id: 't1', tool: 'trend', a: { time: now - 70 * 60, price: l }, b: { time: now - 10 * 60, price: c } },
          { id: 'f1', tool: 'fib', a: { time: now - 60 * 60, price: l }, b: { time: now - 30 * 60, price: h } },
        ]));
      }, [lo, hi, last] as const);
      await page.reload();
      await page.getByRole('navigation').getByRole('button', { name: 'Chart', exact: true }).click();
      await expect.poll(() => probe(page, (p) => p.indicators().length), { timeout: 20_000 }).toBe(4);
      await expect.poll(() => probe(page, (p) => p.tradingLines().length), { timeout: 20_000 }).toBeGreaterThan(0);
      await page.waitForTimeout(500);
      await page.screenshot({ path: join(SHOTS!, `chart-tools-${theme}.png`) });
      await page.close();
    }
  });
});
