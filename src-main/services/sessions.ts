// The session manager: the paper session always runs; an IB session runs while connected to TWS. The active one serves
// the API (trading, account, market) and pushes its events; switching waits until the old one's queued steps are done.
import type { BrokerAccountValue, ConnectionStatus, IbSettings, ReconciliationReport } from '../../src-shared/api/contract';
import type { AccountSummary, Position } from '../../src-shared/domain/types';
import { IbSettings as IbSettingsSchema } from '../../src-shared/api/contract';
import type { Config } from '../config/config';
import type { Logger } from '../logging';
import type { BrokerSession } from '../ports/broker-session';
import type { Clock } from '../ports/clock';
import type { Disposable } from '../ports/disposable';
import type { Store } from '../ports/store';
import { AccountService } from './account';
import { TradingService, type TradingEvent } from './trading';

export interface ActiveSession {
  session: BrokerSession;
  trading: TradingService;
  account: AccountService;
}

/** What the manager needs to push: the contract's events (the app passes the EventHub's emit). */
export interface SessionEvents {
  trading(e: TradingEvent, s: ActiveSession): void;
  account(summary: AccountSummary, positions: Position[]): void;
  quote: Parameters<BrokerSession['market']['onQuote']>[0];
  connection(s: ConnectionStatus): void;
  reconciliation(r: ReconciliationReport): void;
  brokerValues(v: BrokerAccountValue[]): void;
}

export interface IbSessionLike extends BrokerSession {
  readonly kind: 'ib';
  accountKnown(): Promise<string>;
}

export interface SessionManagerOptions {
  store: Store;
  clock: Clock;
  logger: Logger;
  config: Config;
  events: SessionEvents;
  /** Builds an IB session for the settings (the account hash remembered from last time is passed along). */
  createIbSession: (settings: IbSettings, knownAccountHash: string | null) => IbSessionLike;
  /** The one-way hash of a managed account that is stored instead of the account. */
  accountHash: (account: string) => string;
  /** How long `connect` waits to learn which account TWS trades (first connection with no account configured). */
  accountTimeoutMs?: number;
}

export const IB_SETTINGS_KEY = 'ib.settings';
export const IB_ACCOUNT_HASH_KEY = 'ib.account-hash';

export class ConnectError extends Error {}

export class SessionManager implements Disposable {
  private paper: ActiveSession | undefined;
  private ib: ActiveSession | undefined;
  private lastReport: ReconciliationReport | null = null;
  private subs: Disposable[] = [];
  /** Connects and disconnects run one at a time. */
  private chain: Promise<unknown> = Promise.resolve();

  constructor(private readonly o: SessionManagerOptions) {}

  /** Starts the paper session (always on) and makes it active. */
  async startPaper(session: BrokerSession, initialCash: number): Promise<void> {
    this.paper = await this.build(session, initialCash, this.o.config.brokers.paper.max_daily_trades);
    this.activate();
    session.start();
    this.paper.account.start();
  }

  active(): ActiveSession {
    const a = this.ib ?? this.paper;
    if (!a) throw new Error('no session started');
    return a;
  }

  status(): ConnectionStatus {
    return this.active().session.status();
  }

  reconciliation(): ReconciliationReport | null {
    return this.ib ? this.lastReport : null;
  }

  brokerValues(): BrokerAccountValue[] {
    return this.active().session.accountValues();
  }

  async savedSettings(): Promise<IbSettings> {
    const raw = await this.o.store.settings.get(IB_SETTINGS_KEY);
    let parsed: unknown;
    try {
      parsed = raw ? JSON.parse(raw) : {};
    } catch {
      parsed = {};
    }
    const result = IbSettingsSchema.safeParse(parsed);
    return result.success ? result.data : IbSettingsSchema.parse({});
  }

