// TwsSimulator: a TCP server speaking the TWS API wire protocol, with a market, an order engine, an account and fault injection.
import { EventEmitter } from 'node:events';
import net from 'node:net';
import type Decimal from 'decimal.js';
import { decodeRequest, type ExecFilter, type Request, type WireContract } from './protocol/requests';
import { Err, MAX_SIM_VERSION, type MsgName } from './protocol/ids';
import * as R from './protocol/responses';
import type { OutMessage } from './protocol/responses';
import { buildCatalog, matchContracts, matchingSymbols, resolveContract, type Instrument } from './market/instruments';
import { PriceModel, instrumentQuote, type Quote } from './market/prices';
import { quoteMessages, type MarketDataSub } from './market/market-data';
import { HistoricalPacing, barSeconds, formatBarDate, makeBars, parseDuration, parseTwsTime, twsTime } from './market/history';
import { BarBuilder } from './market/live-bars';
import { Account, type AccountValues } from './trading/account';
import { accountSummaryMessages, accountUpdateMessages } from './trading/account-reports';
import { OrderEngine } from './trading/engine';
import type { SimExecution, SimOrder, SimPosition } from './trading/types';
import { Session, type SessionHost } from './session';

/** Anything with now() in UTC ms; src-main's ManualClock fits. */
export interface SimClock {
  now(): number;
}

export interface TwsSimOptions {
  /** TCP port; 0 picks a free one (tests). Default 7497 (TWS paper). */
  port?: number;
  /** Default 127.0.0.1: the simulator never listens on other interfaces unless told to. */
  host?: string;
  /** Default DU1234567 (a paper account id). */
  account?: string;
  /** Seed of the price walks and bars. Default 1. */
  seed?: number;
  /** Interval of the automatic random-walk step in ms; 0 disables the timer (tests call tick()). Default 250. */
  tickMs?: number;
  /** Highest server version to announce (capped at 193, the newest @stoqey/ib 1.6.10 reads; at least 176). */
  serverVersion?: number;
  /** Clock for pacing, executions, bars and the handshake time. Default: the system clock. */
  clock?: SimClock;
  /** Starting cash in USD, as a decimal string. Default 1000000. */
  startingCash?: string;
  /** Largest quantity per execution; larger orders fill in several executions. Default: unlimited. */
  maxFillSize?: number;
  /** Orders above this quantity are rejected with error 201. Default: unlimited. */
  maxOrderQuantity?: number;
  /** Reject orders whose initial margin exceeds the available funds (error 201). Default true. */
  checkBuyingPower?: boolean;
  /** Delay between successive fills of a partially filled order, in ms. Default 5. */
  fillIntervalMs?: number;
  /** The account has live market data permissions; if false, live requests get 10167 and delayed data. Default true. */
  liveData?: boolean;
  /** Interval of the periodic account updates (reqAccountUpdates, reqAccountSummary), ms. Default 3000. */
  accountUpdateMs?: number;
  /** Pause between closing and re-listening in restart(), ms. Default 500. */
  restartPauseMs?: number;
  /** TWS rejects more than this many client messages per second with error 100. Default 50. */
  maxMessagesPerSecond?: number;
  /** Delay of each commissionReport after its execDetails, ms (real TWS sends it late at times). Default 0. */
  commissionDelayMs?: number;
}

export interface DropHook {
  /** The client event name of the message (openOrder, orderStatus, execDetails, commissionReport, tickPrice, ...). */
  message: string;
  when: 'before' | 'after';
  /** Only a message about this order id. */
  orderId?: number;
  /** Only on this client's connection. */
  clientId?: number;
}

export interface SimStats {
  connections: number;
  totalConnections: number;
  messagesIn: number;
  messagesOut: number;
  maxMessagesPerSecond: number;
  pacingViolations: number;
  rateViolations: number;
}

/** The client (EWrapper / @stoqey/ib EventName) name of each message, used by drop hooks. */
const EVENT_NAME: Partial<Record<MsgName, string>> = {
  TICK_PRICE: 'tickPrice', TICK_SIZE: 'tickSize', ORDER_STATUS: 'orderStatus', ERR_MSG: 'error', OPEN_ORDER: 'openOrder',
  ACCT_VALUE: 'updateAccountValue', PORTFOLIO_VALUE: 'updatePortfolio', NEXT_VALID_ID: 'nextValidId', CONTRACT_DATA: 'contractDetails',
  EXECUTION_DATA: 'execDetails', MANAGED_ACCTS: 'managedAccounts', HISTORICAL_DATA: 'historicalData', CURRENT_TIME: 'currentTime',
  COMMISSION_REPORT: 'commissionReport', POSITION: 'position', ACCOUNT_SUMMARY: 'accountSummary', OPEN_ORDER_END: 'openOrderEnd',
  EXECUTION_DATA_END: 'execDetailsEnd', POSITION_END: 'positionEnd', MARKET_DATA_TYPE: 'marketDataType',
  REAL_TIME_BARS: 'realtimeBar', HISTORICAL_DATA_UPDATE: 'historicalDataUpdate', COMPLETED_ORDER: 'completedOrder',
};


