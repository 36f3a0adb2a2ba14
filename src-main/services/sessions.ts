// The session manager: every connected account at once, one per venue connection (the paper account always, an IB
// account while connected to TWS, others as venues are registered). Each account has its own trading service (risk
// gate, journal, reconciliation) and account service. Requests that name no account go to the default one: the
// account connected last, else the always-on paper account.
import type {
  AccountInfo, AccountUpdate, BrokerAccountValue, ConnectionStatus, ReconciliationReport,
} from '../../src-shared/domain/broker';
import type { Config } from '../config/config';
import type { Logger } from '../logging';
import type { BrokerSession } from '../ports/broker-session';
import type { Clock } from '../ports/clock';
import type { Disposable } from '../ports/disposable';
import type { MarketData } from '../ports/market-data';
import type { Store } from '../ports/store';
import type { AnyVenue, VenueSession } from '../ports/venue';
import { leverage } from '../domain/cfd/specs';
import { specOf } from '../domain/cfd/account';
import { AccountService } from './account';
import { PaperCfdDesk } from './paper-cfd';
import { quoteConversion } from './cfd-margin';
import { VenueFinancingBook } from './venue-financing';
import { TradingService, type TradingEvent } from './trading';
import type { VenueRegistry } from './venue-registry';
import { serial } from '../../src-shared/common/serial';
import type { OrderGate } from '../ports/order-gate';
import type { RiskAccountView } from './portfolio-risk';

/** One connected account with its services: what the API, the live runner and the UI act on. */
export interface VenueAccount {
  readonly accountId: string;
  readonly venue: AnyVenue;
  readonly session: BrokerSession;
  readonly trading: TradingService;
  readonly account: AccountService;
  readonly market: MarketData;
  /** Orders move real money (a live IB account): starting anything on it needs an explicit confirmation. */
  readonly live: boolean;
  /** CFD accounts where the app runs margin calls, stop-out and financing (paper CFD): the desk doing it. */
  readonly desk?: PaperCfdDesk;
}

/** The default account (kept for callers written before several accounts). */
export type ActiveSession = VenueAccount;

/** What the manager pushes (the app passes the EventHub's emits); every one optional for tests. */
export interface SessionEvents {
  /** Orders, fills, risk and portfolio changes of any account (orders and fills carry their accountId). */
  trading(e: TradingEvent, a: VenueAccount): void;
  /** An account's totals and positions; `isDefault` for the default account's legacy events. */
  account(update: AccountUpdate, isDefault: boolean): void;
  /** Quotes of the default account's market. */
  quote: Parameters<BrokerSession['market']['onQuote']>[0];
  /** Quotes of any other market, once per market, with the accounts that share it. */
  accountQuote(q: Parameters<Parameters<BrokerSession['market']['onQuote']>[0]>[0], accountIds: string[]): void;
  /** The default account's connection. */
  connection(s: ConnectionStatus): void;
  /** Every account with its connection, on any change. */
  accounts(list: AccountInfo[]): void;
  reconciliation(r: ReconciliationReport, accountId: string): void;
  brokerValues(v: BrokerAccountValue[], accountId: string, isDefault: boolean): void;
}

export interface SessionManagerOptions {
  store: Store;
  clock: Clock;
  logger: Logger;
  config: Config;
  venues: VenueRegistry;
  events?: Partial<SessionEvents>;
  /** How long `connect` waits to learn which account a venue trades (first connection with no account configured). */
  accountTimeoutMs?: number;
  /** The trading-state and portfolio-limit gate of an account (issue 17), asked after the order checks. */
  gate?: (view: RiskAccountView) => OrderGate;
}

/** What the portfolio risk service reads of a connected account. */
export function riskView(a: Pick<VenueAccount, 'accountId' | 'market' | 'account' | 'trading'>): RiskAccountView {
  return { accountId: a.accountId, market: a.market, snapshot: () => a.account.snapshot(), killSwitch: async () => a.trading.killSwitchEngaged() };
}

/** n for n:1 on a symbol of a CFD account (its spec, capped by the account's regime); 1 for an unknown symbol. */
function cfdLeverage(terms: NonNullable<AnyVenue['cfd']>['terms'], market: MarketData): (symbol: string) => number {
  return (symbol) => {
    const inst = market.instrument(symbol);
    return inst ? leverage(specOf(terms, inst), terms.regime) : 1;
  };
}

export class ConnectError extends Error {}
/** Connecting a live (real-money) account without `confirmLive`. */
export class LiveNotConfirmedError extends Error {
  constructor() {
    super('confirmLive: live trading sends real orders with real money; confirm it explicitly (confirmLive: true)');
  }
}
export class UnknownVenueError extends Error {}
export class UnknownAccountError extends Error {}

