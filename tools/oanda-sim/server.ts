// The OANDA v20 simulator's HTTP side: the REST API, the pricing and transactions streams (chunked, newline-delimited
// JSON with HEARTBEATs) on one plain-HTTP port, bearer-token auth, and fault controls (POST /__sim/fault).
import { randomBytes } from 'node:crypto';
import { existsSync, readFileSync, renameSync, writeFileSync } from 'node:fs';
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { Socket } from 'node:net';
import { Book, RejectError, type BookState, type Json } from './book';
import { candles, GRANULARITY_SECONDS, instrumentJson, parseV20Time, SimMarket, SIM_INSTRUMENTS, v20Time } from './market';

export interface OandaSimOptions {
  port?: number;
  host?: string;
  /** Practice account ids look like 101-004-1234567-001. */
  accountId?: string;
  token?: string;
  seed?: number;
  /** Random-walk step interval (0: prices move only when set). */
  tickMs?: number;
  heartbeatMs?: number;
  /** Units at the top of the book: larger orders fill in parts (pending orders) or not at all (FOK market orders). */
  liquidity?: number;
  balance?: number;
  /** A JSON file the account is kept in, so a restarted simulator still knows its orders, trades and transactions. */
  stateFile?: string;
}

/** Faults, set by POST /__sim/fault or the CLI's stdin: each applies to the next requests or to the open streams. */
export type Fault =
  | { kind: 'drop' }
  | { kind: 'stall'; ms: number }
  | { kind: '5xx'; count: number; status?: number; /** Process the request first, then answer 5xx: the client cannot tell if it happened. */ after?: boolean; path?: string }
  | { kind: '429'; count: number; retryAfter: number; path?: string }
  | { kind: 'duplicate'; count: number }
  | { kind: 'shock'; instrument: string; pct: number }
  | { kind: 'price'; instrument: string; mid: number }
  /** The daily financing now (days: how many days to charge; default by weekday, 3 on Wednesday for FX). */
  | { kind: 'rollover'; days?: number }
  | { kind: 'clear' };

interface Stream {
  res: ServerResponse;
  kind: 'pricing' | 'transactions';
  instruments: Set<string>;
}

export class OandaSimulator {
  readonly accountId: string;
  readonly token: string;
  readonly market: SimMarket;
  readonly book: Book;
  private server: Server | undefined;
  private readonly sockets = new Set<Socket>();
  private readonly streams = new Set<Stream>();
  private ticker: NodeJS.Timeout | undefined;
  private heartbeat: NodeJS.Timeout | undefined;
  private stallUntil = 0;
  private http5xx: Extract<Fault, { kind: '5xx' }> | null = null;
  private http429: Extract<Fault, { kind: '429' }> | null = null;
  private duplicates = 0;
  /** Requests answered, by path (the adapter's tests count reconciliation requests). */
  readonly requests: string[] = [];

  constructor(private readonly o: OandaSimOptions = {}) {
    const now = Date.now();
    this.token = o.token ?? randomBytes(16).toString('hex');
    this.market = new SimMarket(o.seed ?? 1, o.liquidity ?? 10_000_000, now);
    let state: BookState | undefined;
    if (o.stateFile && existsSync(o.stateFile)) {
      const saved = JSON.parse(readFileSync(o.stateFile, 'utf8')) as { book: BookState; prices: Record<string, number> };
      state = saved.book;
      for (const [name, mid] of Object.entries(saved.prices)) this.market.set(name, mid, now);
    }
    this.accountId = state?.accountId ?? o.accountId ?? `101-004-${String(1_000_000 + (o.seed ?? 1) * 7919 % 9_000_000)}-001`;
    this.book = new Book(state ?? Book.fresh(this.accountId, o.balance ?? 100_000, now), this.market, () => Date.now());
    this.book.onTransactions = (txs) => this.publish(txs);
  }

