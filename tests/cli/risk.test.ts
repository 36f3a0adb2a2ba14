// `cli risk --json` as a user runs it: a real process on a real SQLite data folder holding a paper account with positions.
import { execFile } from 'node:child_process';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { describe, expect, it } from 'vitest';
import { openSqliteStore } from '../../src-main/adapters/sqlite/store';
import { repoRoot } from '../support/web-host';

const run = promisify(execFile);

async function cli(...args: string[]): Promise<{ stdout: string; stderr: string; code: number }> {
  try {
    const { stdout, stderr } = await run(process.execPath, ['--import', 'tsx', join(repoRoot, 'src-main/cli/main.ts'), ...args], { cwd: repoRoot, maxBuffer: 64 << 20 });
    return { stdout, stderr, code: 0 };
  } catch (err) {
    const e = err as { stdout: string; stderr: string; code: number };
    return { stdout: e.stdout, stderr: e.stderr, code: e.code };
  }
}

type Out = { state: string; nav: number; var95: number; cvar95: number; var95Parametric: number; var95MonteCarlo: number; limits: { name: string; value: number; limit: number; headroom: number }[] };

describe('cli risk', () => {
  it('prints the state, NAV, VaR by method and the limits as fractions of NAV', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'qc-cli-risk-'));
    const store = openSqliteStore({ file: join(dir, 'quant.db') });
    await store.accounts.insert({ id: 'PAPER-1', broker: 'paper', currency: 'USD', cash: '50000.00', initialCash: '100000.00', createdAt: Date.now() });
    for (const [symbol, quantity, avgPrice] of [['AAPL', 100, 230], ['NVDA', 120, 170]] as const) {
      await store.adjustPosition({
        position: { accountId: 'PAPER-1', symbol, quantity, avgPrice, realizedPnl: '0.00' },
        audit: { time: Date.now(), kind: 'position.adjusted', orderId: null, payload: { by: 'test' } },
      });
    }
    await store.settings.set('risk.state.account.PAPER-1', JSON.stringify({ scope: 'PAPER-1', state: 'REDUCING', reason: 'test', by: 'manual', time: 1 }));
    store.dispose();

    const r = await cli('risk', '--data-dir', dir, '--json');
    expect(r.stderr).toBe('');
    expect(r.code).toBe(0);
    const out = JSON.parse(r.stdout) as Out;
    expect(Object.keys(out)).toEqual(['state', 'nav', 'var95', 'cvar95', 'var95Parametric', 'var95MonteCarlo', 'limits']);
    expect(out.state).toBe('REDUCING');
    // NAV = 50,000 cash + AAPL and NVDA at the demo market's prices (around 23,000 and 21,000).
    expect(out.nav).toBeGreaterThan(80_000);
    expect(out.nav).toBeLessThan(130_000);
    // Half of NAV in two volatile stocks: a 1-day 95 % VaR of a few tenths of a percent to a few percent of NAV, with
    // the tail mean beyond the quantile, and the three methods in the same range.
    for (const v of [out.var95, out.var95Parametric, out.var95MonteCarlo]) {
      expect(v).toBeGreaterThan(0.002);
      expect(v).toBeLessThan(0.05);
    }
    expect(out.cvar95).toBeGreaterThanOrEqual(out.var95);
    expect(out.var95MonteCarlo / out.var95Parametric).toBeGreaterThan(0.9);
    expect(out.var95MonteCarlo / out.var95Parametric).toBeLessThan(1.1);
    // The seed's VaR budget (config default 0.02): its usage is the historical VaR, headroom what is left of it.
    expect(out.limits).toEqual([{ name: 'max_portfolio_risk', value: out.var95, limit: 0.02, headroom: expect.closeTo(0.02 - out.var95, 12) as number }]);

    const unknown = await cli('risk', '--data-dir', dir, '--account', 'NOPE', '--json');
    expect(unknown.code).not.toBe(0);
    expect(unknown.stderr).toContain('No account NOPE in this data folder');
  });
});