export class TwsSimulator extends EventEmitter {
  readonly options: Required<Omit<TwsSimOptions, 'clock'>>;
  readonly clock: SimClock;
  readonly catalog: Instrument[];
  readonly prices: PriceModel;
  /** Cash, positions and values (inspect through account() and positions()). */
  readonly ledger: Account;
  readonly engine: OrderEngine;
  readonly pacing = new HistoricalPacing();

  private server?: net.Server;
  private boundPort = 0;
  private readonly sessions = new Set<Session>();
  private sessionSeq = 0;
  private tickTimer?: NodeJS.Timeout;
  private accountTimer?: NodeJS.Timeout;
  private fillTimer?: NodeJS.Timeout;
  private nextOrderId = 1;

  // Faults.
  private refusing = false;
  /** Stop orders are refused at placement (as TWS does for contracts or sessions without stops): tests of unprotected brackets. */
  private refusingStops = false;
  private silentMode = false;
  private delayMs = 0;
  private readonly idsInUse = new Set<number>();
  private ibConnected = true;
  private readonly farms = new Map<string, boolean>([['usfarm', true], ['ushmds', true]]);
  private readonly pendingHistorical: Array<{ session: Session; req: Extract<Request, { kind: 'reqHistoricalData' }> }> = [];
  private dropHooks: DropHook[] = [];
  private duplicateStatus = false;

  // Stats.
  private readonly counters = { totalConnections: 0, messagesIn: 0, messagesOut: 0, maxPerSecond: 0, rateViolations: 0 };
  private readonly rate = new Map<Session, { second: number; count: number }>();

  constructor(opts: TwsSimOptions = {}) {
    super();
    this.clock = opts.clock ?? { now: () => Date.now() };
    this.options = {
      port: opts.port ?? 7497,
      host: opts.host ?? '127.0.0.1',
      account: opts.account ?? 'DU1234567',
      seed: opts.seed ?? 1,
      tickMs: opts.tickMs ?? 250,
      serverVersion: Math.min(opts.serverVersion ?? MAX_SIM_VERSION, MAX_SIM_VERSION),
      startingCash: opts.startingCash ?? '1000000',
      maxFillSize: opts.maxFillSize ?? Number.POSITIVE_INFINITY,
      maxOrderQuantity: opts.maxOrderQuantity ?? Number.POSITIVE_INFINITY,
      checkBuyingPower: opts.checkBuyingPower ?? true,
      fillIntervalMs: opts.fillIntervalMs ?? 5,
      liveData: opts.liveData ?? true,
      accountUpdateMs: opts.accountUpdateMs ?? 3000,
      restartPauseMs: opts.restartPauseMs ?? 500,
      maxMessagesPerSecond: opts.maxMessagesPerSecond ?? 50,
      commissionDelayMs: opts.commissionDelayMs ?? 0,
    };
    this.catalog = buildCatalog(this.clock.now());
    this.prices = new PriceModel(this.options.seed);
    this.prices.addInstruments(this.catalog);
    this.ledger = new Account(this.options.account, this.options.startingCash, (ccy) => this.usdRate(ccy));
    this.engine = new OrderEngine({
      account: this.ledger,
      quote: (i) => this.quoteOf(i),
      now: () => this.clock.now(),
      config: {
        maxFillSize: this.options.maxFillSize,
        maxOrderQuantity: this.options.maxOrderQuantity,
        checkBuyingPower: this.options.checkBuyingPower,
      },
      sink: {
        placed: (o) => this.emit('order-placed', snapshotOrder(o)),
        orderChanged: (o, withOpenOrder) => this.onOrderChanged(o, withOpenOrder),
        execution: (o, e) => this.onExecution(o, e),
        error: (clientId, id, code, msg) => this.toClient(clientId, R.error(id, code, msg, id)),
        whatIf: (o, state) => this.toClient(o.clientId, R.openOrder(this.versionOf(o.clientId), o, o.status, state)),
      },
    });
    this.prices.onChange((key) => this.onPrice(key));
  }

  // ---------------------------------------------------------------- lifecycle

  /** Starts listening; resolves with the bound port. */
  async start(): Promise<number> {
    await this.listen(this.options.port);
    if (this.options.tickMs > 0) this.tickTimer = setInterval(() => this.tick(), this.options.tickMs);
    if (this.options.accountUpdateMs > 0) this.accountTimer = setInterval(() => {
      if (!this.silentMode) this.pushAccount();
    }, this.options.accountUpdateMs);
    return this.boundPort;
  }

  get port(): number {
    return this.boundPort;
  }

  /** Stops timers, closes every connection and the listener. */
  async close(): Promise<void> {
    clearInterval(this.tickTimer);
    clearInterval(this.accountTimer);
    clearTimeout(this.fillTimer);
    this.tickTimer = this.accountTimer = this.fillTimer = undefined;
    await this.closeListener();
  }

  /** The project's Disposable: same as close(). */
  dispose(): Promise<void> {
    return this.close();
  }

  private listen(port: number): Promise<void> {
    const server = net.createServer((socket) => this.onSocket(socket));
    this.server = server;
    return new Promise((resolve, reject) => {
      server.once('error', reject);
      server.listen(port, this.options.host, () => {
        server.off('error', reject);
        this.boundPort = (server.address() as net.AddressInfo).port;
        this.emit('listening', this.boundPort);
        resolve();
      });
    });
  }

