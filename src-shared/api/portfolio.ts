// The portfolio tracker's messages (issue 13): the ledger, tax lots, gains, wash sales, harvesting and the ticket's
// what-if, as zod schemas. contract.ts registers them as `portfolio.*` methods. Money and quantities are decimal strings.
import { z } from 'zod';
import { IsoDate, LedgerAccount, Transaction } from '../domain/ledger';
import { MAX_IMPORT_BYTES, formatMegabytes } from './limits';

const Decimal = z.string().regex(/^-?\d+(\.\d+)?$/, 'a decimal number as a string');
const PositiveDecimal = z.string().regex(/^\d+(\.\d+)?$/, 'a positive decimal number as a string').refine((s) => Number(s) > 0, 'must be positive');
/** The lot method for a report: each account's own unless one is given for all. */
export const ReportLotMethod = z.enum(['fifo', 'lifo', 'hifo']);

/** A transaction as the user enters or edits it: the id and source are the tracker's. */
export const ManualTransaction = Transaction.omit({ id: true, source: true, sourceRef: true });
export type ManualTransaction = z.input<typeof ManualTransaction>;

export const TransactionQuery = z.object({
  accountId: z.string().min(1).max(64).optional(),
  symbol: z.string().min(1).max(32).optional(),
  from: IsoDate.optional(),
  to: IsoDate.optional(),
  limit: z.number().int().positive().max(100_000).optional(),
});

export const PortfolioImportRequest = z.object({
  format: z.enum(['csv', 'ib-flex']),
  text: z.string().min(1, 'The file is empty').max(MAX_IMPORT_BYTES, `At most ${formatMegabytes(MAX_IMPORT_BYTES)} per import`),
});
export const PortfolioImportReport = z.object({
  imported: z.number().int(),
  duplicates: z.number().int(),
  /** CSV: the data row (1 = first after the header); Flex: the element's line; 0: the whole file. */
  rejected: z.array(z.object({ row: z.number().int(), reason: z.string() })),
  accountsCreated: z.array(z.string()),
});
export type PortfolioImportReport = z.infer<typeof PortfolioImportReport>;

export const TaxLot = z.object({
  id: z.string(), accountId: z.string(), symbol: z.string(), side: z.enum(['long', 'short']), quantity: Decimal,
  acquired: IsoDate, holdingFrom: IsoDate, costBasis: Decimal, washAdjustment: Decimal, costPerUnit: Decimal, currency: z.string(),
  originTxId: z.string(), replaceable: z.boolean(),
});
export const RealizedLot = z.object({
  txId: z.string(), lotId: z.string(), accountId: z.string(), symbol: z.string(), side: z.enum(['long', 'short']), quantity: Decimal,
  acquired: IsoDate, holdingFrom: IsoDate, sold: IsoDate, proceeds: Decimal, costBasis: Decimal, adjustment: Decimal, code: z.enum(['', 'W']),
  gain: Decimal, term: z.enum(['short', 'long']), currency: z.string(), taxAdvantaged: z.boolean(), permanentlyDisallowed: Decimal,
});
export const WashSale = z.object({
  saleTxId: z.string(), lotId: z.string(), accountId: z.string(), symbol: z.string(), sold: IsoDate, quantity: Decimal, loss: Decimal,
  disallowed: Decimal, replacedQuantity: Decimal, permanent: z.boolean(), currency: z.string(),
  replacements: z.array(z.object({ txId: z.string(), accountId: z.string(), date: IsoDate, quantity: Decimal, disallowed: Decimal, permanent: z.boolean() })),
});
export const LedgerProblem = z.object({ txId: z.string(), message: z.string() });
export const GainsTotals = z.object({ proceeds: Decimal, costBasis: Decimal, adjustment: Decimal, gain: Decimal });

