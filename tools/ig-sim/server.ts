// The IG simulator's HTTP side: IG's REST trading API (the paths under /gateway/deal) on plain HTTP on loopback, with
// its two session styles (v2: CST and X-SECURITY-TOKEN headers; v3: OAuth tokens), its `_method: DELETE` tunnel, its
// allowances (per-account requests per minute, answered 403 with IG's errorCodes) and fault controls (POST /__sim/fault).
import { randomBytes } from 'node:crypto';
import { existsSync, readFileSync, renameSync, writeFileSync } from 'node:fs';
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { Socket } from 'node:net';
import { Book, IgRequestError, SIM_MARKETS, type BookState, type Json, type Quote, type SimMarketDef } from './book';

export interface IgSimOptions {
  port?: number;
  host?: string;
  apiKey?: string;
  identifier?: string;
  password?: string;
  /** Demo CFD account ids look like XQ1AB. */
  accountId?: string;
  seed?: number;
  /** Random-walk step interval (0: prices move only when set). */
  tickMs?: number;
  balance?: number;
  /** Non-trading requests per account per minute (IG: 30); 0: no limit. */
  nonTradingPerMinute?: number;
  /** Trading requests per account per minute (IG: 100); 0: no limit. */
  tradingPerMinute?: number;
  /** Lifetime of a v3 OAuth access token in seconds (IG: 60). */
  oauthExpiresIn?: number;
  stateFile?: string;
}

export type Fault =
  | { kind: 'drop' }
  /** Requests get no answer for this long (the connection stays open). */
  | { kind: 'stall'; ms: number }
  | { kind: '5xx'; count: number; status?: number; /** Process first, then answer 5xx. */ after?: boolean; path?: string }
  /** The next requests are refused as over IG's allowance (403 error.public-api.exceeded-account-allowance). */
  | { kind: 'allowance'; count: number; path?: string }
  /** The next requests answer 429 with Retry-After (a gateway in front of IG does this). */
  | { kind: '429'; count: number; retryAfter: number }
  /** The activity history lists the next deals twice (same dealId). */
  | { kind: 'duplicate'; count: number }
  | { kind: 'shock'; epic: string; pct: number }
  | { kind: 'price'; epic: string; mid: number }
  /** Every session token is invalidated: clients must log in again. */
  | { kind: 'expire' }
  /** The daily rollover: funding charged on every open position, written to the transaction history. */
  | { kind: 'rollover'; days?: number }
  /** The transaction history lists the next funding rows twice (the same reference). */
  | { kind: 'duplicate-funding'; count: number }
  | { kind: 'clear' };

/** A seeded random walk per epic. */
class Walk {
  private state: number;
  readonly mids = new Map<string, number>();
  constructor(seed: number) {
    this.state = (seed * 2_654_435_761) >>> 0 || 1;
    for (const m of SIM_MARKETS) this.mids.set(m.epic, m.start);
  }
  private next(): number {
    this.state ^= this.state << 13;
    this.state >>>= 0;
    this.state ^= this.state >>> 17;
    this.state ^= this.state << 5;
    this.state >>>= 0;
    return this.state / 4_294_967_296;
  }
  step(): string[] {
    for (const m of SIM_MARKETS) this.mids.set(m.epic, this.mids.get(m.epic)! * (1 + (this.next() - 0.5) * 0.0004));
    return SIM_MARKETS.map((m) => m.epic);
  }
}

const round = (x: number, d: number) => Number(x.toFixed(d));

interface Session { cst: string; xst: string; accountId: string; expires: number }
interface OAuth { access: string; refresh: string; expires: number }

export class IgSimulator {
  readonly apiKey: string;
  readonly identifier: string;
  readonly password: string;
  readonly accountId: string;
  readonly book: Book;
  private readonly walk: Walk;
  private server: Server | undefined;
  private readonly sockets = new Set<Socket>();
  private ticker: NodeJS.Timeout | undefined;
  private readonly sessions = new Map<string, Session>();
  private readonly oauth = new Map<string, OAuth>();
  private readonly refreshTokens = new Map<string, string>();
  private stallUntil = 0;
  private http5xx: Extract<Fault, { kind: '5xx' }> | null = null;
  private allowance: Extract<Fault, { kind: 'allowance' }> | null = null;
  private http429: Extract<Fault, { kind: '429' }> | null = null;
  private duplicates = 0;
  private fundingDuplicates = 0;
  private readonly window = { nonTrading: [] as number[], trading: [] as number[] };
  /** Paths answered (tests count logins and polls). */
  readonly requests: string[] = [];

