// The cTrader Open API simulator's server: JSON frames over WebSocket on 127.0.0.1 (as cTrader's JSON endpoint, port
// 5036 there), application and account authorisation, symbols, spots, orders, execution events, reconcile, order and
// deal history, trendbars, heartbeats every few seconds, cTrader's rate limits (50 requests/s, 5/s historical, per
// connection), and faults; an admin endpoint (POST /__sim/fault, GET /__sim/state) on the same port over plain HTTP.
import { randomBytes } from 'node:crypto';
import { existsSync, readFileSync, renameSync, writeFileSync } from 'node:fs';
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import { WebSocketServer, type WebSocket } from 'ws';
import { ExecutionType, HISTORICAL_REQUESTS, OrderStatus, parseFrame, PositionStatus, PRICE_SCALE, PT, type Frame, type Json } from '../../src-main/adapters/ctrader/protocol';
import { Book, bySymbolId, RejectError, seeded, SimMarket, SIM_SYMBOLS, type BookEvent, type BookState } from './book';

export interface CtraderSimOptions {
  port?: number;
  host?: string;
  clientId?: string;
  clientSecret?: string;
  accessToken?: string;
  accountId?: number;
  seed?: number;
  tickMs?: number;
  heartbeatMs?: number;
  /** Units that fill at once: larger orders fill in parts, one part per fill step. */
  liquidity?: number;
  fillMs?: number;
  balance?: number;
  stateFile?: string;
}

export type Fault =
  | { kind: 'drop' }
  /** Nothing leaves the server for that long (spots, heartbeats, answers, events): a silent, half-dead link. */
  | { kind: 'stall'; ms: number }
  /** The next requests answer ProtoOAErrorRes with this code, unprocessed. */
  | { kind: 'error'; count: number; code?: string }
  /** The next requests answer REQUEST_FREQUENCY_EXCEEDED, unprocessed. */
  | { kind: 'ratelimit'; count: number }
  /** The next new order is carried out, but its connection closes before any answer leaves. */
  | { kind: 'drop-on-order' }
  /** The next execution events are sent twice. */
  | { kind: 'duplicate'; count: number }
  | { kind: 'shock'; symbol: string; pct: number }
  | { kind: 'price'; symbol: string; mid: number }
  /** The daily rollover: swap charged on every open position, each sent as a SWAP execution event. */
  | { kind: 'rollover'; days?: number }
  | { kind: 'clear' };

interface Client {
  ws: WebSocket;
  appAuthed: boolean;
  account: number | null;
  spots: Set<number>;
  recent: number[];
  recentHistorical: number[];
  dead: boolean;
}

export class CtraderSimulator {
  readonly clientId: string;
  readonly clientSecret: string;
  readonly accessToken: string;
  readonly market: SimMarket;
  readonly book: Book;
  private server: Server | undefined;
  private wss: WebSocketServer | undefined;
  private readonly clients = new Set<Client>();
  private timers: NodeJS.Timeout[] = [];
  private stallUntil = 0;
  private errors: { count: number; code: string } | null = null;
  private rateLimited = 0;
  private dropOnOrder = false;
  private duplicates = 0;
  /** Payload types of the requests answered (tests count what the adapter asked). */
  readonly requests: number[] = [];
  /** Requests refused for going over cTrader's rate limits (not the `ratelimit` fault's). */
  refusedForRate = 0;

  constructor(private readonly o: CtraderSimOptions = {}) {
    this.clientId = o.clientId ?? `${1000 + ((o.seed ?? 1) % 9000)}_${randomBytes(12).toString('hex')}`;
    this.clientSecret = o.clientSecret ?? randomBytes(16).toString('hex');
    this.accessToken = o.accessToken ?? randomBytes(20).toString('hex');
    this.market = new SimMarket(o.seed ?? 1);
    let state: BookState | undefined;
    if (o.stateFile && existsSync(o.stateFile)) {
      const saved = JSON.parse(readFileSync(o.stateFile, 'utf8')) as { book: BookState; prices: Record<string, number> };
      state = saved.book;
      for (const [id, mid] of Object.entries(saved.prices)) this.market.set(Number(id), mid);
    }
    this.book = new Book(state ?? Book.fresh(o.accountId ?? 40_000_000 + Math.floor(seeded(o.seed ?? 1)() * 9_999_999), o.balance ?? 100_000), this.market, () => Date.now(), o.liquidity ?? 10_000_000);
  }

