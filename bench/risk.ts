// Benchmarks of the portfolio risk of issue 17 (`risk` in bench/run.ts): the order gate's what-if on a 200-position
// portfolio, and a Monte Carlo VaR of 10,000 paths over 200 positions. Synthetic, seeded data; in memory.
import { ConfigSchema } from '../src-main/config/config';
import { createLogger } from '../src-main/logging';
import { ManualClock } from '../src-main/ports/clock';
import type { MarketData } from '../src-main/ports/market-data';
import type { Store } from '../src-main/ports/store';
import { PortfolioRiskService, type RiskAccountView } from '../src-main/services/portfolio-risk';
import { TradingStates } from '../src-main/services/trading-states';
import { monteCarloReturns, historicalVar, type ReturnMatrix } from '../src-main/domain/risk/var';
import type { AccountSummary, Position } from '../src-shared/domain/types';

const NOW = Date.parse('2026-11-30T15:00:00Z');
const TODAY = Math.floor(NOW / 86_400_000);
const N = 200;
const DAYS = 250;

/** N instruments over DAYS days: a common factor plus their own noise (so they correlate as stocks do). */
function synthetic(seed = 5) {
  let s = seed;
  const rnd = () => ((s = (s * 48271) % 2147483647) / 2147483647);
  const market = Array.from({ length: DAYS }, () => (rnd() - 0.5) * 0.02);
  const closes = new Map<string, { day: number; close: number }[]>();
  const returns: Float64Array[] = [];
  for (let i = 0; i < N; i++) {
    let p = 50 + 100 * rnd();
    const beta = 0.5 + rnd();
    const r = new Float64Array(DAYS);
    const series = [{ day: TODAY - DAYS, close: p }];
    for (let d = 0; d < DAYS; d++) {
      r[d] = beta * market[d]! + (rnd() - 0.5) * 0.03;
      p *= 1 + r[d]!;
      series.push({ day: TODAY - DAYS + d + 1, close: p });
    }
    closes.set(`S${i}`, series);
    returns.push(r);
  }
  return { closes, matrix: { symbols: [...closes.keys()], returns } satisfies ReturnMatrix };
}

const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[xs.length >> 1]!;

export async function riskBench(): Promise<{ name: string; value: number; unit: string; note: string }[]> {
  const { closes, matrix } = synthetic();
  // Monte Carlo: covariance, Cholesky and 10,000 paths of 200 normals each.
  const weights = Array.from({ length: N }, () => 1 / N);
  // Wall time is the figure; the process's CPU time beside it shows how much of it a busy machine added.
  const mc: number[] = [];
  const mcCpu: number[] = [];
  for (let i = 0; i < 9; i++) {
    const t0 = performance.now();
    const c0 = process.cpuUsage();
    historicalVar(monteCarloReturns(matrix, weights, { paths: 10_000, seed: i + 1 }), 0.95);
    const c = process.cpuUsage(c0);
    mc.push(performance.now() - t0);
    mcCpu.push((c.user + c.system) / 1000);
  }

  // The order gate with every portfolio limit on, the history cached (as between two orders on the same day).
  const clock = new ManualClock(NOW);
  const settings = new Map<string, string>();
  const store = {
    settings: { get: async (k: string) => settings.get(k), set: async (k: string, v: string) => void settings.set(k, v), delete: async (k: string) => void settings.delete(k) },
    audit: { append: async () => 0, list: async () => [] },
    equity: { list: async () => [], append: async () => undefined },
  } as unknown as Store;
  const config = ConfigSchema.parse({
    risk: { max_portfolio_risk: 0.05, max_cluster_concentration: 0.9, max_issuer_concentration: 0.5, max_sector_concentration: 0.9, max_gross_exposure: 3, max_net_exposure: 3 },
  }).risk;
  const risk = new PortfolioRiskService({
    config, states: new TradingStates({ store, clock }), store, clock, logger: createLogger({ level: 'silent' }),
    closes: async (symbol) => closes.get(symbol) ?? [],
  });
  const positions: Position[] = matrix.symbols.map((symbol, i) => ({
    accountId: 'A', symbol, quantity: 10, avgPrice: 100, realizedPnl: '0.00', marketPrice: 100, marketValue: (1000 + i).toFixed(2), unrealizedPnl: '0.00',
  }));
  const summary = { accountId: 'A', broker: 'paper', currency: 'USD', cash: '800000.00', nav: '1000000.00', dayPnl: '0.00', realizedPnl: '0.00', unrealizedPnl: '0.00', grossExposure: '200000.00' } as AccountSummary;
  const market = { instrument: () => undefined, lastQuote: () => undefined } as unknown as MarketData;
  const view: RiskAccountView = { accountId: 'A', market, snapshot: async () => ({ summary, positions }), killSwitch: async () => false };
  const order = { accountId: 'A', symbol: 'S7', side: 'buy' as const, quantity: 5, price: 100, positionQuantity: 10, workingBuyQuantity: 0, workingSellQuantity: 0, lotSize: 1, protective: false };
  const first = performance.now();
  const d = await risk.check(view, order);
  const cold = performance.now() - first;
  if (!d.ok) throw new Error(`bench order refused: ${d.message}`);
  const runs: number[] = [];
  const c0 = process.cpuUsage();
  for (let i = 0; i < 2000; i++) {
    const t0 = performance.now();
    await risk.check(view, order);
    runs.push((performance.now() - t0) * 1000);
  }
  const c = process.cpuUsage(c0);
  const cpuPerCheck = (c.user + c.system) / 2000;
  return [
    {
      name: 'pretrade_check_us', value: median(runs.slice(-1000)), unit: 'µs',
      note: `portfolio gate of one order, 200 positions × 250 days, VaR what-if + cluster, issuer, sector, gross, net; median of the last 1,000 of 2,000 (history cached; the first, building it: ${cold.toFixed(0)} ms); the order checks and the store read before it not included; CPU ${cpuPerCheck.toFixed(0)} µs a check over all 2,000`,
    },
    { name: 'var_montecarlo_ms', value: median(mc), unit: 'ms', note: `10,000 paths × 200 positions (250 days of returns): covariance, Cholesky, paths, 95 % quantile; median of 9; CPU ${median(mcCpu).toFixed(0)} ms` },
  ];
}
