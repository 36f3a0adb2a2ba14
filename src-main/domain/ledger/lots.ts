// Tax lots, realized gains per lot and the US wash-sale rule, over all of a person's accounts at once. Pure; exact
// decimals (money.ts): a lot's basis and a sale's proceeds are booked to cents (half up) when a trade creates them;
// a part of a lot or of a sale gets its share rounded to cents and the rest keeps the remainder, so parts always add
// up to the whole to the cent. Amounts are in the trade's currency.
//
// The wash-sale rule as implemented (IRS Publication 550, "Wash Sales"; 26 U.S.C. §1091; Treas. Reg. §1.1091-1):
// - a lot of a taxable account closed at a loss is a wash sale when shares of the same symbol were acquired (BUY
//   opening a long position) in ANY account of the person within 30 days before or after the sale date (both edges
//   included; the sale day itself too);
// - replacement shares are matched in the order they were acquired; each acquired share replaces one sold share
//   once (§1.1091-1(e)); shares bought in the same purchase as the sold lot are not its replacement (Rev. Rul. 56-602);
//   shares bought before the sale count only while still held at the sale;
// - the disallowed part of the loss is proportional to the shares replaced; it is added to the basis of the replacing
//   shares (split off into a lot of their own), whose holding period starts earlier by the sold lot's holding period;
// - a replacement in a tax-advantaged account (IRA) disallows the loss for good (Rev. Rul. 2008-5): no basis
//   adjustment anywhere, flagged `permanent`;
// - shares bought after a split that followed the loss sale count in the sale's shares (×/÷ the split ratios in
//   between: after a 2-for-1 split, 2 shares bought replace 1 sold), as the basis rules for splits (§307, §1.307-1)
//   treat the new shares as the old ones;
// - sales inside tax-advantaged accounts are not reported and never wash; short positions are not subject (a short
//   sale's own wash-sale rules, §1.1091-1(g), are not modelled).
import type { LedgerAccount, LotMethod, Transaction } from '../../../src-shared/domain/ledger';
import { cents, dec, type Dec, ZERO } from '../money';
import { addDays, dayOf } from '../../../src-shared/domain/dates';
import { holdingTerm } from './dates';

/** An open lot. Money as decimal strings, in `currency`. */
export interface TaxLot {
  id: string;
  accountId: string;
  symbol: string;
  side: 'long' | 'short';
  quantity: string;
  /** Trade date of the purchase (or of the short sale). */
  acquired: string;
  /** Start of the holding period: earlier than `acquired` when a wash sale carried the sold lot's period over. */
  holdingFrom: string;
  /** Long: cost including fees and wash-sale adjustments. Short: the short sale's net proceeds. */
  costBasis: string;
  /** Disallowed losses added to the basis (included in costBasis). */
  washAdjustment: string;
  costPerUnit: string;
  currency: string;
  /** The transaction that bought it (shares of one purchase never replace each other). */
  originTxId: string;
  /** Not yet used as a wash-sale replacement: buying it would still wash a loss sale nearby. */
  replaceable: boolean;
}

/** A lot (or part of one) closed by a sale (or a short covered by a buy): one Form 8949 line. */
export interface RealizedLot {
  txId: string;
  lotId: string;
  accountId: string;
  symbol: string;
  side: 'long' | 'short';
  quantity: string;
  acquired: string;
  holdingFrom: string;
  sold: string;
  proceeds: string;
  costBasis: string;
  /** The disallowed loss (positive; code W). */
  adjustment: string;
  code: '' | 'W';
  /** proceeds − costBasis + adjustment. */
  gain: string;
  term: 'short' | 'long';
  currency: string;
  taxAdvantaged: boolean;
  /** Part of `adjustment` lost for good (replacement in a tax-advantaged account). */
  permanentlyDisallowed: string;
}

export interface WashReplacement {
  txId: string;
  accountId: string;
  date: string;
  quantity: string;
  disallowed: string;
  /** Replacement in a tax-advantaged account: the loss is gone for good, no basis adjustment. */
  permanent: boolean;
}

