// Pip values and currency conversion. A rate lookup gives the price of one unit of a currency in another from the
// market's FX quotes: the direct pair (EURUSD for EUR→USD), the inverse of the reverse pair (USDJPY for JPY→USD),
// or a cross through USD (GBP→JPY = GBPUSD × USDJPY). Exact decimals; no rounding here (callers round what they show).
import { D, dec, type Dec } from '../money';

/** Price of one `from` in `to`, or undefined when the market has no way to tell. */
export type RateLookup = (from: string, to: string) => Dec | undefined;

/** A rate lookup over six-letter FX symbols ("EURUSD") priced by `price` (mid or last). */
export function fxRates(price: (symbol: string) => number | undefined): RateLookup {
  const direct = (from: string, to: string): Dec | undefined => {
    if (from === to) return dec(1);
    const p = price(`${from}${to}`);
    if (p !== undefined && p > 0) return dec(p);
    const inv = price(`${to}${from}`);
    if (inv !== undefined && inv > 0) return new D(1).div(inv);
    return undefined;
  };
  return (from, to) => {
    const d = direct(from, to);
    if (d !== undefined || from === 'USD' || to === 'USD') return d;
    const a = direct(from, 'USD');
    const b = direct('USD', to);
    return a !== undefined && b !== undefined ? a.times(b) : undefined;
  };
}

export function convert(amount: Dec, from: string, to: string, rates: RateLookup): Dec | undefined {
  const r = rates(from, to);
  return r === undefined ? undefined : amount.times(r);
}

/** Value of one pip on `units` in the account currency: units × 10^pipLocation in the quote currency, converted. */
export function pipValue(args: { units: number; pipLocation: number; quoteCurrency: string; accountCurrency: string; rates: RateLookup }): Dec | undefined {
  const inQuote = dec(args.units).times(new D(10).pow(args.pipLocation));
  return convert(inQuote, args.quoteCurrency, args.accountCurrency, args.rates);
}