  /** Saves the settings (never the account itself: only its one-way hash) and switches to an IB session. */
  connect(settings: IbSettings): Promise<ConnectionStatus> {
    return this.serial(async () => {
      await this.o.store.settings.set(IB_SETTINGS_KEY, JSON.stringify({ ...settings, account: '' }));
      if (settings.account) await this.o.store.settings.set(IB_ACCOUNT_HASH_KEY, this.o.accountHash(settings.account));
      await this.closeIb();
      const known = settings.account ? null : (await this.o.store.settings.get(IB_ACCOUNT_HASH_KEY)) ?? null;
      const session = this.o.createIbSession(settings, known);
      const statusSub = session.onStatus((s) => this.o.events.connection(s));
      const timeoutMs = this.o.accountTimeoutMs ?? 15_000;
      let timer: ReturnType<typeof setTimeout> | undefined;
      try {
        if (!known && !settings.account) session.start(); // learn the account first (trading starts below, before any order)
        let giveUp: Disposable | undefined;
        const hash = await Promise.race([
          session.accountKnown(),
          new Promise<null>((resolve) => {
            timer = setTimeout(() => resolve(null), timeoutMs);
            // The connection gave up (every client id in use, another account): no point in waiting.
            giveUp = session.onStatus((s) => {
              if (s.state === 'disconnected' && s.nextRetryAt === null && s.message !== null) resolve(null);
            });
          }),
        ]);
        giveUp?.dispose();
        if (hash === null) throw new ConnectError(`Could not connect to Interactive Brokers: ${session.status().message ?? 'no answer from TWS / IB Gateway'}`);
        await this.o.store.settings.set(IB_ACCOUNT_HASH_KEY, hash);
        const max = this.o.config.brokers['ib']?.max_daily_trades ?? this.o.config.brokers.paper.max_daily_trades;
        this.ib = await this.build(session, 0, max);
        this.ib.account.start();
        statusSub.dispose();
        this.activate();
        session.start();
        this.o.logger.info({ mode: settings.mode, endpoint: `${settings.host}:${settings.port}` }, 'IB session active');
        return session.status();
      } catch (err) {
        statusSub.dispose();
        this.ib = undefined;
        await session.dispose();
        this.activate();
        throw err;
      } finally {
        clearTimeout(timer);
      }
    });
  }

  /** Back to the paper session. */
  disconnect(): Promise<ConnectionStatus> {
    return this.serial(async () => {
      await this.closeIb();
      this.activate();
      return this.status();
    });
  }

  private serial<T>(fn: () => Promise<T>): Promise<T> {
    const run = this.chain.then(fn, fn);
    this.chain = run.catch(() => undefined);
    return run;
  }

  private async build(session: BrokerSession, initialCash: number, maxDailyTrades: number): Promise<ActiveSession> {
    const { store, clock, logger, config } = this.o;
    const account = new AccountService({
      store, market: session.market, clock, accountId: session.accountId, broker: session.kind, currency: 'USD', initialCash,
      brokerValues: session.kind === 'ib' ? () => session.accountValues() : undefined,
      onUpdate: (summary, positions) => {
        if (this.active().session === session) this.o.events.account(summary, positions);
      },
    });
    await account.ensureAccount();
    const trading = new TradingService({
      store, broker: session.broker, market: session.market, clock, account, logger,
      limits: {
        maxPositionSize: config.risk.max_position_size,
        maxOrderNotional: config.risk.max_order_notional,
        priceCollarPct: config.risk.price_collar_pct,
        maxDailyTrades,
      },
      configKillSwitch: config.risk.kill_switch,
    });
    const active: ActiveSession = { session, trading, account };
    // Events of the restart path (start, restored orders) arrive before the session is registered: nobody shows them
    // yet (the UI reads the lists when it connects), and they must not throw inside the trading queue.
    const isActive = () => (this.ib ?? this.paper)?.session === session;
    trading.on((e) => {
      if (e.kind === 'reconciliation') {
        if (this.ib?.session === session) this.lastReport = e.report;
        if (isActive()) this.o.events.reconciliation(e.report);
      }
      if (isActive()) this.o.events.trading(e, active);
    });
    await trading.start();
    return active;
  }

  /** Re-points the pushed events (quotes, status, account values) at the active session. */
  private activate(): void {
    // Closed now, before the new subscriptions: both sessions may share one market, and a deferred close would remove
    // the same listener just added (no quotes after a switch). A close that fails is logged, never a stray rejection.
    const warn = (err: unknown) => this.o.logger.warn({ err }, 'event subscription did not close cleanly');
    for (const s of this.subs) {
      try {
        void Promise.resolve(s.dispose()).catch(warn);
      } catch (err) {
        warn(err);
      }
    }
    this.subs = [];
    const active = this.ib ?? this.paper;
    if (!active) return;
    const { session } = active;
    this.subs = [
      session.market.onQuote(this.o.events.quote),
      session.onStatus((s) => this.o.events.connection(s)),
      session.onAccountValues((v) => this.o.events.brokerValues(v)),
    ];
    this.o.events.connection(session.status());
    this.o.events.brokerValues(session.accountValues());
  }

  private async closeIb(): Promise<void> {
    const ib = this.ib;
    if (!ib) return;
    this.ib = undefined;
    this.lastReport = null;
    await ib.trading.idle();
    ib.trading.dispose();
    ib.account.dispose();
    await ib.session.dispose();
  }

  async idle(): Promise<void> {
    await this.chain;
    await this.ib?.trading.idle();
    await this.paper?.trading.idle();
  }

  async dispose(): Promise<void> {
    await this.chain.catch(() => undefined);
    for (const s of this.subs) await s.dispose();
    await this.closeIb();
    const paper = this.paper;
    this.paper = undefined;
    if (paper) {
      await paper.trading.idle();
      paper.trading.dispose();
      paper.account.dispose();
      await paper.session.dispose();
    }
  }
}
