// `npm run cli -- universe …` on the real CLI process and a real SQLite file: the Russell 2000 from iShares' holdings
// CSV, the S&P 500 refreshed from Wikipedia's page (a saved copy, then over HTTP from a local server) and from a
// constituents CSV, a custom list, and the list of universes with the shipped S&P 500 replaced by the refresh.
import { execFile } from 'node:child_process';
import { readFileSync, mkdtempSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:http';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { describe, expect, it } from 'vitest';
import { listenLocal } from '../support/local-http';
import { repoRoot } from '../support/web-host';

const run = promisify(execFile);
async function cli(...args: string[]) {
  try {
    const { stdout, stderr } = await run(process.execPath, ['--import', 'tsx', join(repoRoot, 'src-main/cli/main.ts'), ...args], { cwd: repoRoot });
    return { stdout, stderr, code: 0 };
  } catch (err) {
    const e = err as { stdout: string; stderr: string; code: number };
    return { stdout: e.stdout, stderr: e.stderr, code: e.code };
  }
}
const json = async (...args: string[]) => {
  const r = await cli(...args, '--json');
  expect(r.stderr).toBe('');
  expect(r.code).toBe(0);
  return JSON.parse(r.stdout) as unknown;
};
const fixture = (name: string) => join(repoRoot, 'tests/fixtures/universes', name);

describe('cli universe', () => {
  it('imports the Russell 2000 and a custom list, refreshes the S&P 500 from a file, over HTTP and from a CSV', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'qc-universe-'));
    expect(await json('universe', 'import', '--kind', 'russell2000', '--file', fixture('ishares-iwm-holdings.csv'), '--data-dir', dir))
      .toEqual({ id: 'russell2000', kind: 'russell2000', name: 'Russell 2000 (ETF holdings)', asOf: '2026-11-28', size: 4, source: 'ishares-iwm-holdings.csv' });
    const list = join(dir, 'picks.txt');
    writeFileSync(list, 'aapl\nmsft\n');
    expect(await json('universe', 'import', '--kind', 'custom', '--name', 'Picks', '--file', list, '--data-dir', dir)).toMatchObject({ id: 'custom-picks', size: 2, asOf: null });

    expect(await json('universe', 'refresh', 'sp500', '--from', fixture('wikipedia-sp500.html'), '--as-of', '2026-12-01', '--data-dir', dir))
      .toEqual({ id: 'sp500', kind: 'sp500', name: 'S&P 500', asOf: '2026-12-01', size: 5, source: 'wikipedia-sp500.html' });
    const server = await listenLocal(createServer((req, res) => {
      res.writeHead(req.url === '/wiki/List_of_S%26P_500_companies' ? 200 : 404, { 'content-type': 'text/html; charset=utf-8' });
      res.end(req.url === '/wiki/List_of_S%26P_500_companies' ? readFileSync(fixture('wikipedia-sp500.html')) : 'not here');
    }));
    try {
      const url = `${server.url}/wiki/List_of_S%26P_500_companies`;
      expect(await json('universe', 'refresh', 'sp500', '--from', url, '--as-of', '2026-12-02', '--data-dir', dir)).toMatchObject({ size: 5, source: url, asOf: '2026-12-02' });
      const missing = await cli('universe', 'refresh', 'sp500', '--from', `${server.url}/gone`, '--data-dir', dir);
      expect(missing.code).not.toBe(0);
      expect(missing.stderr).toMatch(/HTTP 404/);
    } finally {
      await server.close();
    }
    expect(await json('universe', 'refresh', 'sp500', '--from', fixture('sp500-constituents.csv'), '--as-of', '2026-12-03', '--data-dir', dir)).toMatchObject({ size: 3 });

    const all = (await json('universe', 'list', '--data-dir', dir)) as { id: string; size: number; asOf: string | null }[];
    expect(all.map((u) => [u.id, u.size, u.asOf])).toEqual([
      ['demo', 500, null], ['russell2000', 4, '2026-11-28'], ['custom-picks', 2, null], ['sp500', 3, '2026-12-03'],
    ]);
    const sp = (await json('universe', 'show', 'sp500', '--data-dir', dir)) as { members: { symbol: string }[] };
    expect(sp.members.map((m) => m.symbol)).toEqual(['MMM', 'T', 'BRK.B']);
    const bad = await cli('universe', 'import', '--kind', 'russell2000', '--file', list, '--data-dir', dir);
    expect(bad.code).not.toBe(0);
    expect(bad.stderr).toMatch(/no holdings table/);
  }, 300_000);
});
