// CFD instrument specs: contract size, sizes, leverage with the regulator's caps, financing rates, hours, pip location.
// Leverage is kept as an integer ratio (30 for 30:1); the margin rate is its exact inverse (1/30 to 34 digits, never a
// rounded 3.33 %), so margin figures carry no rounding until they are shown (see margin.ts).
import type { AssetClass, SessionKind } from '../../../src-shared/domain/types';
import { D, dec, type Dec } from '../money';

/** The regulator's categories the caps are written for. */
export type CfdCategory = 'major-fx' | 'minor-fx' | 'major-index' | 'minor-index' | 'gold' | 'commodity' | 'share' | 'crypto';

/** ESMA retail leverage caps (product intervention 2018, kept by national regulators since): 30:1 major FX pairs;
 * 20:1 other FX pairs, gold and major indices; 10:1 other commodities and other indices; 5:1 shares; 2:1 crypto. */
export const ESMA_RETAIL_LEVERAGE: Readonly<Record<CfdCategory, number>> = {
  'major-fx': 30, 'minor-fx': 20, 'major-index': 20, gold: 20, 'minor-index': 10, commodity: 10, share: 5, crypto: 2,
};

/** Retail accounts are capped; professional clients get the venue's own leverage. */
export type LeverageRegime = 'esma-retail' | 'professional';

/** When financing charges the weekend (see financing.ts). */
export type FinancingConvention = 'fx' | 'cfd' | 'crypto';

export interface CfdSpec {
  symbol: string;
  category: CfdCategory;
  assetClass: AssetClass;
  /** The currency prices and P&L are in (EURUSD: USD; USDJPY: JPY). */
  quoteCurrency: string;
  /** Units in one lot (FX 100,000; an index or gold CFD here: 1). */
  contractSize: number;
  /** Smallest size and size step, in units. */
  minSize: number;
  sizeStep: number;
  /** The venue's own maximum leverage (n for n:1), before any regulator's cap. */
  maxLeverage: number;
  /** Annual rates on the notional, signed from the account's side: negative is paid, positive received. */
  financing: { long: string; short: string };
  financingConvention: FinancingConvention;
  tradingHours: SessionKind;
  /** The pip is 10^pipLocation in price (EURUSD −4, USDJPY −2, an index 0). */
  pipLocation: number;
}

export function leverage(spec: Pick<CfdSpec, 'category' | 'maxLeverage'>, regime: LeverageRegime): number {
  return regime === 'esma-retail' ? Math.min(spec.maxLeverage, ESMA_RETAIL_LEVERAGE[spec.category]) : spec.maxLeverage;
}

/** Initial margin as a fraction of notional: 1 / leverage, exact. */
export function marginRate(spec: Pick<CfdSpec, 'category' | 'maxLeverage'>, regime: LeverageRegime): Dec {
  return new D(1).div(leverage(spec, regime));
}

export function pipSize(spec: Pick<CfdSpec, 'pipLocation'>): Dec {
  return new D(10).pow(spec.pipLocation);
}

/** Size problems in plain words, or null (sizes are in units). */
export function sizeProblem(spec: Pick<CfdSpec, 'symbol' | 'minSize' | 'sizeStep'>, units: number): string | null {
  const u = dec(units).abs();
  if (u.lt(spec.minSize)) return `${spec.symbol}: the minimum size is ${spec.minSize} units`;
  if (!u.mod(spec.sizeStep).isZero()) return `${spec.symbol}: sizes go in steps of ${spec.sizeStep} units`;
  return null;
}

const fx = (symbol: string, quote: string, category: CfdCategory, pipLocation: number, long: string, short: string): CfdSpec => ({
  symbol, category, assetClass: 'fx', quoteCurrency: quote, contractSize: 100_000, minSize: 1000, sizeStep: 1000, maxLeverage: 50,
  financing: { long, short }, financingConvention: 'fx', tradingHours: 'fx-24x5', pipLocation,
});

/**
 * The specs of the demo market's CFDs (the paper CFD account trades them). Financing: benchmark rate ± a 2.5 % markup,
 * so both sides of an index pay or receive less than the benchmark; FX from the two currencies' rate difference.
 */
export const DEMO_CFD_SPECS: readonly CfdSpec[] = [
  fx('EURUSD', 'USD', 'major-fx', -4, '-0.0250', '-0.0050'),
  fx('USDJPY', 'JPY', 'major-fx', -2, '0.0150', '-0.0450'),
  fx('EURGBP', 'GBP', 'minor-fx', -4, '-0.0200', '-0.0100'),
  { symbol: 'US500', category: 'major-index', assetClass: 'index-cfd', quoteCurrency: 'USD', contractSize: 1, minSize: 1, sizeStep: 1, maxLeverage: 100,
    financing: { long: '-0.0600', short: '0.0100' }, financingConvention: 'cfd', tradingHours: 'cfd-23x5', pipLocation: 0 },
  { symbol: 'XAUUSD', category: 'gold', assetClass: 'commodity-cfd', quoteCurrency: 'USD', contractSize: 1, minSize: 1, sizeStep: 1, maxLeverage: 50,
    financing: { long: '-0.0550', short: '0.0050' }, financingConvention: 'cfd', tradingHours: 'cfd-23x5', pipLocation: -2 },
  { symbol: 'BTCUSD', category: 'crypto', assetClass: 'crypto', quoteCurrency: 'USD', contractSize: 1, minSize: 0.001, sizeStep: 0.001, maxLeverage: 5,
    financing: { long: '-0.1800', short: '-0.1200' }, financingConvention: 'crypto', tradingHours: 'crypto-24x7', pipLocation: 0 },
];

export function demoCfdSpec(symbol: string): CfdSpec | undefined {
  return DEMO_CFD_SPECS.find((s) => s.symbol === symbol);
}

/** A spec for an instrument without one of its own (a share CFD, say): the category's regulator cap, no financing
 * markup beyond a flat 5 % a year on longs, 1 % received on shorts, sizes of one unit. */
export function fallbackSpec(i: { symbol: string; assetClass: AssetClass; currency: string; session: SessionKind; lotSize: number }): CfdSpec {
  const category: CfdCategory = i.assetClass === 'fx' ? 'minor-fx' : i.assetClass === 'index-cfd' ? 'minor-index' : i.assetClass === 'commodity-cfd' ? 'commodity' : i.assetClass === 'crypto' ? 'crypto' : 'share';
  return {
    symbol: i.symbol, category, assetClass: i.assetClass, quoteCurrency: i.currency, contractSize: i.assetClass === 'fx' ? 100_000 : 1, minSize: i.lotSize, sizeStep: i.lotSize,
    maxLeverage: ESMA_RETAIL_LEVERAGE[category], financing: { long: '-0.0500', short: '0.0100' },
    financingConvention: i.assetClass === 'fx' ? 'fx' : i.assetClass === 'crypto' ? 'crypto' : 'cfd', tradingHours: i.session, pipLocation: i.assetClass === 'fx' ? -4 : 0,
  };
}
