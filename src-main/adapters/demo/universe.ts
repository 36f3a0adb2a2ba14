// The demo universe (issue 16): about 500 fictitious companies across the 11 GICS sectors, with quarterly statements and
// the parameters of their daily prices, all a pure function of the seed. Tickers end in ".DEMO" and names in "(demo)"
// so no one mistakes them for listed companies. Prices follow the companies' revenue trend plus a mean-reverting
// valuation gap, so value (a cheap stock tends to re-rate) and momentum (growth persists) mean something on it.
import { GICS_SECTORS, type GicsSector, type StatementRecord, type UniverseMember } from '../../../src-shared/domain/fundamentals';
import { Rng, hashSeed } from './random';

export const DEMO_TICKER_SUFFIX = '.DEMO';
/** First quarter end of the statements, and first day of the daily prices. */
export const DEMO_STATEMENTS_FROM = '2017-03-31';
export const DEMO_PRICES_FROM = '2018-01-02';
/**
 * Statements are generated up to this quarter end whatever the clock says (a fixed horizon keeps the universe a
 * function of the seed alone); `statementsAsOf` only ever shows those reported by the date asked for.
 */
export const DEMO_STATEMENTS_TO = '2030-12-31';

interface SectorProfile {
  count: number;
  industries: readonly string[];
  grossMargin: number | null;
  ebitdaMargin: number | null;
  netMargin: number;
  debtToEquity: number;
  growth: number;
  vol: number;
  pe: number;
  /** Cash as a fraction of a quarter's revenue. */
  cash: number;
}

// Sector-typical figures (order of magnitude of S&P 500 medians); banks and insurers report neither gross profit nor
// EBITDA, so those stay null there (missing, never zero).
const SECTORS: Record<GicsSector, SectorProfile> = {
  'Communication Services': { count: 22, industries: ['Diversified Telecommunication Services', 'Wireless Telecommunication Services', 'Media', 'Entertainment', 'Interactive Media & Services'], grossMargin: 0.55, ebitdaMargin: 0.3, netMargin: 0.14, debtToEquity: 0.9, growth: 0.06, vol: 0.3, pe: 20, cash: 0.6 },
  'Consumer Discretionary': { count: 50, industries: ['Automobiles', 'Hotels, Restaurants & Leisure', 'Specialty Retail', 'Textiles, Apparel & Luxury Goods', 'Broadline Retail', 'Household Durables'], grossMargin: 0.38, ebitdaMargin: 0.15, netMargin: 0.07, debtToEquity: 1.2, growth: 0.07, vol: 0.32, pe: 22, cash: 0.4 },
  'Consumer Staples': { count: 38, industries: ['Beverages', 'Food Products', 'Household Products', 'Consumer Staples Distribution & Retail', 'Tobacco', 'Personal Care Products'], grossMargin: 0.35, ebitdaMargin: 0.18, netMargin: 0.09, debtToEquity: 1.0, growth: 0.04, vol: 0.18, pe: 21, cash: 0.3 },
  Energy: { count: 22, industries: ['Oil, Gas & Consumable Fuels', 'Energy Equipment & Services'], grossMargin: 0.35, ebitdaMargin: 0.25, netMargin: 0.1, debtToEquity: 0.5, growth: 0.03, vol: 0.32, pe: 11, cash: 0.4 },
  Financials: { count: 70, industries: ['Banks', 'Capital Markets', 'Insurance', 'Financial Services', 'Consumer Finance'], grossMargin: null, ebitdaMargin: null, netMargin: 0.2, debtToEquity: 1.5, growth: 0.05, vol: 0.24, pe: 13, cash: 1.5 },
  'Health Care': { count: 60, industries: ['Pharmaceuticals', 'Biotechnology', 'Health Care Equipment & Supplies', 'Health Care Providers & Services', 'Life Sciences Tools & Services'], grossMargin: 0.62, ebitdaMargin: 0.22, netMargin: 0.12, debtToEquity: 0.7, growth: 0.07, vol: 0.26, pe: 24, cash: 0.7 },
  Industrials: { count: 78, industries: ['Aerospace & Defense', 'Machinery', 'Ground Transportation', 'Building Products', 'Professional Services', 'Electrical Equipment', 'Air Freight & Logistics'], grossMargin: 0.32, ebitdaMargin: 0.17, netMargin: 0.09, debtToEquity: 0.9, growth: 0.05, vol: 0.25, pe: 21, cash: 0.35 },
  'Information Technology': { count: 70, industries: ['Software', 'Semiconductors & Semiconductor Equipment', 'IT Services', 'Technology Hardware, Storage & Peripherals', 'Communications Equipment', 'Electronic Equipment, Instruments & Components'], grossMargin: 0.6, ebitdaMargin: 0.3, netMargin: 0.18, debtToEquity: 0.4, growth: 0.11, vol: 0.34, pe: 28, cash: 1.0 },
  Materials: { count: 28, industries: ['Chemicals', 'Metals & Mining', 'Containers & Packaging', 'Construction Materials'], grossMargin: 0.28, ebitdaMargin: 0.2, netMargin: 0.09, debtToEquity: 0.6, growth: 0.04, vol: 0.27, pe: 17, cash: 0.35 },
  'Real Estate': { count: 31, industries: ['Specialized REITs', 'Residential REITs', 'Retail REITs', 'Industrial REITs', 'Office REITs', 'Real Estate Management & Development'], grossMargin: 0.65, ebitdaMargin: 0.55, netMargin: 0.2, debtToEquity: 1.4, growth: 0.04, vol: 0.23, pe: 35, cash: 0.2 },
  Utilities: { count: 31, industries: ['Electric Utilities', 'Multi-Utilities', 'Gas Utilities', 'Water Utilities', 'Independent Power and Renewable Electricity Producers'], grossMargin: 0.42, ebitdaMargin: 0.38, netMargin: 0.12, debtToEquity: 1.6, growth: 0.04, vol: 0.17, pe: 18, cash: 0.15 },
};

