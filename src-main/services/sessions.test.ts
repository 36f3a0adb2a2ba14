// The session manager over a real SQLite file: the paper venue plus a second venue registered the way OANDA or IG
// will be (a factory with its settings schema, nothing else changed), connected at the same time.
import { createHash } from 'node:crypto';
import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, afterEach, describe, expect, it } from 'vitest';
import { z } from 'zod';
import { accountTotals } from '../../src-shared/domain/totals';
import { createDemoMarket, type DemoMarket } from '../adapters/demo/market';
import { createPaperBroker } from '../adapters/paper/broker';
import { createPaperSession, PAPER_ACCOUNT_ID } from '../adapters/paper/session';
import { paperVenue } from '../adapters/paper/venue';
import { openSqliteStore, type SqliteStore } from '../adapters/sqlite/store';
import { parseConfig } from '../config/config';
import { createLogger } from '../logging';
import { ManualClock } from '../ports/clock';
import type { Venue } from '../ports/venue';
import { LiveNotConfirmedError, SessionManager, UnknownAccountError, type VenueAccount } from './sessions';
import { VenueRegistry } from './venue-registry';

const MONDAY = Date.parse('2026-11-30T15:00:00Z');
const config = parseConfig('risk:\n  max_position_size: 1\n  max_order_notional: 10000000\n');

const SimSettings = z.object({
  account: z.string().default(''),
  mode: z.enum(['paper', 'live']).default('paper'),
  autoConnect: z.boolean().default(false),
});
type SimSettings = z.infer<typeof SimSettings>;
const key = (account: string) => createHash('sha256').update(account).digest('hex').slice(0, 12);

/** A second venue: a paper broker of its own on the same market, an account named in the settings. */
function simVenue(market: DemoMarket, clock: ManualClock, created: string[]): Venue<SimSettings> {
  return {
    id: 'sim', label: 'Simulated broker', settings: SimSettings, alwaysOn: false, initialCash: 50_000,
    capabilities: { assetClasses: ['fx'], orderTypes: ['market', 'limit'], quotes: 'polling' },
    keys: { settings: 'sim.settings', accountKey: 'sim.account-key' },
    isLive: (s) => s.mode === 'live',
    autoConnect: (s) => s.autoConnect,
    saved: (s) => ({ ...s, account: '' }),
    accountKey: (s) => (s.account ? key(s.account) : null),
    describe: (s) => ({ mode: s.mode }),
    accountLabel: () => 'Sim',
    create(settings, { knownAccountKey }) {
      const k = settings.account ? key(settings.account) : knownAccountKey;
      if (!k) throw new Error('no account');
      created.push(k);
      const broker = createPaperBroker({ market, clock, slippageBps: 0 });
      return { ...createPaperSession(`SIM-${k}`, broker, market), kind: 'sim', accountKnown: () => Promise.resolve(k) };
    },
  };
}

interface Booted {
  store: SqliteStore;
  market: DemoMarket;
  sessions: SessionManager;
  created: string[];
  close(): Promise<void>;
}

const open: Booted[] = [];
afterEach(async () => {
  for (const b of open.splice(0)) await b.close();
});

// One demo market for every test: generating its history takes seconds; the clock stands still, so it never changes.
const clock = new ManualClock(MONDAY);
let shared: DemoMarket | undefined;
afterAll(() => shared?.dispose());

function boot(file: string): Booted {
  const store = openSqliteStore({ file });
  const market = (shared ??= createDemoMarket({ clock, seed: 3 }));
  const broker = createPaperBroker({ market, clock, slippageBps: 0 });
  const created: string[] = [];
  const venues = new VenueRegistry()
    .register(paperVenue({ accountId: PAPER_ACCOUNT_ID, broker, market, initialCash: 100_000 }))
    .register(simVenue(market, clock, created));
  const sessions = new SessionManager({ store, clock, logger: createLogger({ level: 'silent' }), config, venues });
  const b = {
    store, market, sessions, created,
    async close() {
      await sessions.dispose();
      store.dispose();
    },
  };
  open.push(b);
  return b;
}

async function filled(store: SqliteStore, a: VenueAccount, symbol: string, quantity: number): Promise<void> {
  for (let i = 0; i < 200; i++) {
    await a.trading.idle();
    if ((await store.positions.get(a.accountId, symbol))?.quantity === quantity) return;
    await new Promise((r) => setTimeout(r, 5));
  }
  throw new Error(`${a.accountId} never held ${quantity} ${symbol}`);
}

const dbFile = () => join(mkdtempSync(join(tmpdir(), 'qc-sessions-')), 'quant.db');

