// Headless Chromium driven by playwright-core: the browser scripts/browser.mjs finds (CHROMIUM_PATH, a system Chromium
// or Chrome, or Playwright's download); `npm run setup` says which, and `npm test` stops at once when there is none.
import { chromium, type Browser } from 'playwright-core';
import { findBrowser } from '../../scripts/browser.mjs';

export async function launchBrowser(): Promise<Browser> {
  const found = await findBrowser();
  if (!found.path) throw new Error(found.problem);
  return chromium.launch({
    executablePath: found.path,
    headless: true,
    args: [
      '--headless', '--no-sandbox', '--disable-gpu', '--disable-background-networking', '--disable-component-update',
      '--no-first-run', '--disable-sync', '--disable-quic',
    ],
  });
}
