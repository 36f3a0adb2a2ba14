// Daily valuation of ledger accounts: holdings and cash per account per calendar day, in each account's own currency
// and in a reporting (base) currency, with the external flows that performance needs. Two passes:
// 1. a fold over the transactions in exact decimals (money.ts): quantities and cash per account, recorded as change
//    points per holding (typed arrays later, not a map per day);
// 2. a pass per holding over the days, with prices and FX rates materialised once per symbol and currency pair.
// Only quantities and cash are folded here (no lots): the ledger's own fold (src-main/domain/ledger/) may replace it.
import type { Transaction } from '../../../src-shared/domain/ledger';
import { cents, dec, ZERO, type Dec } from '../money';
import { dateOf, dayOf } from '../../../src-shared/domain/dates';

/** Close of `symbol` on or before `day`, in the instrument's currency, as traded (not split-adjusted); undefined when none. */
export type PriceLookup = (symbol: string, day: number) => number | undefined;
/** Units of `to` for one unit of `from` on or before `day`; undefined when none (the inverse pair is tried too). */
export type FxLookup = (from: string, to: string, day: number) => number | undefined;

export interface ValuationAccount {
  id: string;
  baseCurrency: string;
}

export interface ValuationInput {
  accounts: readonly ValuationAccount[];
  transactions: readonly Transaction[];
  /** The reporting currency of the total (and of every account's `base` series). */
  baseCurrency: string;
  /** Last day valued (days since 1970-01-01); transactions after it are ignored. */
  to: number;
  prices: PriceLookup;
  fx: FxLookup;
}

/**
 * A value series with its external flows, one entry per calendar day from `Valuation.start`. Money in counts at the
 * start of its day, money out at the end (returns.ts, docs/portfolio-analytics.md): the day's return is
 * (nav[t] − nav[t−1] − flows[t]) / (nav[t−1] + max(flows[t], 0)), unless
 * `capital` gives the denominator (holdings: |value[t−1]| + what was opened that day, so closing trades and shorts
 * have a meaningful base).
 */
export interface SeriesSet {
  nav: Float64Array;
  /** External flows (deposits +, withdrawals −, securities transferred in/out at the day's close). */
  flows: Float64Array;
  /** The value at constant FX: each day's holdings and cash at the previous day's rates (return without currency effect). */
  navConstFx?: Float64Array;
  capital?: Float64Array;
}

export interface AccountValuation {
  id: string;
  currency: string;
  /** In the account's own currency. */
  own: SeriesSet;
  /** In the reporting currency. */
  base: SeriesSet;
  /** At the last day, exact. */
  cash: { currency: string; amount: string }[];
  positions: { symbol: string; currency: string; quantity: string }[];
}

export interface HoldingValuation {
  accountId: string;
  symbol: string;
  currency: string;
  /** At the last day, exact (negative: short). */
  quantity: string;
  /** Shares held each day (after that day's transactions). */
  quantities: Float64Array;
  /** The close used each day, in the instrument's currency. */
  price: Float64Array;
  /** In the reporting currency: value, flows into the holding (buys, transfers in; sales and income out), capital. */
  base: SeriesSet;
}

export interface Valuation {
  /** First valued day (the first transaction's), days since 1970-01-01; entry i of every series is day start + i. */
  start: number;
  days: number;
  baseCurrency: string;
  accounts: AccountValuation[];
  holdings: HoldingValuation[];
  /** Cash of all accounts per currency in the reporting currency, per day (exposure by currency, the cash rows). */
  cash: { accountId: string; currency: string; base: Float64Array }[];
  total: SeriesSet;
}

export class ValuationError extends Error {}

interface HoldingState {
  accountId: string;
  symbol: string;
  currency: string;
  qty: Dec;
  /** qty as a number, kept beside the exact value (Decimal's toNumber costs a string round trip per call). */
  qtyN: number;
  // Change points, one per day with a transaction: day index, quantity after, cash to the account in the holding's
  // currency (sales and income +, purchases, fees and taxes −), quantity transferred in (−: out), notional opened.
  evDay: number[];
  evQty: number[];
  evCash: number[];
  evTransfer: number[];
  evOpened: number[];
}

interface CashState {
  accountId: string;
  currency: string;
  amount: Dec;
  amountN: number;
  evDay: number[];
  evAmount: number[];
  /** Deposits and withdrawals of the day (external flows), in this currency. */
  evFlow: number[];
}

