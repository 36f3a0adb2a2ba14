// Holdings and cash per account and currency from the ledger, and the fields each transaction type needs. Pure.
// Cash effects follow src-shared/domain/ledger.ts; a trade's cash is quantity × price (exact) ± fee, booked to cents.
import type { Transaction } from '../../../src-shared/domain/ledger';
import { cents, dec, type Dec, ZERO } from '../money';
import { isCalendarDate } from '../../../src-shared/domain/dates';
import { sortTransactions } from './lots';

/** Why a transaction cannot be booked (a missing field for its type), or null when it can. */
export function transactionProblem(tx: Transaction): string | null {
  if (!isCalendarDate(tx.date)) return `date ${tx.date} is not a calendar date`;
  if (tx.acquired !== undefined && !isCalendarDate(tx.acquired)) return `acquired ${tx.acquired} is not a calendar date`;
  const need = (field: keyof Transaction) => (tx[field] === undefined || tx[field] === '' ? `${tx.type} needs ${field}` : null);
  switch (tx.type) {
    case 'BUY':
    case 'SELL':
      return need('symbol') ?? need('quantity') ?? need('price');
    case 'DIVIDEND':
    case 'INTEREST':
    case 'FEE':
    case 'TAX':
    case 'DEPOSIT':
    case 'WITHDRAWAL':
      return need('amount');
    case 'FX':
      return need('amount') ?? need('toCurrency') ?? need('toAmount') ?? (tx.toCurrency === tx.currency ? 'FX needs two different currencies' : null);
    case 'TRANSFER_IN':
    case 'TRANSFER_OUT':
      return need('symbol') ?? need('quantity');
    case 'SPLIT':
      return need('symbol') ?? need('ratio');
  }
}

/** The cash movements of one transaction, by currency (signed). */
export function cashEffects(tx: Transaction): { currency: string; amount: Dec }[] {
  const fee = dec(tx.fee);
  const amount = dec(tx.amount ?? 0);
  const gross = () => cents(dec(tx.quantity ?? 0).times(dec(tx.price ?? 0)));
  switch (tx.type) {
    case 'BUY':
      return [{ currency: tx.currency, amount: gross().plus(fee).neg() }];
    case 'SELL':
      return [{ currency: tx.currency, amount: gross().minus(fee) }];
    case 'DIVIDEND':
    case 'INTEREST':
    case 'DEPOSIT':
      return [{ currency: tx.currency, amount: amount.minus(fee) }];
    case 'FEE':
    case 'TAX':
    case 'WITHDRAWAL':
      return [{ currency: tx.currency, amount: amount.plus(fee).neg() }];
    case 'FX':
      return [{ currency: tx.currency, amount: amount.plus(fee).neg() }, { currency: tx.toCurrency!, amount: dec(tx.toAmount ?? 0) }];
    case 'TRANSFER_IN':
    case 'TRANSFER_OUT':
    case 'SPLIT':
      return fee.isZero() ? [] : [{ currency: tx.currency, amount: fee.neg() }];
  }
}

export interface CashBalance {
  accountId: string;
  currency: string;
  amount: string;
}

export interface Holding {
  accountId: string;
  symbol: string;
  /** Signed: negative is short. */
  quantity: string;
  currency: string;
}

/** Cash per account and currency and holdings per account and symbol after the transactions up to `asOf` (inclusive). */
export function balances(transactions: readonly Transaction[], asOf?: string): { cash: CashBalance[]; holdings: Holding[] } {
  const cash = new Map<string, { accountId: string; currency: string; amount: Dec }>();
  const held = new Map<string, { accountId: string; symbol: string; quantity: Dec; currency: string }>();
  for (const tx of sortTransactions(transactions)) {
    if (asOf !== undefined && tx.date > asOf) break;
    for (const e of cashEffects(tx)) {
      const k = `${tx.accountId}\u0000${e.currency}`;
      const c = cash.get(k) ?? { accountId: tx.accountId, currency: e.currency, amount: ZERO };
      c.amount = c.amount.plus(e.amount);
      cash.set(k, c);
    }
    if (!tx.symbol || !['BUY', 'SELL', 'SPLIT', 'TRANSFER_IN', 'TRANSFER_OUT'].includes(tx.type)) continue;
    const k = `${tx.accountId}\u0000${tx.symbol}`;
    const h = held.get(k) ?? { accountId: tx.accountId, symbol: tx.symbol, quantity: ZERO, currency: tx.currency };
    const q = dec(tx.quantity ?? 0);
    if (tx.type === 'BUY' || tx.type === 'TRANSFER_IN') h.quantity = h.quantity.plus(q);
    else if (tx.type === 'SELL' || tx.type === 'TRANSFER_OUT') h.quantity = h.quantity.minus(q);
    else if (tx.ratio) h.quantity = h.quantity.times(dec(tx.ratio));
    held.set(k, h);
  }
  const byKey = <T extends { accountId: string }>(a: T, b: T, second: (x: T) => string) => a.accountId.localeCompare(b.accountId) || second(a).localeCompare(second(b));
  return {
    cash: [...cash.values()].sort((a, b) => byKey(a, b, (x) => x.currency)).map((c) => ({ accountId: c.accountId, currency: c.currency, amount: c.amount.toFixed(2) })),
    holdings: [...held.values()].filter((h) => !h.quantity.isZero()).sort((a, b) => byKey(a, b, (x) => x.symbol))
      .map((h) => ({ accountId: h.accountId, symbol: h.symbol, quantity: h.quantity.toFixed(), currency: h.currency })),
  };
}