  private async closeListener(): Promise<void> {
    for (const s of this.sessions) s.destroy();
    const server = this.server;
    this.server = undefined;
    if (server) await new Promise<void>((resolve) => server.close(() => resolve()));
  }

  // ---------------------------------------------------------------- connections

  private onSocket(socket: net.Socket): void {
    if (this.refusing) {
      // TWS refusing API clients accepts the TCP connection and closes it at once.
      socket.destroy();
      return;
    }
    socket.setNoDelay(true);
    const host: SessionHost = {
      outgoingDelay: () => this.delayMs,
      dropHook: (s, m, when) => this.checkDropHook(s, m, when),
      sent: () => this.counters.messagesOut++,
    };
    const session = new Session(socket, ++this.sessionSeq, host);
    this.sessions.add(session);
    this.counters.totalConnections++;
    this.emit('connect', { session: session.id, remote: session.remote });
    socket.on('data', (chunk) => this.onData(session, chunk));
    socket.on('error', () => undefined); // a reset by the client is a disconnect, reported by 'close'
    socket.on('close', () => {
      session.state = 'closed';
      this.sessions.delete(session);
      this.rate.delete(session);
      this.emit('disconnect', { session: session.id, clientId: session.clientId });
    });
  }

  private onData(session: Session, chunk: Buffer): void {
    if (this.silentMode || session.state === 'closed') return;
    let frames: string[][];
    try {
      frames = session.reader.push(chunk);
    } catch (e) {
      this.emit('protocol-error', { session: session.id, error: (e as Error).message });
      session.destroy();
      return;
    }
    for (const fields of frames) {
      if ((session.state as string) === 'closed') return;
      if (session.state === 'handshake') {
        const v = session.negotiate(fields[0] ?? '', this.options.serverVersion);
        if (v === undefined) {
          this.emit('protocol-error', { session: session.id, error: `unsupported client version range "${fields[0]}"` });
          session.destroy();
          return;
        }
        session.sendHandshake(v, `${twsTime(this.clock.now())} UTC`);
        session.state = 'awaitingStartApi';
        continue;
      }
      this.countIn(session);
      let req: Request;
      try {
        req = decodeRequest(fields, session.serverVersion);
      } catch (e) {
        // TWS answers an unreadable request with error 320 and keeps the connection.
        this.emit('protocol-error', { session: session.id, error: (e as Error).message, fields });
        session.send(R.error(-1, 320, `Error reading request. ${(e as Error).message}`));
        continue;
      }
      this.emit('request', { clientId: session.clientId, request: req });
      if (session.state === 'awaitingStartApi') {
        if (req.kind === 'startApi') this.startApi(session, req.clientId);
        continue;
      }
      this.handle(session, req);
    }
  }

  private countIn(session: Session): void {
    this.counters.messagesIn++;
    const second = Math.floor(Date.now() / 1000);
    const r = this.rate.get(session) ?? { second, count: 0 };
    if (r.second !== second) {
      r.second = second;
      r.count = 0;
    }
    r.count++;
    this.rate.set(session, r);
    this.counters.maxPerSecond = Math.max(this.counters.maxPerSecond, r.count);
    if (r.count === this.options.maxMessagesPerSecond + 1) {
      this.counters.rateViolations++;
      session.send(R.error(-1, Err.MAX_RATE_EXCEEDED, `Max rate of messages per second has been exceeded:max=${this.options.maxMessagesPerSecond} rec=${r.count} (1)`));
    }
  }

  private startApi(session: Session, clientId: number): void {
    const taken = [...this.sessions].some((s) => s !== session && s.state === 'ready' && s.clientId === clientId);
    if (taken || this.idsInUse.delete(clientId)) {
      session.send(R.error(-1, Err.NOT_CONNECTED_CLIENT_ID, 'Unable to connect as the client id is already in use. Retry with a unique client id.'));
      session.end();
      return;
    }
    session.clientId = clientId;
    session.state = 'ready';
    this.emit('client-ready', { session: session.id, clientId });
    session.send(R.managedAccounts(this.options.account));
    session.send(R.nextValidId(this.nextValidOrderId()));
    session.send(R.error(-1, this.farms.get('usfarm') ? Err.MKT_FARM_OK : Err.MKT_FARM_BROKEN, `Market data farm connection is ${this.farms.get('usfarm') ? 'OK' : 'broken'}:usfarm`));
    session.send(R.error(-1, this.farms.get('ushmds') ? Err.HMDS_FARM_OK : Err.HMDS_FARM_BROKEN, `HMDS data farm connection is ${this.farms.get('ushmds') ? 'OK' : 'broken'}:ushmds`));
    session.send(R.error(-1, Err.SEC_DEF_FARM_OK, 'Sec-def data farm connection is OK:secdefnj'));
    if (!this.ibConnected) session.send(R.error(-1, Err.NOT_CONNECTED_SERVER, 'Connectivity between IB and Trader Workstation has been lost.'));
  }

  private nextValidOrderId(): number {
    this.nextOrderId = Math.max(this.nextOrderId, this.engine.maxOrderId + 1);
    return this.nextOrderId;
  }

  // ---------------------------------------------------------------- requests