  async start(): Promise<number> {
    const server = createServer((req, res) => void this.handle(req, res));
    server.keepAliveTimeout = 30_000;
    server.on('connection', (s) => {
      this.sockets.add(s);
      s.on('close', () => this.sockets.delete(s));
    });
    this.server = server;
    await new Promise<void>((resolve, reject) => {
      server.once('error', reject);
      server.listen(this.o.port ?? 0, this.o.host ?? '127.0.0.1', () => resolve());
    });
    // Orders a restart finds crossed by the saved prices fill now, as if they had filled while the server was away.
    this.book.onPrices(SIM_INSTRUMENTS.map((i) => i.name));
    if ((this.o.tickMs ?? 250) > 0) this.ticker = setInterval(() => this.tick(), this.o.tickMs ?? 250);
    this.heartbeat = setInterval(() => this.beat(), this.o.heartbeatMs ?? 5_000);
    return (server.address() as { port: number }).port;
  }

  get port(): number {
    return (this.server?.address() as { port: number } | null)?.port ?? 0;
  }

  async close(): Promise<void> {
    clearInterval(this.ticker);
    clearInterval(this.heartbeat);
    this.save();
    for (const s of this.streams) s.res.destroy();
    this.streams.clear();
    for (const s of this.sockets) s.destroy();
    await new Promise<void>((resolve) => (this.server ? this.server.close(() => resolve()) : resolve()));
  }

  // --- market and faults ---

  /** Stops or resumes the random walk (a soak trial settles on still prices). */
  setTicking(on: boolean): void {
    clearInterval(this.ticker);
    this.ticker = undefined;
    if (on && (this.o.tickMs ?? 250) > 0) this.ticker = setInterval(() => this.tick(), this.o.tickMs ?? 250);
  }

  tick(): void {
    const moved = this.market.step(Date.now());
    this.book.onPrices(moved);
    this.pushPrices(moved);
  }

  setPrice(instrument: string, mid: number): void {
    this.market.set(instrument, mid, Date.now());
    this.book.onPrices([instrument]);
    this.pushPrices([instrument]);
  }

  /** `keep`: the admin request's own socket, which must live to carry the answer. */
  fault(f: Fault, keep?: Socket): string {
    switch (f.kind) {
      case 'drop': {
        const victims = [...this.sockets].filter((s) => s !== keep);
        for (const s of victims) s.destroy();
        return `dropped ${victims.length} connection(s)`;
      }
      case 'stall':
        this.stallUntil = Date.now() + f.ms;
        return `streams stalled for ${f.ms} ms`;
      case '5xx':
        this.http5xx = f.count > 0 ? f : null;
        return `next ${f.count} request(s)${f.path ? ` to ${f.path}` : ''} answer ${f.status ?? 503}${f.after ? ' after being processed' : ''}`;
      case '429':
        this.http429 = f.count > 0 ? f : null;
        return `next ${f.count} request(s) answer 429, Retry-After ${f.retryAfter}`;
      case 'duplicate':
        this.duplicates = f.count;
        return `next ${f.count} transaction(s) streamed twice`;
      case 'shock': {
        const mid = this.market.mid(f.instrument) * (1 + f.pct / 100);
        this.setPrice(f.instrument, mid);
        return `${f.instrument} shocked ${f.pct}% to ${mid}`;
      }
      case 'price':
        this.setPrice(f.instrument, f.mid);
        return `${f.instrument} set to ${f.mid}`;
      case 'rollover': {
        const t = this.book.rollover(f.days);
        return t ? `financing ${String(t['financing'])} (transaction ${String(t['id'])})` : 'no open trade to finance';
      }
      case 'clear':
        this.stallUntil = 0;
        this.http5xx = null;
        this.http429 = null;
        this.duplicates = 0;
        return 'faults cleared';
    }
  }

  private stalled(): boolean {
    return Date.now() < this.stallUntil;
  }

  private save(): void {
    if (!this.o.stateFile) return;
    const prices = Object.fromEntries(SIM_INSTRUMENTS.map((i) => [i.name, this.market.mid(i.name)]));
    writeFileSync(`${this.o.stateFile}.tmp`, JSON.stringify({ book: this.book.s, prices }));
    renameSync(`${this.o.stateFile}.tmp`, this.o.stateFile);
  }

