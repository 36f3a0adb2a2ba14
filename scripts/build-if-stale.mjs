// Rebuilds out/ with electron-vite only when a source file is newer than the last build.
import { spawnSync } from 'node:child_process';
import { existsSync, readdirSync, statSync } from 'node:fs';
import { join } from 'node:path';

const root = new URL('..', import.meta.url).pathname;

function newest(path) {
  if (!existsSync(path)) return 0;
  const s = statSync(path);
  if (!s.isDirectory()) return s.mtimeMs;
  let max = s.mtimeMs;
  for (const name of readdirSync(path)) {
    if (name === 'node_modules' || name.endsWith('.test.ts')) continue;
    max = Math.max(max, newest(join(path, name)));
  }
  return max;
}

export function buildIfStale() {
  const outputs = ['out/main/index.js', 'out/main/web.js', 'out/preload/index.cjs', 'out/renderer/index.html'].map((p) => join(root, p));
  const built = Math.min(...outputs.map((p) => (existsSync(p) ? statSync(p).mtimeMs : 0)));
  const sources = Math.max(...['src-main', 'src-renderer', 'src-shared', 'electron.vite.config.ts', 'package.json'].map((p) => newest(join(root, p))));
  if (built > sources) return;
  process.stdout.write('Building Quant Claude (electron-vite)…\n');
  const bin = join(root, 'node_modules', 'electron-vite', 'bin', 'electron-vite.js');
  const r = spawnSync(process.execPath, [bin, 'build'], { cwd: root, stdio: ['ignore', 'ignore', 'inherit'] });
  if (r.status !== 0) {
    process.stderr.write('The build failed (see above).\n');
    process.exit(r.status ?? 1);
  }
}
