// The IG simulator's dealing book: one CFD account with positions per deal (netted when `forceOpen` is false, as IG
// does), working orders (LIMIT and STOP) that trigger on the price walk, deal confirmations by dealReference, and the
// activity history every deal and working-order change is written to, and the transaction history overnight funding is
// charged to (the rollover).
import Decimal from 'decimal.js';

export type Json = Record<string, unknown>;
export type Direction = 'BUY' | 'SELL';

/** An instrument of the demo account: IG's epic, its dealing rules and its price walk's start. */
export interface SimMarketDef {
  epic: string;
  name: string;
  type: 'CURRENCIES' | 'COMMODITIES' | 'INDICES';
  currency: string;
  /** Units of the underlying in one contract (IG's `contractSize`). */
  contractSize: number;
  minDealSize: number;
  /** Margin factor in percent (IG's `marginFactor`, 3.33 = 30:1). */
  marginFactor: number;
  decimals: number;
  spread: number;
  start: number;
  /** IG's `onePipMeans` and `valueOfOnePip` texts. */
  pip: number;
}

export const SIM_MARKETS: readonly SimMarketDef[] = [
  { epic: 'CS.D.EURUSD.CFD.IP', name: 'EUR/USD', type: 'CURRENCIES', currency: 'USD', contractSize: 100_000, minDealSize: 0.01, marginFactor: 3.33, decimals: 5, spread: 0.00006, start: 1.085, pip: 0.0001 },
  { epic: 'CS.D.GBPUSD.CFD.IP', name: 'GBP/USD', type: 'CURRENCIES', currency: 'USD', contractSize: 100_000, minDealSize: 0.01, marginFactor: 3.33, decimals: 5, spread: 0.00009, start: 1.27, pip: 0.0001 },
  { epic: 'CS.D.USDJPY.CFD.IP', name: 'USD/JPY', type: 'CURRENCIES', currency: 'JPY', contractSize: 100_000, minDealSize: 0.01, marginFactor: 3.33, decimals: 3, spread: 0.007, start: 150.2, pip: 0.01 },
  { epic: 'CS.D.CFDGOLD.CFD.IP', name: 'Spot Gold', type: 'COMMODITIES', currency: 'USD', contractSize: 1, minDealSize: 1, marginFactor: 5, decimals: 2, spread: 0.3, start: 2350, pip: 0.01 },
  { epic: 'IX.D.SPTRD.DAILY.IP', name: 'US 500', type: 'INDICES', currency: 'USD', contractSize: 1, minDealSize: 1, marginFactor: 5, decimals: 1, spread: 0.4, start: 5200, pip: 1 },
];

export interface SimPosition { dealId: string; dealReference: string; epic: string; direction: Direction; size: number; level: number; created: number }
export interface SimWorkingOrder { dealId: string; dealReference: string; epic: string; direction: Direction; size: number; level: number; type: 'LIMIT' | 'STOP'; forceOpen: boolean; timeInForce: string; goodTillDate: string | null; currencyCode: string; created: number }
/** One executed deal (a fill): what the soak compares our books with. */
export interface SimDeal { dealId: string; dealReference: string; epic: string; direction: Direction; size: number; level: number; time: number }

export interface BookState {
  accountId: string;
  balance: number;
  nextId: number;
  positions: SimPosition[];
  workingOrders: SimWorkingOrder[];
  confirms: Record<string, Json>;
  activities: Json[];
  deals: SimDeal[];
  /** GET /history/transactions rows, oldest first (the rollover's funding; older state files have none). */
  transactions?: Json[];
}

/**
 * The simulator's funding rates, annual percent of the position's value (negative: charged): IG's admin fee ± the
 * benchmark, made simple and the same for every market. A day is 1/365 of a year (IG uses 360 for some currencies).
 */
export const SIM_FUNDING = { long: -3, short: -1 } as const;

/** A request IG refuses outright (HTTP 4xx with an errorCode), before any deal reference is taken. */
export class IgRequestError extends Error {
  constructor(readonly status: number, readonly errorCode: string) {
    super(errorCode);
  }
}

export interface Quote { bid: number; offer: number }

const round = (x: number, d: number) => Number(x.toFixed(d));
const iso = (ms: number) => new Date(ms).toISOString();
/** IG's dealReference rule: letters, digits, '-' and '_', up to 30 characters. */
const REF = /^[A-Za-z0-9_-]{1,30}$/;

