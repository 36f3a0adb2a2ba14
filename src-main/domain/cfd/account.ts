// A CFD account's margin from its positions: the terms a venue trades on (leverage regime, margin call and stop-out
// levels, specs) applied to positions marked at the current prices, converted to the account currency.
import type { SessionKind, AssetClass } from '../../../src-shared/domain/types';
import { dec, ZERO, type Dec } from '../money';
import { marginFigures, positionMargin, type MarginFigures, type MarginLevels } from './margin';
import type { RateLookup } from './pip';
import { fallbackSpec, leverage, type CfdSpec, type LeverageRegime } from './specs';
import type { StopOutCandidate } from './stop-out';

export interface CfdTerms {
  regime: LeverageRegime;
  levels: MarginLevels;
  /** The instrument's spec, or undefined for one the venue has none for (a fallback by asset class is then used). */
  spec(symbol: string): CfdSpec | undefined;
}

export interface MarkedPosition {
  symbol: string;
  quantity: number;
  avgPrice: number;
  /** Undefined when there is no price yet: the position is then valued at its average price. */
  price: number | undefined;
}

export interface InstrumentLike {
  symbol: string;
  assetClass: AssetClass;
  currency: string;
  session: SessionKind;
  lotSize: number;
}

export function specOf(terms: CfdTerms, i: InstrumentLike): CfdSpec {
  return terms.spec(i.symbol) ?? fallbackSpec(i);
}

export interface AccountMargin {
  figures: MarginFigures;
  positions: (StopOutCandidate & { leverage: number })[];
  /** Pairs the market has no rate for ("JPY/USD"): their positions are left out of the figures, never counted 1:1. */
  missingRates: string[];
}

export function accountMargin(args: {
  equity: Dec;
  positions: readonly MarkedPosition[];
  accountCurrency: string;
  terms: CfdTerms;
  instrument(symbol: string): InstrumentLike | undefined;
  rates: RateLookup;
}): AccountMargin {
  const out: AccountMargin['positions'] = [];
  const missingRates: string[] = [];
  let used = ZERO;
  for (const p of args.positions) {
    if (p.quantity === 0) continue;
    const inst = args.instrument(p.symbol);
    if (!inst) continue;
    const spec = specOf(args.terms, inst);
    const lev = leverage(spec, args.terms.regime);
    // No rate: left out and said (missingRates) rather than valued 1:1 (a yen is not a dollar); the paper CFD account
    // refuses orders in such instruments, so this is a market that stopped quoting the pair.
    const toAccount = args.rates(spec.quoteCurrency, args.accountCurrency);
    if (toAccount === undefined) {
      missingRates.push(`${spec.quoteCurrency}/${args.accountCurrency}`);
      continue;
    }
    const price = p.price ?? p.avgPrice;
    const margin = positionMargin({ symbol: p.symbol, quantity: p.quantity, price, leverage: lev, toAccount });
    used = used.plus(margin);
    out.push({ symbol: p.symbol, margin, leverage: lev, unrealizedPnl: dec(price).minus(p.avgPrice).times(p.quantity).times(toAccount) });
  }
  return { figures: marginFigures(args.equity, used, args.terms.levels), positions: out, missingRates };
}