interface Entry extends VenueAccount {
  lastReport: ReconciliationReport | null;
  subs: Disposable[];
}

export class SessionManager implements Disposable {
  /** By venue id: one connection per venue (the key a second connection of one venue would extend). */
  private readonly connections = new Map<string, Entry>();
  /** Venue ids in the order they connected: the last is the default account. */
  private order: string[] = [];
  private defaultSubs: Disposable[] = [];
  /** Connects and disconnects, one at a time. */
  private readonly steps = serial();
  private readonly events: Partial<SessionEvents>;

  constructor(private readonly o: SessionManagerOptions) {
    this.events = o.events ?? {};
  }

  /** Connects the always-on venues (paper); the others with `autoConnect` saved connect in the background (the returned promise). */
  async start(): Promise<{ autoConnected: Promise<void> }> {
    for (const venue of this.o.venues.list()) {
      if (venue.alwaysOn) await this.connect(venue.id, await this.savedSettings(venue.id));
    }
    const autoConnected = (async () => {
      for (const venue of this.o.venues.list()) {
        if (venue.alwaysOn) continue;
        const saved = await this.savedSettings(venue.id);
        if (!venue.autoConnect(saved)) continue;
        // A saved live connection was confirmed when it was made; the user asked for it to come back.
        await this.connect(venue.id, saved, { confirmLive: true }).catch((err: unknown) =>
          this.o.logger.warn({ venue: venue.id, err: err instanceof Error ? err.message : String(err) }, 'auto-connect failed'));
      }
    })();
    return { autoConnected };
  }

  /** The account requests without an account id go to: the one connected last, else the always-on one. */
  active(): VenueAccount {
    const a = this.defaultEntry();
    if (!a) throw new Error('no session started');
    return a;
  }

  account(accountId: string): VenueAccount | undefined {
    for (const e of this.connections.values()) if (e.accountId === accountId) return e;
    return undefined;
  }

  /** Every connected account, in the order they connected. */
  accounts(): VenueAccount[] {
    return this.order.flatMap((v) => this.connections.get(v) ?? []);
  }

  /** The named account, or the default one; an unknown id is an error, never a silent fallback. */
  resolve(accountId?: string): VenueAccount {
    if (accountId === undefined) return this.active();
    const a = this.account(accountId);
    if (!a) throw new UnknownAccountError(`No connected account ${accountId}`);
    return a;
  }

  list(): AccountInfo[] {
    const def = this.defaultEntry();
    return this.accounts().map((a) => {
      const status = a.session.status();
      return { accountId: a.accountId, venue: a.venue.id, label: a.venue.accountLabel(a.session), live: a.live, default: a === def, alwaysOn: a.venue.alwaysOn, onDefaultMarket: a.market === def?.market, status };
    });
  }

  status(): ConnectionStatus {
    return this.active().session.status();
  }

  /** The last reconciliation of the account (default: the default one); null on always-on venues (nothing to reconcile against). */
  reconciliation(accountId?: string): ReconciliationReport | null {
    const e = this.entry(accountId);
    return e && !e.venue.alwaysOn ? e.lastReport : null;
  }

  brokerValues(accountId?: string): BrokerAccountValue[] {
    return this.resolve(accountId).session.accountValues();
  }

  /** The venue's saved settings (defaults where none or unreadable). */
  async savedSettings(venueId: string): Promise<unknown> {
    const venue = this.venue(venueId);
    const raw = await this.o.store.settings.get(venue.keys.settings);
    let parsed: unknown;
    try {
      parsed = raw ? JSON.parse(raw) : {};
    } catch {
      parsed = {};
    }
    const result = venue.settings.safeParse(parsed);
    return result.success ? result.data : venue.settings.parse({});
  }