export const HarvestRequest = z.object({
  /** Price per symbol in the lot's currency; symbols left out are priced from the market's last quote when it has one. */
  prices: z.record(z.string(), PositiveDecimal).default({}),
  /** Marginal tax rate as a fraction (0.24). */
  rate: Decimal.refine((s) => Number(s) >= 0 && Number(s) <= 1, 'a fraction between 0 and 1'),
  asOf: IsoDate.optional(),
  method: ReportLotMethod.optional(),
});
export const HarvestCandidate = z.object({
  lotId: z.string(), accountId: z.string(), symbol: z.string(), quantity: Decimal, acquired: IsoDate, holdingFrom: IsoDate, costBasis: Decimal,
  price: Decimal, marketValue: Decimal, unrealized: Decimal, term: z.enum(['short', 'long']), washedNow: Decimal, estimatedSaving: Decimal, currency: z.string(),
  window: z.object({ from: IsoDate, to: IsoDate }),
  recentPurchases: z.array(z.object({ txId: z.string(), accountId: z.string(), date: IsoDate, quantity: Decimal })),
  clearFrom: IsoDate,
});

export const WhatIfRequest = z.object({
  accountId: z.string().min(1).max(64),
  symbol: z.string().min(1).max(32),
  side: z.enum(['buy', 'sell']),
  quantity: PositiveDecimal,
  price: PositiveDecimal,
  /** Trade date; today (the main process's clock, UTC) when left out. */
  date: IsoDate.optional(),
  fee: Decimal.optional(),
});
export const WhatIfResult = z.object({
  realized: z.array(RealizedLot),
  washSales: z.array(WashSale),
  disallowed: Decimal,
  permanent: z.boolean(),
  warnings: z.array(z.string()),
});

export const LedgerBalances = z.object({
  cash: z.array(z.object({ accountId: z.string(), currency: z.string(), amount: Decimal })),
  /** Signed quantities (negative: short), in the trade currency of the holding. */
  holdings: z.array(z.object({ accountId: z.string(), symbol: z.string(), quantity: Decimal, currency: z.string() })),
});

/** The `portfolio.*` methods; contract.ts spreads them into its registry. */
export const portfolioMethods = {
  'portfolio.accounts.list': { request: z.object({}).strict(), response: z.array(LedgerAccount) },
  'portfolio.accounts.upsert': { request: LedgerAccount, response: LedgerAccount },
  /** Oldest first. */
  'portfolio.transactions.list': { request: TransactionQuery, response: z.array(Transaction) },
  'portfolio.transactions.add': { request: ManualTransaction, response: Transaction },
  'portfolio.transactions.edit': { request: z.object({ id: z.string().min(1), transaction: ManualTransaction }), response: Transaction },
  'portfolio.transactions.delete': { request: z.object({ id: z.string().min(1) }), response: z.object({ ok: z.literal(true) }) },
  /** Cash per account and currency and holdings per account from the ledger, after the transactions up to asOf. */
  'portfolio.balances': { request: z.object({ asOf: IsoDate.optional() }), response: LedgerBalances },
  /** A CSV (docs/portfolio.md) or IB Flex XML file's text; re-importing adds nothing; accounts named are created. */
  'portfolio.import': { request: PortfolioImportRequest, response: PortfolioImportReport },
  /** Open lots (costBasis includes washAdjustment) and the ledger's problems (a transfer of more than held…). */
  'portfolio.lots': { request: z.object({ method: ReportLotMethod.optional() }), response: z.object({ lots: z.array(TaxLot), problems: z.array(LedgerProblem) }) },
  /** Realised gains per lot of taxable accounts sold in the year, with totals (gain = proceeds − costBasis + adjustment). */
  'portfolio.gains': { request: z.object({ year: z.number().int().min(1900).max(2200), method: ReportLotMethod.optional() }), response: z.object({ rows: z.array(RealizedLot), totals: GainsTotals }) },
  /** The year's Form 8949-style CSV (code W and the adjustment). */
  'portfolio.form8949': { request: z.object({ year: z.number().int().min(1900).max(2200), method: ReportLotMethod.optional() }), response: z.object({ csv: z.string() }) },
  'portfolio.washSales': { request: z.object({ year: z.number().int().min(1900).max(2200).optional() }), response: z.array(WashSale) },
  /** Tax-loss harvesting: open lots with an unrealised loss, the saving at the rate, the wash-sale window of each. */
  'portfolio.harvest': { request: HarvestRequest, response: z.array(HarvestCandidate) },
  /** For the order ticket: the wash-sale consequence of an order before it is sent. */
  'portfolio.whatIf': { request: WhatIfRequest, response: WhatIfResult },
} as const;