  private handle(s: Session, req: Request): void {
    switch (req.kind) {
      case 'startApi':
        return; // a second startApi on a ready connection is ignored, as by TWS
      case 'reqCurrentTime':
        return s.send(R.currentTime(Math.floor(this.clock.now() / 1000)));
      case 'reqIds':
        return s.send(R.nextValidId(this.nextValidOrderId()));
      case 'reqManagedAccts':
        return s.send(R.managedAccounts(this.options.account));
      case 'reqContractDetails':
        return this.contractDetails(s, req.reqId, req.contract);
      case 'reqMarketDataType':
        s.marketDataType = req.marketDataType;
        return;
      case 'reqMktData':
        return this.subscribeMarketData(s, req.reqId, req.contract, req.snapshot);
      case 'cancelMktData':
        s.mktData.delete(req.reqId);
        return;
      case 'reqHistoricalData':
        return this.historical(s, req);
      case 'cancelHistoricalData':
      case 'cancelRealTimeBars':
        s.liveBars.delete(req.reqId);
        return;
      case 'reqRealTimeBars':
        return this.realTimeBars(s, req.reqId, req.contract);
      case 'placeOrder':
        return this.placeOrder(s, req.contract, req.order);
      case 'cancelOrder':
        return this.engine.cancel(s.clientId, req.orderId);
      case 'globalCancel':
        return this.engine.cancelAll();
      case 'reqOpenOrders':
        return this.sendOpenOrders(s, (o) => o.clientId === s.clientId);
      case 'reqAllOpenOrders':
        return this.sendOpenOrders(s, () => true);
      case 'reqAutoOpenOrders':
        // Only client 0 may bind TWS's orders (error 321 otherwise, in TWS).
        if (s.clientId === 0) s.autoOpenOrders = req.autoBind;
        else s.send(R.error(-1, 321, 'Error validating request.-\'bN\' : cause - Only client id 0 can bind orders'));
        return;
      case 'reqExecutions':
        return this.sendExecutions(s, req.reqId, req.filter);
      case 'reqPositions':
        s.positions = true;
        for (const p of this.ledger.positions.values()) s.send(R.position(this.options.account, p));
        return s.send(R.positionEnd());
      case 'cancelPositions':
        s.positions = false;
        return;
      case 'reqAccountSummary': {
        const tags = req.tags.split(',').map((t) => t.trim()).filter(Boolean);
        s.accountSummaries.set(req.reqId, tags);
        return this.sendAccountSummary(s, req.reqId, tags);
      }
      case 'cancelAccountSummary':
        s.accountSummaries.delete(req.reqId);
        return;
      case 'reqAccountUpdates':
        s.accountUpdates = req.subscribe;
        if (req.subscribe) this.sendAccountUpdates(s, true);
        return;
      case 'reqCompletedOrders': {
        const done = [...this.engine.orders.values()].filter((o) => o.doneAt !== undefined).sort((a, b) => a.doneAt! - b.doneAt!);
        for (const o of done) s.send(R.completedOrder(s.serverVersion, o, `${twsTime(o.doneAt!)} UTC`));
        return s.send(R.completedOrdersEnd());
      }
      case 'reqMatchingSymbols':
        return s.send(R.symbolSamples(req.reqId, matchingSymbols(this.catalog, req.pattern)));
      case 'reqHeadTimestamp':
        return this.headTimestamp(s, req.reqId, req.contract, req.formatDate);
      case 'reqSecDefOptParams':
        return this.optionParams(s, req.reqId, req.underlyingSymbol, req.underlyingConId);
      case 'unsupported':
        this.emit('unsupported', { clientId: s.clientId, msgId: req.msgId });
        return;
    }
  }

  private contractDetails(s: Session, reqId: number, c: WireContract): void {
    const found = c.secType || c.conId ? matchContracts(this.catalog, c) : [];
    if (found.length === 0) {
      s.send(R.error(reqId, Err.NO_SECURITY_DEFINITION, 'No security definition has been found for the request'));
      return;
    }
    for (const i of found) s.send(R.contractData(s.serverVersion, reqId, i));
    s.send(R.contractDataEnd(reqId));
  }

  /** The earliest data point: stocks and FX have 20 years, futures a year before expiry, options three months. */
  private headTimestamp(s: Session, reqId: number, c: WireContract, formatDate: number): void {
    const inst = resolveContract(this.catalog, c);
    if (!inst) {
      s.send(R.error(reqId, Err.NO_SECURITY_DEFINITION, 'No security definition has been found for the request'));
      return;
    }
    const day = 86_400_000;
    const expiry = inst.expiry ? Date.UTC(+inst.expiry.slice(0, 4), +inst.expiry.slice(4, 6) - 1, +inst.expiry.slice(6, 8)) : 0;
    const head = inst.secType === 'FUT' ? expiry - 365 * day : inst.secType === 'OPT' ? expiry - 91 * day
      : Math.floor((this.clock.now() - 20 * 365 * day) / day) * day + 14.5 * 3_600_000;
    const text = formatDate === 2 ? String(Math.floor(head / 1000)) : twsTime(head).replace(' ', '-');
    s.send(R.headTimestamp(reqId, text));
  }

