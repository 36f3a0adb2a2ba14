// The universes shipped with the app (issue 16): resources/universes/sp500.csv, the S&P 500 constituents with GICS
// sector and sub-industry. The file starts with comment lines (#), one of them "# as-of: YYYY-MM-DD".
import { existsSync, readFileSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { Universe } from '../../../src-shared/domain/fundamentals';
import { parseConstituentsCsv } from '../../domain/fundamentals/universe-files';

/**
 * Finds resources/universes/<name>: in a packaged app electron-builder copies resources/universes to
 * `<resources>/universes` (extraResources); from the repo it is found up from this file or the working directory.
 */
export function shippedUniverseFile(name: string, resourcesPath = (process as { resourcesPath?: string }).resourcesPath): string | undefined {
  const candidates = resourcesPath ? [join(resourcesPath, 'universes', name)] : [];
  for (const start of [dirname(fileURLToPath(import.meta.url)), process.cwd()]) {
    let dir = resolve(start);
    for (let i = 0; i < 6; i++) {
      candidates.push(join(dir, 'resources', 'universes', name));
      dir = dirname(dir);
    }
  }
  return candidates.find((c) => existsSync(c));
}

/** Reads a shipped constituents file (comment lines, then Symbol,Security,GICS Sector,GICS Sub-Industry). */
export function readShippedConstituents(text: string, o: { id: string; kind: Universe['kind']; name: string; source: string }): Universe {
  const lines = text.replace(/^\uFEFF/, '').split(/\r\n|\n|\r/);
  const comments = lines.filter((l) => l.startsWith('#')).join('\n');
  const asOf = /as-of:\s*(\d{4}-\d{2}-\d{2})/i.exec(comments)?.[1] ?? null;
  const members = parseConstituentsCsv(lines.filter((l) => !l.startsWith('#')).join('\n'), o.source);
  return { ...o, asOf, members };
}

/** The shipped S&P 500, read once (undefined when the file is missing). */
export function shippedSp500(file = shippedUniverseFile('sp500.csv')): () => Promise<Universe | undefined> {
  let cached: Universe | undefined;
  return async () => {
    if (!file) return undefined;
    cached ??= readShippedConstituents(readFileSync(file, 'utf8'), { id: 'sp500', kind: 'sp500', name: 'S&P 500', source: 'shipped with the app (resources/universes/sp500.csv)' });
    return cached;
  };
}
