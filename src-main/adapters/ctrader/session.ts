// The cTrader session factory: connection + execution client + spot market + account values, as one session.
import type { BrokerAccountValue, ConnectionStatus } from '../../../src-shared/domain/broker';
import { Emitter } from '../../../src-shared/common/emitter';
import type { Logger } from '../../logging';
import type { Clock } from '../../ports/clock';
import type { Disposable } from '../../ports/disposable';
import { realTimers, type Timers } from '../../ports/timers';
import type { VenueSession } from '../../ports/venue';
import { ctraderAccountHash, ctraderAccountId, DEFAULT_CTRADER_TIMINGS, type CtraderSettings, type CtraderTimings } from './config';
import { CtraderConnection } from './connection';
import { CtraderExecutionClient, type DealTimeStore } from './execution';
import { CtraderMarketData } from './market';
import { cfdSpecOf, type CtraderSymbolSpec } from './parsing';
import { enumValue, PT, toUnits, TradeSide, type Json } from './protocol';
import type { CfdSpec } from '../../domain/cfd/specs';

export interface CtraderSessionOptions {
  settings: CtraderSettings;
  /** The stored credential: "<client secret>:<access token>". */
  credentials: () => Promise<string | undefined>;
  timings?: Partial<CtraderTimings>;
  clock: Clock;
  logger: Logger;
  ids: DealTimeStore;
  knownAccountHash: string | null;
  timers?: Timers;
  random?: () => number;
}

export interface CtraderSession extends VenueSession {
  readonly kind: 'ctrader';
  readonly connection: CtraderConnection;
  readonly execution: CtraderExecutionClient;
  /** The account's symbols as cTrader reports them. */
  symbolSpecs(): CtraderSymbolSpec[];
  /** The CFD domain's specs of those symbols (financing in pips converted at the last mid). */
  cfdSpecs(): CfdSpec[];
}

export function createCtraderSession(o: CtraderSessionOptions): CtraderSession {
  const timings = { ...DEFAULT_CTRADER_TIMINGS, ...o.timings };
  const timers = o.timers ?? realTimers;
  let hash: string | null = o.settings.account_id ? ctraderAccountHash(o.settings.account_id) : o.knownAccountHash;
  let resolveKnown: (h: string) => void = () => undefined;
  const known = new Promise<string>((resolve) => {
    resolveKnown = resolve;
  });
  if (hash) resolveKnown(hash);

  const conn = new CtraderConnection({
    settings: o.settings, timings, credentials: o.credentials, clock: o.clock, logger: o.logger, timers, random: o.random,
    chooseAccount: (ids) => {
      const chosen = hash ? ids.find((id) => ctraderAccountHash(id) === hash) ?? null : ids[0] ?? null;
      if (chosen && !hash) {
        hash = ctraderAccountHash(chosen);
        resolveKnown(hash);
      }
      return chosen;
    },
  });
  const market = new CtraderMarketData(conn, { clock: o.clock, staleQuoteMs: timings.staleQuoteMs });
  const execution = new CtraderExecutionClient({ conn, clock: o.clock, logger: o.logger, ids: o.ids });

  let values: BrokerAccountValue[] = [];
  let depositCurrency: string | null = null;
  const valueEvents = new Emitter<BrokerAccountValue[]>();
  let cancelPoll: (() => void) | undefined;
  /** Units of the deposit currency per unit of `currency`, from the quotes (null when no symbol links them). */
  const rate = (currency: string, deposit: string): number | null => {
    if (currency === deposit) return 1;
    const direct = market.lastQuote(`${currency}${deposit}`);
    if (direct) return direct.last;
    const inverse = market.lastQuote(`${deposit}${currency}`);
    return inverse ? 1 / inverse.last : null;
  };
  const readValues = async (): Promise<void> => {
    const account = { ctidTraderAccountId: conn.accountNumber() };
    const trader = ((await conn.request(PT.TRADER_REQ, account)).payload?.['trader'] ?? {}) as Json;
    if (!depositCurrency) {
      const assets = ((await conn.request(PT.ASSET_LIST_REQ, account)).payload?.['asset'] as Json[] | undefined) ?? [];
      depositCurrency = String(assets.find((a) => Number(a['assetId']) === Number(trader['depositAssetId']))?.['name'] ?? 'USD');
    }
    const currency = depositCurrency;
    const digits = Number(trader['moneyDigits'] ?? 2);
    const balance = Number(trader['balance'] ?? 0) / 10 ** digits;
    const positions = ((await conn.request(PT.RECONCILE_REQ, account)).payload?.['position'] as Json[] | undefined) ?? [];
    let open = 0;
    let used = 0;
    let priced = true;
    for (const p of positions) {
      const td = p['tradeData'] as Json;
      const spec = conn.specs().find((s) => s.symbolId === Number(td['symbolId']));
      const q = spec ? market.lastQuote(spec.symbol) : undefined;
      const r = spec ? rate(spec.quoteCurrency, currency) : null;
      used += Number(p['usedMargin'] ?? 0) / 10 ** Number(p['moneyDigits'] ?? digits);
      if (!q || r === null) {
        priced = false;
        continue;
      }
      const long = enumValue(TradeSide, td['tradeSide']) !== TradeSide.SELL;
      open += (long ? 1 : -1) * ((long ? q.bid : q.ask) - Number(p['price'])) * toUnits(Number(td['volume'])) * r;
    }
    const money = (n: number) => n.toFixed(2);
    values = [{ key: 'balance', value: money(balance), currency }, { key: 'TotalCashValue', value: money(balance), currency }, { key: 'usedMargin', value: money(used), currency }];
    if (priced) {
      const equity = balance + open;
      values.push({ key: 'equity', value: money(equity), currency }, { key: 'unrealizedPnL', value: money(open), currency }, { key: 'freeMargin', value: money(equity - used), currency });
      // The account service reads NAV under IB's key.
      values.push({ key: 'NetLiquidation', value: money(equity), currency });
      if (used > 0) values.push({ key: 'marginLevel', value: ((equity / used) * 100).toFixed(2), currency: '%' });
    }
    valueEvents.emit(values);
  };
  const poll = () => {
    cancelPoll = undefined;
    if (!conn.isConnected()) return;
    readValues().catch((err: unknown) => o.logger.debug({ err: (err as Error).message }, 'cTrader: account values not read')).finally(() => {
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
    kind: 'ctrader',
    get accountId() {
      return hash ? ctraderAccountId(hash) : 'CTRADER-UNKNOWN';
    },
    broker: execution,
    market,
    connection: conn,
    execution,
    accountKnown: () => known,
    symbolSpecs: () => conn.specs(),
    cfdSpecs: () => conn.specs().map((s) => cfdSpecOf(s, market.lastQuote(s.symbol)?.last)),
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