  constructor(private readonly o: IgSimOptions = {}) {
    this.apiKey = o.apiKey ?? randomBytes(20).toString('hex');
    this.identifier = o.identifier ?? 'demo-user';
    this.password = o.password ?? randomBytes(8).toString('hex');
    this.walk = new Walk(o.seed ?? 1);
    let state: BookState | undefined;
    if (o.stateFile && existsSync(o.stateFile)) {
      const saved = JSON.parse(readFileSync(o.stateFile, 'utf8')) as { book: BookState; prices: Record<string, number> };
      state = saved.book;
      for (const [epic, mid] of Object.entries(saved.prices)) this.walk.mids.set(epic, mid);
    }
    this.accountId = state?.accountId ?? o.accountId ?? 'XQ' + String(10_000 + ((o.seed ?? 1) * 7919) % 90_000);
    this.book = new Book(state ?? Book.fresh(this.accountId, o.balance ?? 10_000), (epic) => this.quote(epic), () => Date.now());
  }

  quote(epic: string): Quote {
    const m = this.def(epic);
    const mid = this.walk.mids.get(epic)!;
    return { bid: round(mid - m.spread / 2, m.decimals), offer: round(mid + m.spread / 2, m.decimals) };
  }

  mid(epic: string): number {
    return this.walk.mids.get(epic)!;
  }

  private def(epic: string): SimMarketDef {
    return this.book.def(epic);
  }

  async start(): Promise<number> {
    const server = createServer((req, res) => void this.handle(req, res));
    server.on('connection', (s) => {
      this.sockets.add(s);
      s.on('close', () => this.sockets.delete(s));
    });
    this.server = server;
    await new Promise<void>((resolve, reject) => {
      server.once('error', reject);
      server.listen(this.o.port ?? 0, this.o.host ?? '127.0.0.1', () => resolve());
    });
    // Working orders the saved prices cross fill now, as if they had filled while the server was away.
    this.book.onPrices(SIM_MARKETS.map((m) => m.epic));
    this.setTicking(true);
    return this.port;
  }

  get port(): number {
    return (this.server?.address() as { port: number } | null)?.port ?? 0;
  }

  async close(): Promise<void> {
    clearInterval(this.ticker);
    this.save();
    for (const s of this.sockets) s.destroy();
    await new Promise<void>((resolve) => (this.server ? this.server.close(() => resolve()) : resolve()));
  }

  private save(): void {
    if (!this.o.stateFile) return;
    const tmp = `${this.o.stateFile}.tmp`;
    writeFileSync(tmp, JSON.stringify({ book: this.book.s, prices: Object.fromEntries(this.walk.mids) }));
    renameSync(tmp, this.o.stateFile);
  }

  setTicking(on: boolean): void {
    clearInterval(this.ticker);
    this.ticker = undefined;
    const ms = this.o.tickMs ?? 500;
    if (on && ms > 0) this.ticker = setInterval(() => this.tick(), ms);
  }

  tick(): void {
    this.book.onPrices(this.walk.step());
    this.save();
  }

  setPrice(epic: string, mid: number): void {
    this.def(epic);
    this.walk.mids.set(epic, mid);
    this.book.onPrices([epic]);
    this.save();
  }