export class Book {
  constructor(readonly s: BookState, private readonly price: (epic: string) => Quote, private readonly now: () => number) {}

  static fresh(accountId: string, balance: number): BookState {
    return { accountId, balance, nextId: 1, positions: [], workingOrders: [], confirms: {}, activities: [], deals: [], transactions: [] };
  }

  private dealId(): string {
    return `DIAAAA${String(this.s.nextId++).padStart(9, '0')}`;
  }

  private ref(given: unknown): string {
    if (given === undefined || given === null || given === '') return `SIMREF${String(this.s.nextId++).padStart(9, '0')}`;
    if (typeof given !== 'string' || !REF.test(given)) throw new IgRequestError(400, 'validation.pattern.invalid.dealReference');
    return given;
  }

  def(epic: string): SimMarketDef {
    const d = SIM_MARKETS.find((m) => m.epic === epic);
    if (!d) throw new IgRequestError(404, 'error.service.marketdata.instrument.epic.unavailable');
    return d;
  }

  // --- account figures ---

  profitLoss(): number {
    return this.s.positions.reduce((sum, p) => {
      const q = this.price(p.epic);
      const d = this.def(p.epic);
      const exit = p.direction === 'BUY' ? q.bid : q.offer;
      const pl = (exit - p.level) * (p.direction === 'BUY' ? 1 : -1) * p.size * d.contractSize;
      // P&L in the account currency (USD): a JPY quote is converted at the USD/JPY mid.
      const usd = d.currency === 'JPY' ? pl / this.mid('CS.D.USDJPY.CFD.IP') : pl;
      return sum + usd;
    }, 0);
  }

  margin(): number {
    return this.s.positions.reduce((sum, p) => {
      const d = this.def(p.epic);
      const value = p.size * d.contractSize * this.mid(p.epic);
      const usd = d.currency === 'JPY' ? value / this.mid('CS.D.USDJPY.CFD.IP') : d.type === 'CURRENCIES' && d.epic.includes('.USD') ? value : value;
      return sum + (usd * d.marginFactor) / 100;
    }, 0);
  }

  private mid(epic: string): number {
    const q = this.price(epic);
    return (q.bid + q.offer) / 2;
  }

  // --- dealing ---

  private confirm(ref: string, c: Json): void {
    this.s.confirms[ref] = { date: iso(this.now()).slice(0, 23), dealReference: ref, expiry: '-', guaranteedStop: false, trailingStop: false, profit: null, profitCurrency: null, stopLevel: null, limitLevel: null, stopDistance: null, limitDistance: null, ...c };
  }

  private activity(a: Json): void {
    this.s.activities.push({ date: iso(this.now()), channel: 'PUBLIC_WEB_API', period: '-', ...a });
  }

  private reject(ref: string, epic: string, direction: string, size: number, reason: string, kind: 'POSITION' | 'WORKING_ORDER'): void {
    this.confirm(ref, { epic, direction, size, level: null, dealId: null, dealStatus: 'REJECTED', reason, status: null, affectedDeals: [] });
    this.activity({ epic, dealId: null, type: kind, status: 'REJECTED', description: `Rejected: ${reason}`, details: { dealReference: ref, actions: [], direction, size, level: null, marketName: this.def(epic).name, currency: this.def(epic).currency } });
  }