const NAME_HEADS = ['Amber', 'Arrow', 'Aster', 'Beacon', 'Birch', 'Blue', 'Bright', 'Cedar', 'Cobalt', 'Coral', 'Crest', 'Delta', 'Ember', 'Falcon', 'Fern', 'Granite', 'Harbor', 'Helix', 'Iron', 'Juniper', 'Keystone', 'Lark', 'Maple', 'Meridian', 'Nimbus', 'North', 'Oak', 'Onyx', 'Orbit', 'Pine', 'Prairie', 'Quartz', 'Raven', 'Ridge', 'River', 'Sable', 'Sierra', 'Silver', 'Summit', 'Tidal', 'Umber', 'Vale', 'Vector', 'Willow', 'Zenith'];
const NAME_TAILS = ['works', 'point', 'field', 'stone', 'line', 'gate', 'wave', 'peak', 'light', 'forge', 'bridge', 'brook', 'core', 'path', 'view', 'mark'];
const NAME_FORMS = ['Inc.', 'Corp.', 'Holdings', 'Group', 'Co.', 'plc', 'Ltd.', 'Partners'];

/** One demo company: who it is and the parameters its statements and prices are drawn from. */
export interface DemoCompany extends UniverseMember {
  sector: GicsSector;
  industry: string;
  /** Seed of its own random streams (statements, prices). */
  seed: number;
  /** Annual volatility of its daily returns. */
  vol: number;
  /** First daily close (DEMO_PRICES_FROM). */
  startPrice: number;
  /** Trend of log revenue at each quarter end (index k: quarter k from DEMO_STATEMENTS_FROM), for the price path. */
  trend: Float64Array;
  /** Typical daily volume (shares). */
  dailyVolume: number;
}

export interface DemoUniverse {
  companies: readonly DemoCompany[];
  company(symbol: string): DemoCompany | undefined;
  /** Every statement of a symbol (restatements included, each with its own reportDate), oldest periodEnd first. */
  statements(symbol: string): readonly StatementRecord[];
}

