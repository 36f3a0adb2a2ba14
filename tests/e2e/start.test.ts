// `npm start` where Electron cannot start: it says why in one line and serves the web host instead.
import { spawn } from 'node:child_process';
import { request } from 'node:http';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { repoRoot, tempDataDir } from '../support/web-host';

function status(url: string): Promise<number> {
  return new Promise((resolve, reject) => {
    request(url, (res) => (res.resume(), resolve(res.statusCode ?? 0))).on('error', reject).end();
  });
}

describe('npm start without a usable Electron', () => {
  it('falls back to the web host and prints why', async () => {
    // An empty DISPLAY guarantees the fallback even on a desktop where Electron's binary is installed.
    const env = { ...process.env, DISPLAY: '', WAYLAND_DISPLAY: '' };
    const child = spawn(process.execPath, [join(repoRoot, 'scripts/start.mjs'), '--port', '0', '--data-dir', tempDataDir()], { cwd: repoRoot, env, stdio: ['ignore', 'pipe', 'pipe'] });
    let out = '';
    child.stdout.on('data', (d) => (out += d));
    child.stderr.on('data', (d) => (out += d));
    try {
      const url = await new Promise<string>((resolve, reject) => {
        const timer = setTimeout(() => reject(new Error(`no ready line:\n${out}`)), 60_000);
        child.stdout.on('data', () => {
          const m = out.match(/ready at (http:\/\/127\.0\.0\.1:\d+\/\?token=[\w-]+)/);
          if (m) {
            clearTimeout(timer);
            resolve(m[1]!);
          }
        });
      });
      expect(out).toMatch(/Electron cannot start here: .+\. Starting the web host instead/);
      expect(await status(url)).toBe(200);
    } finally {
      child.kill('SIGTERM');
    }
  });
});
