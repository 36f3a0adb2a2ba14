#!/usr/bin/env node
// `npm run setup`: installs dependencies on any machine. Where Electron's binary or headers cannot be downloaded
// (offline, locked-down networks) it installs without them, says so in one line, and the web host is used instead.
import { spawnSync } from 'node:child_process';
import { cpSync, existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { request } from 'node:https';

const root = new URL('..', import.meta.url).pathname;
const pkg = JSON.parse(readFileSync(join(root, 'package.json'), 'utf8'));
const electronVersion = pkg.devDependencies.electron.replace(/^[^\d]*/, '');
const npm = process.platform === 'win32' ? 'npm.cmd' : 'npm';

function say(line) {
  process.stdout.write(`[setup] ${line}\n`);
}

/** Resolves true when an HTTPS HEAD to `url` answers within the timeout (any status: the host is reachable). */
function reachable(url, timeoutMs = 6000) {
  return new Promise((resolve) => {
    const req = request(url, { method: 'HEAD', timeout: timeoutMs }, (res) => {
      res.resume();
      resolve(true);
    });
    req.on('timeout', () => req.destroy(new Error('timeout')));
    req.on('error', () => resolve(false));
    req.end();
  });
}

function run(cmd, args, env = {}) {
  const r = spawnSync(cmd, args, { cwd: root, stdio: 'inherit', env: { ...process.env, ...env } });
  return r.status === 0;
}

const binaryHost = process.env.ELECTRON_MIRROR || 'https://github.com/electron/electron/releases/';
let skipBinary = Boolean(process.env.ELECTRON_SKIP_BINARY_DOWNLOAD);
if (!skipBinary && !(await reachable(binaryHost))) {
  skipBinary = true;
  say(`Electron's binary cannot be downloaded here (${new URL(binaryHost).host} is unreachable): installing without it; \`npm start\` will open the web host instead of a window.`);
}

let ok = run(npm, ['install', '--no-audit', '--no-fund'], skipBinary ? { ELECTRON_SKIP_BINARY_DOWNLOAD: '1' } : {});
if (!ok && !skipBinary) {
  skipBinary = true;
  say("npm install failed while fetching Electron's binary: retrying without it; `npm start` will open the web host instead of a window.");
  ok = run(npm, ['install', '--no-audit', '--no-fund'], { ELECTRON_SKIP_BINARY_DOWNLOAD: '1' });
}
if (!ok) {
  say('npm install failed (see above). Nothing else was changed.');
  process.exit(1);
}

// A second build of better-sqlite3 for Electron's ABI, loaded in the window through `nativeBinding`;
// node_modules keeps the Node build for tests, CLI and web host, so no rebuild is ever needed to switch.
const nativeDir = join(root, 'native', `electron-${electronVersion}`);
const nativeFile = join(nativeDir, 'better_sqlite3.node');
const headersUrl = process.env.ELECTRON_HEADERS_URL || 'https://electronjs.org/headers';
if (existsSync(nativeFile)) {
  say(`Electron build of better-sqlite3 already present (${electronVersion}).`);
} else if (!(await reachable(`${headersUrl}/v${electronVersion}/SHASUMS256.txt`))) {
  say(`Skipped the Electron build of better-sqlite3: Electron's headers cannot be downloaded (${new URL(headersUrl).host} unreachable). Tests, CLI and the web host use the Node build; run \`npm run setup\` online for the desktop window.`);
} else {
  const work = mkdtempSync(join(tmpdir(), 'qc-bsqlite-'));
  try {
    const src = join(root, 'node_modules', 'better-sqlite3');
    cpSync(src, work, { recursive: true, filter: (p) => !p.startsWith(join(src, 'build')) });
    const gyp = join(root, 'node_modules', 'node-gyp', 'bin', 'node-gyp.js');
    // npm_config_nodedir would point node-gyp at Node's own headers; Electron needs its own.
    const built = spawnSync(process.execPath, [gyp, 'rebuild', '--release', `--target=${electronVersion}`, `--dist-url=${headersUrl}`, `--arch=${process.arch}`], {
      cwd: work, stdio: 'inherit', env: { ...process.env, npm_config_nodedir: '', npm_config_runtime: 'electron' },
    });
    if (built.status !== 0) throw new Error('node-gyp failed');
    mkdirSync(nativeDir, { recursive: true });
    cpSync(join(work, 'build', 'Release', 'better_sqlite3.node'), nativeFile);
    say(`Built better-sqlite3 for Electron ${electronVersion} into ${nativeDir}.`);
  } catch (err) {
    say(`Skipped the Electron build of better-sqlite3 (${err.message}); the web host, CLI and tests are unaffected.`);
  } finally {
    rmSync(work, { recursive: true, force: true });
  }
}

// A browser for the end-to-end tests: the system's, else Playwright's download where its CDN answers; one line says
// which, or exactly what to run (then `npm test` stops at once with the same line).
const { findBrowser, describeBrowser } = await import('./browser.mjs');
let browser = await findBrowser();
if (!browser.path && !process.env.CHROMIUM_PATH) {
  const hosts = process.env.PLAYWRIGHT_DOWNLOAD_HOST ? [process.env.PLAYWRIGHT_DOWNLOAD_HOST] : ['https://cdn.playwright.dev', 'https://playwright.download.prss.microsoft.com'];
  const reachableHost = (await Promise.all(hosts.map((h) => reachable(h)))).some(Boolean);
  if (reachableHost) {
    say("No system Chromium or Chrome: downloading Playwright's Chromium for the end-to-end tests.");
    if (run(process.execPath, [join(root, 'node_modules', 'playwright-core', 'cli.js'), 'install', 'chromium'])) browser = await findBrowser();
  }
}
say(describeBrowser(browser));

const window = skipBinary ? '`npm start` serves the web host (no Electron binary here)' : '`npm start` opens the window';
say(`Done. ${window}, \`npm run web\` serves the terminal to a browser, \`npm test\` runs every test.`);
