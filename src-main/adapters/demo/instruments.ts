// The demo market's instruments and the parameters of their simulated prices (levels of late 2026, annual volatility).
import type { Instrument } from '../../../src-shared/domain/types';
import type { InstrumentProfile } from '../../../src-shared/domain/profile';

export interface DemoInstrumentSpec extends Instrument {
  /** Price level the random walk starts from and reverts to (slowly). */
  anchorPrice: number;
  annualVol: number;
  /** Quoted spread as a fraction of the price (at least one tick). */
  spread: number;
  /** Typical volume per session day, in units. */
  dailyVolume: number;
  /**
   * Daily bars before the minute walk's epoch, from this date (YYYY-MM-DD): a seeded daily walk ending at the walk's
   * start, with `annualDrift`, so "since inception" of an old portfolio has a benchmark offline. Absent: none.
   */
  dailyHistoryFrom?: string;
  /** Log drift per year of that daily history (going forward in time). */
  annualDrift?: number;
}

const stock = (symbol: string, name: string, anchorPrice: number, annualVol: number, dailyVolume: number): DemoInstrumentSpec => ({
  symbol, name: `${name} (demo)`, assetClass: 'stock', currency: 'USD', exchange: 'DEMO', tickSize: 0.01, lotSize: 1, session: 'us-equity',
  anchorPrice, annualVol, spread: 0.0002, dailyVolume,
});

export const DEMO_INSTRUMENTS: readonly DemoInstrumentSpec[] = [
  stock('AAPL', 'Apple Inc.', 235, 0.26, 55e6),
  stock('MSFT', 'Microsoft Corp.', 480, 0.24, 22e6),
  stock('NVDA', 'NVIDIA Corp.', 175, 0.5, 190e6),
  stock('AMZN', 'Amazon.com Inc.', 225, 0.32, 40e6),
  stock('JPM', 'JPMorgan Chase & Co.', 290, 0.22, 9e6),
  stock('XOM', 'Exxon Mobil Corp.', 115, 0.24, 15e6),
  stock('KO', 'Coca-Cola Co.', 70, 0.15, 13e6),
  // The default benchmark: daily history back to 2010 (about +10 % a year, like the S&P 500's total return).
  { ...stock('SPY', 'SPDR S&P 500 ETF', 680, 0.17, 60e6), dailyHistoryFrom: '2010-01-04', annualDrift: 0.1 },
  { symbol: 'US500', name: 'US 500 index CFD (demo)', assetClass: 'index-cfd', currency: 'USD', exchange: 'DEMO', tickSize: 0.1, lotSize: 1, session: 'cfd-23x5', anchorPrice: 6700, annualVol: 0.16, spread: 0.00008, dailyVolume: 2e5 },
  { symbol: 'EURUSD', name: 'Euro / US Dollar (demo)', assetClass: 'fx', currency: 'USD', exchange: 'DEMO', tickSize: 0.00001, lotSize: 1000, session: 'fx-24x5', anchorPrice: 1.16, annualVol: 0.07, spread: 0.00005, dailyVolume: 5e9 },
  { symbol: 'USDJPY', name: 'US Dollar / Japanese Yen (demo)', assetClass: 'fx', currency: 'JPY', exchange: 'DEMO', tickSize: 0.001, lotSize: 1000, session: 'fx-24x5', anchorPrice: 152, annualVol: 0.09, spread: 0.00006, dailyVolume: 4e9 },
  { symbol: 'XAUUSD', name: 'Gold spot CFD (demo)', assetClass: 'commodity-cfd', currency: 'USD', exchange: 'DEMO', tickSize: 0.01, lotSize: 1, session: 'cfd-23x5', anchorPrice: 4050, annualVol: 0.16, spread: 0.0001, dailyVolume: 3e5 },
  { symbol: 'BTCUSD', name: 'Bitcoin / US Dollar (demo)', assetClass: 'crypto', currency: 'USD', exchange: 'DEMO', tickSize: 0.01, lotSize: 0.001, session: 'crypto-24x7', anchorPrice: 92000, annualVol: 0.55, spread: 0.0001, dailyVolume: 2.5e4 },
];

export function toInstrument(spec: DemoInstrumentSpec): Instrument {
  const { symbol, name, assetClass, currency, exchange, tickSize, lotSize, session } = spec;
  return { symbol, name, assetClass, currency, exchange, tickSize, lotSize, session };
}

/**
 * Rounds a price to the tick size without float residue (0.1 + 0.2 → 0.3). For decimal ticks (0.01, 0.00001) dividing
 * by the integer 1/tick yields the double nearest to the decimal; other ticks (0.25) are exact in binary. On the hot path.
 */
export function roundToTick(price: number, tick: number): number {
  const inv = Math.round(1 / tick);
  if (Math.abs(inv * tick - 1) < 1e-12) return Math.round(price * inv) / inv;
  return Math.round(price / tick) * tick;
}

/**
 * The demo instruments' profiles for exposure (fixed, like their prices' parameters): the lowest-precedence source,
 * under IB's, Yahoo's and the user's.
 */
const DEMO_PROFILES: Readonly<Record<string, InstrumentProfile>> = {
  AAPL: { sector: 'Technology', industry: 'Consumer Electronics', assetClass: 'Equity', country: 'United States' },
  MSFT: { sector: 'Technology', industry: 'Software - Infrastructure', assetClass: 'Equity', country: 'United States' },
  NVDA: { sector: 'Technology', industry: 'Semiconductors', assetClass: 'Equity', country: 'United States' },
  AMZN: { sector: 'Consumer Cyclical', industry: 'Internet Retail', assetClass: 'Equity', country: 'United States' },
  JPM: { sector: 'Financial Services', industry: 'Banks - Diversified', assetClass: 'Equity', country: 'United States' },
  XOM: { sector: 'Energy', industry: 'Oil & Gas Integrated', assetClass: 'Equity', country: 'United States' },
  KO: { sector: 'Consumer Defensive', industry: 'Beverages - Non-Alcoholic', assetClass: 'Equity', country: 'United States' },
  SPY: { sector: 'Diversified', industry: 'Large Blend', assetClass: 'ETF', country: 'United States' },
  US500: { sector: 'Diversified', industry: 'Equity Index', assetClass: 'CFD', country: 'United States' },
  EURUSD: { sector: 'Currency', industry: 'Major FX Pair', assetClass: 'FX', country: 'Euro Area' },
  USDJPY: { sector: 'Currency', industry: 'Major FX Pair', assetClass: 'FX', country: 'Japan' },
  XAUUSD: { sector: 'Commodities', industry: 'Precious Metals', assetClass: 'CFD' },
  BTCUSD: { sector: 'Crypto', industry: 'Cryptocurrency', assetClass: 'Crypto' },
};

export function demoProfile(symbol: string): InstrumentProfile | undefined {
  return DEMO_PROFILES[symbol];
}
