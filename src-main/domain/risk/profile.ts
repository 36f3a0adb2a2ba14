// What the risk limits and stress tests need to know of an instrument beyond its price: a small port the composition
// root fills from whatever knows it (instrument specs today, the ledger's instrument profiles once wired).

export interface RiskProfile {
  /** GICS-like sector name; undefined when unknown (sector caps and the sector shock skip it). */
  sector?: string;
  /** Who issued it (one company's share classes and bonds share an issuer); default: the symbol. */
  issuer?: string;
  /** 'stock', 'index-cfd', 'fx', 'commodity-cfd', 'crypto'. */
  assetClass?: string;
  /** ISO currency the instrument is quoted in. */
  currency?: string;
}

export type RiskProfileLookup = (symbol: string) => RiskProfile | undefined;

export const EQUITY_CLASSES: ReadonlySet<string> = new Set(['stock', 'index-cfd']);
