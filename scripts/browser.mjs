#!/usr/bin/env node
// The browser the end-to-end tests drive: CHROMIUM_PATH, else a Chromium or Chrome on PATH (or where macOS and Windows
// install it), else Playwright's own download. Used by `npm run setup` (which may download one), by `npm test` (which
// stops at once with one line when there is none: `node scripts/browser.mjs --check`) and by tests/support/browser.ts.
import { accessSync, constants, existsSync, statSync } from 'node:fs';
import { delimiter, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

const NAMES = ['chromium', 'chromium-browser', 'google-chrome', 'google-chrome-stable', 'chrome'];
const FIXED = {
  darwin: ['/Applications/Chromium.app/Contents/MacOS/Chromium', '/Applications/Google Chrome.app/Contents/MacOS/Google Chrome'],
  win32: ['C:\\Program Files\\Google\\Chrome\\Application\\chrome.exe', 'C:\\Program Files (x86)\\Google\\Chrome\\Application\\chrome.exe'],
};

function executable(file) {
  try {
    if (!statSync(file).isFile()) return false;
    if (process.platform !== 'win32') accessSync(file, constants.X_OK);
    return true;
  } catch {
    return false;
  }
}

function onPath(name, env) {
  for (const dir of (env.PATH ?? '').split(delimiter).filter(Boolean)) {
    for (const file of process.platform === 'win32' ? [join(dir, `${name}.exe`)] : [join(dir, name)]) if (executable(file)) return file;
  }
  return undefined;
}

/** Playwright's own Chromium (`npx playwright-core install chromium`), where it has been downloaded. */
async function playwrightChromium() {
  try {
    const { chromium } = await import('playwright-core');
    const file = chromium.executablePath();
    return file && executable(file) ? file : undefined;
  } catch {
    return undefined;
  }
}

/** What to run to get a browser on this machine, in one line. */
export function installHint(env = process.env) {
  // Package managers live in the usual places even when PATH is bare (a CI step, a service account).
  const withSystem = { PATH: [env.PATH, '/usr/bin', '/usr/local/bin', '/opt/homebrew/bin'].filter(Boolean).join(delimiter) };
  const pkg = onPath('apt-get', withSystem) ? 'run `sudo apt-get install chromium`'
    : onPath('dnf', withSystem) ? 'run `sudo dnf install chromium`'
    : onPath('pacman', withSystem) ? 'run `sudo pacman -S chromium`'
    : onPath('brew', withSystem) ? 'run `brew install --cask chromium`'
    : 'install Chromium or Chrome';
  return `No browser for the end-to-end tests: ${pkg}, or \`npx playwright-core install chromium\` where cdn.playwright.dev is reachable, or set CHROMIUM_PATH to a Chromium or Chrome executable.`;
}

/**
 * The browser to use: `{ path, source }`, or `{ problem }` (one line saying what to do). A CHROMIUM_PATH that does not
 * exist is a problem, not a reason to look elsewhere: the user asked for that one.
 */
export async function findBrowser(env = process.env) {
  const wanted = env.CHROMIUM_PATH;
  if (wanted) {
    if (executable(wanted)) return { path: wanted, source: 'CHROMIUM_PATH' };
    return { problem: `CHROMIUM_PATH=${wanted} is ${existsSync(wanted) ? 'not an executable file' : 'missing'}: point it at a Chromium or Chrome executable, or unset it to use one on PATH.` };
  }
  for (const name of NAMES) {
    const file = onPath(name, env);
    if (file) return { path: file, source: `${name} on PATH` };
  }
  for (const file of FIXED[process.platform] ?? []) if (executable(file)) return { path: file, source: 'installed' };
  const downloaded = await playwrightChromium();
  if (downloaded) return { path: downloaded, source: "Playwright's download" };
  return { problem: installHint(env) };
}

/** The one line setup and `npm test` print. */
export function describeBrowser(found) {
  return found.path ? `End-to-end tests use ${found.path} (${found.source}).` : found.problem;
}

if (process.argv[1] && fileURLToPath(import.meta.url) === resolve(process.argv[1])) {
  const found = await findBrowser();
  if (found.path) {
    if (!process.argv.includes('--quiet')) process.stdout.write(`[browser] ${describeBrowser(found)}\n`);
  } else {
    process.stderr.write(`[browser] ${found.problem}\n`);
    process.exit(1);
  }
}
