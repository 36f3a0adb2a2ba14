// The README's screenshots from e2e tests: with QC_SCREENSHOTS=1 they are written to resources/screenshots, in both
// themes; a plain test run writes nothing.
import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import type { Page } from 'playwright-core';
import { expect } from 'vitest';
import { repoRoot } from './web-host';

export const SHOTS = process.env['QC_SCREENSHOTS'] === '1' ? join(repoRoot, 'resources/screenshots') : undefined;

const theme = (page: Page) => page.evaluate(() => document.documentElement.dataset['theme']);

/** The same view in both themes: `<name>-dark.png`, `<name>-light.png` (the page is left dark). */
export async function shotsInBothThemes(page: Page, name: string): Promise<void> {
  if (!SHOTS) return;
  mkdirSync(SHOTS, { recursive: true });
  for (const want of ['dark', 'light'] as const) {
    if ((await theme(page)) !== want) await page.getByRole('button', { name: 'Toggle theme' }).click();
    await expect.poll(() => theme(page)).toBe(want);
    // No focus ring or hover on the toggle in the picture.
    await page.evaluate(() => (document.activeElement as HTMLElement | null)?.blur());
    await page.mouse.move(700, 880);
    await page.waitForTimeout(300); // the charts repaint in the new colours
    await page.screenshot({ path: join(SHOTS, `${name}-${want}.png`) });
  }
  await page.getByRole('button', { name: 'Toggle theme' }).click();
  await expect.poll(() => theme(page)).toBe('dark');
}

/** The trailing stop's level in the blotter's Working orders table ("TRAIL 1.08312 (bracket)"), or NaN. */
export async function trailLevel(page: Page): Promise<number> {
  const row = page.getByRole('table', { name: 'Working orders' }).getByRole('row', { name: /TRAIL/ });
  if ((await row.count()) !== 1) return NaN;
  const m = /TRAIL ([\d.]+)/.exec((await row.textContent()) ?? '');
  return m ? Number(m[1]) : NaN;
}