  fault(f: Fault, keep?: Socket): string {
    switch (f.kind) {
      case 'drop': {
        const victims = [...this.sockets].filter((s) => s !== keep);
        for (const s of victims) s.destroy();
        return `dropped ${victims.length} connection(s)`;
      }
      case 'stall':
        this.stallUntil = Date.now() + f.ms;
        return `stalling requests for ${f.ms} ms`;
      case '5xx':
        this.http5xx = { ...f };
        return `next ${f.count} request(s)${f.path ? ` to *${f.path}*` : ''} answer ${f.status ?? 503}${f.after ? ' after processing' : ''}`;
      case 'allowance':
        this.allowance = { ...f };
        return `next ${f.count} request(s) refused as over the allowance`;
      case '429':
        this.http429 = { ...f };
        return `next ${f.count} request(s) answer 429 (Retry-After ${f.retryAfter})`;
      case 'duplicate':
        this.duplicates = f.count;
        return `next ${f.count} deal(s) listed twice in the activity history`;
      case 'shock': {
        const mid = this.mid(f.epic) * (1 + f.pct / 100);
        this.setPrice(f.epic, mid);
        return `${f.epic} shocked ${f.pct}% to ${mid}`;
      }
      case 'price':
        this.setPrice(f.epic, f.mid);
        return `${f.epic} at ${f.mid}`;
      case 'expire':
        this.sessions.clear();
        this.oauth.clear();
        return 'every session token invalidated';
      case 'rollover': {
        const rows = this.book.rollover(f.days);
        if (rows.length) this.save();
        const total = rows.reduce((sum, r) => sum + Math.round(Number(String(r['profitAndLoss']).slice(1)) * 100), 0);
        return `funding charged on ${rows.length} position(s): ${total} cents`;
      }
      case 'duplicate-funding':
        this.fundingDuplicates = f.count;
        return `next ${f.count} funding row(s) listed twice in the transaction history`;
      case 'clear':
        this.fundingDuplicates = 0;
        this.stallUntil = 0;
        this.http5xx = null;
        this.allowance = null;
        this.http429 = null;
        this.duplicates = 0;
        return 'faults cleared';
    }
  }

  // --- HTTP ---

  private send(res: ServerResponse, status: number, body: unknown, headers: Record<string, string> = {}): void {
    const text = JSON.stringify(body);
    res.writeHead(status, { 'Content-Type': 'application/json; charset=UTF-8', 'Content-Length': Buffer.byteLength(text), ...headers });
    res.end(text);
  }

  private async body(req: IncomingMessage): Promise<Json> {
    const chunks: Buffer[] = [];
    for await (const c of req) chunks.push(c as Buffer);
    const text = Buffer.concat(chunks).toString('utf8');
    if (!text) return {};
    try {
      return JSON.parse(text) as Json;
    } catch {
      throw new IgRequestError(400, 'validation.invalid.json');
    }
  }

  /** The session a request carries, or null (then it is answered 401 by the caller). */
  private authed(req: IncomingMessage): { accountId: string } | 'expired' | null {
    const cst = req.headers['cst'];
    const xst = req.headers['x-security-token'];
    if (typeof cst === 'string' && typeof xst === 'string') {
      const s = this.sessions.get(cst);
      if (!s || s.xst !== xst) return null;
      // IG keeps a session alive for 6 hours after its last use (up to 72 hours).
      s.expires = Date.now() + 6 * 3_600_000;
      return { accountId: s.accountId };
    }
    const auth = req.headers['authorization'];
    if (typeof auth === 'string' && auth.startsWith('Bearer ')) {
      const t = this.oauth.get(auth.slice(7));
      if (!t) return null;
      if (Date.now() > t.expires) return 'expired';
      const acc = req.headers['ig-account-id'];
      return { accountId: typeof acc === 'string' ? acc : this.accountId };
    }
    return null;
  }

  /** IG's per-account allowances over a rolling minute; true when the request is over. */
  private overAllowance(trading: boolean): boolean {
    const limit = trading ? this.o.tradingPerMinute ?? 100 : this.o.nonTradingPerMinute ?? 30;
    if (limit <= 0) return false;
    const w = trading ? this.window.trading : this.window.nonTrading;
    const now = Date.now();
    while (w.length && w[0]! <= now - 60_000) w.shift();
    if (w.length >= limit) return true;
    w.push(now);
    return false;
  }

