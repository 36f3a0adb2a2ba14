#!/usr/bin/env node
// `npm start`: the desktop window; where Electron cannot start (binary not installed, no display,
// no Electron build of the SQLite driver) it says why in one line and serves the web host instead.
import { spawn } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { join } from 'node:path';
import { buildIfStale } from './build-if-stale.mjs';

const root = new URL('..', import.meta.url).pathname;
const require = createRequire(import.meta.url);
const args = process.argv.slice(2);

function electronBinary() {
  try {
    // The electron package exports the binary's path; it throws when the binary was never downloaded.
    const path = require('electron');
    return typeof path === 'string' && existsSync(path) ? { path } : { why: "Electron's binary is not installed (it could not be downloaded at set-up)" };
  } catch {
    return { why: "Electron's binary is not installed (it could not be downloaded at set-up)" };
  }
}

function whyNoWindow() {
  const bin = electronBinary();
  if (bin.why) return { why: bin.why };
  if (process.platform === 'linux' && !process.env.DISPLAY && !process.env.WAYLAND_DISPLAY) return { why: 'there is no display (DISPLAY and WAYLAND_DISPLAY are unset)' };
  const version = JSON.parse(readFileSync(join(root, 'node_modules/electron/package.json'), 'utf8')).version;
  if (!existsSync(join(root, 'native', `electron-${version}`, 'better_sqlite3.node'))) return { why: 'the Electron build of the SQLite driver is missing (run `npm run setup` while online)' };
  return { path: bin.path };
}

buildIfStale();
const target = whyNoWindow();
let child;
if (target.path) {
  child = spawn(target.path, [root, ...args], { stdio: 'inherit' });
} else {
  process.stdout.write(`Electron cannot start here: ${target.why}. Starting the web host instead; open the URL below in a browser.\n`);
  child = spawn(process.execPath, [join(root, 'out/main/web.js'), ...args], { stdio: 'inherit' });
}
for (const sig of ['SIGINT', 'SIGTERM']) process.on(sig, () => child.kill(sig));
child.on('exit', (code, signal) => process.exit(code ?? (signal ? 1 : 0)));
