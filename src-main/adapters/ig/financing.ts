// IG's overnight funding as charges to book: IG writes each day's funding of a position to the account's transaction
// history (GET /history/transactions) as its own row — `WITH` for a charge, `DEPO` for a payment — named after the
// market ("Funding EUR/USD …"), with the amount as text with the currency's sign in front (`$-0.89`, `E1,234.50`).
// A charge's id is IG's `reference`, so the same row read twice (overlapping polls, a reconnect's catch-up, a page
// listed twice) is one charge.
import { dec } from '../../domain/money';
import type { VenueFinancing } from '../../ports/broker-session';
import type { IgMarketSpec, Json } from './parsing';

/** The amount of IG's `profitAndLoss` text exactly: the currency's sign and thousands separators dropped. */
export function amountOfIgText(text: string): string | null {
  const m = /^[^\d-]*(-?)[^\d-]*([\d,]+(?:\.\d+)?)$/.exec(text.trim());
  if (!m) return null;
  return dec(`${m[1]}${m[2]!.replace(/,/g, '')}`).toFixed();
}

export type IgFundingRow =
  | { kind: 'charge'; charge: VenueFinancing }
  /** A funding row this venue cannot book as it is (in another currency than the account's, an amount not read). */
  | { kind: 'unbookable'; reference: string; reason: string }
  | null;

/**
 * One row of the transaction history as a funding charge, or null when it is not funding. The market is the one whose
 * name the row names (longest name first, so "US 500" is not taken for a shorter one); a market this connection does
 * not trade keeps IG's instrument name as the symbol (the cash is booked all the same, with no position to charge).
 */
export function fundingOfTransaction(row: Json, markets: Iterable<IgMarketSpec>, accountCurrency: string | null): IgFundingRow {
  const type = String(row['transactionType'] ?? '');
  const name = String(row['instrumentName'] ?? '');
  if ((type !== 'WITH' && type !== 'DEPO') || !/funding/i.test(name)) return null;
  const reference = String(row['reference'] ?? '');
  if (!reference) return { kind: 'unbookable', reference: name, reason: 'no reference' };
  const currency = typeof row['currency'] === 'string' ? row['currency'] : null;
  if (currency && accountCurrency && currency !== accountCurrency) {
    return { kind: 'unbookable', reference, reason: `booked in ${currency}, the account is in ${accountCurrency}` };
  }
  const amount = amountOfIgText(String(row['profitAndLoss'] ?? ''));
  if (amount === null) return { kind: 'unbookable', reference, reason: `amount "${String(row['profitAndLoss'])}" not read` };
  const market = [...markets].sort((a, b) => b.name.length - a.name.length).find((m) => name.toLowerCase().includes(m.name.toLowerCase()));
  const utc = String(row['dateUtc'] ?? '');
  const time = Date.parse(utc.endsWith('Z') ? utc : `${utc}Z`);
  return { kind: 'charge', charge: { id: `IG-FUNDING-${reference}`, time: Number.isFinite(time) ? time : 0, symbol: market?.symbol ?? name, amount } };
}