  private newSession(version: string): { headers: Record<string, string>; body: Json } {
    const accountInfo = { balance: round(this.book.s.balance, 2), deposit: round(this.book.margin(), 2), profitLoss: round(this.book.profitLoss(), 2), available: round(this.book.s.balance + this.book.profitLoss() - this.book.margin(), 2) };
    if (version === '3') {
      const access = randomBytes(16).toString('hex');
      const refresh = randomBytes(16).toString('hex');
      const expiresIn = this.o.oauthExpiresIn ?? 60;
      this.oauth.set(access, { access, refresh, expires: Date.now() + expiresIn * 1000 });
      this.refreshTokens.set(refresh, access);
      return {
        headers: {},
        body: {
          clientId: '100000001', accountId: this.accountId, timezoneOffset: 0, lightstreamerEndpoint: `http://127.0.0.1:${this.port}/lightstreamer-unavailable`,
          oauthToken: { access_token: access, refresh_token: refresh, scope: 'profile', token_type: 'Bearer', expires_in: String(expiresIn) },
        },
      };
    }
    const cst = randomBytes(24).toString('hex');
    const xst = randomBytes(24).toString('hex');
    this.sessions.set(cst, { cst, xst, accountId: this.accountId, expires: Date.now() + 6 * 3_600_000 });
    return {
      headers: { CST: cst, 'X-SECURITY-TOKEN': xst },
      body: {
        accountType: 'CFD', accountInfo, currencyIsoCode: 'USD', currencySymbol: '$', currentAccountId: this.accountId,
        lightstreamerEndpoint: `http://127.0.0.1:${this.port}/lightstreamer-unavailable`,
        accounts: [{ accountId: this.accountId, accountName: 'CFD', preferred: true, accountType: 'CFD' }],
        clientId: '100000001', timezoneOffset: 0, hasActiveDemoAccounts: true, hasActiveLiveAccounts: false, trailingStopsEnabled: false, reroutingEnvironment: null, dealingEnabled: true,
      },
    };
  }

  private marketSnapshot(epic: string): Json {
    const d = this.def(epic);
    const q = this.quote(epic);
    return {
      marketStatus: 'TRADEABLE', netChange: 0, percentageChange: 0, updateTime: new Date().toISOString().slice(11, 19), delayTime: 0,
      bid: q.bid, offer: q.offer, high: q.offer, low: q.bid, binaryOdds: null, decimalPlacesFactor: d.decimals, scalingFactor: 1, controlledRiskExtraSpread: 0,
    };
  }

  private marketDetails(epic: string): Json {
    const d = this.def(epic);
    return {
      instrument: {
        epic, expiry: '-', name: d.name, forceOpenAllowed: true, stopsLimitsAllowed: true, lotSize: 1, unit: 'CONTRACTS', type: d.type,
        controlledRiskAllowed: true, streamingPricesAvailable: true, marketId: epic.split('.')[2], currencies: [{ code: d.currency, symbol: d.currency === 'USD' ? '$' : '¥', baseExchangeRate: 1, exchangeRate: 1, isDefault: true }],
        marginFactor: d.marginFactor, marginFactorUnit: 'PERCENTAGE', marginDepositBands: [{ min: 0, max: null, margin: d.marginFactor, currency: d.currency }],
        slippageFactor: { unit: 'pct', value: 50 }, openingHours: null, expiryDetails: null, rolloverDetails: null, newsCode: '', chartCode: '', country: null,
        valueOfOnePip: String(d.pip * d.contractSize), onePipMeans: `${d.pip} ${d.currency}`, contractSize: String(d.contractSize), specialInfo: [],
      },
      dealingRules: {
        minStepDistance: { unit: 'POINTS', value: 1 }, minDealSize: { unit: 'POINTS', value: d.minDealSize }, minControlledRiskStopDistance: { unit: 'POINTS', value: 10 },
        minNormalStopOrLimitDistance: { unit: 'POINTS', value: 2 }, maxStopOrLimitDistance: { unit: 'PERCENTAGE', value: 75 }, controlledRiskSpacing: { unit: 'POINTS', value: 0 },
        marketOrderPreference: 'AVAILABLE_DEFAULT_OFF', trailingStopsPreference: 'AVAILABLE',
      },
      snapshot: this.marketSnapshot(epic),
    };
  }

  private marketRow(epic: string): Json {
    const d = this.def(epic);
    return { epic, instrumentName: d.name, instrumentType: d.type, expiry: '-', lotSize: 1, streamingPricesAvailable: true, ...this.marketSnapshot(epic) };
  }

  private positionsJson(): Json {
    return {
      positions: this.book.s.positions.map((p) => ({
        position: {
          contractSize: this.def(p.epic).contractSize, createdDate: new Date(p.created).toISOString().slice(0, 19).replace('T', ' '), createdDateUTC: new Date(p.created).toISOString().slice(0, 19),
          dealId: p.dealId, dealReference: p.dealReference, size: p.size, direction: p.direction, limitLevel: null, level: p.level, currency: this.def(p.epic).currency,
          controlledRisk: false, stopLevel: null, trailingStep: null, trailingStopDistance: null, limitedRiskPremium: null,
        },
        market: this.marketRow(p.epic),
      })),
    };
  }

