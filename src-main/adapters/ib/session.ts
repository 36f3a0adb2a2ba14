// The IB session factory: connection manager + execution client + quote stream + account values, as one BrokerSession.
import { createHash } from 'node:crypto';
import { EventName } from '@stoqey/ib';
import type { BrokerAccountValue, ConnectionStatus, IbSettings } from '../../../src-shared/domain/broker';
import type { Instrument } from '../../../src-shared/domain/types';
import type { Logger } from '../../logging';
import type { BrokerSession } from '../../ports/broker-session';
import type { Clock } from '../../ports/clock';
import type { Disposable } from '../../ports/disposable';
import type { MarketData } from '../../ports/market-data';
import { ibSessionConfig, type IbTimings } from './config';
import { IbConnection } from './connection';
import { IbExecutionClient, type OrderIdStore } from './execution';
import { IbDataClient } from './data';
import { IbMarketData } from './data-market';
import type { Timers } from './rate-limit';
import { Emitter } from '../../../src-shared/common/emitter';

/** The account values shown next to the account summary (TWS reqAccountSummary tags). */
export const ACCOUNT_TAGS = [
  'NetLiquidation', 'TotalCashValue', 'SettledCash', 'BuyingPower', 'AvailableFunds', 'ExcessLiquidity', 'EquityWithLoanValue',
  'GrossPositionValue', 'InitMarginReq', 'MaintMarginReq', 'FullInitMarginReq', 'FullMaintMarginReq', 'Cushion', 'Leverage',
];

/** A one-way id for a managed account: what our database and settings hold instead of the account itself. */
export function accountHash(account: string): string {
  return createHash('sha256').update(`quant-claude:ib-account:${account}`).digest('hex').slice(0, 16);
}

export function ibAccountId(hash: string): string {
  return `IB-${hash}`;
}

export interface IbSessionOptions {
  settings: IbSettings;
  timings?: Partial<IbTimings>;
  clock: Clock;
  logger: Logger;
  instruments: Instrument[];
  /** The settings table: the highest order id used is kept there. */
  ids: OrderIdStore;
  /** Hash of the account traded last time (when settings.account is empty), so the same account is picked again. */
  knownAccountHash: string | null;
  /** Time of the newest booked execution of this account, or null. */
  lastExecutionTime?: (accountId: string) => Promise<number | null>;
  completedOrders?: boolean;
  timers?: Timers;
  random?: () => number;
  /**
   * The market the session trades and charts on. Default: IB's own quotes. The app passes its failover manager with
   * this session's data client attached (IB first, Yahoo as fallback); `release` detaches it when the session ends.
   */
  marketFor?: (data: IbDataClient) => { market: MarketData; release(): void };
}

export interface IbSession extends BrokerSession {
  readonly kind: 'ib';
  readonly connection: IbConnection;
  readonly execution: IbExecutionClient;
  /** The IB data client (quotes, history, search) on the session's connection. */
  readonly data: IbDataClient;
  /** Resolves with the account hash once known (at once when configured or remembered; else on the first connect). */
  accountKnown(): Promise<string>;
}

export function createIbSession(o: IbSessionOptions): IbSession {
  const config = ibSessionConfig(o.settings, o.timings);
  let hash: string | null = o.settings.account ? accountHash(o.settings.account) : o.knownAccountHash;
  let resolveKnown: (h: string) => void = () => undefined;
  const known = new Promise<string>((resolve) => {
    resolveKnown = resolve;
  });
  if (hash) resolveKnown(hash);

  const conn = new IbConnection({
    config, clock: o.clock, logger: o.logger, timers: o.timers, random: o.random,
    chooseAccount: (accounts) => {
      const chosen = hash ? accounts.find((a) => accountHash(a) === hash) ?? null : accounts[0] ?? null;
      if (chosen && !hash) {
        hash = accountHash(chosen);
        resolveKnown(hash);
      }
      return chosen;
    },
  });
  const accountId = () => (hash ? ibAccountId(hash) : 'IB-UNKNOWN');
  const execution = new IbExecutionClient({
    conn, clock: o.clock, logger: o.logger, timings: config.timings, timers: o.timers, ids: o.ids, idKey: `ib.order-id-high.${o.settings.host}:${o.settings.port}.`,
    instrument: (symbol) => o.instruments.find((i) => i.symbol === symbol),
    lastExecutionTime: o.lastExecutionTime ? () => o.lastExecutionTime!(accountId()) : undefined,
    completedOrders: o.completedOrders,
  });
  const data = new IbDataClient(conn, { clock: o.clock, timers: o.timers });
  const shared = o.marketFor?.(data);
  const market: MarketData = shared?.market ?? new IbMarketData(data, { instruments: o.instruments, clock: o.clock });

  // Account values: one reqAccountSummary subscription per connection; TWS pushes changes every few minutes.
  let values: BrokerAccountValue[] = [];
  const valueEvents = new Emitter<BrokerAccountValue[]>();
  const pending = new Map<string, BrokerAccountValue>();
  let summaryReq = 0;
  const api = conn.api;
  const onSummary = (reqId: number, account: string, tag: string, value: string, currency: string) => {
    if (reqId !== summaryReq || account !== conn.accountCode()) return;
    pending.set(`${tag}:${currency}`, { key: tag, value, currency });
  };
  const onSummaryEnd = (reqId: number) => {
    if (reqId !== summaryReq) return;
    values = [...pending.values()];
    valueEvents.emit(values);
  };
  api.on(EventName.accountSummary, onSummary);
  api.on(EventName.accountSummaryEnd, onSummaryEnd);
  const subs: Disposable[] = [
    { dispose: () => void api.off(EventName.accountSummary, onSummary) },
    { dispose: () => void api.off(EventName.accountSummaryEnd, onSummaryEnd) },
    conn.onConnected(() => {
      pending.clear();
      summaryReq = conn.nextReqId();
      api.reqAccountSummary(summaryReq, 'All', ACCOUNT_TAGS.join(','));
    }),
  ];

  const statusEvents = new Emitter<ConnectionStatus>();
  const status = (): ConnectionStatus => ({ ...conn.status(), queuedOrders: execution.queuedOrders(), ready: execution.isReady() && conn.orderChannelUp() });
  const notify = () => {
    const s = status();
    statusEvents.emit(s);
  };
  subs.push(conn.onStatusChange(notify), execution.onStatusChange(notify));

  return {
    kind: 'ib',
    get accountId() {
      return accountId();
    },
    broker: execution,
    market,
    connection: conn,
    execution,
    data,
    accountKnown: () => known,
    start() {
      // A shared market (the app's failover manager) is already running.
      if (!shared) market.start();
      conn.start();
    },
    status,
    onStatus(listener) {
      return statusEvents.on(listener);
    },
    accountValues: () => values,
    onAccountValues(listener) {
      return valueEvents.on(listener);
    },
    async dispose() {
      for (const s of subs) s.dispose();
      statusEvents.clear();
      valueEvents.clear();
      if (shared) shared.release();
      else await market.dispose();
      data.dispose();
      execution.dispose();
      await conn.dispose();
    },
  };
}