export interface WashSale {
  saleTxId: string;
  lotId: string;
  accountId: string;
  symbol: string;
  sold: string;
  quantity: string;
  /** The lot's loss before the rule (positive). */
  loss: string;
  disallowed: string;
  replacedQuantity: string;
  replacements: WashReplacement[];
  permanent: boolean;
  currency: string;
}

export interface LedgerProblem {
  txId: string;
  message: string;
}

export interface LotsResult {
  lots: TaxLot[];
  realized: RealizedLot[];
  washSales: WashSale[];
  problems: LedgerProblem[];
}

export interface LotOptions {
  /**
   * Overrides every account's method (the CLI's --method) for sales that name no lots. A sale that names its lots
   * always sells those (specific identification is chosen at the sale); a 'specific' account's sale that names none
   * sells FIFO.
   */
  method?: Exclude<LotMethod, 'specific'>;
  /**
   * Lots and gains in each account's base currency (what a tax return reports): a trade in another currency is
   * converted at its own fxRateToBase (price and fee), so proceeds use the sale's rate and basis the purchase's. A
   * trade without a rate stays in its currency and is listed in `problems`. Default: the trade's currency.
   */
  inBase?: boolean;
}

/** A trade in another currency than its account's base, converted at its fxRateToBase; null without a rate. */
function toBase(tx: Transaction, base: string | undefined): Transaction | null {
  if (!base || tx.currency === base || !['BUY', 'SELL', 'TRANSFER_IN'].includes(tx.type)) return tx;
  if (!tx.fxRateToBase) return null;
  const rate = dec(tx.fxRateToBase);
  return {
    ...tx, currency: base, fee: dec(tx.fee).times(rate).toFixed(),
    ...(tx.price !== undefined ? { price: dec(tx.price).times(rate).toFixed() } : {}),
  };
}

interface Lot {
  id: string;
  accountId: string;
  symbol: string;
  currency: string;
  side: 'long' | 'short';
  quantity: Dec;
  acquired: string;
  holdingFrom: string;
  costBasis: Dec;
  washAdjustment: Dec;
  originTxId: string;
  /** Not yet used as a wash-sale replacement. */
  replaceable: boolean;
  seq: number;
}

interface Pending {
  quantity: Dec;
  amount: Dec;
  carryDays: number;
  permanent: boolean;
}

const RANK: Partial<Record<Transaction['type'], number>> = { SPLIT: 0, TRANSFER_OUT: 1, TRANSFER_IN: 2 };

/**
 * Transactions in the order they happened: by date; on one date splits first (a split's date is its ex-date), then
 * transfers out, transfers in, then the rest by time when known; otherwise the given (insertion) order.
 */
export function sortTransactions(txs: readonly Transaction[]): Transaction[] {
  return txs
    .map((tx, i) => ({ tx, i }))
    .sort((a, b) => (a.tx.date < b.tx.date ? -1 : a.tx.date > b.tx.date ? 1 : 0)
      || (RANK[a.tx.type] ?? 3) - (RANK[b.tx.type] ?? 3)
      || ((a.tx.time ?? '') < (b.tx.time ?? '') ? -1 : (a.tx.time ?? '') > (b.tx.time ?? '') ? 1 : 0)
      || a.i - b.i)
    .map((x) => x.tx);
}

const min = (a: Dec, b: Dec) => (a.lt(b) ? a : b);
const str = (d: Dec) => d.toFixed();

/** `total` split by `weights` (quantities): cents each, the last takes the remainder. */
function allocate(total: Dec, weights: readonly Dec[]): Dec[] {
  const sum = weights.reduce((s, w) => s.plus(w), ZERO);
  let given = ZERO;
  let cum = ZERO;
  return weights.map((w, k) => {
    cum = cum.plus(w);
    const upTo = k === weights.length - 1 ? total : cents(total.times(cum).div(sum));
    const share = upTo.minus(given);
    given = upTo;
    return share;
  });
}