  /** Fills a deal at `level`: reduces opposite positions oldest first unless `forceOpen`, opens the rest. */
  private execute(ref: string, epic: string, direction: Direction, size: number, level: number, forceOpen: boolean): { dealId: string; affected: Json[]; status: string } {
    const d = this.def(epic);
    const dealId = this.dealId();
    const affected: Json[] = [];
    let left = size;
    if (!forceOpen) {
      for (const p of this.s.positions.filter((x) => x.epic === epic && x.direction !== direction)) {
        if (left <= 1e-12) break;
        const take = Math.min(left, p.size);
        const pl = (level - p.level) * (p.direction === 'BUY' ? 1 : -1) * take * d.contractSize;
        this.s.balance += d.currency === 'JPY' ? pl / this.mid('CS.D.USDJPY.CFD.IP') : pl;
        p.size = round(p.size - take, 8);
        left = round(left - take, 8);
        affected.push({ dealId: p.dealId, status: p.size <= 1e-12 ? 'FULLY_CLOSED' : 'PARTIALLY_CLOSED' });
      }
      this.s.positions = this.s.positions.filter((p) => p.size > 1e-12);
    }
    if (left > 1e-12) {
      this.s.positions.push({ dealId, dealReference: ref, epic, direction, size: left, level, created: this.now() });
      affected.push({ dealId, status: 'OPENED' });
    }
    const status = affected.some((a) => a['status'] === 'OPENED') ? 'OPEN' : affected.some((a) => a['status'] === 'PARTIALLY_CLOSED') ? 'PARTIALLY_CLOSED' : 'FULLY_CLOSED';
    this.s.deals.push({ dealId, dealReference: ref, epic, direction, size, level, time: this.now() });
    const actions = affected.map((a) => ({ actionType: a['status'] === 'OPENED' ? 'POSITION_OPENED' : a['status'] === 'FULLY_CLOSED' ? 'POSITION_CLOSED' : 'POSITION_PARTIALLY_CLOSED', affectedDealId: a['dealId'] }));
    this.activity({ epic, dealId, type: 'POSITION', status: 'ACCEPTED', description: `Position ${status === 'OPEN' ? 'opened' : 'closed'}: ${dealId}`, details: { dealReference: ref, actions, direction, size, level, marketName: d.name, currency: d.currency, goodTillDate: null, stopLevel: null, limitLevel: null, guaranteedStop: false } });
    return { dealId, affected, status };
  }

  private checkSize(epic: string, size: unknown): number {
    const n = Number(size);
    if (!Number.isFinite(n) || n <= 0) throw new IgRequestError(400, 'validation.invalid.size');
    return n;
  }

  /** POST /positions/otc. Returns the deal reference; the outcome is in the confirm. */
  openPosition(body: Json): string {
    const epic = String(body['epic'] ?? '');
    const d = this.def(epic);
    const direction = body['direction'] === 'SELL' ? 'SELL' : body['direction'] === 'BUY' ? 'BUY' : null;
    if (!direction) throw new IgRequestError(400, 'validation.invalid.direction');
    const size = this.checkSize(epic, body['size']);
    const orderType = String(body['orderType'] ?? 'MARKET');
    if (!['MARKET', 'LIMIT', 'QUOTE'].includes(orderType)) throw new IgRequestError(400, 'validation.invalid.orderType');
    if ((body['stopLevel'] !== undefined || body['limitLevel'] !== undefined || body['stopDistance'] !== undefined || body['limitDistance'] !== undefined) && body['forceOpen'] !== true
      && [body['stopLevel'], body['limitLevel'], body['stopDistance'], body['limitDistance']].some((x) => x !== undefined && x !== null)) {
      throw new IgRequestError(400, 'validation.invalid.forceOpen'); // IG: stops and limits need forceOpen true
    }
    const ref = this.ref(body['dealReference']);
    // A reference IG already dealt: nothing is dealt again (the first outcome stays in its confirm).
    if (this.s.confirms[ref]) return ref;
    const q = this.price(epic);
    if (size < d.minDealSize - 1e-12) {
      this.reject(ref, epic, direction, size, 'MINIMUM_ORDER_SIZE_ERROR', 'POSITION');
      return ref;
    }
    const level = direction === 'BUY' ? q.offer : q.bid;
    if (orderType === 'LIMIT' && body['level'] !== undefined && (direction === 'BUY' ? level > Number(body['level']) : level < Number(body['level']))) {
      this.reject(ref, epic, direction, size, 'MARKET_PRICE_MOVED', 'POSITION'); // a LIMIT position deal is fill-or-kill at the level or better
      return ref;
    }
    const opensMore = body['forceOpen'] === true || !this.s.positions.some((p) => p.epic === epic && p.direction !== direction);
    if (opensMore) {
      const need = (size * d.contractSize * level * d.marginFactor) / 100 / (d.currency === 'JPY' ? this.mid('CS.D.USDJPY.CFD.IP') : 1);
      if (this.s.balance + this.profitLoss() - this.margin() < need) {
        this.reject(ref, epic, direction, size, 'INSUFFICIENT_FUNDS', 'POSITION');
        return ref;
      }
    }
    const r = this.execute(ref, epic, direction, size, round(level, d.decimals), body['forceOpen'] === true);
    this.confirm(ref, { epic, direction, size, level: round(level, d.decimals), dealId: r.dealId, dealStatus: 'ACCEPTED', reason: 'SUCCESS', status: r.status, affectedDeals: r.affected });
    return ref;
  }