  private optionParams(s: Session, reqId: number, symbol: string, underConId: number): void {
    const opts = this.catalog.filter((i) => i.secType === 'OPT' && i.symbol === symbol.toUpperCase() && (!underConId || i.underConId === underConId));
    if (opts.length) {
      const expirations = [...new Set(opts.map((i) => i.expiry))].sort();
      const strikes = [...new Set(opts.map((i) => i.strike))].sort((a, b) => a - b);
      for (const exchange of ['SMART', 'CBOE']) s.send(R.secDefOptParameter(reqId, exchange, opts[0].underConId, opts[0].tradingClass, 100, expirations, strikes));
    }
    s.send(R.secDefOptParameterEnd(reqId));
  }

  // ---------------------------------------------------------------- market data

  /** USD per unit of a currency, from the FX series (EUR.USD, GBP.USD, AUD.USD, USD.JPY). */
  private usdRate(ccy: string): number {
    if (ccy === 'USD') return 1;
    if (this.prices.has(`${ccy}.USD`)) return this.prices.quote(`${ccy}.USD`).last;
    if (this.prices.has(`USD.${ccy}`)) return 1 / this.prices.quote(`USD.${ccy}`).last;
    throw new Error(`no FX rate for ${ccy}`);
  }

  private quoteOf(inst: Instrument): Quote {
    return instrumentQuote(this.prices, inst, this.clock.now());
  }

  private subscribeMarketData(s: Session, reqId: number, c: WireContract, snapshot: boolean): void {
    const inst = resolveContract(this.catalog, c);
    if (!inst) {
      s.send(R.error(reqId, Err.NO_SECURITY_DEFINITION, 'No security definition has been found for the request'));
      return;
    }
    let type = s.marketDataType;
    if ((type === 1 || type === 2) && !this.options.liveData) {
      s.send(R.error(reqId, Err.DELAYED_DATA, 'Requested market data is not subscribed. Displaying delayed market data.'));
      type = type === 1 ? 3 : 4;
    } else if ((type === 3 || type === 4) && this.options.liveData) {
      // Asking for delayed data with live permissions gets live data (IB: "live data will be returned if available").
      type = type === 3 ? 1 : 2;
    }
    const sub: MarketDataSub = { inst, type };
    if (type !== 1 || s.marketDataType !== 1) s.send(R.marketDataType(reqId, type));
    s.send(R.tickReqParams(reqId, inst.minTick, inst.exchange === 'SMART' ? '9c0001' : '', 3));
    this.sendQuote(s, reqId, sub, true);
    if (snapshot) {
      s.send(R.tickSnapshotEnd(reqId));
      return;
    }
    s.mktData.set(reqId, sub);
  }

  /** Sends the quote of a subscription (nothing while the market data farm or IB is down, or while silent). */
  private sendQuote(s: Session, reqId: number, sub: MarketDataSub, full: boolean): void {
    if (!this.farms.get('usfarm') || !this.ibConnected || this.silentMode) return;
    for (const m of quoteMessages(reqId, sub, this.quoteOf(sub.inst), full, Math.floor(this.clock.now() / 1000))) s.send(m);
  }

  private onPrice(key: string): void {
    for (const s of this.sessions) {
      if (s.state !== 'ready') continue;
      for (const [reqId, sub] of s.mktData) if (sub.inst.priceKey === key) this.sendQuote(s, reqId, sub, false);
      if (s.liveBars.size && this.farms.get('usfarm') && this.ibConnected) this.updateLiveBars(s, key);
    }
    if (this.ibConnected) this.runMatching();
  }

  // ---------------------------------------------------------------- historical data

  private historical(s: Session, req: Extract<Request, { kind: 'reqHistoricalData' }>): void {
    const inst = resolveContract(this.catalog, req.contract);
    if (!inst) {
      s.send(R.error(req.reqId, Err.NO_SECURITY_DEFINITION, 'No security definition has been found for the request'));
      return;
    }
    const now = this.clock.now();
    const c = req.contract;
    const what = req.whatToShow.toUpperCase();
    const violation = this.pacing.admit({
      contractKey: String(inst.conId),
      identityKey: [inst.conId, c.exchange, req.endDateTime, req.duration, req.barSize, what, req.useRth, req.formatDate].join('|'),
      tickTypeKey: [inst.conId, c.exchange, what].join('|'),
    }, now);
    if (violation) {
      this.emit('pacing-violation', { clientId: s.clientId, reqId: req.reqId, reason: violation });
      s.send(R.error(req.reqId, Err.HISTORICAL_PACING, `Historical Market Data Service error message:Historical data request pacing violation (${violation})`));
      return;
    }
    if (!this.farms.get('ushmds')) {
      // With the HMDS farm down, TWS holds the request until the farm is back.
      this.pendingHistorical.push({ session: s, req });
      return;
    }
    this.answerHistorical(s, req, inst, now);
  }