  /**
   * Saves the settings (never the account itself: only its one-way key) and connects the venue's account, replacing
   * an earlier connection of the same venue. Live settings need `confirmLive`. Settings are parsed by the venue's schema.
   */
  async connect(venueId: string, rawSettings: unknown, opts: { confirmLive?: boolean } = {}): Promise<ConnectionStatus> {
    const venue = this.venue(venueId);
    const settings = venue.settings.parse(rawSettings);
    if (venue.isLive(settings) && !opts.confirmLive) throw new LiveNotConfirmedError();
    return this.serial(async () => {
      const { store } = this.o;
      if (!venue.alwaysOn) await store.settings.set(venue.keys.settings, JSON.stringify(venue.saved(settings)));
      const configured = venue.accountKey(settings);
      if (configured) await store.settings.set(venue.keys.accountKey, configured);
      await this.close(venue.id);
      const known = configured ? null : (await store.settings.get(venue.keys.accountKey)) ?? null;
      const session = venue.create(settings, { knownAccountKey: known });
      // The connecting account's progress is shown (it becomes the default once connected).
      const statusSub = session.onStatus((s) => this.events.connection?.(s));
      let timer: ReturnType<typeof setTimeout> | undefined;
      try {
        const key = await this.learnAccount(session, (t) => (timer = t));
        if (key === null) throw new ConnectError(`Could not connect to ${venue.label}: ${session.status().message ?? 'no answer'}`);
        await store.settings.set(venue.keys.accountKey, key);
        if (this.account(session.accountId)) throw new ConnectError(`${venue.label}: this account is connected already`);
        const entry = await this.build(venue, session, venue.isLive(settings));
        statusSub.dispose();
        this.connections.set(venue.id, entry);
        this.order = [...this.order.filter((v) => v !== venue.id), venue.id];
        entry.account.start();
        this.activate();
        session.start();
        this.o.logger.info({ venue: venue.id, ...venue.describe(settings) }, 'account connected');
        this.pushAccounts();
        return session.status();
      } catch (err) {
        statusSub.dispose();
        await session.dispose();
        this.activate();
        throw err;
      } finally {
        clearTimeout(timer);
      }
    });
  }

  /** Disconnects the venue's account (default: every venue that is not always on); the default falls back. */
  async disconnect(venueId?: string): Promise<ConnectionStatus> {
    return this.serial(async () => {
      const ids = venueId !== undefined ? [this.venue(venueId).id] : [...this.connections.keys()].filter((v) => !this.venue(v).alwaysOn);
      for (const id of ids) {
        if (this.venue(id).alwaysOn) throw new ConnectError(`${this.venue(id).label} is always connected`);
        await this.close(id);
      }
      this.activate();
      this.pushAccounts();
      return this.status();
    });
  }

  /** Waits for the account key: started early when not known yet; gives up on timeout or when the connection gave up. */
  private async learnAccount(session: VenueSession, setTimer: (t: ReturnType<typeof setTimeout>) => void): Promise<string | null> {
    const pending = Symbol('pending');
    const now = await Promise.race([session.accountKnown(), Promise.resolve(pending)]);
    if (now !== pending) return now;
    session.start(); // learn the account first (trading starts after, before any order)
    let giveUp: Disposable | undefined;
    const key = await Promise.race([
      session.accountKnown(),
      new Promise<null>((resolve) => {
        setTimer(setTimeout(() => resolve(null), this.o.accountTimeoutMs ?? 15_000));
        // The connection gave up (every client id in use, another account): no point in waiting.
        giveUp = session.onStatus((s) => {
          if (s.state === 'disconnected' && s.nextRetryAt === null && s.message !== null) resolve(null);
        });
      }),
    ]);
    giveUp?.dispose();
    return key;
  }

  private venue(id: string): AnyVenue {
    const v = this.o.venues.get(id);
    if (!v) throw new UnknownVenueError(`Unknown venue ${id}`);
    return v;
  }

  private entry(accountId?: string): Entry | undefined {
    if (accountId === undefined) return this.defaultEntry();
    return [...this.connections.values()].find((e) => e.accountId === accountId);
  }

  private defaultEntry(): Entry | undefined {
    const id = this.order.at(-1);
    return id === undefined ? undefined : this.connections.get(id);
  }

  private serial<T>(fn: () => Promise<T>): Promise<T> {
    return this.steps(fn);
  }