  get accountId(): number {
    return this.book.s.accountId;
  }

  get port(): number {
    return (this.server?.address() as { port: number } | null)?.port ?? 0;
  }

  async start(): Promise<number> {
    const server = createServer((req, res) => void this.admin(req, res));
    const wss = new WebSocketServer({ noServer: true });
    server.on('upgrade', (req, socket, head) => wss.handleUpgrade(req, socket, head, (ws) => this.accept(ws)));
    this.server = server;
    this.wss = wss;
    await new Promise<void>((resolve, reject) => {
      server.once('error', reject);
      server.listen(this.o.port ?? 0, this.o.host ?? '127.0.0.1', () => resolve());
    });
    // Orders a restart finds crossed by the saved prices fill now, as if they had filled while the server was away.
    this.publish(this.book.step());
    this.setTicking(true);
    this.timers.push(setInterval(() => this.publish(this.book.step()), this.o.fillMs ?? 50));
    this.timers.push(setInterval(() => this.heartbeat(), this.o.heartbeatMs ?? 10_000));
    return this.port;
  }

  private ticker: NodeJS.Timeout | undefined;

  setTicking(on: boolean): void {
    clearInterval(this.ticker);
    this.ticker = undefined;
    if (on && (this.o.tickMs ?? 250) > 0) this.ticker = setInterval(() => this.tick(), this.o.tickMs ?? 250);
  }

  tick(): void {
    this.market.step();
    this.afterPrices();
  }

  async close(): Promise<void> {
    clearInterval(this.ticker);
    for (const t of this.timers) clearInterval(t);
    this.save();
    for (const c of this.clients) c.ws.terminate();
    this.clients.clear();
    this.wss?.close();
    await new Promise<void>((resolve) => (this.server ? this.server.close(() => resolve()) : resolve()));
  }

  private save(): void {
    if (!this.o.stateFile) return;
    const tmp = `${this.o.stateFile}.tmp`;
    writeFileSync(tmp, JSON.stringify({ book: this.book.s, prices: this.market.snapshot() }));
    renameSync(tmp, this.o.stateFile);
  }

  fault(f: Fault): string {
    switch (f.kind) {
      case 'drop':
        for (const c of this.clients) c.ws.terminate();
        return `dropped ${this.clients.size} connection(s)`;
      case 'stall':
        this.stallUntil = Date.now() + f.ms;
        return `stalled for ${f.ms} ms`;
      case 'error':
        this.errors = { count: f.count, code: f.code ?? 'CANT_ROUTE_REQUEST' };
        return `the next ${f.count} request(s) answer ${this.errors.code}`;
      case 'ratelimit':
        this.rateLimited = f.count;
        return `the next ${f.count} request(s) answer REQUEST_FREQUENCY_EXCEEDED`;
      case 'drop-on-order':
        this.dropOnOrder = true;
        return 'the next order is carried out, then its connection drops before the answer';
      case 'duplicate':
        this.duplicates = f.count;
        return `the next ${f.count} execution event(s) are sent twice`;
      case 'shock':
      case 'price': {
        const sym = SIM_SYMBOLS.find((s) => s.symbolName === f.symbol);
        if (!sym) throw new Error(`unknown symbol ${f.symbol}`);
        const mid = f.kind === 'shock' ? this.market.mid(sym.symbolId) * (1 + f.pct / 100) : f.mid;
        if (!(mid > 0)) throw new Error('the price must be positive');
        this.market.set(sym.symbolId, mid);
        this.afterPrices();
        return `${f.symbol} mid ${mid}`;
      }
      case 'rollover': {
        const totalBefore = this.book.s.balance;
        const changed = this.book.rollover(f.days);
        for (const pos of changed) {
          const payload: Json = { ctidTraderAccountId: this.accountId, executionType: ExecutionType.SWAP, position: this.book.positionJson(pos), isServerEvent: true };
          const times = this.duplicates > 0 ? (this.duplicates--, 2) : 1;
          for (const c of this.clients) if (c.account === this.accountId) for (let i = 0; i < times; i++) this.send(c, { payloadType: PT.EXECUTION_EVENT, payload });
        }
        if (changed.length) this.save();
        return `swap charged on ${changed.length} position(s): ${this.book.s.balance - totalBefore} cents`;
      }
      case 'clear':
        this.stallUntil = 0;
        this.errors = null;
        this.rateLimited = 0;
        this.dropOnOrder = false;
        this.duplicates = 0;
        return 'faults cleared';
    }
  }