  private workingOrdersJson(): Json {
    return {
      workingOrders: this.book.s.workingOrders.map((w) => ({
        workingOrderData: {
          dealId: w.dealId, direction: w.direction, epic: w.epic, orderSize: w.size, orderLevel: w.level, timeInForce: w.timeInForce, goodTillDate: w.goodTillDate, goodTillDateISO: w.goodTillDate,
          createdDate: new Date(w.created).toISOString().slice(0, 19).replace('T', ' '), createdDateUTC: new Date(w.created).toISOString().slice(0, 19), guaranteedStop: false, orderType: w.type,
          stopDistance: null, limitDistance: null, currencyCode: w.currencyCode, dma: false, limitedRiskPremium: null,
        },
        marketData: this.marketRow(w.epic),
      })),
    };
  }

  private activityJson(url: URL): Json {
    const from = url.searchParams.get('from');
    const since = from ? Date.parse(from.endsWith('Z') ? from : `${from}Z`) : 0;
    const list = this.book.s.activities.filter((a) => Date.parse(String(a['date'])) >= since);
    const out: Json[] = [];
    for (const a of list) {
      out.push(a);
      // The duplicate fault lists a deal twice (the same dealId), as a client reading overlapping pages would see it.
      if (this.duplicates > 0 && a['type'] === 'POSITION') {
        this.duplicates--;
        out.push({ ...a });
      }
    }
    const detailed = url.searchParams.get('detailed') === 'true';
    return { activities: out.map((a) => (detailed ? a : { ...a, details: null })), metadata: { paging: { size: out.length, next: null } } };
  }

  /** GET /history/transactions (v2): `type` (ALL, ALL_DEAL, DEPOSIT, WITHDRAWAL), `from`/`to`, paged by `pageSize`
   * (default 50; 0: no paging) and `pageNumber` (from 1), as IG pages it. */
  private transactionsJson(url: URL): Json {
    const at = (q: string | null) => (q ? Date.parse(q.endsWith('Z') ? q : `${q}Z`) : NaN);
    const from = at(url.searchParams.get('from'));
    const to = at(url.searchParams.get('to'));
    const type = url.searchParams.get('type') ?? 'ALL';
    const wanted: Record<string, string[] | null> = { ALL: null, ALL_DEAL: ['DEAL'], DEPOSIT: ['DEPO'], WITHDRAWAL: ['WITH'] };
    if (!(type in wanted)) throw new IgRequestError(400, 'validation.invalid.type');
    const list: Json[] = [];
    for (const t of this.book.s.transactions ?? []) {
      const time = Date.parse(`${String(t['dateUtc'])}Z`);
      if ((Number.isFinite(from) && time < from) || (Number.isFinite(to) && time > to)) continue;
      if (wanted[type] && !wanted[type].includes(String(t['transactionType']))) continue;
      list.push(t);
      if (this.fundingDuplicates > 0) {
        this.fundingDuplicates--;
        list.push({ ...t });
      }
    }
    const pageSize = Number(url.searchParams.get('pageSize') ?? 50);
    const pageNumber = Math.max(1, Number(url.searchParams.get('pageNumber') ?? 1) || 1);
    const totalPages = pageSize > 0 ? Math.max(1, Math.ceil(list.length / pageSize)) : 1;
    const page = pageSize > 0 ? list.slice((pageNumber - 1) * pageSize, pageNumber * pageSize) : list;
    return { transactions: page, metadata: { size: page.length, pageData: { pageNumber, pageSize, totalPages } } };
  }

  private pricesJson(epic: string, url: URL): Json {
    const d = this.def(epic);
    const step = { SECOND: 1, MINUTE: 60, MINUTE_5: 300, HOUR: 3600, DAY: 86_400 }[url.searchParams.get('resolution') ?? 'MINUTE'] ?? 60;
    const max = Math.min(1000, Number(url.searchParams.get('max') ?? 10) || 10);
    const now = Math.floor(Date.now() / 1000 / step) * step;
    const mid = this.mid(epic);
    const prices = Array.from({ length: max }, (_, i) => {
      const t = now - (max - 1 - i) * step;
      // Deterministic bars around today's mid: a gentle wave by time, so the same request gives the same bars.
      const m = mid * (1 + 0.001 * Math.sin(t / step / 7));
      const px = (x: number) => ({ bid: round(x - d.spread / 2, d.decimals), ask: round(x + d.spread / 2, d.decimals), lastTraded: null });
      return { snapshotTime: new Date(t * 1000).toISOString().slice(0, 19).replace(/-/g, '/').replace('T', ' '), snapshotTimeUTC: new Date(t * 1000).toISOString().slice(0, 19), openPrice: px(m), closePrice: px(m * 1.0001), highPrice: px(m * 1.0003), lowPrice: px(m * 0.9997), lastTradedVolume: 0 };
    });
    return { prices, instrumentType: d.type, metadata: { allowance: { remainingAllowance: 10_000 - max, totalAllowance: 10_000, allowanceExpiry: 604_800 }, size: max, pageData: { pageSize: max, pageNumber: 1, totalPages: 1 } } };
  }