  private answerHistorical(s: Session, req: Extract<Request, { kind: 'reqHistoricalData' }>, inst: Instrument, now: number): void {
    const dur = parseDuration(req.duration);
    const bar = barSeconds(req.barSize);
    const end = parseTwsTime(req.endDateTime, now);
    const bad = [dur, bar, end].find((x) => typeof x === 'string');
    if (bad !== undefined) {
      s.send(R.error(req.reqId, 321, `Error validating request.-'bP' : cause - ${bad}`));
      return;
    }
    if (req.keepUpToDate && req.endDateTime.trim() !== '') {
      s.send(R.error(req.reqId, 321, "Error validating request.-'bP' : cause - End date not supported with live updates"));
      return;
    }
    const anchor = this.quoteOf(inst).last;
    const bars = makeBars(inst, this.options.seed, end as number, dur as number, bar as number, anchor, req.formatDate);
    const start = (end as number) - (dur as number) * 1000;
    s.send(R.historicalData(req.reqId, `${twsTime(start)} UTC`, `${twsTime(end as number)} UTC`, bars));
    if (req.keepUpToDate) {
      // The current bar continues from the last historical one; each live trade updates it.
      const last = bars.at(-1);
      const barStart = Math.floor((end as number) / 1000 / (bar as number)) * (bar as number);
      const seed = last ? { time: barStart, open: last.open, high: last.high, low: last.low, close: last.close, volume: last.volume, wap: last.wap, count: last.count } : undefined;
      s.liveBars.set(req.reqId, { kind: 'keepUpToDate', inst, builder: new BarBuilder(bar as number, seed), formatDate: req.formatDate });
    }
  }

  /** reqRealTimeBars: 5-second bars of the live trades, each sent when the next trade opens a new bar. */
  private realTimeBars(s: Session, reqId: number, c: WireContract): void {
    const inst = resolveContract(this.catalog, c);
    if (!inst) {
      s.send(R.error(reqId, Err.NO_SECURITY_DEFINITION, 'No security definition has been found for the request'));
      return;
    }
    const builder = new BarBuilder(5);
    const q = this.quoteOf(inst);
    builder.add(q.last, 0, this.clock.now());
    s.liveBars.set(reqId, { kind: 'realtime', inst, builder, formatDate: 2 });
  }

  private updateLiveBars(s: Session, key: string): void {
    for (const [reqId, sub] of s.liveBars) {
      if (sub.inst.priceKey !== key) continue;
      const q = this.quoteOf(sub.inst);
      const now = this.clock.now();
      const completed = sub.builder.add(q.last, q.lastSize, now);
      if (sub.kind === 'realtime') {
        if (completed) s.send(R.realTimeBar(reqId, completed));
      } else if (sub.builder.current) {
        s.send(R.historicalDataUpdate(reqId, formatBarDate(sub.builder.current.time, sub.builder.barSeconds, sub.formatDate), sub.builder.current));
      }
    }
  }

  // ---------------------------------------------------------------- orders

  private placeOrder(s: Session, c: WireContract, w: Parameters<OrderEngine['place']>[2]): void {
    // TWS validates the routing and the account before looking the contract up.
    if (!c.exchange) {
      s.send(R.error(w.orderId, 321, "Error validating request.-'bN' : cause - Missing order exchange"));
      return;
    }
    if (w.account && w.account !== this.options.account) {
      s.send(R.error(w.orderId, Err.ORDER_REJECTED, 'Order rejected - reason:Invalid account code'));
      return;
    }
    const inst = resolveContract(this.catalog, c);
    if (!inst) {
      s.send(R.error(w.orderId, Err.NO_SECURITY_DEFINITION, 'No security definition has been found for the request'));
      return;
    }
    if (this.refusingStops && w.orderType === 'STP') {
      s.send(R.error(w.orderId, Err.ORDER_REJECTED, 'Order rejected - reason:Stop orders are not accepted for this contract'));
      return;
    }
    this.engine.place(s.clientId, inst, w);
    this.scheduleMatching(0);
  }

  private onOrderChanged(o: SimOrder, withOpenOrder: boolean): void {
    this.emit('order-status', snapshotOrder(o));
    const status = o.status;
    this.toOrderClients(o.clientId, (s) => {
      if (withOpenOrder) s.send(R.openOrder(s.serverVersion, o, status));
      s.send(R.orderStatus(o, status));
      if (this.duplicateStatus) s.send(R.orderStatus(o, status));
    });
  }

  private onExecution(o: SimOrder, e: SimExecution): void {
    this.emit('execution', { ...e });
    this.toOrderClients(o.clientId, (s) => s.send(R.execDetails(s.serverVersion, -1, e, `${twsTime(e.time)} UTC`)));
    const report = (): void => {
      this.emit('commission', { ...e });
      this.toOrderClients(o.clientId, (s) => s.send(R.commissionReport(e, 'USD', o.orderId)));
    };
    if (this.options.commissionDelayMs > 0) setTimeout(report, this.options.commissionDelayMs);
    else report();
    const p = this.ledger.positions.get(e.inst.conId);
    for (const s of this.sessions) if (s.state === 'ready' && s.positions && p) s.send(R.position(this.options.account, p));
    this.pushAccount();
  }

  /** Runs matching now, and again after fillIntervalMs while partial fills remain. */
  private runMatching(): void {
    const more = this.engine.match();
    if (more) this.scheduleMatching(this.options.fillIntervalMs);
  }

  private scheduleMatching(ms: number): void {
    if (this.fillTimer) return;
    this.fillTimer = setTimeout(() => {
      this.fillTimer = undefined;
      if (this.ibConnected) this.runMatching();
    }, ms);
  }

  private sendOpenOrders(s: Session, which: (o: SimOrder) => boolean): void {
    for (const o of this.engine.orders.values()) {
      if (!this.engine.isWorking(o) || !which(o)) continue;
      s.send(R.openOrder(s.serverVersion, o, o.status));
      s.send(R.orderStatus(o, o.status));
    }
    s.send(R.openOrderEnd());
  }

