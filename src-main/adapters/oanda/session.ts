// The OANDA session factory: connection + execution client + pricing-stream market + account values, as one session.
import type { Logger } from '../../logging';
import type { Clock } from '../../ports/clock';
import type { Disposable } from '../../ports/disposable';
import type { MarketData } from '../../ports/market-data';
import { realTimers, type Timers } from '../../ports/timers';
import type { VenueSession } from '../../ports/venue';
import { AccountValuesPoll, KnownAccount, SessionStatus } from '../venue-kit/session';
import { DEFAULT_OANDA_TIMINGS, oandaAccountHash, oandaAccountId, type OandaSettings, type OandaTimings } from './config';
import { OandaConnection } from './connection';
import { OandaExecutionClient, type TransactionIdStore } from './execution';
import { OandaMarketData } from './market';
import type { OandaFinancing, OandaInstrumentSpec } from './parsing';
import type { Json } from './rest';

/** The account summary fields shown as broker values (OANDA's own margin figures, incl. its closeout percent). */
export const ACCOUNT_FIELDS = [
  'NAV', 'balance', 'unrealizedPL', 'pl', 'financing', 'commission', 'marginUsed', 'marginAvailable', 'positionValue',
  'marginCloseoutPercent', 'marginCloseoutNAV', 'marginCloseoutMarginUsed', 'marginCallPercent', 'marginRate', 'withdrawalLimit',
];

export interface OandaSessionOptions {
  settings: OandaSettings;
  token: () => Promise<string | undefined>;
  timings?: Partial<OandaTimings>;
  clock: Clock;
  logger: Logger;
  ids: TransactionIdStore;
  knownAccountHash: string | null;
  timers?: Timers;
  random?: () => number;
}

export interface OandaSession extends VenueSession {
  readonly kind: 'oanda';
  readonly connection: OandaConnection;
  readonly execution: OandaExecutionClient;
  /** OANDA's instrument specs (margin rate, pip location, financing), as the venue reports them. */
  instrumentSpecs(): OandaInstrumentSpec[];
  /** Overnight financing from OANDA's DAILY_FINANCING transactions, each once (also those made while disconnected). */
  onFinancing(listener: (f: OandaFinancing) => void): Disposable;
}

export function createOandaSession(o: OandaSessionOptions): OandaSession {
  const timings = { ...DEFAULT_OANDA_TIMINGS, ...o.timings };
  const timers = o.timers ?? realTimers;
  const account = new KnownAccount(o.settings.account_id ? oandaAccountHash(o.settings.account_id) : o.knownAccountHash);

  const conn = new OandaConnection({
    settings: o.settings, timings, token: o.token, clock: o.clock, logger: o.logger, timers, random: o.random,
    chooseAccount: (ids) => account.choose(ids, oandaAccountHash),
  });
  const market: MarketData = new OandaMarketData(conn, { clock: o.clock, staleQuoteMs: timings.staleQuoteMs });
  const execution = new OandaExecutionClient({ conn, clock: o.clock, logger: o.logger, ids: o.ids, referencePrice: (s) => market.lastQuote(s)?.last });

  const values = new AccountValuesPoll({
    link: conn, timers, everyMs: timings.accountPollMs,
    read: async () => {
      const res = await conn.rest.request<{ account: Json }>('GET', `${conn.accountPath()}/summary`, undefined, conn.signal);
      const currency = String(res.account['currency'] ?? 'USD');
      const list = ACCOUNT_FIELDS.filter((k) => res.account[k] !== undefined).map((key) => ({ key, value: String(res.account[key]), currency }));
      // The account service reads NAV and cash under these keys (IB's names) to replace its own figures.
      list.push({ key: 'NetLiquidation', value: String(res.account['NAV']), currency }, { key: 'TotalCashValue', value: String(res.account['balance']), currency });
      return list;
    },
  });

  const status = new SessionStatus(conn, execution);

  return {
    kind: 'oanda',
    get accountId() {
      return account.hash ? oandaAccountId(account.hash) : 'OANDA-UNKNOWN';
    },
    broker: execution,
    market,
    connection: conn,
    execution,
    accountKnown: () => account.known,
    instrumentSpecs: () => conn.specs(),
    onFinancing: (listener) => execution.onFinancing(listener),
    start() {
      market.start();
      conn.start();
    },
    status: () => status.status(),
    onStatus: (listener) => status.onStatus(listener),
    accountValues: () => values.values(),
    onAccountValues: (listener) => values.onValues(listener),
    async dispose() {
      values.dispose();
      status.dispose();
      await market.dispose();
      execution.dispose();
      conn.dispose();
    },
  };
}