  state(): Json {
    return {
      accountId: this.accountId, balance: this.book.s.balance / 100, usedMargin: this.book.usedMargin(), unrealized: this.book.unrealized(),
      positions: this.book.s.positions.filter((p) => p.status === PositionStatus.OPEN).map((p) => ({ symbol: bySymbolId(p.symbolId)!.symbolName, ...p })),
      orders: this.book.s.orders, deals: this.book.s.deals, connections: this.clients.size, refusedForRate: this.refusedForRate,
      requests: this.requests.length,
    };
  }

  // --- admin over HTTP ---

  private async admin(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const send = (status: number, body: unknown) => {
      res.writeHead(status, { 'content-type': 'application/json' });
      res.end(JSON.stringify(body));
    };
    try {
      if (req.method === 'POST' && req.url === '/__sim/fault') {
        let raw = '';
        for await (const chunk of req) raw += String(chunk);
        return send(200, { result: this.fault(JSON.parse(raw) as Fault) });
      }
      if (req.method === 'GET' && req.url === '/__sim/state') return send(200, this.state());
      send(426, { error: 'cTrader Open API speaks JSON over WebSocket here: connect with ws://' });
    } catch (err) {
      send(400, { error: (err as Error).message });
    }
  }

  // --- the WebSocket side ---

  private accept(ws: WebSocket): void {
    const c: Client = { ws, appAuthed: false, account: null, spots: new Set(), recent: [], recentHistorical: [], dead: false };
    this.clients.add(c);
    ws.on('message', (data) => this.onMessage(c, String(data)));
    ws.on('close', () => {
      c.dead = true;
      this.clients.delete(c);
    });
    ws.on('error', () => undefined);
  }

  private send(c: Client, frame: Frame): void {
    if (c.dead || Date.now() < this.stallUntil || c.ws.readyState !== c.ws.OPEN) return;
    c.ws.send(JSON.stringify(frame));
  }

  private heartbeat(): void {
    for (const c of this.clients) this.send(c, { payloadType: PT.HEARTBEAT_EVENT, payload: {} });
  }

  private afterPrices(): void {
    for (const c of this.clients) {
      for (const id of c.spots) {
        const q = this.market.quote(id);
        this.send(c, { payloadType: PT.SPOT_EVENT, payload: { ctidTraderAccountId: this.accountId, symbolId: id, bid: q.bid, ask: q.ask, timestamp: Date.now() } });
      }
    }
    this.publish(this.book.step());
  }

  /** Execution events go to every connection authorised for the account; the requester's copy echoes its clientMsgId. */
  private publish(events: BookEvent[], requester?: { client: Client; clientMsgId?: string }): void {
    for (const e of events) {
      const payload: Json = {
        ctidTraderAccountId: this.accountId, executionType: e.executionType, order: this.book.orderJson(e.order),
        ...(e.position ? { position: this.book.positionJson(e.position) } : {}), ...(e.deal ? { deal: this.book.dealJson(e.deal) } : {}),
        ...(e.order.closingOrder ? { isServerEvent: true } : {}),
      };
      const times = this.duplicates > 0 ? (this.duplicates--, 2) : 1;
      for (const c of this.clients) {
        if (c.account !== this.accountId) continue;
        const clientMsgId = requester && requester.client === c ? requester.clientMsgId : undefined;
        for (let i = 0; i < times; i++) this.send(c, { payloadType: PT.EXECUTION_EVENT, payload, ...(clientMsgId ? { clientMsgId } : {}) });
      }
    }
    if (events.length) this.save();
  }

