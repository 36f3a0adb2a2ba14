// The IG session factory: connection + execution client + polled market + account values, as one session.
import type { BrokerAccountValue, ConnectionStatus } from '../../../src-shared/domain/broker';
import { Emitter } from '../../../src-shared/common/emitter';
import type { CfdSpec } from '../../domain/cfd/specs';
import type { Logger } from '../../logging';
import type { Clock } from '../../ports/clock';
import type { Disposable } from '../../ports/disposable';
import { realTimers, type Timers } from '../../ports/timers';
import type { VenueSession } from '../../ports/venue';
import { DEFAULT_IG_TIMINGS, igAccountHash, igAccountId, type IgSettings, type IgTimings } from './config';
import { IgConnection } from './connection';
import { IgExecutionClient, type IgIdStore } from './execution';
import { IgMarketData } from './market';
import { cfdSpecOf } from './parsing';

export interface IgSessionOptions {
  settings: IgSettings;
  /** `<API key>:<password>` from the secrets store. */
  secret: () => Promise<string | undefined>;
  timings?: Partial<IgTimings>;
  clock: Clock;
  logger: Logger;
  ids: IgIdStore;
  knownAccountHash: string | null;
  timers?: Timers;
  random?: () => number;
}

export interface IgSession extends VenueSession {
  readonly kind: 'ig';
  readonly connection: IgConnection;
  readonly execution: IgExecutionClient;
  /** IG's markets as CFD specs (contract size, minimum deal, margin factor, pip). */
  cfdSpec(symbol: string): CfdSpec | undefined;
}

export function createIgSession(o: IgSessionOptions): IgSession {
  const timings = { ...DEFAULT_IG_TIMINGS, ...o.timings };
  const timers = o.timers ?? realTimers;
  let hash: string | null = o.settings.account_id ? igAccountHash(o.settings.account_id) : o.knownAccountHash;
  let resolveKnown: (h: string) => void = () => undefined;
  const known = new Promise<string>((resolve) => {
    resolveKnown = resolve;
  });
  if (hash) resolveKnown(hash);

  const conn = new IgConnection({
    settings: o.settings, timings, secret: o.secret, clock: o.clock, logger: o.logger, timers, random: o.random,
    chooseAccount: (ids, current) => {
      const chosen = hash ? ids.find((id) => igAccountHash(id) === hash) ?? null : current || (ids[0] ?? null);
      if (chosen && !hash) {
        hash = igAccountHash(chosen);
        resolveKnown(hash);
      }
      return chosen;
    },
  });
  const market = new IgMarketData(conn, { clock: o.clock, staleQuoteMs: timings.staleQuoteMs });
  const execution = new IgExecutionClient({ conn, clock: o.clock, logger: o.logger, ids: o.ids, timings, timers });

  let values: BrokerAccountValue[] = [];
  const valueEvents = new Emitter<BrokerAccountValue[]>();
  let cancelPoll: (() => void) | undefined;
  const poll = () => {
    cancelPoll = undefined;
    if (!conn.isConnected()) return;
    conn.rest.request<{ accounts: { accountId: string; currency: string; balance: { balance: number; deposit: number; profitLoss: number; available: number } }[] }>('GET', '/accounts', 1, undefined, conn.signal).then((res) => {
      const a = res.accounts.find((x) => igAccountHash(x.accountId) === hash) ?? res.accounts[0];
      if (!a) return;
      const b = a.balance;
      const equity = b.balance + b.profitLoss;
      // IG's own names, then the keys the account service reads NAV and cash under (IB's names). The margin monitor
      // computes the margin level from IG's specs (venue.cfd), like IG's own: equity over the margin deposit.
      values = [
        { key: 'balance', value: String(b.balance), currency: a.currency }, { key: 'deposit', value: String(b.deposit), currency: a.currency },
        { key: 'profitLoss', value: String(b.profitLoss), currency: a.currency }, { key: 'available', value: String(b.available), currency: a.currency },
        { key: 'NetLiquidation', value: equity.toFixed(2), currency: a.currency }, { key: 'TotalCashValue', value: String(b.balance), currency: a.currency },
      ];
      valueEvents.emit(values);
    }, () => undefined).finally(() => {
      if (conn.isConnected() && !cancelPoll) cancelPoll = timers.after(timings.accountPollMs, poll);
    });
  };

  const statusEvents = new Emitter<ConnectionStatus>();
  const status = (): ConnectionStatus => ({ ...conn.status(), queuedOrders: execution.queuedOrders(), ready: execution.isReady() && conn.isConnected() });
  const notify = () => statusEvents.emit(status());
  const subs: Disposable[] = [
    conn.onStatusChange(notify), execution.onStatusChange(notify),
    conn.onConnected(() => {
      cancelPoll?.();
      poll();
    }),
  ];

  return {
    kind: 'ig',
    get accountId() {
      return hash ? igAccountId(hash) : 'IG-UNKNOWN';
    },
    broker: execution,
    market,
    connection: conn,
    execution,
    accountKnown: () => known,
    cfdSpec: (symbol) => {
      const m = conn.specBySymbol(symbol);
      return m ? cfdSpecOf(m) : undefined;
    },
    start() {
      market.start();
      conn.start();
    },
    status,
    onStatus: (listener) => statusEvents.on(listener),
    accountValues: () => values,
    onAccountValues: (listener) => valueEvents.on(listener),
    async dispose() {
      cancelPoll?.();
      for (const s of subs) s.dispose();
      statusEvents.clear();
      valueEvents.clear();
      await market.dispose();
      execution.dispose();
      conn.dispose();
    },
  };
}