describe('session manager with several venues', () => {
  it('holds the paper account and a second venue at once: orders go to the named account, books stay apart, totals add up', async () => {
    const t = boot(dbFile());
    await t.sessions.start();
    expect(t.sessions.accounts().map((a) => a.accountId)).toEqual([PAPER_ACCOUNT_ID]);
    await t.sessions.connect('sim', { account: 'SIM-ACC-1' });

    const sim = t.sessions.account(`SIM-${key('SIM-ACC-1')}`)!;
    const paper = t.sessions.account(PAPER_ACCOUNT_ID)!;
    expect(sim).toBeDefined();
    expect(t.sessions.accounts().map((a) => a.venue.id)).toEqual(['paper', 'sim']);
    expect(t.sessions.active()).toBe(sim); // connected last: the default for requests naming no account
    expect(t.sessions.list()).toEqual([
      expect.objectContaining({ accountId: PAPER_ACCOUNT_ID, venue: 'paper', live: false, default: false }),
      expect.objectContaining({ accountId: sim.accountId, venue: 'sim', live: false, default: true }),
    ]);
    expect(() => t.sessions.resolve('NOPE')).toThrow(UnknownAccountError);

    const a = await paper.trading.placeOrder({ symbol: 'AAPL', side: 'buy', type: 'market', quantity: 5, timeInForce: 'day' }, 'manual');
    const b = await t.sessions.resolve(sim.accountId).trading.placeOrder({ symbol: 'AAPL', side: 'buy', type: 'market', quantity: 2, timeInForce: 'day' }, 'manual');
    expect([a.rejection, b.rejection]).toEqual([null, null]);
    await filled(t.store, paper, 'AAPL', 5);
    await filled(t.store, sim, 'AAPL', 2);

    // Each account's own orders, positions and cash; the other's never leak in.
    expect((await t.store.orders.list({ accountId: PAPER_ACCOUNT_ID })).map((o) => o.id)).toEqual([a.order.id]);
    expect((await t.store.orders.list({ accountId: sim.accountId })).map((o) => o.id)).toEqual([b.order.id]);
    const ps = (await paper.account.snapshot()).summary;
    const ss = (await sim.account.snapshot()).summary;
    expect(Number(ss.cash)).toBeLessThan(50_000);
    expect(Number(ps.cash)).toBeLessThan(100_000);
    const [total] = accountTotals([ps, ss]);
    expect(total).toMatchObject({ currency: 'USD', accounts: 2 });
    expect(Number(total!.nav)).toBeCloseTo(Number(ps.nav) + Number(ss.nav), 2);
    expect(Number(total!.cash)).toBeCloseTo(Number(ps.cash) + Number(ss.cash), 2);
    // Risk per account: the kill switch on one leaves the other trading.
    await sim.trading.setKillSwitch(true);
    expect((await paper.trading.riskStatus()).killSwitch).toBe(false);
  });

  it('after a restart both accounts are back (auto-connect), with their books; the account itself is stored only as its key', async () => {
    const file = dbFile();
    const first = boot(file);
    await first.sessions.start();
    await first.sessions.connect('sim', { account: 'SIM-ACC-2', autoConnect: true });
    const simId = `SIM-${key('SIM-ACC-2')}`;
    await first.sessions.account(simId)!.trading.placeOrder({ symbol: 'MSFT', side: 'buy', type: 'market', quantity: 3, timeInForce: 'day' }, 'manual');
    await filled(first.store, first.sessions.account(simId)!, 'MSFT', 3);
    expect(JSON.parse((await first.store.settings.get('sim.settings'))!)).toEqual({ account: '', mode: 'paper', autoConnect: true });
    await first.close();
    open.splice(0);
    expect(readFileSync(file).toString('latin1')).not.toContain('SIM-ACC-2');

    const second = boot(file);
    const { autoConnected } = await second.sessions.start();
    await autoConnected;
    expect(second.sessions.accounts().map((a) => a.accountId)).toEqual([PAPER_ACCOUNT_ID, simId]);
    expect(second.created).toEqual([key('SIM-ACC-2')]); // the remembered key, not the account, picked it again
    const positions = (await second.sessions.account(simId)!.account.snapshot()).positions;
    expect(positions).toEqual([expect.objectContaining({ accountId: simId, symbol: 'MSFT', quantity: 3 })]);
    expect((await second.sessions.account(PAPER_ACCOUNT_ID)!.account.snapshot()).positions).toEqual([]);
  });

  it('a live account needs an explicit confirmation; disconnecting falls back to paper, which cannot be disconnected', async () => {
    const t = boot(dbFile());
    await t.sessions.start();
    await expect(t.sessions.connect('sim', { account: 'LIVE-1', mode: 'live' })).rejects.toBeInstanceOf(LiveNotConfirmedError);
    expect(await t.store.settings.get('sim.settings')).toBeUndefined();
    expect(t.sessions.accounts()).toHaveLength(1);
    await t.sessions.connect('sim', { account: 'LIVE-1', mode: 'live' }, { confirmLive: true });
    expect(t.sessions.active().live).toBe(true);
    await expect(t.sessions.connect('sim', { mode: 'sideways' })).rejects.toThrow(/mode/);
    await t.sessions.disconnect('sim');
    expect(t.sessions.active().accountId).toBe(PAPER_ACCOUNT_ID);
    await expect(t.sessions.disconnect('paper')).rejects.toThrow(/always connected/);
    expect(() => new VenueRegistry().register(paperVenue({ accountId: 'X', broker: createPaperBroker({ market: t.market, clock: new ManualClock(0) }), market: t.market, initialCash: 1 }))
      .register(paperVenue({ accountId: 'Y', broker: createPaperBroker({ market: t.market, clock: new ManualClock(0) }), market: t.market, initialCash: 1 }))).toThrow(/registered already/);
  });
});

