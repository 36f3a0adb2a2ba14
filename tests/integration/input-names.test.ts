// Names and dates at the contract's boundary through the real app and dispatcher: Object.prototype's member names are
// no strategy or parameter, and a backtest date must be a real calendar date.
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { BacktestRequest } from '../../src-shared/api/contract';
import { createApp, type App } from '../../src-main/app';
import { createLogger } from '../../src-main/logging';
import { ManualClock } from '../../src-main/ports/clock';

let app: App;
beforeAll(async () => {
  app = await createApp({ dataDir: mkdtempSync(join(tmpdir(), 'qc-names-')), transport: 'web', clock: new ManualClock(Date.UTC(2026, 0, 6, 15)), logger: createLogger({ level: 'silent' }) });
});
afterAll(async () => {
  await app?.dispose();
});

const PROTO = ['constructor', 'toString', '__proto__', 'hasOwnProperty', 'valueOf'];
const bt = (over: Record<string, unknown>) => ({ strategy: 'sma-cross', source: { kind: 'demo', symbol: 'AAPL', timeframe: '1d' }, params: {}, cash: 10_000, commission: 0, fill: 'next-open', ...over });

describe('unknown names and impossible dates are refused with the field named', () => {
  it('strategies.start: a prototype member as strategy or parameter name is a 400, not a crash or a start', async () => {
    for (const name of PROTO) {
      const r = await app.dispatch('strategies.start', { strategy: name, symbols: ['BTCUSD'], timeframe: '1m', params: {} });
      expect(r, name).toMatchObject({ ok: false, error: { code: 'BAD_REQUEST', message: expect.stringMatching(/Unknown (portfolio )?strategy/) } });
      // As the transports receive it: parsed from JSON, where "__proto__" is an own key.
      const p = await app.dispatch('strategies.start', JSON.parse(`{"strategy":"sma-cross","symbols":["BTCUSD"],"timeframe":"1m","params":{"${name}":1}}`));
      expect(p, name).toMatchObject({ ok: false, error: { code: 'BAD_REQUEST' } });
    }
    expect(await app.dispatch('strategies.list', {})).toEqual({ ok: true, result: [] });
  });

  it('backtest.run and backtest.optimize: the same for strategies, parameters and the search space', async () => {
    for (const name of PROTO) {
      expect(await app.dispatch('backtest.run', bt({ strategy: name })), name).toMatchObject({ ok: false, error: { code: 'BAD_REQUEST' } });
      expect(await app.dispatch('backtest.run', JSON.parse(JSON.stringify(bt({})).replace('"params":{}', `"params":{"${name}":3}`))), name).toMatchObject({ ok: false, error: { code: 'BAD_REQUEST' } });
      const opt = JSON.parse(JSON.stringify({ ...bt({}), id: `o-${name}`, space: {} }).replace('"space":{}', `"space":{"${name}":"1:3:1"}`));
      expect(await app.dispatch('backtest.optimize', opt), name).toMatchObject({ ok: false, error: { code: 'BAD_REQUEST' } });
    }
  });

  it('a backtest date must exist: 2024-13-45 and 2023-02-29 are refused, 2024-02-29 passes', async () => {
    expect(await app.dispatch('backtest.run', bt({ from: '2024-13-45' }))).toMatchObject({ ok: false, error: { code: 'BAD_REQUEST', fields: { from: 'not a calendar date' } } });
    expect(await app.dispatch('backtest.run', bt({ to: '2023-02-29' }))).toMatchObject({ ok: false, error: { code: 'BAD_REQUEST', fields: { to: 'not a calendar date' } } });
    expect(BacktestRequest.safeParse(bt({ from: '2024-02-29', to: '2024-12-31' })).success).toBe(true); // a leap day is a date
    expect(await app.dispatch('backtest.run', bt({ from: '2025-06-02', to: '2025-12-31' }))).toMatchObject({ ok: true });
  });
});
