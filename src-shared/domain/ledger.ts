// The investment ledger: accounts as the tracker sees them and the transactions that are the source of truth for
// holdings, cash, performance and tax lots. Plain data validated by zod; amounts are decimal strings (exact).
import { z } from 'zod';
import { isCalendarDate } from './dates';
import { Money } from './types';

/** A calendar date, YYYY-MM-DD (the trade date; the account's own day); 2024-02-30 is refused, not rolled into March. */
export const IsoDate = z.string().regex(/^\d{4}-\d{2}-\d{2}$/, 'a date as YYYY-MM-DD').refine(isCalendarDate, 'not a calendar date');
export type IsoDate = z.infer<typeof IsoDate>;

/** ISO 4217 code, upper case. */
export const CurrencyCode = z.string().regex(/^[A-Z]{3}$/, 'a three-letter currency code');

/** A positive decimal quantity or price as a string ("10", "0.5"). */
const PositiveDecimal = z.string().regex(/^\d+(\.\d+)?$/).refine((s) => Number(s) > 0, 'must be positive');

export const LotMethod = z.enum(['fifo', 'lifo', 'hifo', 'specific']);
export type LotMethod = z.infer<typeof LotMethod>;
export const TaxType = z.enum(['taxable', 'tax-advantaged']);
export type TaxType = z.infer<typeof TaxType>;

/**
 * An account of the tracker: a connected broker account (`venueAccountId` links it to the registry's account), the
 * paper account, or one that exists only as imported statements.
 */
export const LedgerAccount = z.object({
  id: z.string().min(1).max(64),
  name: z.string().min(1).max(120),
  kind: z.enum(['broker', 'paper', 'statement']),
  baseCurrency: CurrencyCode,
  taxType: TaxType,
  lotMethod: LotMethod,
  venueAccountId: z.string().optional(),
});
export type LedgerAccount = z.infer<typeof LedgerAccount>;

/**
 * Transaction types. BUY/SELL trade a security: a SELL beyond the long position opens a short, a BUY against a short
 * covers it. TRANSFER_IN/OUT move securities between accounts keeping basis and acquisition dates; SPLIT multiplies
 * a holding (`ratio` new shares per old share; lots keep their total basis and dates); FX converts cash.
 */
export const TransactionType = z.enum([
  'BUY', 'SELL', 'DIVIDEND', 'INTEREST', 'FEE', 'TAX', 'DEPOSIT', 'WITHDRAWAL', 'TRANSFER_IN', 'TRANSFER_OUT', 'SPLIT', 'FX',
]);
export type TransactionType = z.infer<typeof TransactionType>;

export const TransactionSource = z.enum(['manual', 'csv', 'ib-flex', 'fill']);
export type TransactionSource = z.infer<typeof TransactionSource>;

/**
 * One ledger row. Cash effects by type (in `currency`):
 * - BUY: −(quantity × price + fee); SELL: +(quantity × price − fee);
 * - DIVIDEND, INTEREST, DEPOSIT: +amount; FEE, TAX, WITHDRAWAL: −amount (a negative amount is a reversal/refund);
 *   a DIVIDEND/TAX/FEE may name the `symbol` it belongs to;
 * - FX: −amount in `currency`, +toAmount in `toCurrency`, −fee in `currency`;
 * - TRANSFER_IN/OUT, SPLIT: no cash (fee, if any, is paid in `currency`).
 * `sourceRef` is the external id that makes a re-import a no-op (IB tradeID/transactionID, a fill's execId, a CSV row's
 * content hash); (accountId, source, sourceRef) is unique.
 */
export const Transaction = z.object({
  id: z.string().min(1),
  accountId: z.string().min(1),
  date: IsoDate,
  /** Time within the day (ISO 8601 with offset) when known: orders same-day trades and the wash-sale window's edges. */
  time: z.string().optional(),
  type: TransactionType,
  symbol: z.string().min(1).optional(),
  quantity: PositiveDecimal.optional(),
  /** Per unit, in `currency` (for TRANSFER_IN from outside the tracker: the cost basis per unit). */
  price: Money.optional(),
  fee: Money.default('0'),
  amount: Money.optional(),
  currency: CurrencyCode,
  /** SPLIT: new shares per old share ("2" for 2-for-1, "0.1" for 1-for-10). */
  ratio: PositiveDecimal.optional(),
  /** FX: the currency and amount bought. */
  toCurrency: CurrencyCode.optional(),
  toAmount: Money.optional(),
  /** TRANSFER_IN from outside: the original acquisition date (holding period). */
  acquired: IsoDate.optional(),
  /** TRANSFER_IN/OUT between tracked accounts: both rows carry the same id, and the lots move with their dates. */
  transferId: z.string().optional(),
  /** Rate of `currency` into the account's base currency at the transaction (IB's fxRateToBase); absent: unknown. */
  fxRateToBase: Money.optional(),
  /** SELL under the specific-lot method: which lots (by id) and how much of each. */
  lots: z.array(z.object({ lotId: z.string(), quantity: PositiveDecimal })).optional(),
  source: TransactionSource,
  sourceRef: z.string().optional(),
  /** A trade's broker execution id (IB execID): a fill recorded live and the same trade in a statement are one row. */
  execId: z.string().optional(),
  note: z.string().max(500).optional(),
});
export type Transaction = z.infer<typeof Transaction>;