const DAY_MS = 86_400_000;
const isoDay = (ms: number) => new Date(ms).toISOString().slice(0, 10);
const dayMs = (iso: string) => Date.parse(`${iso}T00:00:00Z`);

/** Quarter ends from `from` to `to` inclusive (calendar quarters). */
export function quarterEnds(from: string, to: string): string[] {
  const out: string[] = [];
  const start = new Date(dayMs(from));
  for (let y = start.getUTCFullYear(), q = Math.floor(start.getUTCMonth() / 3); ; q++) {
    if (q === 4) {
      q = 0;
      y++;
    }
    const end = isoDay(Date.UTC(y, q * 3 + 3, 0));
    if (end > to) return out;
    if (end >= from) out.push(end);
  }
}

const pick = <T>(rng: Rng, list: readonly T[]): T => list[Math.floor(rng.uniform() * list.length)]!;
const round = (x: number, unit: number) => Math.round(x / unit) * unit;

function ticker(rng: Rng, taken: Set<string>): string {
  const letters = 'ABCDEFGHIJKLMNOPQRSTUVWXYZ';
  for (;;) {
    const len = rng.uniform() < 0.4 ? 3 : 4;
    let t = '';
    for (let i = 0; i < len; i++) t += letters[Math.floor(rng.uniform() * 26)];
    const symbol = `${t}${DEMO_TICKER_SUFFIX}`;
    if (!taken.has(symbol)) {
      taken.add(symbol);
      return symbol;
    }
  }
}

/**
 * Builds the demo universe for a seed: companies and their statements (prices are generated lazily per symbol, see
 * universe-prices.ts). Well under a second for the ~500 companies.
 */
export function createDemoUniverse(seed = 42): DemoUniverse {
  const rng = new Rng(hashSeed(seed, 'demo-universe'));
  const quarters = quarterEnds(DEMO_STATEMENTS_FROM, DEMO_STATEMENTS_TO);
  const taken = new Set<string>();
  const names = new Set<string>();
  const companies: DemoCompany[] = [];
  const bySymbol = new Map<string, { company: DemoCompany; statements: StatementRecord[] }>();
  for (const sector of GICS_SECTORS) {
    const p = SECTORS[sector];
    for (let k = 0; k < p.count; k++) {
      const symbol = ticker(rng, taken);
      let name: string;
      do name = `${pick(rng, NAME_HEADS)}${pick(rng, NAME_TAILS)} ${pick(rng, NAME_FORMS)}`;
      while (names.has(name));
      names.add(name);
      const industry = pick(rng, p.industries);
      const cseed = hashSeed(seed, symbol);
      const built = buildCompany({ symbol, name: `${name} (demo)`, sector, industry }, p, cseed, quarters);
      companies.push(built.company);
      bySymbol.set(symbol, built);
    }
  }
  return {
    companies,
    company: (symbol) => bySymbol.get(symbol)?.company,
    statements: (symbol) => bySymbol.get(symbol)?.statements ?? [],
  };
}

