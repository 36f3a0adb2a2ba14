// The FRED client over real HTTP against the FRED fixture server: series info and observations (units, "." as no
// value), a bad key (HTTP 400 with FRED's error JSON) named without the key, an unknown series, the client's own pacing
// to the per-minute limit on manual time, and FRED's 429.
import { afterEach, describe, expect, it } from 'vitest';
import { ManualClock } from '../../ports/clock';
import { MacroSourceError } from '../../ports/macro';
import { ManualTimers } from '../../ports/timers';
import { startFredFixtureServer, type FredFixtureServer } from '../../../tests/support/fred-fixture-server';
import { createFredClient } from './client';

const KEY = 'abcdefghijklmnopqrstuvwxyz012345';
const NOW = Date.UTC(2026, 11, 3, 15);
let fred: FredFixtureServer | undefined;

afterEach(async () => {
  await fred?.close();
  fred = undefined;
});

async function setup(o: { key?: string; perMinute?: number; serverPerMinute?: number } = {}) {
  const clock = new ManualClock(NOW);
  const timers = new ManualTimers(clock);
  fred = await startFredFixtureServer({ apiKey: KEY, now: () => clock.now(), perMinute: o.serverPerMinute });
  const client = createFredClient({ clock, timers, baseUrl: fred.url, apiKey: async () => ('key' in o ? o.key : KEY), perMinute: o.perMinute });
  return { clock, timers, client, fred };
}

async function failure(p: Promise<unknown>): Promise<MacroSourceError> {
  const err = await p.then(() => undefined, (e: unknown) => e);
  expect(err).toBeInstanceOf(MacroSourceError);
  return err as MacroSourceError;
}

describe('FRED client', () => {
  it('reads a series description and its observations, with FRED\'s "." as no value', async () => {
    const { client, fred } = await setup();
    const info = await client.info('UNRATE');
    expect(info).toEqual({
      id: 'UNRATE', title: 'Unemployment Rate', units: 'Percent', unitsShort: '%', frequency: 'Monthly', seasonalAdjustment: 'SA',
      lastUpdated: '2026-12-03 07:51:04-06',
    });
    const gdp = await client.observations('GDP');
    // Quarterly from 2000-01-01; Q3 2026 is published a month after the quarter ends, so it is the last one by Dec 3rd.
    expect(gdp[0]).toEqual({ date: '2000-01-01', value: 10000 });
    expect(gdp.at(-1)!.date).toBe('2026-07-01');
    expect(gdp).toHaveLength(107);
    const tenYear = await client.observations('DGS10', { from: '2025-12-20' });
    expect(tenYear[0]!.date).toBe('2025-12-22');
    // Christmas and New Year's Day come as "." and are kept as dates without a value.
    expect(tenYear.find((o) => o.date === '2025-12-25')).toEqual({ date: '2025-12-25', value: null });
    expect(tenYear.find((o) => o.date === '2026-01-01')).toEqual({ date: '2026-01-01', value: null });
    expect(tenYear.find((o) => o.date === '2025-12-24')!.value).toEqual(expect.any(Number));
    // The request as FRED documents it: JSON, the key as api_key, observation_start for the range.
    const sent = fred.requests.at(-1)!;
    expect(sent.path).toBe('/fred/series/observations');
    expect(sent.params).toMatchObject({ series_id: 'DGS10', api_key: KEY, file_type: 'json', observation_start: '2025-12-20', sort_order: 'asc' });
  });

  it('names a refused key (HTTP 400 with FRED\'s error JSON) without the key, and a missing key without asking FRED', async () => {
    const wrong = 'zzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzz';
    const { client, fred } = await setup({ key: wrong });
    const err = await failure(client.observations('GDP'));
    expect(err.reason).toBe('auth');
    expect(err.message).toBe('observations GDP: FRED refused the API key (Bad Request. The value for variable api_key is not registered.)');
    expect(err.message).not.toContain(wrong);
    const none = await setup({ key: undefined });
    const before = none.fred.count();
    const missing = await failure(none.client.info('GDP'));
    expect(missing.reason).toBe('auth');
    expect(missing.message).toMatch(/No FRED API key: enter one in Settings/);
    expect(none.fred.count()).toBe(before);
    await fred.close();
  });

  it('refuses an unknown series as not found', async () => {
    const { client } = await setup();
    const err = await failure(client.info('NOPE_NOT_A_SERIES'));
    expect(err.reason).toBe('not-found');
    expect(err.message).toBe('series NOPE_NOT_A_SERIES: FRED has no such series');
  });

  it('paces requests to the per-minute limit on the injected time, in arrival order', async () => {
    const { client, fred, timers } = await setup({ perMinute: 3 });
    const done: string[] = [];
    const ids = ['GDP', 'CPIAUCSL', 'UNRATE', 'FEDFUNDS', 'DGS10'];
    const all = Promise.all(ids.map((id) => client.info(id).then((i) => done.push(i.id))));
    await expect.poll(() => done.length).toBe(3);
    // The fourth and fifth wait for the window, without reaching FRED.
    await new Promise((r) => setTimeout(r, 50));
    expect(fred.count()).toBe(3);
    expect(timers.size).toBe(1);
    timers.advance(60_000);
    await all;
    expect(done).toEqual(ids);
    expect(fred.count()).toBe(5);
  });

  it('reads FRED\'s 429 as rate-limited with a minute to wait', async () => {
    const { client } = await setup({ serverPerMinute: 1 });
    await client.info('GDP');
    const err = await failure(client.info('UNRATE'));
    expect(err.reason).toBe('rate-limited');
    expect(err.retryAfterMs).toBe(60_000);
  });
});