  private async build(venue: AnyVenue, session: VenueSession, live: boolean): Promise<Entry> {
    const { store, clock, logger, config } = this.o;
    const isDefault = () => this.defaultEntry()?.session === session;
    // Margin accounts (the CFD venues, paper CFD) hold instruments quoted in another currency on margin, their P&L
    // converted at the rate of the venue's own market (its FX pairs under its own symbols).
    const currency = 'USD';
    const conversion = venue.marginBooks ? quoteConversion(session.market, currency) : undefined;
    const account = new AccountService({
      store, market: session.market, clock, accountId: session.accountId, broker: venue.id, currency, initialCash: venue.initialCash,
      ...(conversion ? { conversion } : {}),
      brokerValues: venue.alwaysOn ? undefined : () => session.accountValues(),
      onUpdate: (summary, positions) => this.events.account?.({ accountId: session.accountId, summary, positions }, isDefault()),
    });
    await account.ensureAccount();
    const trading: TradingService = new TradingService({
      store, broker: session.broker, market: session.market, clock, account, logger,
      limits: {
        maxPositionSize: config.risk.max_position_size,
        maxOrderNotional: config.risk.max_order_notional,
        priceCollarPct: config.risk.price_collar_pct,
        // Config keys use underscores (brokers.paper_cfd for the venue paper-cfd).
        maxDailyTrades: (config.brokers[venue.id] ?? config.brokers[venue.id.replaceAll('-', '_')])?.max_daily_trades ?? config.brokers.paper.max_daily_trades,
      },
      configKillSwitch: config.risk.kill_switch,
      ...(venue.cfd ? { leverage: cfdLeverage(venue.cfd.terms, session.market) } : {}),
      ...(conversion ? { conversion } : {}),
      // The view reads the trading service's kill switch only when an order is checked (after construction).
      ...(this.o.gate ? { gate: this.o.gate(riskView({ accountId: session.accountId, market: session.market, account, get trading(): TradingService { return trading; } })) } : {}),
    });
    const desk = venue.cfd?.enforcedByApp ? new PaperCfdDesk({ store, clock, logger, market: session.market, terms: venue.cfd.terms, trading, account }) : undefined;
    const entry: Entry = { accountId: session.accountId, venue, session, trading, account, market: session.market, live, lastReport: null, subs: [], ...(desk ? { desk } : {}) };
    // Events of the restart path (start, restored orders) arrive before the account is registered: nobody shows them
    // yet (the UI reads the lists when it connects), and they must not throw inside the trading queue.
    const registered = () => this.connections.get(venue.id) === entry;
    trading.on((e) => {
      if (e.kind === 'reconciliation') {
        entry.lastReport = e.report;
        if (registered()) this.events.reconciliation?.(e.report, entry.accountId);
      }
      if (registered()) this.events.trading?.(e, entry);
    });
    await trading.start();
    if (desk) {
      desk.start();
      entry.subs.push(desk);
    }
    if (session.onFinancing) {
      const financing = new VenueFinancingBook({ store, clock, logger, accountId: session.accountId, booked: () => void account.push().catch(() => undefined) });
      entry.subs.push(session.onFinancing((f) => void financing.book(f)));
    }
    entry.subs.push(
      session.onStatus(() => this.pushAccounts()),
      // Once per market (by the first account on it), unless it is the default account's, which `quote` carries.
      session.market.onQuote((q) => {
        if (!this.events.accountQuote || !registered() || this.defaultEntry()?.market === entry.market) return;
        const sharing = this.accounts().filter((a) => a.market === entry.market);
        if (sharing[0] === entry) this.events.accountQuote(q, sharing.map((a) => a.accountId));
      }),
      session.onAccountValues((v) => this.events.brokerValues?.(v, entry.accountId, isDefault())),
    );
    return entry;
  }

  private pushAccounts(): void {
    this.events.accounts?.(this.list());
  }

  /** Re-points the default account's pushed events (quotes, status, account values). */
  private activate(): void {
    // Closed now, before the new subscriptions: accounts may share one market, and a deferred close would remove the
    // same listener just added (no quotes after a switch). A close that fails is logged, never a stray rejection.
    const warn = (err: unknown) => this.o.logger.warn({ err }, 'event subscription did not close cleanly');
    for (const s of this.defaultSubs) {
      try {
        void Promise.resolve(s.dispose()).catch(warn);
      } catch (err) {
        warn(err);
      }
    }
    this.defaultSubs = [];
    const active = this.defaultEntry();
    if (!active) return;
    const { session } = active;
    const { quote, connection, brokerValues } = this.events;
    if (quote) this.defaultSubs.push(session.market.onQuote(quote));
    if (connection) this.defaultSubs.push(session.onStatus(connection));
    connection?.(session.status());
    brokerValues?.(session.accountValues(), active.accountId, true);
  }

  private async close(venueId: string): Promise<void> {
    const e = this.connections.get(venueId);
    if (!e) return;
    this.connections.delete(venueId);
    this.order = this.order.filter((v) => v !== venueId);
    for (const s of e.subs) await s.dispose();
    await e.desk?.idle();
    await e.trading.idle();
    e.trading.dispose();
    e.account.dispose();
    await e.session.dispose();
  }

  async idle(): Promise<void> {
    await this.steps.idle();
    for (const a of this.accounts()) {
      await a.desk?.idle();
      await a.trading.idle();
    }
  }

  async dispose(): Promise<void> {
    await this.steps.idle();
    for (const s of this.defaultSubs) await s.dispose();
    this.defaultSubs = [];
    // The connected-last first: the always-on account (whose market others may share) goes last.
    for (const id of [...this.order].reverse()) await this.close(id);
  }
}