  private error(c: Client, clientMsgId: string | undefined, errorCode: string, description: string, extra: Json = {}): void {
    this.send(c, { payloadType: PT.OA_ERROR_RES, payload: { ...(c.account ? { ctidTraderAccountId: c.account } : {}), errorCode, description, ...extra }, ...(clientMsgId ? { clientMsgId } : {}) });
  }

  private overLimit(c: Client, payloadType: number): boolean {
    const now = Date.now();
    const window = (list: number[]) => {
      while (list.length && now - list[0]! >= 1_000) list.shift();
      list.push(now);
      return list.length;
    };
    const all = window(c.recent);
    return all > 50 || (HISTORICAL_REQUESTS.has(payloadType) && window(c.recentHistorical) > 5);
  }

  private onMessage(c: Client, text: string): void {
    const f = parseFrame(text);
    if (!f) return this.error(c, undefined, 'INVALID_REQUEST', 'not a JSON frame with a payloadType');
    if (f.payloadType === PT.HEARTBEAT_EVENT) return;
    const id = f.clientMsgId;
    const p = f.payload ?? {};
    this.requests.push(f.payloadType);
    const over = this.overLimit(c, f.payloadType);
    if (over || this.rateLimited > 0) {
      if (over) this.refusedForRate++;
      else this.rateLimited--;
      return this.error(c, id, 'REQUEST_FREQUENCY_EXCEEDED', 'Request frequency is reached');
    }
    if (f.payloadType === PT.APPLICATION_AUTH_REQ) {
      if (c.appAuthed) return this.error(c, id, 'CH_CLIENT_ALREADY_AUTHENTICATED', 'Open API application is already authorized');
      if (p['clientId'] !== this.clientId || p['clientSecret'] !== this.clientSecret) return this.error(c, id, 'CH_CLIENT_AUTH_FAILURE', 'clientId or clientSecret is incorrect');
      c.appAuthed = true;
      return this.send(c, { payloadType: PT.APPLICATION_AUTH_RES, payload: {}, ...(id ? { clientMsgId: id } : {}) });
    }
    if (!c.appAuthed) return this.error(c, id, 'CH_CLIENT_NOT_AUTHENTICATED', 'Open API application is not authorized');
    if (f.payloadType === PT.GET_ACCOUNTS_BY_ACCESS_TOKEN_REQ) {
      if (p['accessToken'] !== this.accessToken) return this.error(c, id, 'CH_ACCESS_TOKEN_INVALID', 'Access token is invalid');
      return this.reply(c, id, PT.GET_ACCOUNTS_BY_ACCESS_TOKEN_RES, { accessToken: this.accessToken, permissionScope: 1, ctidTraderAccount: [{ ctidTraderAccountId: this.accountId, isLive: false, traderLogin: 3_100_000 + (this.accountId % 100_000), brokerTitleShort: 'QC Sim' }] });
    }
    if (f.payloadType === PT.ACCOUNT_AUTH_REQ) {
      if (p['accessToken'] !== this.accessToken) return this.error(c, id, 'CH_ACCESS_TOKEN_INVALID', 'Access token is invalid');
      if (Number(p['ctidTraderAccountId']) !== this.accountId) return this.error(c, id, 'CH_CTID_TRADER_ACCOUNT_NOT_FOUND', 'Trading account is not found');
      c.account = this.accountId;
      return this.reply(c, id, PT.ACCOUNT_AUTH_RES, { ctidTraderAccountId: this.accountId });
    }
    if (Number(p['ctidTraderAccountId']) !== c.account || c.account === null) return this.error(c, id, 'ACCOUNT_NOT_AUTHORIZED', 'Trading account is not authorized');
    if (this.errors && this.errors.count > 0) {
      const code = this.errors.code;
      if (--this.errors.count <= 0) this.errors = null;
      return this.error(c, id, code, 'simulated error');
    }
    try {
      this.answer(c, f, id, p);
    } catch (err) {
      if (err instanceof RejectError) {
        // Order requests are refused with ProtoOAOrderErrorEvent; others with ProtoOAErrorRes.
        if (f.payloadType === PT.NEW_ORDER_REQ || f.payloadType === PT.CANCEL_ORDER_REQ || f.payloadType === PT.AMEND_ORDER_REQ) {
          return this.send(c, { payloadType: PT.ORDER_ERROR_EVENT, payload: { ctidTraderAccountId: this.accountId, errorCode: err.errorCode, description: err.message, ...(p['orderId'] ? { orderId: p['orderId'] } : {}) }, ...(id ? { clientMsgId: id } : {}) });
        }
        return this.error(c, id, err.errorCode, err.message);
      }
      this.error(c, id, 'UNKNOWN_ERROR', (err as Error).message);
    }
  }