  private sendExecutions(s: Session, reqId: number, f: ExecFilter): void {
    const since = f.time ? parseTwsTime(f.time, 0) : 0;
    for (const e of this.engine.executions) {
      if (f.clientId && e.clientId !== f.clientId) continue;
      if (f.account && e.account !== f.account) continue;
      if (typeof since === 'number' && e.time < since) continue;
      if (f.symbol && e.inst.symbol !== f.symbol.toUpperCase()) continue;
      if (f.secType && e.inst.secType !== f.secType.toUpperCase()) continue;
      if (f.exchange && e.exchange !== f.exchange.toUpperCase()) continue;
      if (f.side && (f.side.toUpperCase().startsWith('B') ? 'BOT' : 'SLD') !== e.side) continue;
      s.send(R.execDetails(s.serverVersion, reqId, e, `${twsTime(e.time)} UTC`));
      s.send(R.commissionReport(e, 'USD', e.orderId));
    }
    s.send(R.execDetailsEnd(reqId));
  }

  /** Order messages go to the owning client, and to client 0 when it bound TWS's orders (reqAutoOpenOrders). */
  private toOrderClients(clientId: number, fn: (s: Session) => void): void {
    for (const s of this.sessions) {
      if (s.state !== 'ready') continue;
      if (s.clientId === clientId || (s.clientId === 0 && s.autoOpenOrders)) fn(s);
    }
  }

  private versionOf(clientId: number): number {
    return [...this.sessions].find((s) => s.clientId === clientId)?.serverVersion ?? this.options.serverVersion;
  }

  private toClient(clientId: number, m: OutMessage): void {
    for (const s of this.sessions) if (s.state === 'ready' && s.clientId === clientId) s.send(m);
  }

  // ---------------------------------------------------------------- account

  private values(): AccountValues {
    return this.ledger.values((i) => this.engine.mark(i));
  }

  private sendAccountSummary(s: Session, reqId: number, tags: readonly string[]): void {
    for (const m of accountSummaryMessages(reqId, this.options.account, this.values(), tags)) s.send(m);
  }

  private sendAccountUpdates(s: Session, initial: boolean): void {
    const portfolio = [...this.ledger.positions.values()].map((p) => {
      const price = this.engine.mark(p.inst);
      return { position: p, price, marketValue: this.ledger.marketValue(p, price).toNumber(), unrealized: this.ledger.unrealized(p, price).toNumber() };
    });
    const time = new Date(this.clock.now()).toISOString().slice(11, 16);
    for (const m of accountUpdateMessages(this.options.account, this.values(), this.ledger.cash, portfolio, time, initial)) s.send(m);
  }

  /** Periodic and on-fill refresh of account subscriptions. */
  private pushAccount(): void {
    for (const s of this.sessions) {
      if (s.state !== 'ready') continue;
      if (s.accountUpdates) this.sendAccountUpdates(s, false);
      for (const [reqId, tags] of s.accountSummaries) this.sendAccountSummary(s, reqId, tags);
    }
  }

  // ---------------------------------------------------------------- market control (tests)

  /** Moves a price series (a stock symbol, "EUR.USD", a futures root like "ES") to `price`; ticks go out and orders match. */
  setPrice(symbol: string, price: number): void {
    this.prices.setPrice(this.seriesKey(symbol), price);
  }

  /** Sets bid/ask/last of a series exactly. */
  setQuote(symbol: string, q: { bid?: number; ask?: number; last?: number }): void {
    this.prices.setQuote(this.seriesKey(symbol), q);
  }

  /** The current quote of a series. */
  quote(symbol: string): Quote {
    return this.prices.quote(this.seriesKey(symbol));
  }

  /** One random-walk step of every series (what the timer does every tickMs). */
  tick(): void {
    if (!this.ibConnected) return;
    this.prices.step();
  }

  private seriesKey(symbol: string): string {
    const k = symbol.toUpperCase();
    if (!this.prices.has(k)) throw new Error(`unknown symbol "${symbol}" (known: ${this.prices.keys().join(', ')})`);
    return k;
  }

  // ---------------------------------------------------------------- faults

  /** Closes every client socket abruptly (RST), as when TWS crashes or the network drops. */
  dropConnections(): void {
    for (const s of this.sessions) s.destroy();
  }

  /** While on, new connections are accepted and closed at once (TWS not accepting API clients). */
  refuseConnections(on: boolean): void {
    this.refusing = on;
  }

  refuseStops(on: boolean): void {
    this.refusingStops = on;
  }

  /** The next startApi with this client id gets error 326 and is closed (as if another client held the id). */
  clientIdInUse(clientId: number): void {
    this.idsInUse.add(clientId);
  }

  /** TWS lost its connection to IB: error 1100 to every client; no ticks and no fills until restored. */
  connectivityLost(): void {
    this.ibConnected = false;
    this.broadcast(R.error(-1, Err.NOT_CONNECTED_SERVER, 'Connectivity between IB and Trader Workstation has been lost.'));
  }

