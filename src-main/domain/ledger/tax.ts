// What the tax screens and the order ticket ask of the lots: gains by year, the Form 8949-style export, the
// tax-loss harvesting list and the wash-sale consequence of an order before it is sent. Pure.
import type { LedgerAccount, Transaction } from '../../../src-shared/domain/ledger';
import { cents, dec, type Dec, ZERO } from '../money';
import { addDays } from '../../../src-shared/domain/dates';
import { holdingTerm } from './dates';
import { computeLots, type LotOptions, type LotsResult, type RealizedLot, type TaxLot, type WashSale } from './lots';

/** The id of the hypothetical transaction a what-if or a harvesting check adds to the ledger. */
export const WHAT_IF_ID = 'what-if';

export interface GainsTotals {
  proceeds: string;
  costBasis: string;
  adjustment: string;
  gain: string;
}

/** Reportable rows (taxable accounts) sold in `year`, oldest sale first, with their totals. */
export function gainsForYear(result: LotsResult, year: number): { rows: RealizedLot[]; totals: GainsTotals } {
  const rows = result.realized.filter((r) => !r.taxAdvantaged && r.sold.startsWith(`${year}-`))
    .sort((a, b) => (a.sold < b.sold ? -1 : a.sold > b.sold ? 1 : 0));
  const sum = (f: (r: RealizedLot) => string) => rows.reduce((s, r) => s.plus(dec(f(r))), ZERO).toFixed(2);
  return { rows, totals: { proceeds: sum((r) => r.proceeds), costBasis: sum((r) => r.costBasis), adjustment: sum((r) => r.adjustment), gain: sum((r) => r.gain) } };
}