  private reply(c: Client, clientMsgId: string | undefined, payloadType: number, payload: Json): void {
    this.send(c, { payloadType, payload, ...(clientMsgId ? { clientMsgId } : {}) });
  }

  private answer(c: Client, f: Frame, id: string | undefined, p: Json): void {
    const account = { ctidTraderAccountId: this.accountId };
    const range = <T extends { ts: number }>(items: T[]): T[] => {
      const from = Number(p['fromTimestamp'] ?? 0);
      const to = Number(p['toTimestamp'] ?? 2_147_483_646_000);
      return items.filter((x) => x.ts >= from && x.ts <= to);
    };
    switch (f.payloadType) {
      case PT.TRADER_REQ:
        return this.reply(c, id, PT.TRADER_RES, { ...account, trader: {
          ctidTraderAccountId: this.accountId, balance: this.book.s.balance, balanceVersion: this.book.s.deals.length, depositAssetId: 15, leverageInCents: 3000,
          maxLeverage: 3000, accountType: 1, traderLogin: 3_100_000 + (this.accountId % 100_000), brokerName: 'QC Sim', moneyDigits: 2, swapFree: false,
        } });
      case PT.ASSET_LIST_REQ:
        return this.reply(c, id, PT.ASSET_LIST_RES, { ...account, asset: [
          { assetId: 15, name: 'USD', displayName: 'USD', digits: 2 }, { assetId: 16, name: 'JPY', displayName: 'JPY', digits: 0 },
          ...SIM_SYMBOLS.map((s) => ({ assetId: 100 + s.symbolId, name: s.symbolName.slice(0, 3), displayName: s.symbolName.slice(0, 3), digits: 2 })),
        ] });
      case PT.SYMBOLS_LIST_REQ:
        return this.reply(c, id, PT.SYMBOLS_LIST_RES, { ...account, symbol: SIM_SYMBOLS.map((s) => ({
          symbolId: s.symbolId, symbolName: s.symbolName, enabled: true, baseAssetId: 100 + s.symbolId, quoteAssetId: s.quote === 'USD' ? 15 : 16, symbolCategoryId: s.categoryId, description: s.description,
        })), archivedSymbol: [] });
      case PT.SYMBOL_BY_ID_REQ: {
        const ids = (p['symbolId'] as number[] | undefined) ?? [];
        const found = ids.map((x) => bySymbolId(Number(x)));
        if (found.some((s) => !s)) throw new RejectError('SYMBOL_NOT_FOUND', 'Symbol not found');
        return this.reply(c, id, PT.SYMBOL_BY_ID_RES, { ...account, symbol: found.map((s) => ({
          symbolId: s!.symbolId, digits: s!.digits, pipPosition: s!.pipPosition, enableShortSelling: true, swapRollover3Days: 3, swapLong: s!.swapLong, swapShort: s!.swapShort,
          maxVolume: s!.maxVolume, minVolume: s!.minVolume, stepVolume: s!.stepVolume, commissionType: 1, preciseTradingCommissionRate: 30 * 10 ** 8, scheduleTimeZone: 'UTC',
          tradingMode: 0, swapCalculationType: 1, lotSize: s!.lotSize, measurementUnits: s!.categoryId === 2 ? 'oz' : '',
        })), archivedSymbol: [] });
      }
      case PT.SUBSCRIBE_SPOTS_REQ: {
        const ids = ((p['symbolId'] as number[] | undefined) ?? []).map(Number);
        if (ids.some((x) => !bySymbolId(x))) throw new RejectError('SYMBOL_NOT_FOUND', 'Symbol not found');
        if (ids.some((x) => c.spots.has(x))) throw new RejectError('ALREADY_SUBSCRIBED', 'Already subscribed');
        for (const x of ids) c.spots.add(x);
        this.reply(c, id, PT.SUBSCRIBE_SPOTS_RES, account);
        // The first spot of each symbol comes at once, with both sides.
        for (const x of ids) {
          const q = this.market.quote(x);
          this.send(c, { payloadType: PT.SPOT_EVENT, payload: { ...account, symbolId: x, bid: q.bid, ask: q.ask, timestamp: Date.now() } });
        }
        return;
      }
      case PT.RECONCILE_REQ:
        return this.reply(c, id, PT.RECONCILE_RES, {
          ...account, position: this.book.s.positions.filter((x) => x.status === PositionStatus.OPEN).map((x) => this.book.positionJson(x)),
          order: this.book.s.orders.filter((o) => o.status === OrderStatus.ACCEPTED).map((o) => this.book.orderJson(o)),
        });
      case PT.ORDER_LIST_REQ:
        return this.reply(c, id, PT.ORDER_LIST_RES, { ...account, order: range(this.book.s.orders.map((o) => ({ o, ts: o.updateTs }))).map((x) => this.book.orderJson(x.o)), hasMore: false });
      case PT.DEAL_LIST_REQ: {
        const max = Number(p['maxRows'] ?? 1_000);
        const deals = range(this.book.s.deals);
        return this.reply(c, id, PT.DEAL_LIST_RES, { ...account, deal: deals.slice(0, max).map((d) => this.book.dealJson(d)), hasMore: deals.length > max });
      }
      case PT.GET_TRENDBARS_REQ:
        return this.reply(c, id, PT.GET_TRENDBARS_RES, { ...account, period: Number(p['period']), symbolId: Number(p['symbolId']), trendbar: this.trendbars(p), hasMore: false });
      case PT.NEW_ORDER_REQ: {
        const events = this.book.newOrder(p);
        if (this.dropOnOrder) {
          this.dropOnOrder = false;
          c.dead = true;
          c.ws.terminate();
        }
        return this.publish(events, { client: c, clientMsgId: id });
      }
      case PT.CANCEL_ORDER_REQ:
        return this.publish(this.book.cancel(Number(p['orderId'])), { client: c, clientMsgId: id });
      case PT.AMEND_ORDER_REQ:
        return this.publish(this.book.amend(Number(p['orderId']), p), { client: c, clientMsgId: id });
      default:
        return this.error(c, id, 'UNSUPPORTED_MESSAGE', `payloadType ${f.payloadType} is not simulated`);
    }
  }

