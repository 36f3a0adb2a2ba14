// Benchmarks of the investment tracker's performance code: a synthetic ledger (seeded) valued over ten years, and
// the XIRR solver. Used by bench/run.ts (`portfolio` in its registry).
import type { Transaction } from '../src-shared/domain/ledger';
import type { Store } from '../src-main/ports/store';
import { dateOf, dayOf } from '../src-shared/domain/dates';
import { priceLookup, SeriesTable, fxLookup, type DatedClose } from '../src-main/domain/performance/lookups';
import { contributions, periodPerformance, periodRange, PERIODS } from '../src-main/domain/performance/returns';
import { valuePortfolio, type ValuationInput } from '../src-main/domain/performance/valuation';
import { xirr, type DatedFlow } from '../src-main/domain/performance/xirr';

/**
 * `accounts` accounts (every fourth in EUR) holding `holdings` (account, symbol) pairs over `years` of daily closes,
 * with `transactions` rows: a deposit per account, then buys, sells, dividends and fees spread over the days.
 */
export function syntheticLedger({ accounts = 20, holdings = 200, years = 10, transactions = 50_000, seed = 7 } = {}): ValuationInput {
  let s = seed;
  const rnd = () => ((s = (s * 48271) % 2147483647) / 2147483647);
  const first = dayOf('2016-01-01');
  const days = Math.round(years * 365.25);
  const last = first + days - 1;
  const closes: DatedClose[] = [];
  for (let h = 0; h < holdings; h++) {
    let p = 20 + 200 * rnd();
    for (let d = 0; d < days; d++) {
      const dow = (first + d + 4) % 7;
      if (dow === 0 || dow === 6) continue;
      p *= 1 + (rnd() - 0.5) * 0.04;
      closes.push({ key: `S${h}`, day: first + d, close: Math.round(p * 100) / 100 });
    }
  }
  const prices = new SeriesTable(closes);
  const rates: DatedClose[] = [];
  let r = 1.1;
  for (let d = 0; d < days; d++) {
    r *= 1 + (rnd() - 0.5) * 0.01;
    rates.push({ key: 'EUR/USD', day: first + d, close: r });
  }
  const accts = Array.from({ length: accounts }, (_, i) => ({ id: `ACC${i}`, baseCurrency: i % 4 === 3 ? 'EUR' : 'USD' }));
  const perAccount = holdings / accounts;
  const txs: Transaction[] = [];
  let id = 0;
  const tx = (t: Omit<Transaction, 'id' | 'fee' | 'source'> & { fee?: string }): void => {
    txs.push({ fee: '0', source: 'csv', id: `T${++id}`, ...t });
  };
  for (const a of accts) tx({ accountId: a.id, date: dateOf(first), type: 'DEPOSIT', amount: '1000000', currency: a.baseCurrency });
  const held = new Map<string, number>();
  while (txs.length < transactions) {
    const a = accts[Math.floor(rnd() * accounts)]!;
    const h = Math.floor(rnd() * perAccount) + accts.indexOf(a) * perAccount;
    const symbol = `S${h}`;
    const day = first + Math.floor(rnd() * days);
    const close = prices.onOrBefore(symbol, day) ?? prices.get(symbol)!.close[0]!;
    const key = `${a.id}:${symbol}`;
    const kind = rnd();
    if (kind < 0.9) {
      const quantity = 1 + Math.floor(rnd() * 20);
      // Sells only what is held on the whole (a rough guard: the order of generation is not the order of dates, so
      // some sales open shorts, which the valuation handles as well).
      const sell = kind > 0.6 && (held.get(key) ?? 0) >= quantity;
      held.set(key, (held.get(key) ?? 0) + (sell ? -quantity : quantity));
      tx({ accountId: a.id, date: dateOf(day), type: sell ? 'SELL' : 'BUY', symbol, quantity: String(quantity), price: close.toFixed(2), fee: '1', currency: a.baseCurrency });
    } else if (kind < 0.97) {
      tx({ accountId: a.id, date: dateOf(day), type: 'DIVIDEND', symbol, amount: (rnd() * 50).toFixed(2), currency: a.baseCurrency });
    } else {
      tx({ accountId: a.id, date: dateOf(day), type: 'FEE', amount: (rnd() * 10).toFixed(2), currency: a.baseCurrency });
    }
  }
  return { accounts: accts, transactions: txs, baseCurrency: 'USD', to: last, prices: priceLookup(prices), fx: fxLookup(new SeriesTable(rates)) };
}

/** Valuation, every period's summary for the total and each account, and the since-inception contribution table. */
export function valueAndSummarise(input: ValuationInput): number {
  const v = valuePortfolio(input);
  let checksum = 0;
  for (const series of [v.total, ...v.accounts.map((a) => a.base)]) {
    for (const p of PERIODS) checksum += periodPerformance(v, series, periodRange(v, p, input.to)).twr;
  }
  const all = periodRange(v, 'inception', input.to);
  for (const c of contributions(v, all.startIndex, all.endIndex)) checksum += c.contribution;
  return checksum;
}