function lastIndexFor<T extends { evDay: number[] }>(s: T, day: number): number {
  const n = s.evDay.length;
  return n && s.evDay[n - 1] === day ? n - 1 : -1;
}

function touchHolding(h: HoldingState, day: number): number {
  const i = lastIndexFor(h, day);
  if (i >= 0) return i;
  h.evDay.push(day);
  h.evQty.push(h.qtyN);
  h.evCash.push(0);
  h.evTransfer.push(0);
  h.evOpened.push(0);
  return h.evDay.length - 1;
}

function touchCash(c: CashState, day: number): number {
  const i = lastIndexFor(c, day);
  if (i >= 0) return i;
  c.evDay.push(day);
  c.evAmount.push(c.amountN);
  c.evFlow.push(0);
  return c.evDay.length - 1;
}


/**
 * Transactions in date order (then time, then as given): same-day order matters only within the day's change point.
 * A ledger read from a store usually arrives in order already, and then is not sorted again.
 */
function ordered(transactions: readonly Transaction[]): readonly Transaction[] {
  const keys = transactions.map((t) => (t.time === undefined ? t.date : `${t.date}\u0000${t.time}`));
  let sorted = true;
  for (let i = 1; i < keys.length && sorted; i++) sorted = keys[i - 1]! <= keys[i]!;
  if (sorted) return transactions;
  const index = keys.map((_, i) => i);
  index.sort((a, b) => (keys[a]! < keys[b]! ? -1 : keys[a]! > keys[b]! ? 1 : a - b));
  return index.map((i) => transactions[i]!);
}

/** Parsed decimals by their text: quantities, fees and prices repeat across a ledger, and parsing is Decimal's cost. */
class DecimalCache {
  private readonly map = new Map<string, Dec>();
  get(s: string): Dec {
    let d = this.map.get(s);
    if (d === undefined) {
      d = dec(s);
      if (this.map.size < 100_000) this.map.set(s, d);
    }
    return d;
  }
}