  /** POST /positions/otc with `_method: DELETE`: closes (part of) a position by dealId, or by epic and direction. */
  closePosition(body: Json): string {
    const direction = body['direction'] === 'SELL' ? 'SELL' : body['direction'] === 'BUY' ? 'BUY' : null;
    if (!direction) throw new IgRequestError(400, 'validation.invalid.direction');
    const size = this.checkSize('', body['size']);
    const p = body['dealId'] ? this.s.positions.find((x) => x.dealId === body['dealId']) : this.s.positions.find((x) => x.epic === body['epic'] && x.direction !== direction);
    if (!p) throw new IgRequestError(404, 'error.service.otc.position.not-found');
    if (p.direction === direction) throw new IgRequestError(400, 'validation.invalid.direction');
    const ref = this.ref(body['dealReference']);
    if (this.s.confirms[ref]) return ref;
    const q = this.price(p.epic);
    const level = round(direction === 'BUY' ? q.offer : q.bid, this.def(p.epic).decimals);
    const r = this.execute(ref, p.epic, direction, Math.min(size, p.size), level, false);
    this.confirm(ref, { epic: p.epic, direction, size: Math.min(size, p.size), level, dealId: r.dealId, dealStatus: 'ACCEPTED', reason: 'SUCCESS', status: r.status, affectedDeals: r.affected });
    return ref;
  }

  /** POST /workingorders/otc. */
  createWorkingOrder(body: Json): string {
    const epic = String(body['epic'] ?? '');
    const d = this.def(epic);
    const direction = body['direction'] === 'SELL' ? 'SELL' : body['direction'] === 'BUY' ? 'BUY' : null;
    if (!direction) throw new IgRequestError(400, 'validation.invalid.direction');
    const size = this.checkSize(epic, body['size']);
    const type = body['type'] === 'LIMIT' ? 'LIMIT' : body['type'] === 'STOP' ? 'STOP' : null;
    if (!type) throw new IgRequestError(400, 'validation.invalid.type');
    const level = Number(body['level']);
    if (!(level > 0)) throw new IgRequestError(400, 'validation.invalid.level');
    const tif = String(body['timeInForce'] ?? 'GOOD_TILL_CANCELLED');
    if (tif !== 'GOOD_TILL_CANCELLED' && tif !== 'GOOD_TILL_DATE') throw new IgRequestError(400, 'validation.invalid.timeInForce');
    const ref = this.ref(body['dealReference']);
    if (this.s.confirms[ref]) return ref;
    if (size < d.minDealSize - 1e-12) {
      this.reject(ref, epic, direction, size, 'MINIMUM_ORDER_SIZE_ERROR', 'WORKING_ORDER');
      return ref;
    }
    const q = this.price(epic);
    const price = direction === 'BUY' ? q.offer : q.bid;
    // IG refuses a LIMIT on the wrong side of the market (it would be a market deal) and a STOP likewise.
    const wrongSide = type === 'LIMIT' ? (direction === 'BUY' ? level >= price : level <= price) : (direction === 'BUY' ? level <= price : level >= price);
    if (wrongSide) {
      this.reject(ref, epic, direction, size, 'ATTACHED_ORDER_LEVEL_ERROR', 'WORKING_ORDER');
      return ref;
    }
    const dealId = this.dealId();
    this.s.workingOrders.push({ dealId, dealReference: ref, epic, direction, size, level: round(level, d.decimals), type, forceOpen: body['forceOpen'] === true, timeInForce: tif, goodTillDate: (body['goodTillDate'] as string | undefined) ?? null, currencyCode: String(body['currencyCode'] ?? d.currency), created: this.now() });
    this.confirm(ref, { epic, direction, size, level: round(level, d.decimals), dealId, dealStatus: 'ACCEPTED', reason: 'SUCCESS', status: 'OPEN', affectedDeals: [{ dealId, status: 'OPENED' }] });
    this.activity({ epic, dealId, type: 'WORKING_ORDER', status: 'ACCEPTED', description: `Working order placed: ${dealId}`, details: { dealReference: ref, actions: [{ actionType: 'WORKING_ORDER_CREATED', affectedDealId: dealId }], direction, size, level, marketName: d.name, currency: d.currency } });
    return ref;
  }

