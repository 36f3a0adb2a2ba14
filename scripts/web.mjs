#!/usr/bin/env node
// `npm run web -- [--port N] [--data-dir DIR]`: build if needed, then serve the terminal on 127.0.0.1.
import { spawn } from 'node:child_process';
import { join } from 'node:path';
import { buildIfStale } from './build-if-stale.mjs';

const root = new URL('..', import.meta.url).pathname;
buildIfStale();
const child = spawn(process.execPath, [join(root, 'out/main/web.js'), ...process.argv.slice(2)], { stdio: 'inherit' });
for (const sig of ['SIGINT', 'SIGTERM']) process.on(sig, () => child.kill(sig));
child.on('exit', (code, signal) => process.exit(code ?? (signal ? 1 : 0)));
