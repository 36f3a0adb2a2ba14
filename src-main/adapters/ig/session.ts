// The IG session factory: connection + execution client + polled market + account values, as one session.
import type { CfdSpec } from '../../domain/cfd/specs';
import type { Logger } from '../../logging';
import type { Clock } from '../../ports/clock';
import { realTimers, type Timers } from '../../ports/timers';
import type { VenueSession } from '../../ports/venue';
import { AccountValuesPoll, KnownAccount, SessionStatus } from '../venue-kit/session';
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
  const account = new KnownAccount(o.settings.account_id ? igAccountHash(o.settings.account_id) : o.knownAccountHash);

  const conn = new IgConnection({
    settings: o.settings, timings, secret: o.secret, clock: o.clock, logger: o.logger, timers, random: o.random,
    chooseAccount: (ids, current) => account.choose(ids, igAccountHash, current || (ids[0] ?? null)),
  });
  const market = new IgMarketData(conn, { clock: o.clock, staleQuoteMs: timings.staleQuoteMs });
  const execution = new IgExecutionClient({ conn, clock: o.clock, logger: o.logger, ids: o.ids, timings, timers });

  const values = new AccountValuesPoll({
    link: conn, timers, everyMs: timings.accountPollMs,
    read: () => conn.rest.request<{ accounts: { accountId: string; currency: string; balance: { balance: number; deposit: number; profitLoss: number; available: number } }[] }>('GET', '/accounts', 1, undefined, conn.signal).then((res) => {
      const a = res.accounts.find((x) => igAccountHash(x.accountId) === account.hash) ?? res.accounts[0];
      if (!a) return null;
      const b = a.balance;
      const equity = b.balance + b.profitLoss;
      // IG's own names, then the keys the account service reads NAV and cash under (IB's names). The margin monitor
      // computes the margin level from IG's specs (venue.cfd), like IG's own: equity over the margin deposit.
      return [
        { key: 'balance', value: String(b.balance), currency: a.currency }, { key: 'deposit', value: String(b.deposit), currency: a.currency },
        { key: 'profitLoss', value: String(b.profitLoss), currency: a.currency }, { key: 'available', value: String(b.available), currency: a.currency },
        { key: 'NetLiquidation', value: equity.toFixed(2), currency: a.currency }, { key: 'TotalCashValue', value: String(b.balance), currency: a.currency },
      ];
    }),
  });

  const status = new SessionStatus(conn, execution);

  return {
    kind: 'ig',
    get accountId() {
      return account.hash ? igAccountId(account.hash) : 'IG-UNKNOWN';
    },
    broker: execution,
    market,
    connection: conn,
    execution,
    accountKnown: () => account.known,
    cfdSpec: (symbol) => {
      const m = conn.specBySymbol(symbol);
      return m ? cfdSpecOf(m) : undefined;
    },
    start() {
      market.start();
      conn.start();
    },
    status: () => status.status(),
    onStatus: (listener) => status.onStatus(listener),
    accountValues: () => values.values(),
    onAccountValues: (listener) => values.onValues(listener),
    onFinancing: (listener) => execution.onFinancing(listener),
    async dispose() {
      values.dispose();
      status.dispose();
      await market.dispose();
      execution.dispose();
      conn.dispose();
    },
  };
}
