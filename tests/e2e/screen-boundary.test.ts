// End to end: a screen that throws while rendering shows the error in its place, and the top bar (kill switch) and
// the menu keep working; before, one render error blanked the whole window. The error is made real by breaking a
// built-in the chart header calls on every quote (Number.prototype.toFixed), then mended.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Browser } from 'playwright-core';
import { launchBrowser } from '../support/browser';
import { startHost, type RunningHost } from '../support/web-host';

let browser: Browser;
let host: RunningHost;

beforeAll(async () => {
  browser = await launchBrowser();
  host = await startHost({ env: { QC_TEST_FAULTS: 'clock-from=2026-12-01T16:00:00Z' } });
});

afterAll(async () => {
  await host?.stop();
  await browser?.close();
});

describe('a screen that fails', () => {
  it('shows its error in place; the kill switch and the other screens keep working; it can be reloaded', async () => {
    const page = await browser.newPage({ viewport: { width: 1440, height: 900 } });
    const errors: string[] = [];
    page.on('pageerror', (e) => errors.push(e.message));
    await page.goto(host.url);
    const nav = (name: string) => page.getByRole('navigation', { name: 'Screens' }).getByRole('button', { name, exact: true }).click();
    await nav('Chart');
    await page.getByLabel('Change today').waitFor();
    await page.evaluate(() => {
      const proto = Number.prototype as unknown as { toFixed: unknown; __toFixed: unknown };
      proto.__toFixed = proto.toFixed;
      proto.toFixed = () => {
        throw new Error('toFixed broken by the test');
      };
    });
    const failed = page.getByRole('alert', { name: 'Screen failed' });
    await failed.waitFor({ timeout: 10_000 });
    expect(await failed.textContent()).toContain('Chart: toFixed broken by the test');
    // The shell is still there and answers.
    await page.evaluate(() => {
      const proto = Number.prototype as unknown as { toFixed: unknown; __toFixed: unknown };
      proto.toFixed = proto.__toFixed;
    });
    const kill = page.getByRole('button', { name: /^Kill switch/ });
    page.once('dialog', (d) => void d.accept());
    await kill.click();
    await expect.poll(() => kill.getAttribute('aria-pressed')).toBe('true');
    await kill.click();
    await expect.poll(() => kill.getAttribute('aria-pressed')).toBe('false');
    await nav('Orders & Positions');
    await page.getByRole('table').first().waitFor();
    // Back to the chart: a new screen, drawn again.
    await nav('Chart');
    await page.getByLabel('Change today').waitFor();
    expect(await failed.count()).toBe(0);
    // And the failed one can be reloaded in place.
    await page.evaluate(() => {
      const proto = Number.prototype as unknown as { toFixed: unknown; __toFixed: unknown };
      proto.toFixed = () => {
        throw new Error('toFixed broken by the test');
      };
    });
    await failed.waitFor({ timeout: 10_000 });
    await page.evaluate(() => {
      const proto = Number.prototype as unknown as { toFixed: unknown; __toFixed: unknown };
      proto.toFixed = proto.__toFixed;
    });
    await failed.getByRole('button', { name: 'Reload screen' }).click();
    await page.getByLabel('Change today').waitFor();
    await page.close();
  }, 90_000);
});