/** A saver's flows: monthly contributions over `years`, a withdrawal a year, the end value. */
export function savingsFlows(years = 10): DatedFlow[] {
  const flows: DatedFlow[] = [];
  const first = dayOf('2015-01-01');
  for (let m = 0; m < years * 12; m++) flows.push({ day: first + Math.round(m * 30.44), amount: -500 });
  for (let y = 1; y <= years; y++) flows.push({ day: first + Math.round(y * 365.25) - 10, amount: 1000 });
  flows.push({ day: first + Math.round(years * 365.25), amount: 80_000 });
  return flows;
}

export function xirrRate(flows: DatedFlow[], ms = 1000): number {
  let n = 0;
  const t0 = performance.now();
  while (performance.now() - t0 < ms) {
    if (xirr(flows) === null) throw new Error('the bench flows have no XIRR');
    n++;
  }
  return n / ((performance.now() - t0) / 1000);
}

/** The registry entry: `portfolio_valuation_ms` (median of settled runs) and `xirr_per_s`. */
export async function portfolioBench(): Promise<{ name: string; value: number; unit: string; note: string }[]> {
  const input = syntheticLedger();
  // Wall time is the figure; the process's CPU time beside it shows how much of it a busy machine added.
  const runs: number[] = [];
  const cpu: number[] = [];
  for (let i = 0; i < 7; i++) {
    const t0 = performance.now();
    const c0 = process.cpuUsage();
    valueAndSummarise(input);
    const c = process.cpuUsage(c0);
    runs.push(performance.now() - t0);
    cpu.push((c.user + c.system) / 1000);
  }
  runs.sort((a, b) => a - b);
  cpu.sort((a, b) => a - b);
  const flows = savingsFlows();
  return [
    {
      name: 'portfolio_valuation_ms', value: runs[3]!, unit: 'ms',
      note: `10 years daily, 20 accounts (5 in EUR), 200 holdings, ${input.transactions.length / 1000}k transactions: valuation + 6 periods × 21 series (TWR, MWR) + contribution; median of 7 (in memory: no store read); CPU ${cpu[3]!.toFixed(0)} ms`,
    },
    { name: 'xirr_per_s', value: xirrRate(flows), unit: '/s', note: `${flows.length} flows over 10 years with ${10 * 2} sign changes (the scan path, not Newton alone)` },
  ];
}

/**
 * The same valuation with the ledger read from a real store first: the 50k transactions and 20 accounts written to a
 * SQLite file (and to a throwaway PostgreSQL cluster when its server binaries are installed), untimed; then timed:
 * reading every account and transaction back, the valuation and the summaries. Median of 5.
 */
export async function portfolioStoreBench(): Promise<{ name: string; value: number; unit: string; note: string }[]> {
  const { mkdtempSync, rmSync } = await import('node:fs');
  const { tmpdir } = await import('node:os');
  const { join } = await import('node:path');
  const { openSqliteStore } = await import('../src-main/adapters/sqlite/store');
  const input = syntheticLedger();
  const figures: { name: string; value: number; unit: string; note: string }[] = [];
  const measure = async (name: string, store: Store, note: string): Promise<void> => {
    for (const a of input.accounts) {
      await store.ledger.accounts.upsert({ id: a.id, name: a.id, kind: 'statement', baseCurrency: a.baseCurrency, taxType: 'taxable', lotMethod: 'fifo' }, Date.now());
    }
    await store.ledger.transactions.insertMany(input.transactions);
    const runs: number[] = [];
    for (let i = 0; i < 5; i++) {
      const t0 = performance.now();
      const [accounts, transactions] = await Promise.all([store.ledger.accounts.list(), store.ledger.transactions.list()]);
      if (transactions.length !== input.transactions.length) throw new Error(`read ${transactions.length} of ${input.transactions.length} transactions`);
      valueAndSummarise({ ...input, accounts, transactions });
      runs.push(performance.now() - t0);
    }
    runs.sort((a, b) => a - b);
    figures.push({ name, value: runs[2]!, unit: 'ms', note });
  };
  const dir = mkdtempSync(join(tmpdir(), 'qc-bench-ledger-'));
  const sqlite = openSqliteStore({ file: join(dir, 'q.db') });
  try {
    await measure('portfolio_valuation_sqlite_ms', sqlite, 'as portfolio_valuation_ms, with all accounts and transactions read from a SQLite file first; median of 5');
  } finally {
    await sqlite.dispose();
    rmSync(dir, { recursive: true, force: true });
  }
  const { pgAvailable, startPgCluster } = await import('../tests/support/pg-cluster');
  if (!pgAvailable()) {
    process.stderr.write('portfolio_valuation_postgres_ms: skipped (no PostgreSQL server binaries: initdb)\n');
    return figures;
  }
  const { openPostgresStore } = await import('../src-main/adapters/postgres/store');
  const cluster = await startPgCluster();
  try {
    const pg = await openPostgresStore({ url: cluster.url });
    try {
      await measure('portfolio_valuation_postgres_ms', pg, 'the same from a throwaway PostgreSQL cluster on loopback (fsync off); median of 5');
    } finally {
      await pg.dispose();
    }
  } finally {
    await cluster.stop();
  }
  return figures;
}
