// Where the Electron-ABI build of better-sqlite3 lives when running from source: the Node build in node_modules serves
// tests, CLI and web host, this second build serves the desktop window, so switching never needs a rebuild (scripts/setup.mjs).
import { existsSync } from 'node:fs';
import { join } from 'node:path';

export function electronNativeDir(electronVersion: string): string {
  return join('native', `electron-${electronVersion}`);
}

/** The addon path for this Electron version; undefined when it was not built. */
export function electronNativeBinding(appPath: string, resourcesPath: string | undefined, electronVersion: string): string | undefined {
  const rel = join(electronNativeDir(electronVersion), 'better_sqlite3.node');
  const candidates = [resourcesPath ? join(resourcesPath, rel) : undefined, join(appPath, rel)];
  return candidates.find((p): p is string => p !== undefined && existsSync(p));
}
