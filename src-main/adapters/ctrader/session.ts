// The cTrader session factory: connection + execution client + spot market + account values, as one session.
import type { BrokerAccountValue } from '../../../src-shared/domain/broker';
import type { Logger } from '../../logging';
import type { Clock } from '../../ports/clock';
import { realTimers, type Timers } from '../../ports/timers';
import type { VenueSession } from '../../ports/venue';
import { AccountValuesPoll, KnownAccount, SessionStatus } from '../venue-kit/session';
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
  const account = new KnownAccount(o.settings.account_id ? ctraderAccountHash(o.settings.account_id) : o.knownAccountHash);

  const conn = new CtraderConnection({
    settings: o.settings, timings, credentials: o.credentials, clock: o.clock, logger: o.logger, timers, random: o.random,
    chooseAccount: (ids) => account.choose(ids, ctraderAccountHash),
  });
  const market = new CtraderMarketData(conn, { clock: o.clock, staleQuoteMs: timings.staleQuoteMs });
  const execution = new CtraderExecutionClient({ conn, clock: o.clock, logger: o.logger, ids: o.ids });

  let depositCurrency: string | null = null;
  /** Units of the deposit currency per unit of `currency`, from the quotes (null when no symbol links them). */
  const rate = (currency: string, deposit: string): number | null => {
    if (currency === deposit) return 1;
    const direct = market.lastQuote(`${currency}${deposit}`);
    if (direct) return direct.last;
    const inverse = market.lastQuote(`${deposit}${currency}`);
    return inverse ? 1 / inverse.last : null;
  };
  const readValues = async (): Promise<BrokerAccountValue[]> => {
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
    const values: BrokerAccountValue[] = [{ key: 'balance', value: money(balance), currency }, { key: 'TotalCashValue', value: money(balance), currency }, { key: 'usedMargin', value: money(used), currency }];
    if (priced) {
      const equity = balance + open;
      values.push({ key: 'equity', value: money(equity), currency }, { key: 'unrealizedPnL', value: money(open), currency }, { key: 'freeMargin', value: money(equity - used), currency });
      // The account service reads NAV under IB's key.
      values.push({ key: 'NetLiquidation', value: money(equity), currency });
      if (used > 0) values.push({ key: 'marginLevel', value: ((equity / used) * 100).toFixed(2), currency: '%' });
    }
    return values;
  };
  const values = new AccountValuesPoll({
    link: conn, timers, everyMs: timings.accountPollMs, read: readValues,
    onError: (err) => o.logger.debug({ err: (err as Error).message }, 'cTrader: account values not read'),
  });

  const status = new SessionStatus(conn, execution);

  return {
    kind: 'ctrader',
    get accountId() {
      return account.hash ? ctraderAccountId(account.hash) : 'CTRADER-UNKNOWN';
    },
    broker: execution,
    market,
    connection: conn,
    execution,
    accountKnown: () => account.known,
    symbolSpecs: () => conn.specs(),
    onFinancing: (listener) => execution.onFinancing(listener),
    cfdSpecs: () => conn.specs().map((s) => cfdSpecOf(s, market.lastQuote(s.symbol)?.last)),
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