  // --- streams ---

  private write(s: Stream, msg: Json): void {
    if (!s.res.writableEnded) s.res.write(`${JSON.stringify(msg)}\n`);
  }

  private pushPrices(names: string[]): void {
    if (this.stalled()) return;
    for (const s of this.streams) {
      if (s.kind !== 'pricing') continue;
      for (const n of names) if (s.instruments.has(n)) this.write(s, this.market.clientPrice(n));
    }
  }

  private publish(txs: Json[]): void {
    this.save();
    if (this.stalled()) return;
    for (const t of txs) {
      const twice = this.duplicates > 0;
      if (twice) this.duplicates--;
      for (const s of this.streams) {
        if (s.kind !== 'transactions') continue;
        this.write(s, t);
        if (twice) this.write(s, t);
      }
    }
  }

  private beat(): void {
    if (this.stalled()) return;
    const time = v20Time(Date.now());
    for (const s of this.streams) {
      this.write(s, s.kind === 'pricing' ? { type: 'HEARTBEAT', time } : { type: 'HEARTBEAT', lastTransactionID: this.book.lastTransactionID(), time });
    }
  }

  // --- HTTP ---

  private send(res: ServerResponse, status: number, body: Json, headers: Record<string, string> = {}): void {
    const text = JSON.stringify(body);
    res.writeHead(status, { 'Content-Type': 'application/json', 'Content-Length': Buffer.byteLength(text), 'RequestID': String(this.requests.length), ...headers });
    res.end(text);
  }

  private async readBody(req: IncomingMessage): Promise<Json> {
    const chunks: Buffer[] = [];
    for await (const c of req) chunks.push(c as Buffer);
    const text = Buffer.concat(chunks).toString('utf8');
    if (!text) return {};
    return JSON.parse(text) as Json;
  }

