// Synthetic stock data for the screener's service tests and the bench (any number of companies, fast to build): 60
// fictitious companies by default in the 11 GICS sectors, 12 quarters of statements and about three years of daily
// closes, all from a fixed seed. The app uses the real one (src-main/composition/stock-data.ts); same shape (StockData).
import { GICS_SECTORS, type StatementRecord, type Universe } from '../../src-shared/domain/fundamentals';
import type { DailyClose } from '../../src-main/ports/fundamentals';
import type { StockData } from '../../src-main/services/screener';

/** The placeholder's last trading day: its data ends here whatever the clock says (deterministic tests). */
export const PLACEHOLDER_LAST_DAY = '2026-11-30';
const FIRST_DAY = '2023-06-01';

function mulberry32(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

const day = (d: Date) => d.toISOString().slice(0, 10);

function businessDays(from: string, to: string): string[] {
  const out: string[] = [];
  for (let t = Date.parse(`${from}T00:00:00Z`); t <= Date.parse(`${to}T00:00:00Z`); t += 86_400_000) {
    const wd = new Date(t).getUTCDay();
    if (wd !== 0 && wd !== 6) out.push(day(new Date(t)));
  }
  return out;
}

// Per sector: gross margin, net margin, debt/equity, revenue growth a year, so that sectors differ the way real ones
// do (a sector-neutral score then ranks differently from a plain one).
const PROFILE: Record<string, [number, number, number, number]> = {
  'Communication Services': [0.55, 0.14, 0.8, 0.06], 'Consumer Discretionary': [0.38, 0.07, 0.9, 0.07],
  'Consumer Staples': [0.33, 0.08, 0.7, 0.03], Energy: [0.3, 0.1, 0.5, 0.02], Financials: [0.6, 0.2, 2.5, 0.05],
  'Health Care': [0.62, 0.12, 0.6, 0.06], Industrials: [0.3, 0.09, 0.9, 0.05], 'Information Technology': [0.65, 0.2, 0.4, 0.12],
  Materials: [0.28, 0.08, 0.6, 0.03], 'Real Estate': [0.55, 0.25, 1.6, 0.04], Utilities: [0.4, 0.11, 1.5, 0.02],
};

const SYLLABLES = ['Al', 'Bor', 'Cen', 'Dal', 'Ex', 'Fen', 'Gar', 'Hol', 'Ion', 'Jun', 'Kel', 'Lum', 'Mar', 'Nor', 'Orb', 'Pel', 'Quo', 'Ros', 'Sol', 'Tav'];

export interface PlaceholderData {
  universe: Universe;
  closes: Map<string, DailyClose[]>;
  statements: Map<string, StatementRecord[]>;
}

export function placeholderData(count = 60): PlaceholderData {
  const rand = mulberry32(16);
  const days = businessDays(FIRST_DAY, PLACEHOLDER_LAST_DAY);
  const members: Universe['members'] = [];
  const closes = new Map<string, DailyClose[]>();
  const statements = new Map<string, StatementRecord[]>();
  for (let i = 0; i < count; i++) {
    const sector = GICS_SECTORS[i % GICS_SECTORS.length]!;
    const name = `${SYLLABLES[i % 20]}${SYLLABLES[(i * 7 + 3) % 20]!.toLowerCase()} ${['Corp', 'Inc', 'Group', 'Holdings'][i % 4]}`;
    const symbol = `Q${SYLLABLES[i % 20]!.slice(0, 2).toUpperCase()}${String.fromCharCode(65 + Math.floor(i / 20))}`;
    members.push({ symbol, name, sector, industry: null });
    const [gm, nm, de, growth] = PROFILE[sector]!;
    // Prices: a random walk with its own drift and volatility.
    const drift = (rand() - 0.45) * 0.0012;
    const vol = 0.01 + rand() * 0.02;
    const p0 = 20 + rand() * 280;
    let price = p0;
    const rows: DailyClose[] = [];
    for (const d of days) {
      price *= Math.exp(drift + vol * (rand() + rand() + rand() - 1.5) * 2);
      rows.push({ date: d, close: Math.round(price * 100) / 100, volume: Math.round(2e5 + rand() * 5e6) });
    }
    closes.set(symbol, rows);
    // Statements: quarterly, with revenue growing at the sector's rate ± noise; shares fixed.
    const shares = Math.round((5e7 + rand() * 2e9) / 1e6) * 1e6;
    // Quarterly revenue per share of 5–25 % of the first price: P/E and P/S in the ranges real stocks show.
    let revenue = shares * p0 * (0.05 + rand() * 0.2);
    const myGrowth = growth + (rand() - 0.5) * 0.15;
    const myMargin = nm * (0.4 + rand() * 1.2) - (rand() < 0.08 ? 0.2 : 0); // a few loss-makers
    const myGross = gm * (0.8 + rand() * 0.4);
    const equity = revenue * 4 * (0.5 + rand() * 1.5);
    const recs: StatementRecord[] = [];
    for (let q = 0; q < 14; q++) {
      const end = new Date(Date.UTC(2023, 2 + 3 * q + 1, 0)); // quarter ends from 2023-03-31
      const report = new Date(end.getTime() + (30 + Math.floor(rand() * 15)) * 86_400_000);
      if (day(report) > PLACEHOLDER_LAST_DAY) break;
      revenue *= (1 + myGrowth / 4) * (1 + (rand() - 0.5) * 0.04);
      const net = revenue * myMargin * (1 + (rand() - 0.5) * 0.2);
      recs.push({
        symbol, period: 'quarter', periodEnd: day(end), reportDate: day(report), currency: 'USD',
        revenue, grossProfit: revenue * myGross, ebitda: revenue * (myMargin + 0.08), netIncome: net, eps: net / shares,
        totalEquity: equity, totalDebt: equity * de * (0.5 + rand()), cash: revenue * 0.3 * rand(), sharesOutstanding: shares, source: 'demo',
      });
    }
    statements.set(symbol, recs.reverse());
  }
  const universe: Universe = { id: 'demo', kind: 'demo', name: 'Demo market (placeholder)', asOf: PLACEHOLDER_LAST_DAY, source: 'demo market', members };
  return { universe, closes, statements };
}

/** The placeholder as the StockData the screener and the factor lab read. */
export function createStockDataPlaceholder(count = 60): StockData {
  const d = placeholderData(count);
  return {
    universes: {
      list: async () => [{ id: d.universe.id, kind: d.universe.kind, name: d.universe.name, asOf: d.universe.asOf, size: d.universe.members.length }],
      get: async (id) => {
        if (id !== d.universe.id) throw new Error(`No universe "${id}" (known: ${d.universe.id})`);
        return d.universe;
      },
    },
    fundamentals: {
      statementsAsOf: async (symbols, asOf, limit = 8) => {
        const out = new Map<string, StatementRecord[]>();
        for (const s of symbols) {
          const recs = (d.statements.get(s) ?? []).filter((r) => r.reportDate <= asOf).slice(0, limit);
          if (recs.length) out.set(s, recs);
        }
        return out;
      },
      versionsReportedBy: async (symbols, asOf) => symbols.flatMap((s) => (d.statements.get(s) ?? []).filter((r) => r.reportDate <= asOf)),
    },
    prices: {
      dailyCloses: async (symbols, from, to) => {
        const out = new Map<string, DailyClose[]>();
        for (const s of symbols) {
          const rows = d.closes.get(s)?.filter((r) => r.date >= from && r.date <= to);
          if (rows?.length) out.set(s, rows);
        }
        return out;
      },
    },
  };
}