export function computeLots(accounts: readonly LedgerAccount[], transactions: readonly Transaction[], opts: LotOptions = {}): LotsResult {
  const byId = new Map(accounts.map((a) => [a.id, a]));
  const sheltered = (accountId: string) => byId.get(accountId)?.taxType === 'tax-advantaged';
  const methodOf = (accountId: string): LotMethod => opts.method ?? byId.get(accountId)?.lotMethod ?? 'fifo';
  const problems: LedgerProblem[] = [];
  const converted = !opts.inBase ? transactions : transactions.map((tx) => {
    const c = toBase(tx, byId.get(tx.accountId)?.baseCurrency);
    if (c) return c;
    problems.push({ txId: tx.id, message: `${tx.type} ${tx.symbol ?? ''} in ${tx.currency} has no fxRateToBase: kept in ${tx.currency}` });
    return tx;
  });
  const sorted = sortTransactions(converted);
  const key = (accountId: string, symbol: string) => `${accountId}\u0000${symbol}`;

  // Pass 1: how much of each BUY opens a long position (the rest covers a short). Positions do not depend on bases,
  // so this is known before the wash-sale pass, which needs it for purchases after a loss sale.
  const longOpen = new Map<string, Dec>();
  const buysBySymbol = new Map<string, { tx: Transaction; index: number }[]>();
  const splitsBySymbol = new Map<string, { index: number; date: string; ratio: Dec }[]>();
  {
    const pos = new Map<string, Dec>();
    sorted.forEach((tx, index) => {
      if (!tx.symbol) return;
      const k = key(tx.accountId, tx.symbol);
      const p = pos.get(k) ?? ZERO;
      const q = dec(tx.quantity ?? 0);
      if (tx.type === 'BUY') {
        const cover = p.lt(0) ? min(q, p.neg()) : ZERO;
        longOpen.set(tx.id, q.minus(cover));
        pos.set(k, p.plus(q));
        if (q.gt(cover)) {
          const list = buysBySymbol.get(tx.symbol) ?? [];
          list.push({ tx, index });
          buysBySymbol.set(tx.symbol, list);
        }
      } else if (tx.type === 'SELL' || tx.type === 'TRANSFER_OUT') pos.set(k, p.minus(q));
      else if (tx.type === 'TRANSFER_IN') pos.set(k, p.plus(q));
      else if (tx.type === 'SPLIT' && tx.ratio) {
        pos.set(k, p.times(dec(tx.ratio)));
        // A split is the security's: each account holding it records one, so one per symbol and date counts.
        const list = splitsBySymbol.get(tx.symbol) ?? [];
        if (!list.some((x) => x.date === tx.date)) list.push({ index, date: tx.date, ratio: dec(tx.ratio) });
        splitsBySymbol.set(tx.symbol, list);
      }
    });
  }
  /** New shares per share sold, for a purchase after a sale: the product of the symbol's splits in between. */
  const splitFactor = (symbol: string, saleIndex: number, buyIndex: number): Dec => {
    let f = dec(1);
    for (const sp of splitsBySymbol.get(symbol) ?? []) if (sp.index > saleIndex && sp.index < buyIndex) f = f.times(sp.ratio);
    return f;
  };

  const open = new Map<string, Lot[]>();
  const pending = new Map<string, Pending[]>();
  const afterUsed = new Map<string, Dec>();
  const parked = new Map<string, Lot[]>();
  const realized: RealizedLot[] = [];
  const washSales: WashSale[] = [];
  let seq = 0;
  let splitCounter = 0;

  // Each account's lots of a symbol, and the lists of a symbol across accounts (the wash-sale rule looks at all).
  const bySymbol = new Map<string, Lot[][]>();
  const windows = new Map<string, [string, string]>();
  const windowOf = (date: string): [string, string] => {
    let w = windows.get(date);
    if (!w) windows.set(date, (w = [addDays(date, -30), addDays(date, 30)]));
    return w;
  };
  const lotsAt = (k: string) => {
    let l = open.get(k);
    if (!l) {
      open.set(k, (l = []));
      const symbol = k.slice(k.indexOf('\u0000') + 1);
      bySymbol.set(symbol, [...(bySymbol.get(symbol) ?? []), l]);
    }
    return l;
  };
  const addLot = (lot: Omit<Lot, 'seq'>) => lotsAt(key(lot.accountId, lot.symbol)).push({ ...lot, seq: seq++ });

  /** Splits `part` units off a lot: the part gets its share of basis and adjustment (cents), the lot keeps the rest. */
  const splitOff = (lot: Lot, part: Dec): Lot => {
    if (part.gte(lot.quantity)) return { ...lot };
    const basis = cents(lot.costBasis.times(part).div(lot.quantity));
    const adj = cents(lot.washAdjustment.times(part).div(lot.quantity));
    const piece = { ...lot, quantity: part, costBasis: basis, washAdjustment: adj };
    lot.quantity = lot.quantity.minus(part);
    lot.costBasis = lot.costBasis.minus(basis);
    lot.washAdjustment = lot.washAdjustment.minus(adj);
    return piece;
  };

  const ordered = (lots: Lot[], method: LotMethod, side: 'long' | 'short'): Lot[] => {
    const perUnit = (l: Lot) => l.costBasis.div(l.quantity);
    const byDate = (a: Lot, b: Lot) => (a.acquired < b.acquired ? -1 : a.acquired > b.acquired ? 1 : a.seq - b.seq);
    const copy = [...lots];
    if (method === 'lifo') return copy.sort((a, b) => -byDate(a, b));
    // HIFO: the highest cost per unit first (for a short: the lowest proceeds per unit, the same intent: least gain).
    if (method === 'hifo') return copy.sort((a, b) => (side === 'long' ? perUnit(b).cmp(perUnit(a)) : perUnit(a).cmp(perUnit(b))) || byDate(a, b));
    return copy.sort(byDate);
  };

  /** Removes `qty` units of `side` lots from an account's symbol, in the method's order; returns the pieces taken. */
  const take = (tx: Transaction, side: 'long' | 'short', qty: Dec, method: LotMethod): Lot[] => {
    const k = key(tx.accountId, tx.symbol!);
    const lots = lotsAt(k);
    const pieces: Lot[] = [];
    let left = qty;
    const takeFrom = (lot: Lot, want: Dec) => {
      const part = min(want, lot.quantity);
      const whole = part.gte(lot.quantity);
      pieces.push(splitOff(lot, part));
      if (whole) lots.splice(lots.indexOf(lot), 1);
      left = left.minus(part);
    };
    if (tx.lots?.length) {
      for (const choice of tx.lots) {
        const lot = lots.find((l) => l.id === choice.lotId && l.side === side);
        if (!lot) {
          problems.push({ txId: tx.id, message: `lot ${choice.lotId} is not open in ${tx.accountId} ${tx.symbol}` });
          continue;
        }
        if (left.lte(0)) break;
        takeFrom(lot, min(left, dec(choice.quantity)));
      }
      if (left.gt(0)) problems.push({ txId: tx.id, message: `the chosen lots cover less than ${str(qty)}; the rest is taken FIFO` });
    }
    for (const lot of ordered(lots.filter((l) => l.side === side), method, side)) {
      if (left.lte(0)) break;
      takeFrom(lot, left);
    }
    return pieces;
  };

  /**
   * min(cap, units of `side` held): the sum stops once it reaches `cap` (a trade needs no more; summing every open lot
   * of a large holding on every trade was most of the engine's time on a 50k-transaction ledger).
   */
  const heldUpTo = (accountId: string, symbol: string, side: 'long' | 'short', cap: Dec): Dec => {
    let held = ZERO;
    for (const l of lotsAt(key(accountId, symbol))) {
      if (l.side !== side) continue;
      held = held.plus(l.quantity);
      if (held.gte(cap)) return cap;
    }
    return held;
  };

  /** Applies the wash-sale rule to one loss piece; returns the disallowed amount and the part of it lost for good. */
  const washCheck = (tx: Transaction, index: number, piece: Lot, loss: Dec): { disallowed: Dec; permanent: Dec } => {
    const none = { disallowed: ZERO, permanent: ZERO };
    if (sheltered(tx.accountId)) return none;
    const [from, to] = windowOf(tx.date);
    const carryDays = dayOf(tx.date) - dayOf(piece.holdingFrom);
    // `factor`: shares of the purchase per share sold (a split between the sale and a later purchase: 100 shares sold
    // before a 1-for-10 split are replaced by 10 bought after it); capacity is in the purchase's own shares.
    type Candidate = { kind: 'before'; lot: Lot } | { kind: 'after'; tx: Transaction; capacity: Dec; factor: Dec };
    const candidates: Candidate[] = [];
    for (const lots of bySymbol.get(piece.symbol) ?? []) {
      for (const lot of lots) {
        if (lot.side === 'long' && lot.replaceable && lot.acquired >= from && lot.acquired <= tx.date && lot.originTxId !== piece.originTxId) {
          candidates.push({ kind: 'before', lot });
        }
      }
    }
    candidates.sort((a, b) => {
      const la = (a as { lot: Lot }).lot;
      const lb = (b as { lot: Lot }).lot;
      return la.acquired < lb.acquired ? -1 : la.acquired > lb.acquired ? 1 : la.seq - lb.seq;
    });
    const buys = buysBySymbol.get(piece.symbol) ?? [];
    // Purchases are in ledger order: the first one after this sale, then on until the window's end.
    let lo = 0;
    for (let hi = buys.length; lo < hi;) {
      const mid = (lo + hi) >>> 1;
      if (buys[mid]!.index <= index) lo = mid + 1;
      else hi = mid;
    }
    for (let b = lo; b < buys.length && buys[b]!.tx.date <= to; b++) {
      const buy = buys[b]!;
      const capacity = (longOpen.get(buy.tx.id) ?? ZERO).minus(afterUsed.get(buy.tx.id) ?? ZERO);
      if (capacity.gt(0)) candidates.push({ kind: 'after', tx: buy.tx, capacity, factor: splitFactor(piece.symbol, index, buy.index) });
    }
    let replaced = ZERO;
    let given = ZERO;
    let permanent = ZERO;
    const replacements: WashReplacement[] = [];
    for (const c of candidates) {
      if (replaced.gte(piece.quantity)) break;
      // In shares sold; `bought` is the same in the replacement's shares.
      const capacity = c.kind === 'before' ? c.lot.quantity : c.capacity.div(c.factor);
      const m = min(piece.quantity.minus(replaced), capacity);
      const bought = c.kind === 'before' ? m : m.eq(capacity) ? c.capacity : m.times(c.factor);
      replaced = replaced.plus(m);
      const upTo = replaced.gte(piece.quantity) ? loss : cents(loss.times(replaced).div(piece.quantity));
      const amount = upTo.minus(given);
      given = upTo;
      const accountId = c.kind === 'before' ? c.lot.accountId : c.tx.accountId;
      const isPermanent = sheltered(accountId);
      if (isPermanent) permanent = permanent.plus(amount);
      if (c.kind === 'before') {
        const lot = c.lot;
        const lots = lotsAt(key(lot.accountId, lot.symbol));
        let target = lot;
        if (m.lt(lot.quantity)) {
          target = { ...splitOff(lot, m), id: `${lot.id}~w${++splitCounter}` };
          lots.splice(lots.indexOf(lot), 0, target);
        }
        target.replaceable = false;
        if (!isPermanent) {
          target.costBasis = target.costBasis.plus(amount);
          target.washAdjustment = target.washAdjustment.plus(amount);
          target.holdingFrom = addDays(target.acquired, -carryDays);
        }
        replacements.push({ txId: lot.originTxId, accountId, date: lot.acquired, quantity: str(m), disallowed: str(amount), permanent: isPermanent });
      } else {
        afterUsed.set(c.tx.id, (afterUsed.get(c.tx.id) ?? ZERO).plus(bought));
        const list = pending.get(c.tx.id) ?? [];
        list.push({ quantity: bought, amount, carryDays, permanent: isPermanent });
        pending.set(c.tx.id, list);
        replacements.push({ txId: c.tx.id, accountId, date: c.tx.date, quantity: str(bought), disallowed: str(amount), permanent: isPermanent });
      }
    }
    if (replacements.length === 0) return none;
    washSales.push({
      saleTxId: tx.id, lotId: piece.id, accountId: tx.accountId, symbol: piece.symbol, sold: tx.date, quantity: str(piece.quantity),
      loss: str(loss), disallowed: str(given), replacedQuantity: str(replaced), replacements, permanent: permanent.gt(0), currency: piece.currency,
    });
    return { disallowed: given, permanent };
  };

  const record = (tx: Transaction, piece: Lot, proceeds: Dec, cost: Dec, adjustment: Dec, permanent: Dec) => {
    realized.push({
      txId: tx.id, lotId: piece.id, accountId: tx.accountId, symbol: piece.symbol, side: piece.side, quantity: str(piece.quantity),
      acquired: piece.acquired, holdingFrom: piece.holdingFrom, sold: tx.date, proceeds: str(proceeds), costBasis: str(cost),
      adjustment: str(adjustment), code: adjustment.gt(0) ? 'W' : '', gain: str(proceeds.minus(cost).plus(adjustment)),
      term: piece.side === 'short' ? 'short' : holdingTerm(piece.holdingFrom, tx.date), currency: piece.currency,
      taxAdvantaged: sheltered(tx.accountId), permanentlyDisallowed: str(permanent),
    });
  };

  /** A new long lot from a purchase, with the wash-sale adjustments that earlier loss sales left for it. */
  const openLong = (tx: Transaction, qty: Dec, basis: Dec) => {
    const lot: Lot = {
      id: tx.id, accountId: tx.accountId, symbol: tx.symbol!, currency: tx.currency, side: 'long', quantity: qty, acquired: tx.date,
      holdingFrom: tx.date, costBasis: basis, washAdjustment: ZERO, originTxId: tx.id, replaceable: true, seq: seq++,
    };
    const lots = lotsAt(key(tx.accountId, tx.symbol!));
    for (const p of pending.get(tx.id) ?? []) {
      const part = p.quantity.gte(lot.quantity) ? lot : { ...splitOff(lot, p.quantity), id: `${tx.id}~w${++splitCounter}`, seq: seq++ };
      part.replaceable = false;
      if (!p.permanent) {
        part.costBasis = part.costBasis.plus(p.amount);
        part.washAdjustment = part.washAdjustment.plus(p.amount);
        part.holdingFrom = addDays(tx.date, -p.carryDays);
      }
      if (part !== lot) lots.push(part);
    }
    if (lot.quantity.gt(0)) lots.push(lot);
  };

  sorted.forEach((tx, index) => {
    if (!tx.symbol || !['BUY', 'SELL', 'SPLIT', 'TRANSFER_IN', 'TRANSFER_OUT'].includes(tx.type)) return;
    const q = dec(tx.quantity ?? 0);
    const method = methodOf(tx.accountId);
    switch (tx.type) {
      case 'BUY': {
        const total = cents(q.times(dec(tx.price ?? 0)).plus(dec(tx.fee)));
        const coverQty = heldUpTo(tx.accountId, tx.symbol, 'short', q);
        let coverCost = ZERO;
        if (coverQty.gt(0)) {
          coverCost = coverQty.eq(q) ? total : cents(total.times(coverQty).div(q));
          const pieces = take(tx, 'short', coverQty, method);
          allocate(coverCost, pieces.map((p) => p.quantity)).forEach((cost, k) => record(tx, pieces[k]!, pieces[k]!.costBasis, cost, ZERO, ZERO));
        }
        if (q.gt(coverQty)) openLong(tx, q.minus(coverQty), total.minus(coverCost));
        return;
      }
      case 'SELL': {
        const total = cents(q.times(dec(tx.price ?? 0)).minus(dec(tx.fee)));
        const closeQty = heldUpTo(tx.accountId, tx.symbol, 'long', q);
        let closeProceeds = ZERO;
        if (closeQty.gt(0)) {
          closeProceeds = closeQty.eq(q) ? total : cents(total.times(closeQty).div(q));
          const pieces = take(tx, 'long', closeQty, method);
          const shares = allocate(closeProceeds, pieces.map((p) => p.quantity));
          // Every piece leaves the books first: shares sold in this sale never replace each other.
          pieces.forEach((piece, k) => {
            const proceeds = shares[k]!;
            const loss = piece.costBasis.minus(proceeds);
            const wash = loss.gt(0) ? washCheck(tx, index, piece, loss) : { disallowed: ZERO, permanent: ZERO };
            record(tx, piece, proceeds, piece.costBasis, wash.disallowed, wash.permanent);
          });
        }
        if (q.gt(closeQty)) {
          addLot({
            id: tx.id, accountId: tx.accountId, symbol: tx.symbol, currency: tx.currency, side: 'short', quantity: q.minus(closeQty), acquired: tx.date,
            holdingFrom: tx.date, costBasis: total.minus(closeProceeds), washAdjustment: ZERO, originTxId: tx.id, replaceable: false,
          });
        }
        return;
      }
      case 'SPLIT': {
        if (!tx.ratio) return;
        const ratio = dec(tx.ratio);
        for (const lot of lotsAt(key(tx.accountId, tx.symbol))) lot.quantity = lot.quantity.times(ratio);
        return;
      }
      case 'TRANSFER_OUT': {
        // Below q this is the whole holding, as the message says.
        const held = heldUpTo(tx.accountId, tx.symbol, 'long', q);
        if (held.lt(q)) problems.push({ txId: tx.id, message: `transfer out of ${str(q)} ${tx.symbol} but ${str(held)} held in ${tx.accountId}` });
        const pieces = take(tx, 'long', held, 'fifo');
        if (tx.transferId) parked.set(tx.transferId, [...(parked.get(tx.transferId) ?? []), ...pieces]);
        return;
      }
      case 'TRANSFER_IN': {
        const moved = tx.transferId ? parked.get(tx.transferId) : undefined;
        if (moved) {
          parked.delete(tx.transferId!);
          for (const lot of moved) addLot({ ...lot, accountId: tx.accountId });
          return;
        }
        if (tx.price === undefined) problems.push({ txId: tx.id, message: `transfer in of ${tx.symbol} from outside without a cost basis (price): basis 0` });
        const acquired = tx.acquired ?? tx.date;
        addLot({
          id: tx.id, accountId: tx.accountId, symbol: tx.symbol, currency: tx.currency, side: 'long', quantity: q, acquired, holdingFrom: acquired,
          costBasis: cents(q.times(dec(tx.price ?? 0)).plus(dec(tx.fee))), washAdjustment: ZERO, originTxId: tx.id, replaceable: true,
        });
        return;
      }
    }
  });

  const lots: TaxLot[] = [...open.values()].flat()
    .filter((l) => l.quantity.gt(0))
    .sort((a, b) => a.accountId.localeCompare(b.accountId) || a.symbol.localeCompare(b.symbol) || (a.acquired < b.acquired ? -1 : a.acquired > b.acquired ? 1 : a.seq - b.seq))
    .map((l) => ({
      id: l.id, accountId: l.accountId, symbol: l.symbol, side: l.side, quantity: str(l.quantity), acquired: l.acquired, holdingFrom: l.holdingFrom,
      costBasis: str(l.costBasis), washAdjustment: str(l.washAdjustment), costPerUnit: str(l.costBasis.div(l.quantity).toDecimalPlaces(6)), currency: l.currency,
      originTxId: l.originTxId, replaceable: l.replaceable,
    }));
  return { lots, realized, washSales, problems };
}