  /** POST /workingorders/otc/{dealId} with `_method: DELETE`. */
  deleteWorkingOrder(dealId: string): string {
    const i = this.s.workingOrders.findIndex((w) => w.dealId === dealId);
    if (i < 0) throw new IgRequestError(404, 'error.service.delete.working.order.not.found');
    const [w] = this.s.workingOrders.splice(i, 1) as [SimWorkingOrder];
    const ref = this.ref(undefined);
    this.confirm(ref, { epic: w.epic, direction: w.direction, size: w.size, level: w.level, dealId, dealStatus: 'ACCEPTED', reason: 'SUCCESS', status: 'DELETED', affectedDeals: [{ dealId, status: 'DELETED' }] });
    this.activity({ epic: w.epic, dealId, type: 'WORKING_ORDER', status: 'ACCEPTED', description: `Working order deleted: ${dealId}`, details: { dealReference: ref, actions: [{ actionType: 'WORKING_ORDER_DELETED', affectedDealId: dealId }], direction: w.direction, size: w.size, level: w.level, marketName: this.def(w.epic).name, currency: w.currencyCode } });
    return ref;
  }

  /**
   * The daily rollover: every open position is charged (or paid) its funding for `days` days (3 for a weekend) on its
   * value at the mid, in the account currency (USD; a JPY-quoted market converted at the USD/JPY mid), rounded half-up
   * to the cent as a statement shows it, and written to the transaction history as IG does: a `WITH` row for a charge,
   * `DEPO` for a payment, named after the market. Returns the rows written.
   */
  rollover(days = 1): Json[] {
    const rows: Json[] = [];
    const now = this.now();
    for (const p of this.s.positions) {
      const d = this.def(p.epic);
      const rate = p.direction === 'BUY' ? SIM_FUNDING.long : SIM_FUNDING.short;
      let value = new Decimal(p.size).times(d.contractSize).times(this.mid(p.epic));
      if (d.currency === 'JPY') value = value.div(this.mid('CS.D.USDJPY.CFD.IP'));
      const usd = value.times(rate).div(100).div(365).times(days).toDecimalPlaces(2, Decimal.ROUND_HALF_UP);
      if (usd.isZero()) continue;
      this.s.balance = new Decimal(this.s.balance).plus(usd).toNumber();
      const row: Json = {
        date: iso(now).slice(0, 10), dateUtc: iso(now).slice(0, 19), openDateUtc: iso(p.created).slice(0, 19),
        instrumentName: `Funding ${d.name} ${p.direction === 'BUY' ? 'long' : 'short'} ${p.dealId}`, period: '-',
        profitAndLoss: `$${usd.toFixed(2)}`, transactionType: usd.isNegative() ? 'WITH' : 'DEPO',
        reference: `FUND${String(this.s.nextId++).padStart(9, '0')}`, openLevel: '-', closeLevel: '-', size: '-', currency: 'USD', cashTransaction: false,
      };
      (this.s.transactions ??= []).push(row);
      rows.push(row);
    }
    return rows;
  }

  /** Working orders the new prices cross fill: a LIMIT at its level (or better), a STOP at the market. */
  onPrices(epics: Iterable<string>): void {
    for (const epic of epics) {
      const q = this.price(epic);
      for (const w of this.s.workingOrders.filter((x) => x.epic === epic)) {
        const px = w.direction === 'BUY' ? q.offer : q.bid;
        const hit = w.type === 'LIMIT' ? (w.direction === 'BUY' ? px <= w.level : px >= w.level) : (w.direction === 'BUY' ? px >= w.level : px <= w.level);
        if (!hit) continue;
        this.s.workingOrders = this.s.workingOrders.filter((x) => x !== w);
        const level = w.type === 'LIMIT' ? w.level : round(px, this.def(epic).decimals);
        // The deal carries the working order's reference: that is how its fill is found in the activity history.
        this.execute(w.dealReference, epic, w.direction, w.size, level, w.forceOpen);
      }
    }
  }
}