  /** Deterministic bars ending at the current price: low plus deltas, in 1/100000, with utcTimestampInMinutes. */
  private trendbars(p: Json): Json[] {
    const sym = bySymbolId(Number(p['symbolId']));
    if (!sym) throw new RejectError('SYMBOL_NOT_FOUND', 'Symbol not found');
    const minutes = ({ 1: 1, 5: 5, 9: 60, 12: 1440 } as Record<number, number>)[Number(p['period'])] ?? 1;
    const count = Math.min(Number(p['count'] ?? 500), 5_000);
    const to = Math.floor(Number(p['toTimestamp'] ?? Date.now()) / 60_000 / minutes) * minutes;
    const r = seeded(sym.symbolId * 7919 + minutes);
    const bars: Json[] = [];
    let close = this.market.mid(sym.symbolId);
    for (let i = 0; i < count; i++) {
      const open = close - (r() - 0.5) * sym.vol * 4 * Math.sqrt(minutes);
      const high = Math.max(open, close) + r() * sym.vol * Math.sqrt(minutes);
      const low = Math.min(open, close) - r() * sym.vol * Math.sqrt(minutes);
      const L = Math.round(low * PRICE_SCALE);
      bars.push({ volume: 100 + Math.floor(r() * 900), period: Number(p['period']), low: L, deltaOpen: Math.round(open * PRICE_SCALE) - L, deltaClose: Math.round(close * PRICE_SCALE) - L, deltaHigh: Math.round(high * PRICE_SCALE) - L, utcTimestampInMinutes: to - i * minutes });
      close = open;
    }
    return bars.reverse();
  }
}
