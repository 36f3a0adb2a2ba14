// One suite for instrument profiles on every Store implementation (SQLite file, PostgreSQL server): the table's round
// trip, and the service's precedence (user edit > IB > Yahoo > demo) field by field on what the store gives back.
import { describe, expect, it } from 'vitest';
import type { InstrumentProfile } from '../../src-shared/domain/profile';
import { ManualClock } from '../../src-main/ports/clock';
import type { ProviderId } from '../../src-main/ports/data-provider';
import type { Store } from '../../src-main/ports/store';
import { InstrumentProfileError, InstrumentProfiles } from '../../src-main/services/instrument-profiles';

const T0 = Date.UTC(2026, 11, 3, 12);
const HOUR = 3_600_000;

export function profilesSuite(name: string, open: () => Promise<Store>) {
  describe(`Instrument profiles on ${name}`, () => {
    it('rows round-trip by (symbol, source): absent fields stay absent, an upsert replaces, a delete reports what it removed', async () => {
      const store = await open();
      try {
        expect(await store.profiles.list()).toEqual([]);
        await store.profiles.upsert({ symbol: 'AAPL', source: 'yahoo', sector: 'Technology', industry: 'Consumer Electronics', assetClass: 'Equity', country: 'United States', updatedAt: T0 });
        await store.profiles.upsert({ symbol: 'AAPL', source: 'user', sector: 'Hardware', updatedAt: T0 + 1 });
        await store.profiles.upsert({ symbol: 'KO', source: 'ib', sector: 'Consumer, Non-cyclical', assetClass: 'Equity', updatedAt: T0 + 2 });
        expect(await store.profiles.list(['AAPL'])).toEqual([
          { symbol: 'AAPL', source: 'user', sector: 'Hardware', updatedAt: T0 + 1 },
          { symbol: 'AAPL', source: 'yahoo', sector: 'Technology', industry: 'Consumer Electronics', assetClass: 'Equity', country: 'United States', updatedAt: T0 },
        ]);
        await store.profiles.upsert({ symbol: 'AAPL', source: 'user', country: 'Ireland', updatedAt: T0 + 3 });
        expect((await store.profiles.list(['AAPL'])).find((r) => r.source === 'user')).toEqual({ symbol: 'AAPL', source: 'user', country: 'Ireland', updatedAt: T0 + 3 });
        expect((await store.profiles.list()).map((r) => `${r.symbol}/${r.source}`)).toEqual(['AAPL/user', 'AAPL/yahoo', 'KO/ib']);
        expect(await store.profiles.list([])).toEqual([]);
        expect(await store.profiles.delete('AAPL', 'user')).toBe(true);
        expect(await store.profiles.delete('AAPL', 'user')).toBe(false);
        expect((await store.profiles.list(['AAPL'])).map((r) => r.source)).toEqual(['yahoo']);
      } finally {
        await store.dispose();
      }
    });

    it('precedence field by field: user edit > IB > Yahoo > demo; clearing the edit falls back; fetched profiles are kept for offline use', async () => {
      const store = await open();
      try {
        const clock = new ManualClock(T0);
        const demo: InstrumentProfile = { sector: 'Demo sector', industry: 'Demo industry', assetClass: 'Demo class', country: 'Demo country' };
        const fetched: { source: ProviderId; profile: InstrumentProfile }[] = [
          { source: 'yahoo', profile: { sector: 'Technology', industry: 'Consumer Electronics', assetClass: 'Equity', country: 'United States' } },
          { source: 'ib', profile: { sector: 'Computers & Tech', assetClass: 'ETF' } },
        ];
        let calls = 0;
        const service = new InstrumentProfiles({ store, clock, builtIn: (s) => (s === 'AAPL' ? demo : undefined), fetch: async () => ((calls += 1), { profiles: fetched, errors: [] }) });
        const merged = (await service.resolve(['AAPL'], { wait: true })).get('AAPL')!;
        // IB has sector and asset class; Yahoo fills industry and country; demo is shadowed everywhere.
        expect(merged).toEqual({
          symbol: 'AAPL', sector: 'Computers & Tech', industry: 'Consumer Electronics', assetClass: 'ETF', country: 'United States',
          sources: { sector: 'ib', industry: 'yahoo', assetClass: 'ib', country: 'yahoo' },
        });
        // The user's sector beats IB's; the other fields keep their sources.
        expect(await service.edit('aapl', { sector: 'Hardware', industry: '  ' })).toEqual({
          symbol: 'AAPL', sector: 'Hardware', industry: 'Consumer Electronics', assetClass: 'ETF', country: 'United States',
          sources: { sector: 'user', industry: 'yahoo', assetClass: 'ib', country: 'yahoo' },
        });
        // Fresh fetched rows are not fetched again.
        await service.resolve(['AAPL'], { wait: true });
        expect(calls).toBe(1);
        // A new service on the same store without any source (offline): the stored rows still give the same answer.
        const offline = new InstrumentProfiles({ store, clock });
        expect((await offline.resolve(['AAPL'])).get('AAPL')).toMatchObject({ sector: 'Hardware', industry: 'Consumer Electronics', assetClass: 'ETF', country: 'United States' });
        // Every field empty removes the edit: IB's sector again.
        expect((await service.edit('AAPL', { sector: '' })).sources.sector).toBe('ib');
        expect((await store.profiles.list(['AAPL'])).map((r) => r.source)).toEqual(['ib', 'yahoo']);
        // KO has no built-in profile here: the fetched one alone.
        expect((await service.resolve(['KO'], { wait: true })).get('KO')).toMatchObject({ sector: 'Computers & Tech', sources: { sector: 'ib' } });
        await expect(service.edit('AAPL', { sector: 'x'.repeat(81) })).rejects.toBeInstanceOf(InstrumentProfileError);
      } finally {
        await store.dispose();
      }
    });

    it('a failed fetch is reported, not repeated within the hour, and a request without wait does not wait for it', async () => {
      const store = await open();
      try {
        const clock = new ManualClock(T0);
        let calls = 0;
        const errors: string[] = [];
        let release!: () => void;
        const gate = new Promise<void>((r) => (release = r));
        const service = new InstrumentProfiles({
          store, clock, builtIn: () => ({ sector: 'Demo sector' }),
          fetch: async () => {
            calls += 1;
            await gate;
            if (calls === 1) throw new Error('Yahoo is down');
            return { profiles: [{ source: 'yahoo', profile: { sector: 'Technology' } }], errors: [] };
          },
          onError: (err) => errors.push(String(err)),
        });
        // Without waiting: the demo profile now, the fetch in the background.
        expect((await service.resolve(['MSFT'])).get('MSFT')).toEqual({ symbol: 'MSFT', sector: 'Demo sector', sources: { sector: 'demo' } });
        release();
        // Waiting joins the fetch in flight (or finds it done): its failure is reported, the answer is the demo's.
        expect((await service.resolve(['MSFT'], { wait: true })).get('MSFT')!.sector).toBe('Demo sector');
        expect(errors).toEqual(['Error: Yahoo is down']);
        expect((await service.resolve(['MSFT'], { wait: true })).get('MSFT')!.sector).toBe('Demo sector');
        expect(calls).toBe(1);
        clock.advance(HOUR);
        expect((await service.resolve(['MSFT'], { wait: true })).get('MSFT')).toMatchObject({ sector: 'Technology', sources: { sector: 'yahoo' } });
        expect(calls).toBe(2);
      } finally {
        await store.dispose();
      }
    });
  });
}