function buildCompany(member: { symbol: string; name: string; sector: GicsSector; industry: string }, p: SectorProfile, seed: number, quarters: readonly string[]) {
  const rng = new Rng(seed);
  const gauss = () => rng.gaussian();
  // Quarterly revenue: median about $1.5 bn, log-normal across companies.
  const revenue0 = 1.5e9 * Math.exp(1.0 * gauss());
  const growth = p.growth + 0.06 * gauss();
  const grossMargin = p.grossMargin === null ? null : clamp(p.grossMargin * (1 + 0.25 * gauss()), 0.05, 0.95);
  const ebitdaMargin = p.ebitdaMargin === null ? null : clamp(p.ebitdaMargin * (1 + 0.3 * gauss()), 0.02, 0.85);
  const netMargin = clamp(p.netMargin * (1 + 0.45 * gauss()), -0.1, 0.6);
  const debtToEquity = p.debtToEquity * Math.exp(0.45 * gauss());
  const vol = p.vol * Math.exp(0.2 * gauss());
  const pe = p.pe * Math.exp(0.15 * gauss());
  const startPrice = round(Math.exp(Math.log(60) + 0.8 * gauss()), 0.01) || 1;
  const seasonal = [0, 1, 2, 3].map(() => 0.03 * gauss());
  // Market value at the start: P/E × annual earnings, or 1.5× sales for a loss-maker; shares follow from the price.
  const annualEarnings = 4 * revenue0 * netMargin;
  const cap0 = annualEarnings > 0 ? pe * annualEarnings : 1.5 * 4 * revenue0;
  let shares = round(cap0 / startPrice, 1000);
  let equity = (cap0 / 3) * Math.exp(0.3 * gauss());
  const buyback = 0.01 * gauss(); // yearly change of the share count (negative: buybacks)
  const trend = new Float64Array(quarters.length);
  const statements: StatementRecord[] = [];
  let level = Math.log(revenue0);
  let margin = netMargin;
  // Growth comes in persistent spells (AR(1) around the company's own rate), which is what momentum feeds on.
  let spell = growth;
  for (let q = 0; q < quarters.length; q++) {
    spell = growth + 0.9 * (spell - growth) + 0.05 * gauss();
    level += spell / 4 + 0.01 * gauss();
    trend[q] = level;
    const rev = Math.exp(level) * (1 + seasonal[q % 4]!) * (1 + 0.01 * gauss());
    margin = netMargin + 0.6 * (margin - netMargin) + 0.015 * gauss();
    const ni = rev * margin;
    shares = round(shares * Math.exp(buyback / 4 + 0.002 * gauss()), 1000);
    equity = Math.max(equity * 0.01, equity + ni * 0.6);
    const periodEnd = quarters[q]!;
    const report = dayMs(periodEnd) + Math.floor(25 + 35 * rng.uniform()) * DAY_MS;
    const first: StatementRecord = {
      symbol: member.symbol, period: 'quarter', periodEnd, reportDate: isoDay(report), currency: 'USD',
      revenue: round(rev, 1000),
      grossProfit: grossMargin === null ? null : round(rev * clamp(grossMargin + 0.01 * gauss(), 0.01, 0.99), 1000),
      ebitda: ebitdaMargin === null ? null : round(rev * (ebitdaMargin + 0.015 * gauss()), 1000),
      netIncome: round(ni, 1000),
      eps: Math.round((ni / shares) * 100) / 100 + 0, // + 0: no -0
      totalEquity: round(equity, 1000),
      totalDebt: round(equity * debtToEquity * (1 + 0.05 * gauss()), 1000),
      cash: round(rev * p.cash * Math.exp(0.3 * gauss()), 1000),
      sharesOutstanding: shares,
      source: 'demo',
    };
    statements.push(first);
    // About one quarter in 40 is restated with the next quarter's release: revenue and earnings revised by a few
    // per cent, published later, so a date in between still sees the first figures.
    if (rng.uniform() < 0.025) {
      const factor = 1 + (rng.uniform() < 0.5 ? -1 : 1) * (0.02 + 0.04 * rng.uniform());
      const niR = round(ni * factor, 1000);
      statements.push({
        ...first, reportDate: isoDay(report + 91 * DAY_MS), revenue: round(rev * (1 + (factor - 1) / 2), 1000), netIncome: niR,
        eps: Math.round((niR / shares) * 100) / 100 + 0,
      });
    }
  }
  statements.sort((a, b) => (a.periodEnd === b.periodEnd ? a.reportDate.localeCompare(b.reportDate) : a.periodEnd.localeCompare(b.periodEnd)));
  const dailyVolume = round((cap0 / startPrice) * 0.008 * Math.exp(0.3 * gauss()), 100);
  const company: DemoCompany = { ...member, seed, vol, startPrice, trend, dailyVolume };
  return { company, statements };
}

function clamp(x: number, lo: number, hi: number): number {
  return Math.min(hi, Math.max(lo, x));
}