  private async handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const url = new URL(req.url ?? '/', 'http://sim');
    const path = url.pathname.replace(/^\/gateway\/deal/, '');
    const override = String(req.headers['_method'] ?? '').toUpperCase();
    const method = req.method === 'POST' && override ? override : req.method ?? 'GET';
    try {
      if (path === '/__sim/fault' && req.method === 'POST') return this.send(res, 200, { result: this.fault((await this.body(req)) as unknown as Fault, req.socket) });
      if (path === '/__sim/state') return this.send(res, 200, { accountId: this.accountId, balance: this.book.s.balance, positions: this.book.s.positions, workingOrders: this.book.s.workingOrders, deals: this.book.s.deals, transactionReads: this.requests.filter((r) => r === 'GET /history/transactions').length });
      this.requests.push(`${method} ${path}`);
      if (Date.now() < this.stallUntil) await new Promise((r) => setTimeout(r, this.stallUntil - Date.now()));
      if (this.http429 && this.http429.count > 0) {
        this.http429.count--;
        return this.send(res, 429, { errorCode: 'error.public-api.too-many-requests' }, { 'Retry-After': String(this.http429.retryAfter) });
      }
      const fail = this.http5xx && this.http5xx.count > 0 && (!this.http5xx.path || path.includes(this.http5xx.path)) ? this.http5xx : null;
      if (fail && !fail.after) {
        fail.count--;
        return this.send(res, fail.status ?? 503, { errorCode: 'error.service.unavailable' });
      }
      const apiKey = req.headers['x-ig-api-key'];
      if (apiKey !== this.apiKey) return this.send(res, 403, { errorCode: apiKey ? 'error.security.api-key-invalid' : 'error.security.api-key-missing' });
      const version = String(req.headers['version'] ?? '1');
      let answer: { status: number; body: unknown; headers?: Record<string, string> };
      if (path === '/session' && method === 'POST') {
        const b = await this.body(req);
        if (b['identifier'] !== this.identifier || b['password'] !== this.password) answer = { status: 401, body: { errorCode: 'error.security.invalid-details' } };
        else {
          const s = this.newSession(version);
          answer = { status: 200, body: s.body, headers: s.headers };
        }
      } else if (path === '/session/refresh-token' && method === 'POST') {
        const b = await this.body(req);
        const old = this.refreshTokens.get(String(b['refresh_token']));
        if (!old) answer = { status: 401, body: { errorCode: 'error.security.invalid-refresh-token' } };
        else {
          this.refreshTokens.delete(String(b['refresh_token']));
          this.oauth.delete(old);
          answer = { status: 200, body: (this.newSession('3').body['oauthToken']) };
        }
      } else {
        const who = this.authed(req);
        if (who === 'expired') answer = { status: 401, body: { errorCode: 'error.security.oauth-token-invalid' } };
        else if (!who) answer = { status: 401, body: { errorCode: 'error.security.client-token-invalid' } };
        else if (who.accountId !== this.accountId) answer = { status: 401, body: { errorCode: 'error.security.account-token-invalid' } };
        else {
          const trading = method !== 'GET';
          if (this.allowance && this.allowance.count > 0 && (!this.allowance.path || path.includes(this.allowance.path))) {
            this.allowance.count--;
            answer = { status: 403, body: { errorCode: trading ? 'error.public-api.exceeded-account-trading-allowance' : 'error.public-api.exceeded-account-allowance' } };
          } else if (this.overAllowance(trading)) {
            answer = { status: 403, body: { errorCode: trading ? 'error.public-api.exceeded-account-trading-allowance' : 'error.public-api.exceeded-account-allowance' } };
          } else answer = await this.route(method, path, url, req);
        }
      }
      if (fail && fail.after) {
        fail.count--;
        this.save();
        return this.send(res, fail.status ?? 503, { errorCode: 'error.service.unavailable' });
      }
      this.save();
      this.send(res, answer.status, answer.body, answer.headers);
    } catch (err) {
      if (err instanceof IgRequestError) return this.send(res, err.status, { errorCode: err.errorCode });
      this.send(res, 500, { errorCode: 'error.unexpected', message: (err as Error).message });
    }
  }

  private async route(method: string, path: string, url: URL, req: IncomingMessage): Promise<{ status: number; body: unknown; headers?: Record<string, string> }> {
    const ok = (body: unknown) => ({ status: 200, body });
    if (path === '/session' && method === 'GET') return ok({ clientId: '100000001', accountId: this.accountId, timezoneOffset: 0, locale: 'en_GB', currency: 'USD', lightstreamerEndpoint: `http://127.0.0.1:${this.port}/lightstreamer-unavailable` });
    if (path === '/session' && method === 'DELETE') return { status: 204, body: {} };
    if (path === '/session' && method === 'PUT') {
      const b = await this.body(req);
      if (b['accountId'] !== this.accountId) return { status: 400, body: { errorCode: 'error.switch.accountId-must-be-different' } };
      return ok({ trailingStopsEnabled: false, dealingEnabled: true, hasActiveDemoAccounts: true, hasActiveLiveAccounts: false });
    }
    if (path === '/accounts' && method === 'GET') {
      const pl = this.book.profitLoss();
      const margin = this.book.margin();
      return ok({ accounts: [{ accountId: this.accountId, accountName: 'CFD', accountAlias: null, status: 'ENABLED', accountType: 'CFD', preferred: true, currency: 'USD', canTransferFrom: true, canTransferTo: true,
        balance: { balance: round(this.book.s.balance, 2), deposit: round(margin, 2), profitLoss: round(pl, 2), available: round(this.book.s.balance + pl - margin, 2) } }] });
    }
    if (path === '/markets' && method === 'GET') {
      const epics = url.searchParams.get('epics');
      if (epics) return ok({ marketDetails: epics.split(',').slice(0, 50).map((e) => this.marketDetails(e)) });
      const term = (url.searchParams.get('searchTerm') ?? '').toLowerCase();
      return ok({ markets: SIM_MARKETS.filter((m) => m.epic.toLowerCase().includes(term) || m.name.toLowerCase().replace('/', '').includes(term.replace('/', ''))).map((m) => this.marketRow(m.epic)) });
    }
    let m = /^\/markets\/([^/]+)$/.exec(path);
    if (m && method === 'GET') return ok(this.marketDetails(decodeURIComponent(m[1]!)));
    m = /^\/prices\/([^/]+)$/.exec(path);
    if (m && method === 'GET') return ok(this.pricesJson(decodeURIComponent(m[1]!), url));
    if (path === '/positions' && method === 'GET') return ok(this.positionsJson());
    if (path === '/positions/otc' && method === 'POST') return ok({ dealReference: this.book.openPosition(await this.body(req)) });
    if (path === '/positions/otc' && method === 'DELETE') return ok({ dealReference: this.book.closePosition(await this.body(req)) });
    if (path === '/workingorders' && method === 'GET') return ok(this.workingOrdersJson());
    if (path === '/workingorders/otc' && method === 'POST') return ok({ dealReference: this.book.createWorkingOrder(await this.body(req)) });
    m = /^\/workingorders\/otc\/([^/]+)$/.exec(path);
    if (m && method === 'DELETE') return ok({ dealReference: this.book.deleteWorkingOrder(decodeURIComponent(m[1]!)) });
    m = /^\/confirms\/([^/]+)$/.exec(path);
    if (m && method === 'GET') {
      const c = this.book.s.confirms[decodeURIComponent(m[1]!)];
      return c ? ok(c) : { status: 404, body: { errorCode: 'error.confirms.deal-not-found' } };
    }
    if (path === '/history/activity' && method === 'GET') return ok(this.activityJson(url));
    if (path === '/history/transactions' && method === 'GET') return ok(this.transactionsJson(url));
    if (req.method !== 'GET' && req.method !== 'POST') return { status: 405, body: { errorCode: 'error.request.method-not-allowed' } };
    return { status: 404, body: { errorCode: 'error.public-api.failure.not-found' } };
  }
}