const csvCell = (s: string) => (/[",\n\r]/.test(s) ? `"${s.replaceAll('"', '""')}"` : s);

/**
 * Form 8949-style CSV: one line per lot sold, short-term (Part I) then long-term (Part II), columns (a)–(h) as the
 * form names them: description, date acquired, date sold, proceeds, cost basis, code (W), adjustment, gain or loss.
 * Dates as MM/DD/YYYY like the form; the adjustment is the disallowed loss (positive).
 */
export function form8949Csv(rows: readonly RealizedLot[]): string {
  const date = (iso: string) => `${iso.slice(5, 7)}/${iso.slice(8, 10)}/${iso.slice(0, 4)}`;
  const lines = ['part,account,description,date_acquired,date_sold,proceeds,cost_basis,code,adjustment,gain_or_loss,currency'];
  for (const term of ['short', 'long'] as const) {
    for (const r of rows.filter((x) => x.term === term)) {
      lines.push([term === 'short' ? 'I' : 'II', r.accountId, `${r.quantity} sh. ${r.symbol}${r.side === 'short' ? ' (short sale)' : ''}`, date(r.acquired), date(r.sold),
        r.proceeds, r.costBasis, r.code, r.adjustment === '0' ? '' : r.adjustment, r.gain, r.currency].map(csvCell).join(','));
    }
  }
  return `${lines.join('\n')}\n`;
}

export interface HarvestCandidate {
  lotId: string;
  accountId: string;
  symbol: string;
  quantity: string;
  acquired: string;
  holdingFrom: string;
  costBasis: string;
  price: string;
  marketValue: string;
  /** Negative: the loss a sale at `price` would realise. */
  unrealized: string;
  /** The term a sale on `asOf` would have. */
  term: 'short' | 'long';
  /** The part of the loss a sale of this lot on asOf would have disallowed by purchases already made. */
  washedNow: string;
  /** (−unrealized − washedNow) × rate. */
  estimatedSaving: string;
  currency: string;
  /** Selling on asOf is a wash sale if the symbol is bought in any account within this window (inclusive). */
  window: { from: string; to: string };
  /** Shares bought in the window's first half, still held and unused as replacements: they would wash a sale now. */
  recentPurchases: { txId: string; accountId: string; date: string; quantity: string }[];
  /** The first day a sale is clear of the recent purchases (31 days after the last one), or asOf when none. */
  clearFrom: string;
}

/**
 * Open long lots of taxable accounts with an unrealised loss at the given prices (units of the lot's currency), with
 * the saving at `rate` (a fraction, 0.24 for 24 %) and the wash-sale window of a sale on `asOf`. Largest loss first.
 * A sale on asOf would be washed by shares of the symbol bought in the 30 days before it, still held and not used as
 * a replacement yet (any account; not the lot's own purchase): `washedNow` is that part of the loss, the same rule as
 * computeLots applies.
 */
export function harvestList(
  accounts: readonly LedgerAccount[], transactions: readonly Transaction[],
  o: { prices: Record<string, string>; asOf: string; rate: string; method?: LotOptions['method'] },
  /** The lots of these transactions up to asOf with o.method, when the caller has them already. */
  computed?: LotsResult,
): HarvestCandidate[] {
  const taxable = new Set(accounts.filter((a) => a.taxType === 'taxable').map((a) => a.id));
  const result = computed ?? computeLots(accounts, transactions.filter((t) => t.date <= o.asOf), { method: o.method });
  const from = addDays(o.asOf, -30);
  // Shares that would replace a sale on asOf, by symbol.
  const replacing = new Map<string, TaxLot[]>();
  for (const l of result.lots) {
    if (l.side === 'long' && l.replaceable && l.acquired >= from && l.acquired <= o.asOf) replacing.set(l.symbol, [...(replacing.get(l.symbol) ?? []), l]);
  }
  const out: (HarvestCandidate & { loss: Dec })[] = [];
  for (const lot of result.lots) {
    const price = o.prices[lot.symbol];
    if (lot.side !== 'long' || !taxable.has(lot.accountId) || price === undefined) continue;
    const value = cents(dec(lot.quantity).times(dec(price)));
    const unrealized = value.minus(dec(lot.costBasis));
    if (unrealized.gte(0)) continue;
    const recent = (replacing.get(lot.symbol) ?? []).filter((l) => l.originTxId !== lot.originTxId);
    const quantity = dec(lot.quantity);
    const capacity = recent.reduce((sum, l) => sum.plus(dec(l.quantity)), ZERO);
    const loss = unrealized.neg();
    const washed = capacity.gte(quantity) ? loss : cents(loss.times(capacity).div(quantity));
    const last = recent.reduce((m, r) => (r.acquired > m ? r.acquired : m), '');
    out.push({
      lotId: lot.id, accountId: lot.accountId, symbol: lot.symbol, quantity: lot.quantity, acquired: lot.acquired, holdingFrom: lot.holdingFrom,
      costBasis: lot.costBasis, price, marketValue: value.toFixed(2), unrealized: unrealized.toFixed(2), term: holdingTerm(lot.holdingFrom, o.asOf),
      washedNow: washed.toFixed(2), estimatedSaving: cents(loss.minus(washed).times(dec(o.rate))).toFixed(2), currency: lot.currency,
      window: { from, to: addDays(o.asOf, 30) },
      recentPurchases: recent.map((l) => ({ txId: l.originTxId, accountId: l.accountId, date: l.acquired, quantity: l.quantity })),
      clearFrom: last ? addDays(last, 31) : o.asOf, loss: unrealized,
    });
  }
  return out.sort((a, b) => a.loss.cmp(b.loss)).map(({ loss: _loss, ...c }) => c);
}

export interface WhatIfOrder {
  accountId: string;
  symbol: string;
  side: 'buy' | 'sell';
  quantity: string;
  price: string;
  /** Trade date (the ticket passes today). */
  date: string;
  fee?: string;
}

export interface WhatIfResult {
  /** The lots a sell would close under the account's method, with their gains after the rule. */
  realized: RealizedLot[];
  /** Wash sales the order would cause: its own loss sale washed, or earlier loss sales this buy would wash. */
  washSales: WashSale[];
  /** The loss the order would disallow (sum over washSales' parts that involve the order). */
  disallowed: string;
  /** Some of it lost for good (a replacement in a tax-advantaged account). */
  permanent: boolean;
  /** Sentences for the ticket. */
  warnings: string[];
}


/** The wash-sale consequence of an order before it is sent: the ledger computed with and without it. */
export function whatIf(accounts: readonly LedgerAccount[], transactions: readonly Transaction[], order: WhatIfOrder): WhatIfResult {
  const hypothetical: Transaction = {
    id: WHAT_IF_ID, accountId: order.accountId, date: order.date, time: '~', type: order.side === 'buy' ? 'BUY' : 'SELL', symbol: order.symbol,
    quantity: order.quantity, price: order.price, fee: order.fee ?? '0', currency: accounts.find((a) => a.id === order.accountId)?.baseCurrency ?? 'USD', source: 'manual',
  };
  // Lots and wash sales of one symbol depend only on that symbol's transactions: the others are left out.
  const prior = transactions.filter((t) => t.date <= order.date && t.symbol === order.symbol);
  const withOrder = computeLots(accounts, [...prior, hypothetical]);
  const realized = withOrder.realized.filter((r) => r.txId === WHAT_IF_ID);
  const own = withOrder.washSales.filter((w) => w.saleTxId === WHAT_IF_ID);
  const caused = withOrder.washSales
    .filter((w) => w.saleTxId !== WHAT_IF_ID && w.replacements.some((r) => r.txId === WHAT_IF_ID))
    .map((w) => ({ ...w, replacements: w.replacements.filter((r) => r.txId === WHAT_IF_ID) }));
  const washSales = [...own, ...caused];
  let disallowed = ZERO;
  let permanent = false;
  for (const w of own) {
    disallowed = disallowed.plus(dec(w.disallowed));
    permanent ||= w.permanent;
  }
  for (const w of caused) {
    for (const r of w.replacements) {
      disallowed = disallowed.plus(dec(r.disallowed));
      permanent ||= r.permanent;
    }
  }
  const warnings: string[] = [];
  const d = disallowed.toFixed(2);
  if (order.side === 'sell') {
    const loss = realized.reduce((s, r) => s.plus(dec(r.costBasis).minus(dec(r.proceeds))), ZERO);
    if (own.length > 0) warnings.push(`Wash sale: ${d} of the ${loss.toFixed(2)} loss is disallowed (shares of ${order.symbol} bought within 30 days)${permanent ? ', part of it for good (bought in a tax-advantaged account)' : ''}.`);
    else if (loss.gt(0) && !realized.every((r) => r.taxAdvantaged)) warnings.push(`Buying ${order.symbol} in any account until ${addDays(order.date, 30)} would disallow this ${loss.toFixed(2)} loss (wash sale).`);
  } else if (caused.length > 0) {
    warnings.push(`Wash sale: this buy disallows ${d} of the loss on ${order.symbol} sold on ${caused.map((w) => w.sold).join(', ')}${permanent ? ' for good (tax-advantaged account)' : ', added to this purchase\'s basis'}.`);
  }
  return { realized, washSales, disallowed: d, permanent, warnings };
}