/** Values every account day by day from its first transaction to `to`. Throws ValuationError on a price or rate it cannot find. */
export function valuePortfolio(input: ValuationInput): Valuation {
  const lastDate = dateOf(input.to);
  const txs = ordered(input.transactions).filter((t) => t.date <= lastDate);
  const accountCcy = new Map(input.accounts.map((a) => [a.id, a.baseCurrency]));
  const start = txs.length ? dayOf(txs[0]!.date) : input.to;
  const N = Math.max(0, input.to - start + 1);
  const holdings = new Map<string, HoldingState>();
  const cash = new Map<string, CashState>();
  // Trade prices per symbol, the price of a day no close is known for (split-adjusted as splits come).
  const tradePx = new Map<string, { day: number[]; px: number[] }>();

  const holding = (t: Transaction): HoldingState => {
    if (!t.symbol) throw new ValuationError(`${t.type} ${t.id} on ${t.date}: no symbol`);
    const key = `${t.accountId}\u0000${t.symbol}`;
    let h = holdings.get(key);
    if (!h) {
      h = { accountId: t.accountId, symbol: t.symbol, currency: t.currency, qty: ZERO, qtyN: 0, evDay: [], evQty: [], evCash: [], evTransfer: [], evOpened: [] };
      holdings.set(key, h);
    }
    return h;
  };
  const cashOf = (accountId: string, currency: string): CashState => {
    const key = `${accountId}\u0000${currency}`;
    let c = cash.get(key);
    if (!c) {
      c = { accountId, currency, amount: ZERO, amountN: 0, evDay: [], evAmount: [], evFlow: [] };
      cash.set(key, c);
    }
    return c;
  };
  /** Books `amount` (its number `n`) to a cash balance; the number shadow is snapped to the exact zero. */
  const book = (accountId: string, currency: string, d: number, amount: Dec, n: number, flow = false): void => {
    const c = cashOf(accountId, currency);
    c.amount = c.amount.plus(amount);
    c.amountN = c.amount.isZero() ? 0 : c.amountN + n;
    const i = touchCash(c, d);
    c.evAmount[i] = c.amountN;
    if (flow) c.evFlow[i] = c.evFlow[i]! + n;
  };
  const setQty = (h: HoldingState, qty: Dec, n: number): void => {
    h.qty = qty;
    h.qtyN = qty.isZero() ? 0 : n;
  };
  const recordPx = (symbol: string, d: number, px: number): void => {
    let s = tradePx.get(symbol);
    if (!s) tradePx.set(symbol, (s = { day: [], px: [] }));
    if (s.day.length && s.day[s.day.length - 1] === d) s.px[s.px.length - 1] = px;
    else {
      s.day.push(d);
      s.px.push(px);
    }
  };

  const decimals = new DecimalCache();
  const num = (s: string | undefined, what: string, t: Transaction): Dec => {
    if (s === undefined) throw new ValuationError(`${t.type} ${t.id} on ${t.date}: no ${what}`);
    return decimals.get(s);
  };
  const dayCache = new Map<string, number>();
  const dayIndex = (date: string): number => {
    let d = dayCache.get(date);
    if (d === undefined) dayCache.set(date, (d = dayOf(date)));
    return d;
  };
  for (const t of txs) {
    if (!accountCcy.has(t.accountId)) throw new ValuationError(`transaction ${t.id}: unknown account ${t.accountId}`);
    const d = dayIndex(t.date) - start;
    const feeN = t.fee === undefined || t.fee === '0' ? 0 : Number(t.fee);
    const fee = feeN === 0 ? ZERO : decimals.get(t.fee!);
    switch (t.type) {
      case 'BUY':
      case 'SELL': {
        const h = holding(t);
        const q = num(t.quantity, 'quantity', t);
        const p = num(t.price, 'price', t);
        const qN = Number(t.quantity);
        const pN = Number(t.price);
        const before = h.qtyN;
        if (t.type === 'BUY') setQty(h, h.qty.plus(q), h.qtyN + qN);
        else setQty(h, h.qty.minus(q), h.qtyN - qN);
        const gross = cents(q.times(p));
        const cashEffect = cents(t.type === 'BUY' ? gross.plus(fee).negated() : gross.minus(fee));
        const cashN = cashEffect.toNumber();
        book(t.accountId, t.currency, d, cashEffect, cashN);
        const i = touchHolding(h, d);
        h.evQty[i] = h.qtyN;
        h.evCash[i] = h.evCash[i]! + cashN;
        h.evOpened[i] = h.evOpened[i]! + Math.max(0, Math.abs(h.qtyN) - Math.abs(before)) * pN;
        recordPx(t.symbol!, d, pN);
        break;
      }
      case 'DIVIDEND':
      case 'INTEREST':
      case 'DEPOSIT':
      case 'FEE':
      case 'TAX':
      case 'WITHDRAWAL': {
        const amount = num(t.amount, 'amount', t);
        const inflow = t.type === 'DIVIDEND' || t.type === 'INTEREST' || t.type === 'DEPOSIT';
        const amountN = inflow ? Number(t.amount) : -Number(t.amount);
        const external = t.type === 'DEPOSIT' || t.type === 'WITHDRAWAL';
        book(t.accountId, t.currency, d, (inflow ? amount : amount.negated()).minus(fee), amountN - feeN);
        // The flow is the amount; a fee on it is a cost inside the account (it lowers the return).
        if (external) {
          const c = cashOf(t.accountId, t.currency);
          const i = touchCash(c, d);
          c.evFlow[i] = c.evFlow[i]! + amountN;
        }
        if (t.symbol && (t.type === 'DIVIDEND' || t.type === 'FEE' || t.type === 'TAX')) {
          const h = holding(t);
          const i = touchHolding(h, d);
          h.evCash[i] = h.evCash[i]! + amountN - feeN;
        }
        break;
      }
      case 'FX': {
        const amount = num(t.amount, 'amount', t);
        const toAmount = num(t.toAmount, 'toAmount', t);
        if (!t.toCurrency) throw new ValuationError(`FX ${t.id} on ${t.date}: no toCurrency`);
        book(t.accountId, t.currency, d, amount.plus(fee).negated(), -Number(t.amount) - feeN);
        book(t.accountId, t.toCurrency, d, toAmount, Number(t.toAmount));
        break;
      }
      case 'TRANSFER_IN':
      case 'TRANSFER_OUT': {
        const h = holding(t);
        const q = num(t.quantity, 'quantity', t);
        const qN = t.type === 'TRANSFER_IN' ? Number(t.quantity) : -Number(t.quantity);
        setQty(h, t.type === 'TRANSFER_IN' ? h.qty.plus(q) : h.qty.minus(q), h.qtyN + qN);
        const i = touchHolding(h, d);
        h.evQty[i] = h.qtyN;
        h.evTransfer[i] = h.evTransfer[i]! + qN;
        if (feeN !== 0) {
          book(t.accountId, t.currency, d, fee.negated(), -feeN);
          h.evCash[i] = h.evCash[i]! - feeN;
        }
        if (t.price && !tradePx.has(t.symbol!)) recordPx(t.symbol!, d, Number(t.price));
        break;
      }
      case 'SPLIT': {
        const h = holding(t);
        const ratio = num(t.ratio, 'ratio', t);
        const ratioN = Number(t.ratio);
        setQty(h, h.qty.times(ratio), h.qtyN * ratioN);
        const i = touchHolding(h, d);
        h.evQty[i] = h.qtyN;
        const s = tradePx.get(t.symbol!);
        if (s) recordPx(t.symbol!, d, s.px[s.px.length - 1]! / ratioN);
        if (feeN !== 0) book(t.accountId, t.currency, d, fee.negated(), -feeN);
        break;
      }
    }
  }

  // Pass 2: materialise prices and rates, then value each holding and cash balance over the days.
  const pxCache = new Map<string, Float64Array>();
  const priceSeries = (symbol: string): Float64Array => {
    let a = pxCache.get(symbol);
    if (a) return a;
    a = new Float64Array(N);
    const trades = tradePx.get(symbol);
    let k = -1;
    for (let i = 0; i < N; i++) {
      while (trades && k + 1 < trades.day.length && trades.day[k + 1]! <= i) k++;
      const close = input.prices(symbol, start + i);
      a[i] = close ?? (k >= 0 ? trades!.px[k]! : NaN);
    }
    pxCache.set(symbol, a);
    return a;
  };
  const fxCache = new Map<string, Float64Array>();
  const rateSeries = (from: string, to: string): Float64Array => {
    const key = `${from}/${to}`;
    let a = fxCache.get(key);
    if (a) return a;
    a = new Float64Array(N);
    if (from === to) a.fill(1);
    else {
      for (let i = 0; i < N; i++) {
        const direct = input.fx(from, to, start + i);
        if (direct !== undefined) a[i] = direct;
        else {
          const inverse = input.fx(to, from, start + i);
          a[i] = inverse !== undefined && inverse !== 0 ? 1 / inverse : NaN;
        }
      }
    }
    fxCache.set(key, a);
    return a;
  };
  const missing = (what: string, i: number): never => {
    throw new ValuationError(`no ${what} on or before ${dateOf(start + i)}`);
  };

  const base = input.baseCurrency;
  const series = (): SeriesSet => ({ nav: new Float64Array(N), flows: new Float64Array(N), navConstFx: new Float64Array(N) });
  const accounts = new Map<string, AccountValuation>();
  for (const a of input.accounts) {
    accounts.set(a.id, { id: a.id, currency: a.baseCurrency, own: series(), base: series(), cash: [], positions: [] });
  }
  const total = series();
  const holdingsOut: HoldingValuation[] = [];
  const cashOut: Valuation['cash'] = [];

  for (const h of holdings.values()) {
    const acct = accounts.get(h.accountId)!;
    const px = priceSeries(h.symbol);
    const k = rateSeries(h.currency, acct.currency);
    const kb = rateSeries(acct.currency, base);
    const out: HoldingValuation = { accountId: h.accountId, symbol: h.symbol, currency: h.currency, quantity: h.qty.toString(), quantities: new Float64Array(N), price: px, base: { nav: new Float64Array(N), flows: new Float64Array(N), capital: new Float64Array(N) } };
    const { nav: hv, flows: hf, capital: hc } = out.base;
    const { nav: ov, flows: of, navConstFx: oc } = acct.own;
    const { nav: bv, flows: bf, navConstFx: bc } = acct.base;
    let e = -1;
    let q = 0;
    let prevValue = 0;
    for (let i = 0; i < N; i++) {
      let cashIn = 0;
      let transfer = 0;
      let opened = 0;
      if (e + 1 < h.evDay.length && h.evDay[e + 1] === i) {
        e++;
        q = h.evQty[e]!;
        cashIn = h.evCash[e]!;
        transfer = h.evTransfer[e]!;
        opened = h.evOpened[e]!;
      }
      out.quantities[i] = q;
      if (q === 0 && cashIn === 0 && transfer === 0 && prevValue === 0) continue;
      const p = px[i]!;
      const ki = k[i]!;
      const kbi = kb[i]!;
      if (q !== 0 && Number.isNaN(p)) missing(`close of ${h.symbol}`, i);
      if (Number.isNaN(ki)) missing(`rate ${h.currency}/${acct.currency}`, i);
      if (Number.isNaN(kbi)) missing(`rate ${acct.currency}/${base}`, i);
      const local = q === 0 ? 0 : q * p;
      const own = local * ki;
      const v = own * kbi;
      ov[i] = ov[i]! + own;
      bv[i] = bv[i]! + v;
      const kPrev = i > 0 && !Number.isNaN(k[i - 1]!) ? k[i - 1]! : ki;
      const kbPrev = i > 0 && !Number.isNaN(kb[i - 1]!) ? kb[i - 1]! : kbi;
      oc![i] = oc![i]! + local * kPrev;
      bc![i] = bc![i]! + local * kPrev * kbPrev;
      // Securities moved in or out are external flows of the account at the day's close; cash moved by trades and
      // income is a flow of the holding only (it stays in the account).
      const transferValue = transfer === 0 ? 0 : transfer * p * ki;
      if (transfer !== 0) {
        of[i] = of[i]! + transferValue;
        bf[i] = bf[i]! + transferValue * kbi;
      }
      hv[i] = v;
      hf[i] = (transferValue - cashIn * ki) * kbi;
      hc![i] = Math.abs(prevValue) + (opened * ki + Math.max(0, transferValue)) * kbi;
      prevValue = v;
    }
    holdingsOut.push(out);
    if (!h.qty.isZero()) acct.positions.push({ symbol: h.symbol, currency: h.currency, quantity: h.qty.toString() });
  }

  for (const c of cash.values()) {
    const acct = accounts.get(c.accountId)!;
    const k = rateSeries(c.currency, acct.currency);
    const kb = rateSeries(acct.currency, base);
    const baseSeries = new Float64Array(N);
    const { nav: ov, flows: of, navConstFx: oc } = acct.own;
    const { nav: bv, flows: bf, navConstFx: bc } = acct.base;
    let e = -1;
    let amount = 0;
    for (let i = 0; i < N; i++) {
      let flow = 0;
      if (e + 1 < c.evDay.length && c.evDay[e + 1] === i) {
        e++;
        amount = c.evAmount[e]!;
        flow = c.evFlow[e]!;
      }
      if (amount === 0 && flow === 0) continue;
      const ki = k[i]!;
      const kbi = kb[i]!;
      if (Number.isNaN(ki)) missing(`rate ${c.currency}/${acct.currency}`, i);
      if (Number.isNaN(kbi)) missing(`rate ${acct.currency}/${base}`, i);
      const kPrev = i > 0 && !Number.isNaN(k[i - 1]!) ? k[i - 1]! : ki;
      const kbPrev = i > 0 && !Number.isNaN(kb[i - 1]!) ? kb[i - 1]! : kbi;
      ov[i] = ov[i]! + amount * ki;
      bv[i] = bv[i]! + amount * ki * kbi;
      baseSeries[i] = amount * ki * kbi;
      oc![i] = oc![i]! + amount * kPrev;
      bc![i] = bc![i]! + amount * kPrev * kbPrev;
      of[i] = of[i]! + flow * ki;
      bf[i] = bf[i]! + flow * ki * kbi;
    }
    cashOut.push({ accountId: c.accountId, currency: c.currency, base: baseSeries });
    if (!c.amount.isZero()) acct.cash.push({ currency: c.currency, amount: c.amount.toString() });
  }

  for (const acct of accounts.values()) {
    for (let i = 0; i < N; i++) {
      total.nav[i] = total.nav[i]! + acct.base.nav[i]!;
      total.flows[i] = total.flows[i]! + acct.base.flows[i]!;
      total.navConstFx![i] = total.navConstFx![i]! + acct.base.navConstFx![i]!;
    }
  }
  return { start, days: N, baseCurrency: base, accounts: [...accounts.values()], holdings: holdingsOut, cash: cashOut, total };
}