  private async handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const url = new URL(req.url ?? '/', 'http://sim');
    const path = url.pathname;
    const method = req.method ?? 'GET';
    try {
      if (path === '/__sim/fault' && method === 'POST') return this.send(res, 200, { result: this.fault((await this.readBody(req)) as Fault, req.socket) });
      if (path === '/__sim/state') return this.send(res, 200, { accountId: this.accountId, lastTransactionID: this.book.lastTransactionID(), summary: this.book.summary(), trades: this.book.s.trades, orders: this.book.s.orders.map((o) => this.book.orderJson(o)) });
      this.requests.push(`${method} ${path}`);
      if (req.headers.authorization !== `Bearer ${this.token}`) return this.send(res, 401, { errorMessage: 'Insufficient authorization to perform request.' });
      const limit = this.http429;
      if (limit && (!limit.path || path.includes(limit.path))) {
        if (--limit.count <= 0) this.http429 = null;
        return this.send(res, 429, { errorMessage: 'Requests are being rate limited' }, { 'Retry-After': String(limit.retryAfter) });
      }
      const fail = this.http5xx;
      const failing = fail && (!fail.path || path.includes(fail.path));
      if (failing && --fail.count <= 0) this.http5xx = null;
      if (failing && !fail.after) return this.send(res, fail.status ?? 503, { errorMessage: 'Service Unavailable' });
      const body = method === 'POST' || method === 'PUT' || method === 'PATCH' ? await this.readBody(req) : {};
      const out = this.route(method, path, url.searchParams, body, res);
      if (out === 'stream') return;
      if (failing && fail.after) return this.send(res, fail.status ?? 503, { errorMessage: 'Service Unavailable' });
      this.send(res, out.status, out.body);
    } catch (err) {
      if (err instanceof RejectError) return this.send(res, err.status, err.body);
      if (err instanceof SyntaxError) return this.send(res, 400, { errorMessage: `Invalid JSON body: ${err.message}` });
      this.send(res, 500, { errorMessage: `Internal error: ${(err as Error).message}` });
    }
  }

  private route(method: string, path: string, q: URLSearchParams, body: Json, res: ServerResponse): { status: number; body: Json } | 'stream' {
    const ok = (b: Json, status = 200) => ({ status, body: b });
    const last = () => this.book.lastTransactionID();
    if (method === 'GET' && path === '/v3/accounts') return ok({ accounts: [{ id: this.accountId, tags: [] }] });
    const ins = /^\/v3\/instruments\/([A-Z0-9_]+)\/candles$/.exec(path);
    if (method === 'GET' && ins) return this.candles(ins[1]!, q);
    const m = /^\/v3\/accounts\/([^/]+)(\/.*)?$/.exec(path);
    if (!m) return { status: 404, body: { errorMessage: `The path ${path} is not a v20 endpoint` } };
    if (m[1] !== this.accountId) return { status: 403, body: { errorMessage: 'The provided request was forbidden.' } };
    const rest = m[2] ?? '';
    const b = this.book;
    let r: RegExpExecArray | null;
    if (method === 'GET') {
      if (rest === '') return ok({ account: { ...b.summary(), orders: b.pending().map((o) => b.orderJson(o)), trades: b.open().map((t) => b.tradeJson(t)), positions: b.positions(false) }, lastTransactionID: last() });
      if (rest === '/summary') return ok({ account: b.summary(), lastTransactionID: last() });
      if (rest === '/instruments') {
        const wanted = q.get('instruments')?.split(',');
        return ok({ instruments: SIM_INSTRUMENTS.filter((i) => !wanted || wanted.includes(i.name)).map(instrumentJson), lastTransactionID: last() });
      }
      if (rest === '/changes') return this.changes(q);
      if (rest === '/pricing') {
        const names = (q.get('instruments') ?? '').split(',').filter(Boolean);
        const bad = names.find((n) => !this.market.instrument(n));
        if (bad || names.length === 0) return { status: 400, body: { errorMessage: `Invalid value specified for 'instruments'` } };
        return ok({ prices: names.map((n) => this.market.clientPrice(n)), time: v20Time(Date.now()) });
      }
      if (rest === '/pricing/stream') return this.openStream(res, 'pricing', q);
      if (rest === '/transactions/stream') return this.openStream(res, 'transactions', q);
      if ((r = /^\/instruments\/([A-Z0-9_]+)\/candles$/.exec(rest))) return this.candles(r[1]!, q);
      if (rest === '/orders' || rest === '/pendingOrders') {
        const state = rest === '/pendingOrders' ? 'PENDING' : q.get('state') ?? 'PENDING';
        const ids = q.get('ids')?.split(',');
        const count = Number(q.get('count') ?? 50);
        const list = b.s.orders.filter((o) => (state === 'ALL' || o.state === state) && (!ids || ids.includes(o.id)) && (!q.get('instrument') || o.instrument === q.get('instrument')));
        return ok({ orders: list.reverse().slice(0, count).map((o) => b.orderJson(o)), lastTransactionID: last() });
      }
      if ((r = /^\/orders\/([^/]+)$/.exec(rest))) {
        const o = b.findOrder(decodeURIComponent(r[1]!));
        return o ? ok({ order: b.orderJson(o), lastTransactionID: last() }) : { status: 404, body: { errorCode: 'NO_SUCH_ORDER', errorMessage: 'The order ID specified does not exist', lastTransactionID: last() } };
      }
      if (rest === '/trades' || rest === '/openTrades') {
        const state = rest === '/openTrades' ? 'OPEN' : q.get('state') ?? 'OPEN';
        const list = b.s.trades.filter((t) => (state === 'ALL' || t.state === state) && (!q.get('instrument') || t.instrument === q.get('instrument')));
        return ok({ trades: list.reverse().slice(0, Number(q.get('count') ?? 50)).map((t) => b.tradeJson(t)), lastTransactionID: last() });
      }
      if ((r = /^\/trades\/([^/]+)$/.exec(rest))) {
        const t = b.s.trades.find((x) => x.id === r![1]);
        return t ? ok({ trade: b.tradeJson(t), lastTransactionID: last() }) : { status: 404, body: { errorCode: 'NO_SUCH_TRADE', errorMessage: 'The Trade ID specified does not exist' } };
      }
      if (rest === '/positions' || rest === '/openPositions') return ok({ positions: b.positions(rest === '/openPositions'), lastTransactionID: last() });
      if ((r = /^\/positions\/([A-Z0-9_]+)$/.exec(rest))) return this.market.instrument(r[1]!) ? ok({ position: b.position(r[1]!), lastTransactionID: last() }) : { status: 404, body: { errorMessage: 'Invalid value specified for \'instrument\'' } };
      if (rest === '/transactions') return this.transactionPages(q);
      if (rest === '/transactions/idrange') return this.idRange(Number(q.get('from')), Number(q.get('to')), q.get('type'));
      if (rest === '/transactions/sinceid') return this.idRange(Number(q.get('id')) + 1, Number(last()), q.get('type'));
      if ((r = /^\/transactions\/(\d+)$/.exec(rest))) {
        const t = b.s.transactions.find((x) => x['id'] === r![1]);
        return t ? ok({ transaction: t, lastTransactionID: last() }) : { status: 404, body: { errorMessage: 'The Transaction ID specified does not exist' } };
      }
    }
    if (method === 'POST' && rest === '/orders') return ok(b.createOrder(body), 201);
    if (method === 'PUT') {
      if ((r = /^\/orders\/([^/]+)\/cancel$/.exec(rest))) return ok(b.cancelOrder(decodeURIComponent(r[1]!)));
      if ((r = /^\/orders\/([^/]+)$/.exec(rest))) return ok(b.replaceOrder(decodeURIComponent(r[1]!), body), 201);
      if ((r = /^\/trades\/([^/]+)\/close$/.exec(rest))) return ok(b.closeTrade(decodeURIComponent(r[1]!)));
      if ((r = /^\/positions\/([A-Z0-9_]+)\/close$/.exec(rest))) return ok(b.closePosition(r[1]!, body['longUnits'] as string | undefined, body['shortUnits'] as string | undefined));
    }
    return { status: 405, body: { errorMessage: `${method} ${path} is not supported by the simulator` } };
  }

  private candles(name: string, q: URLSearchParams): { status: number; body: Json } {
    const i = this.market.instrument(name);
    if (!i) return { status: 400, body: { errorMessage: `Invalid value specified for 'instrument'` } };
    const granularity = q.get('granularity') ?? 'S5';
    if (!GRANULARITY_SECONDS[granularity]) return { status: 400, body: { errorMessage: `Invalid value specified for 'granularity'` } };
    const count = q.get('count') ? Number(q.get('count')) : undefined;
    if (count !== undefined && (!Number.isInteger(count) || count < 1 || count > 5000)) return { status: 400, body: { errorMessage: `Maximum value for 'count' exceeded` } };
    const from = q.get('from') ? parseV20Time(q.get('from')!) : undefined;
    const to = q.get('to') ? parseV20Time(q.get('to')!) : undefined;
    const list = candles(i, { granularity, count: count ?? (from !== undefined && to !== undefined ? undefined : 500), from, to, price: q.get('price') ?? 'M' }, Date.now());
    return { status: 200, body: { instrument: name, granularity, candles: list } };
  }

  private changes(q: URLSearchParams): { status: number; body: Json } {
    const since = Number(q.get('sinceTransactionID') ?? 0);
    const b = this.book;
    const txs = b.s.transactions.filter((t) => Number(t['id']) > since);
    const orderIds = (type: string) => new Set(txs.filter((t) => t['type'] === type).map((t) => String(t['orderID'])));
    const created = new Set(txs.filter((t) => /_ORDER$/.test(String(t['type']))).map((t) => String(t['id'])));
    const byIds = (ids: Set<string>) => b.s.orders.filter((o) => ids.has(o.id)).map((o) => b.orderJson(o));
    const s = b.summary();
    return {
      status: 200,
      body: {
        changes: {
          ordersCreated: byIds(created), ordersCancelled: byIds(orderIds('ORDER_CANCEL')), ordersFilled: byIds(orderIds('ORDER_FILL')), ordersTriggered: [],
          tradesOpened: b.s.trades.filter((t) => txs.some((x) => x['id'] === t.id)).map((t) => b.tradeJson(t)), tradesReduced: [],
          tradesClosed: b.s.trades.filter((t) => t.state === 'CLOSED' && t.closeTime && txs.some((x) => x['time'] === t.closeTime)).map((t) => b.tradeJson(t)),
          positions: b.positions(false), transactions: txs,
        },
        state: {
          unrealizedPL: s['unrealizedPL'], NAV: s['NAV'], marginUsed: s['marginUsed'], marginAvailable: s['marginAvailable'], positionValue: s['positionValue'],
          marginCloseoutUnrealizedPL: s['marginCloseoutUnrealizedPL'], marginCloseoutNAV: s['marginCloseoutNAV'], marginCloseoutMarginUsed: s['marginCloseoutMarginUsed'],
          marginCloseoutPercent: s['marginCloseoutPercent'], marginCloseoutPositionValue: s['marginCloseoutPositionValue'], withdrawalLimit: s['withdrawalLimit'],
          marginCallMarginUsed: s['marginCallMarginUsed'], marginCallPercent: s['marginCallPercent'], orders: [], trades: [], positions: [],
        },
        lastTransactionID: b.lastTransactionID(),
      },
    };
  }

  private idRange(from: number, to: number, type: string | null): { status: number; body: Json } {
    const types = type?.split(',');
    const txs = this.book.s.transactions.filter((t) => Number(t['id']) >= from && Number(t['id']) <= to && (!types || types.includes(String(t['type']))));
    return { status: 200, body: { transactions: txs, lastTransactionID: this.book.lastTransactionID() } };
  }

  private transactionPages(q: URLSearchParams): { status: number; body: Json } {
    const from = q.get('from') ? parseV20Time(q.get('from')!) : 0;
    const to = q.get('to') ? parseV20Time(q.get('to')!) : Date.now();
    const pageSize = Number(q.get('pageSize') ?? 100);
    const ids = this.book.s.transactions.filter((t) => { const ms = parseV20Time(String(t['time'])); return ms >= from && ms <= to; }).map((t) => Number(t['id']));
    const pages: string[] = [];
    for (let k = 0; k < ids.length; k += pageSize) {
      pages.push(`http://127.0.0.1:${this.port}/v3/accounts/${this.accountId}/transactions/idrange?from=${ids[k]}&to=${ids[Math.min(ids.length, k + pageSize) - 1]}`);
    }
    return { status: 200, body: { from: v20Time(from), to: v20Time(to), pageSize, count: ids.length, pages, lastTransactionID: this.book.lastTransactionID() } };
  }

  private openStream(res: ServerResponse, kind: Stream['kind'], q: URLSearchParams): 'stream' | { status: number; body: Json } {
    const names = (q.get('instruments') ?? '').split(',').filter(Boolean);
    if (kind === 'pricing' && (names.length === 0 || names.some((n) => !this.market.instrument(n)))) return { status: 400, body: { errorMessage: `Invalid value specified for 'instruments'` } };
    // OANDA streams are chunked application/octet-stream: one JSON object per line.
    res.writeHead(200, { 'Content-Type': 'application/octet-stream', 'Transfer-Encoding': 'chunked' });
    const s: Stream = { res, kind, instruments: new Set(names) };
    this.streams.add(s);
    res.on('close', () => this.streams.delete(s));
    if (kind === 'pricing' && q.get('snapshot') !== 'false' && !this.stalled()) for (const n of names) this.write(s, this.market.clientPrice(n));
    if (!this.stalled()) this.write(s, kind === 'pricing' ? { type: 'HEARTBEAT', time: v20Time(Date.now()) } : { type: 'HEARTBEAT', lastTransactionID: this.book.lastTransactionID(), time: v20Time(Date.now()) });
    return 'stream';
  }
}