  /** Connection to IB back: 1101 (data lost: market data subscriptions are gone) or 1102 (data maintained). */
  connectivityRestored(dataLost: boolean): void {
    this.ibConnected = true;
    if (dataLost) for (const s of this.sessions) s.mktData.clear();
    this.broadcast(dataLost
      ? R.error(-1, Err.RESTORED_DATA_LOST, 'Connectivity between IB and Trader Workstation has been restored - data lost.*')
      : R.error(-1, Err.RESTORED_DATA_KEPT, 'Connectivity between IB and Trader Workstation has been restored - data maintained. All data farms are connected: usfarm; ushmds; secdefnj.'));
    this.scheduleMatching(0);
  }

  /** A data farm went down or came back: "usfarm" (market data, 2103/2104) or "ushmds" (historical, 2105/2106). */
  dataFarm(name: string, ok: boolean): void {
    const hist = name.includes('hmds');
    this.farms.set(hist ? 'ushmds' : 'usfarm', ok);
    const code = hist ? (ok ? Err.HMDS_FARM_OK : Err.HMDS_FARM_BROKEN) : ok ? Err.MKT_FARM_OK : Err.MKT_FARM_BROKEN;
    const text = `${hist ? 'HMDS data farm' : 'Market data farm'} connection is ${ok ? 'OK' : 'broken'}:${name}`;
    this.broadcast(R.error(-1, code, text));
    if (hist && ok) {
      const pending = this.pendingHistorical.splice(0);
      for (const p of pending) {
        const inst = resolveContract(this.catalog, p.req.contract);
        if (inst && p.session.state === 'ready') this.answerHistorical(p.session, p.req, inst, this.clock.now());
      }
    }
  }

  /** While on, connections stay open but the server neither answers nor sends anything (a hung TWS). */
  silent(on: boolean): void {
    this.silentMode = on;
  }

  /** Delays every outgoing message by `ms` (a slow TWS). */
  delay(ms: number): void {
    this.delayMs = Math.max(0, ms);
  }

  /** While on, every orderStatus is sent twice, as TWS often does: clients must treat status updates as idempotent. */
  duplicateOrderStatus(on: boolean): void {
    this.duplicateStatus = on;
  }

  /** Drops the connection of the next message matching the hook, before or after it is written. One-shot. */
  dropConnectionOn(hook: DropHook): void {
    this.dropHooks.push(hook);
  }

  /**
   * Restarts like TWS: closes the listener and every socket, then listens again on the same port after `pauseMs`.
   * Orders, executions, positions, cash and order ids survive; working orders keep working.
   */
  async restart(pauseMs = this.options.restartPauseMs): Promise<void> {
    await this.closeListener();
    this.emit('restarting');
    await new Promise((r) => setTimeout(r, pauseMs));
    await this.listen(this.boundPort);
    this.emit('restarted', this.boundPort);
  }

  private broadcast(m: OutMessage): void {
    for (const s of this.sessions) if (s.state === 'ready') s.send(m);
  }

  private checkDropHook(s: Session, m: OutMessage, when: 'before' | 'after'): boolean {
    const event = EVENT_NAME[m.name] ?? m.name;
    const i = this.dropHooks.findIndex((h) => h.when === when && h.message === event
      && (h.orderId === undefined || h.orderId === m.orderId) && (h.clientId === undefined || h.clientId === s.clientId));
    if (i < 0) return false;
    this.dropHooks.splice(i, 1);
    this.emit('hook-drop', { message: event, when, orderId: m.orderId, clientId: s.clientId });
    return true;
  }

  // ---------------------------------------------------------------- inspection

  executions(): SimExecution[] {
    return this.engine.executions.map((e) => ({ ...e }));
  }

  /** Working orders (transmitted, not filled or cancelled) of every client. */
  openOrders(): SimOrder[] {
    return [...this.engine.orders.values()].filter((o) => this.engine.isWorking(o)).map(snapshotOrder);
  }

  /** Every order the simulator knows, in any state. */
  allOrders(): SimOrder[] {
    return [...this.engine.orders.values()].map(snapshotOrder);
  }

  positions(): Array<{ symbol: string; secType: string; conId: number; quantity: number; avgCost: number; realizedPnl: number }> {
    return [...this.ledger.positions.values()].map((p: SimPosition) => ({
      symbol: p.inst.symbol, secType: p.inst.secType, conId: p.inst.conId, quantity: p.quantity, avgCost: p.avgCost, realizedPnl: p.realizedPnl,
    }));
  }

  /** Account values as exact decimal strings (2 decimals, like TWS). */
  account(): Record<keyof AccountValues, string> {
    const v = this.values();
    return Object.fromEntries(Object.entries(v).map(([k, d]) => [k, (d as Decimal).toFixed(2)])) as Record<keyof AccountValues, string>;
  }

  get stats(): SimStats {
    return {
      connections: [...this.sessions].filter((s) => s.state !== 'closed').length,
      totalConnections: this.counters.totalConnections,
      messagesIn: this.counters.messagesIn,
      messagesOut: this.counters.messagesOut,
      maxMessagesPerSecond: this.counters.maxPerSecond,
      pacingViolations: this.pacing.violations,
      rateViolations: this.counters.rateViolations,
    };
  }

  /** The catalog entry for a symbol and security type (tests use it to know conIds and expiries). */
  instrument(symbol: string, secType = 'STK'): Instrument | undefined {
    return this.catalog.find((i) => i.symbol === symbol.toUpperCase() && i.secType === secType);
  }
}

function snapshotOrder(o: SimOrder): SimOrder {
  return { ...o };
}

