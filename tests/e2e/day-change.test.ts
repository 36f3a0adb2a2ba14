// End to end (issue 15, item 1): the day change in the chart's header and in the watchlist, in Chromium through the
// web host, with the host's clock pinned (QC_TEST_FAULTS clock-from): during a session it is measured from the previous
// session's close; on a Sunday it is Friday's change over Thursday's close (it showed 0.00 all weekend).
import { afterEach, describe, expect, it } from 'vitest';
import type { Browser, Page } from 'playwright-core';
import type { Bar } from '../../src-shared/domain/types';
import { launchBrowser } from '../support/browser';
import { connect } from '../support/host-process';
import { startHost, type RunningHost } from '../support/web-host';

let browser: Browser | undefined;
let host: RunningHost | undefined;

afterEach(async () => {
  await host?.stop();
  await browser?.close();
});

const number = (text: string) => Number(text.replace(/[−–]/g, '-').replace(/[^\d.+-]/g, ''));

async function openChart(clockFrom: string, opts: { browserClock?: boolean } = {}) {
  const started = Date.now();
  host = await startHost({ env: { QC_TEST_FAULTS: `clock-from=${clockFrom}` } });
  const api = await connect(host.port, host.token);
  const daily = (await api.call('bars.history', { symbol: 'AAPL', timeframe: '1d', limit: 5 })) as Bar[];
  api.close();
  browser = await launchBrowser();
  const page = await browser.newPage({ viewport: { width: 1920, height: 1080 } });
  page.on('pageerror', (e) => console.error('page error:', e.message));
  // The browser on the host's time (it decides when the market opens), from about when the host started.
  if (opts.browserClock) await page.clock.install({ time: Date.parse(clockFrom) + (Date.now() - started) });
  await page.goto(host.url);
  await page.getByRole('navigation').getByRole('button', { name: 'Chart', exact: true }).click();
  await page.getByLabel('Change today').waitFor();
  const wl = page.getByRole('region', { name: 'Watchlist' });
  await wl.getByRole('button', { name: 'Add AAPL' }).click();
  const row = wl.getByRole('row', { name: /AAPL/ });
  await expect.poll(() => row.locator('td').nth(2).textContent()).not.toBe('—');
  return { page, daily };
}

/** Last, header change and the watchlist's figures, read in one go (they move with the ticks while a session runs). */
async function figures(page: Page) {
  const [last, change, pct, wlLast, wlChange] = await page.evaluate(() => {
    const text = (sel: string) => document.querySelector(sel)?.textContent ?? '';
    const head = text('[aria-label="Change today"]');
    const cells = Array.from(document.querySelectorAll('section[aria-label="Watchlist"] tbody tr')).find((r) => r.textContent?.includes('AAPL'))!.querySelectorAll('td');
    return [text('[data-testid="last-price"]'), head.split('(')[0]!, head.split('(')[1]!, cells[1]!.textContent!, cells[2]!.textContent!];
  });
  return { last: number(last), change: number(change), pct: number(pct), wlLast: number(wlLast), wlChange: number(wlChange) };
}

async function dayChange(clockFrom: string) {
  const { page, daily } = await openChart(clockFrom);
  return { daily, ...(await figures(page)) };
}

describe('day change', () => {
  it('on a Sunday: Friday over Thursday, in the header and the watchlist', async () => {
    const r = await dayChange('2026-12-06T02:00:00Z');
    const days = r.daily.map((b) => new Date(b.time * 1000).toISOString().slice(0, 10));
    expect(days.slice(-2)).toEqual(['2026-12-03', '2026-12-04']);
    const [thursday, friday] = r.daily.slice(-2).map((b) => b.close) as [number, number];
    expect(r.last).toBeCloseTo(friday, 2);
    expect(Math.abs(friday - thursday)).toBeGreaterThan(0.01);
    expect(r.change).toBeCloseTo(friday - thursday, 2);
    expect(r.pct).toBeCloseTo(((friday - thursday) / thursday) * 100, 2);
    expect(r.wlChange).toBeCloseTo(friday - thursday, 2);
  }, 90_000);

  it("during a session: today's last over the previous session's close", async () => {
    const r = await dayChange('2026-12-01T16:00:00Z');
    const days = r.daily.map((b) => new Date(b.time * 1000).toISOString().slice(0, 10));
    expect(days.slice(-2)).toEqual(['2026-11-30', '2026-12-01']);
    const monday = r.daily.at(-2)!.close;
    expect(r.change).toBeCloseTo(r.last - monday, 2);
    expect(r.wlChange).toBeCloseTo(r.wlLast - monday, 2);
  }, 90_000);

  it("at the open: the base moves from the last session's previous close to its own close, without a reload", async () => {
    // Tuesday, 10 s before the US open: the newest daily bar is Monday's, so Monday's change is shown.
    const { page, daily } = await openChart('2026-12-01T14:29:50Z', { browserClock: true });
    const days = daily.map((b) => new Date(b.time * 1000).toISOString().slice(0, 10));
    expect(days.slice(-2)).toEqual(['2026-11-27', '2026-11-30']);
    const [friday, monday] = daily.slice(-2).map((b) => b.close) as [number, number];
    expect(Math.abs(monday - friday)).toBeGreaterThan(0.01);
    const before = await figures(page);
    expect(before.change).toBeCloseTo(monday - friday, 2);
    // After the open Tuesday's bar is the newest: the change is from Monday's close, in the header and the watchlist.
    await expect.poll(async () => {
      const f = await figures(page);
      return [Math.abs(f.change - (f.last - monday)) < 0.005, Math.abs(f.wlChange - (f.wlLast - monday)) < 0.005];
    }, { timeout: 40_000, interval: 1_000 }).toEqual([true, true]);
  }, 90_000);
});
