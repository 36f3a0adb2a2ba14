// Portfolio risk of each account: the trading-state and portfolio-limit gate every order passes (ports/order-gate.ts),
// the analytics snapshot (VaR/CVaR by three methods, contributions, stress, correlation, drawdowns, leverage) and the
// thresholds that move an account's state. Formulas and conventions: docs/risk.md; the maths is in domain/risk/.
import type { AccountSummary, Position } from '../../src-shared/domain/types';
import type { MarketData } from '../ports/market-data';
import type { Clock } from '../ports/clock';
import type { Store } from '../ports/store';
import type { Logger } from '../logging';
import type { OrderGate, OrderGateDecision, OrderGateRequest } from '../ports/order-gate';
import { alignReturns, type AlignedReturns } from '../domain/risk/returns';
import { buildModel, checkPortfolioOrder, largestConcentration, limitUsage, type LimitUsage, type PortfolioLimitsConfig } from '../domain/risk/limits';
import { componentVar, portfolioReturns, varTable, type VarFigure } from '../domain/risk/var';
import { correlatedClusters, correlationMatrix } from '../domain/risk/correlation';
import { HISTORICAL_WINDOWS, historicalStress, hypotheticalStress, type StressResult } from '../domain/risk/stress';
import { drawdownFromPeak, underwater, worstDrawdowns, type Drawdown } from '../domain/risk/drawdown';
import { exposureRatios, realisedVolatility, volTargetedCap, type Holding } from '../domain/risk/leverage';
import type { RiskProfile } from '../domain/risk/profile';
import { effectiveState, isDuplicate, isReducing, orderRateExceeded, stateAllows, thresholdTransition, type RecentOrder, type StateThresholds, type TradingState } from '../domain/risk/states';
import { TERMINAL, type TradingStates } from './trading-states';
import { dateOf, dayOf } from '../../src-shared/domain/dates';

const DAY_MS = 86_400_000;

/** The risk settings of config.yaml (`risk.*`) this service reads. */
export interface PortfolioRiskConfig {
  max_portfolio_risk: number | null;
  var_window: number;
  max_cluster_concentration: number | null;
  correlation_threshold: number;
  correlation_window: number;
  max_issuer_concentration: number | null;
  max_sector_concentration: number | null;
  max_gross_exposure: number | null;
  max_net_exposure: number | null;
  target_volatility: number | null;
  max_orders_per_second: number | null;
  duplicate_window: number | null;
  states: {
    drawdown_reducing: number | null;
    drawdown_halted: number | null;
    daily_loss_reducing: number | null;
    daily_loss_halted: number | null;
    cancel_working: boolean;
    flatten: boolean;
  };
}

/** What the service sees of one account. */
export interface RiskAccountView {
  accountId: string;
  market: MarketData;
  snapshot(): Promise<{ summary: AccountSummary; positions: Position[] }>;
  /** The account's kill switch (config or the UI toggle): an engaged one reads as HALTED. */
  killSwitch(): Promise<boolean>;
}

/** Daily closes of a symbol from `fromDay` on (UTC day numbers), oldest first: stored bars, else the demo history. */
export type DailyCloses = (symbol: string, fromDay: number, toDay: number) => Promise<{ day: number; close: number }[]>;

/** Sector and issuer of instruments (the ledger's instrument profiles once wired); instrument specs fill the rest. */
export type ProfileSource = (symbols: string[]) => Promise<Map<string, RiskProfile>>;

/** Actions a threshold may take (config risk.states.cancel_working / flatten), done by the trading service. */
export interface StateActions {
  cancelWorking(accountId: string): Promise<void>;
  flattenAll(accountId: string): Promise<void>;
}

export interface PortfolioRiskOptions {
  config: PortfolioRiskConfig;
  states: TradingStates;
  closes: DailyCloses;
  profiles?: ProfileSource;
  actions?: StateActions;
  store: Pick<Store, 'equity' | 'settings'>;
  clock: Clock;
  logger: Logger;
}

export interface RiskComponent {
  symbol: string;
  value: number;
  weight: number;
  /** Component VaR, 1-day 95 %, fractions of NAV: historical and parametric (each column sums to its total). */
  historical: number;
  parametric: number;
}

export interface RiskSnapshot {
  accountId: string;
  time: number;
  state: TradingState;
  accountState: TradingState;
  terminalState: TradingState;
  killSwitch: boolean;
  nav: number;
  currency: string;
  /** 1-day 95 % figures, positive fractions of NAV. */
  var95: number;
  cvar95: number;
  var95Parametric: number;
  var95MonteCarlo: number;
  table: VarFigure[];
  components: RiskComponent[];
  limits: LimitUsage[];
  stress: StressResult[];
  correlation: { symbols: string[]; matrix: (number | null)[][]; clusters: string[][] };
  drawdown: { fromPeak: number; peak: number; dailyLoss: number; underwater: { date: string; drawdown: number }[]; worst: (Omit<Drawdown, 'start' | 'trough' | 'recovery'> & { start: string; trough: string; recovery: string | null })[] };
  leverage: { gross: number; net: number; realisedVolatility: number | null; volTargetedCap: number | null };
  /** Days of returns the history figures use, and the instruments left out for lack of history. */
  historyDays: number;
  unmodelled: string[];
}

interface CachedHistory {
  day: number;
  key: string;
  history: AlignedReturns;
  clusters: string[][];
}

export class PortfolioRiskService {
  private readonly closesCache = new Map<string, { day: number; closes: { day: number; close: number }[] }>();
  private readonly histories = new Map<string, CachedHistory>();
  private readonly recent = new Map<string, { times: number[]; orders: RecentOrder[] }>();

  constructor(private readonly o: PortfolioRiskOptions) {}

  private get limitsConfig(): PortfolioLimitsConfig {
    const c = this.o.config;
    return {
      maxPortfolioRisk: c.max_portfolio_risk, maxClusterConcentration: c.max_cluster_concentration, correlationThreshold: c.correlation_threshold,
      correlationWindow: c.correlation_window, maxIssuerConcentration: c.max_issuer_concentration, maxSectorConcentration: c.max_sector_concentration,
      maxGrossExposure: c.max_gross_exposure, maxNetExposure: c.max_net_exposure, targetVolatility: c.target_volatility,
    };
  }

  /** The state an order of this account meets, with its parts. */
  async state(view: RiskAccountView): Promise<{ state: TradingState; account: TradingState; terminal: TradingState; killSwitch: boolean }> {
    const [terminal, account, killSwitch] = await Promise.all([this.o.states.get(TERMINAL), this.o.states.get(view.accountId), view.killSwitch()]);
    return { state: effectiveState(terminal.state, account.state, killSwitch), account: account.state, terminal: terminal.state, killSwitch };
  }

  /** The gate the account's trading service calls for every order after its own checks. */
  gate(view: RiskAccountView): OrderGate {
    return { check: (r) => this.check(view, r) };
  }

  private async closesOf(symbol: string, today: number): Promise<{ day: number; close: number }[]> {
    const hit = this.closesCache.get(symbol);
    if (hit && hit.day === today) return hit.closes;
    // A calendar-day margin over the window: weekends and holidays have no bar.
    const closes = await this.o.closes(symbol, today - Math.ceil(this.o.config.var_window * 1.6) - 10, today).catch((err: unknown) => {
      this.o.logger.warn({ err, symbol }, 'risk: daily closes unavailable');
      return [];
    });
    this.closesCache.set(symbol, { day: today, closes });
    return closes;
  }

  /** Aligned returns of the symbols and their clusters, rebuilt when the set of symbols or the day changes. */
  private async historyOf(accountId: string, symbols: string[]): Promise<CachedHistory> {
    const today = Math.floor(this.o.clock.now() / DAY_MS);
    const key = [...new Set(symbols)].sort().join(',');
    const hit = this.histories.get(accountId);
    if (hit && hit.key === key && hit.day === today) return hit;
    const series = await Promise.all(key.split(',').filter(Boolean).map(async (symbol) => ({ symbol, closes: await this.closesOf(symbol, today) })));
    const history = alignReturns(series, this.o.config.var_window);
    const clusters = correlatedClusters(history.symbols, correlationMatrix(history, this.o.config.correlation_window), this.o.config.correlation_threshold);
    const entry = { day: today, key, history, clusters };
    this.histories.set(accountId, entry);
    return entry;
  }

  private async profilesOf(view: RiskAccountView, symbols: string[]): Promise<(s: string) => RiskProfile | undefined> {
    const extra = (await this.o.profiles?.(symbols).catch(() => undefined)) ?? new Map<string, RiskProfile>();
    return (s) => {
      const inst = view.market.instrument(s);
      const e = extra.get(s);
      if (!inst && !e) return undefined;
      return { assetClass: inst?.assetClass, currency: inst?.currency, issuer: s, ...e };
    };
  }

  private async holdings(view: RiskAccountView): Promise<{ nav: number; currency: string; holdings: Holding[]; positions: Position[]; summary: AccountSummary }> {
    const { summary, positions } = await view.snapshot();
    const holdings: Holding[] = [];
    for (const p of positions) {
      if (p.quantity === 0) continue;
      const value = p.marketValue !== null ? Number(p.marketValue) : p.quantity * (view.market.lastQuote(p.symbol)?.last ?? p.avgPrice);
      holdings.push({ symbol: p.symbol, value });
    }
    return { nav: Number(summary.nav), currency: summary.currency, holdings, positions, summary };
  }

  async check(view: RiskAccountView, r: OrderGateRequest): Promise<OrderGateDecision> {
    if (r.protective) return { ok: true };
    const now = this.o.clock.now();
    const s = await this.state(view);
    const base = r.side === 'buy' ? r.positionQuantity + r.workingBuyQuantity : r.positionQuantity - r.workingSellQuantity;
    const after = base + (r.side === 'buy' ? r.quantity : -r.quantity);
    const reducing = isReducing(base, after);
    const where = s.killSwitch ? 'kill switch engaged' : s.terminal === s.state && s.terminal !== 'ACTIVE' ? 'terminal-wide' : `account ${view.accountId}`;
    const st = stateAllows(s.state, { reducing, protective: false }, where);
    if (!st.ok) return st;

    const recent = this.recent.get(view.accountId) ?? { times: [], orders: [] };
    this.recent.set(view.accountId, recent);
    recent.times = recent.times.filter((t) => now - t < 1000);
    if (orderRateExceeded(recent.times, now, this.o.config.max_orders_per_second)) {
      const n = recent.times.length + 1;
      return { ok: false, rule: 'max_orders_per_second', message: `${n} orders in the last second, above the limit of ${this.o.config.max_orders_per_second} a second (risk.max_orders_per_second)`, value: n, limit: this.o.config.max_orders_per_second!, headroom: 0 };
    }
    const windowMs = (this.o.config.duplicate_window ?? 0) * 1000;
    recent.orders = recent.orders.filter((x) => now - x.time < windowMs);
    const me = { accountId: view.accountId, symbol: r.symbol, side: r.side, quantity: r.quantity };
    if (windowMs > 0 && r.kind !== 'modify' && !r.confirmDuplicate && isDuplicate(recent.orders, me, now, windowMs)) {
      return { ok: false, rule: 'duplicate_order', confirm: true, message: `The same order (${r.side} ${r.quantity} ${r.symbol}) was sent less than ${this.o.config.duplicate_window} s ago: confirm to send it again (risk.duplicate_window)` };
    }

    if (!reducing) {
      const d = await this.portfolioCheck(view, r, after - base);
      if (!d.ok) return d;
    }
    recent.times.push(now);
    if (r.kind !== 'modify') recent.orders.push({ ...me, time: now });
    return { ok: true };
  }

  private async portfolioCheck(view: RiskAccountView, r: OrderGateRequest, dq: number): Promise<OrderGateDecision> {
    const cfg = this.limitsConfig;
    const anyOn = [cfg.maxPortfolioRisk, cfg.maxClusterConcentration, cfg.maxIssuerConcentration, cfg.maxSectorConcentration, cfg.maxGrossExposure, cfg.maxNetExposure, cfg.targetVolatility].some((x) => x !== null);
    if (!anyOn) return { ok: true };
    const { nav, holdings } = await this.holdings(view);
    const symbols = [...holdings.map((h) => h.symbol), r.symbol];
    const { history, clusters } = await this.historyOf(view.accountId, symbols);
    const profile = await this.profilesOf(view, symbols);
    const model = buildModel(holdings, nav, history, profile, cfg, clusters);
    return checkPortfolioOrder(model, cfg, { symbol: r.symbol, quantity: dq, price: r.price }, { positionQuantity: r.positionQuantity + (r.side === 'buy' ? r.workingBuyQuantity : -r.workingSellQuantity), lotSize: r.lotSize });
  }

  /** Usage of every configured limit now. */
  async limits(view: RiskAccountView): Promise<LimitUsage[]> {
    const { nav, holdings } = await this.holdings(view);
    const symbols = holdings.map((h) => h.symbol);
    const { history, clusters } = await this.historyOf(view.accountId, symbols);
    return limitUsage(buildModel(holdings, nav, history, await this.profilesOf(view, symbols), this.limitsConfig, clusters), this.limitsConfig);
  }

  /** The largest cluster, issuer or sector share of NAV now (a fraction; configured caps or not): for the concentration alerts. */
  async concentration(view: RiskAccountView): Promise<LimitUsage | null> {
    const { nav, holdings } = await this.holdings(view);
    const symbols = holdings.map((h) => h.symbol);
    const { history, clusters } = await this.historyOf(view.accountId, symbols);
    return largestConcentration(buildModel(holdings, nav, history, await this.profilesOf(view, symbols), this.limitsConfig, clusters), this.limitsConfig);
  }

  private async navSeries(accountId: string, nav: number): Promise<{ peak: number; daily: { day: number; nav: number }[] }> {
    const points = await this.o.store.equity.list(accountId, 100_000);
    const byDay = new Map<number, number>();
    for (const p of points) byDay.set(Math.floor(p.time / DAY_MS), Number(p.nav));
    byDay.set(Math.floor(this.o.clock.now() / DAY_MS), nav);
    const daily = [...byDay.entries()].sort((a, b) => a[0] - b[0]).map(([day, v]) => ({ day, nav: v }));
    let peak = nav;
    for (const p of points) peak = Math.max(peak, Number(p.nav));
    return { peak: await this.highWaterMark(accountId, peak), daily };
  }

  /**
   * The NAV peak, kept in settings (`risk.navPeak.<account>`): the equity history keeps one point per minute, so a peak
   * between two samples (or before the history was pruned) would otherwise be forgotten and the drawdown understated.
   */
  private async highWaterMark(accountId: string, candidate: number): Promise<number> {
    const key = `risk.navPeak.${accountId}`;
    const stored = Number((await this.o.store.settings.get(key)) ?? Number.NaN);
    if (Number.isFinite(stored) && stored >= candidate) return stored;
    if (Number.isFinite(candidate) && candidate > 0) {
      // A read-only store (the CLI) cannot keep the peak; the figure computed now is still right for this snapshot.
      await this.o.store.settings.set(key, String(candidate)).catch(() => undefined);
    }
    return candidate;
  }

  async snapshot(view: RiskAccountView): Promise<RiskSnapshot> {
    const now = this.o.clock.now();
    const s = await this.state(view);
    const { nav, currency, holdings, summary } = await this.holdings(view);
    const symbols = holdings.map((h) => h.symbol);
    const { history, clusters } = await this.historyOf(view.accountId, symbols);
    const profile = await this.profilesOf(view, symbols);
    const valueOf = new Map<string, number>();
    for (const h of holdings) valueOf.set(h.symbol, (valueOf.get(h.symbol) ?? 0) + h.value);
    const weights = history.symbols.map((sym) => (nav > 0 ? (valueOf.get(sym) ?? 0) / nav : 0));
    const modelled = history.symbols.length > 0 && history.returns[0]!.length > 1;
    const table = modelled ? varTable(history, weights) : [];
    const pick = (method: VarFigure['method']) => table.find((f) => f.method === method && f.confidence === 0.95 && f.horizonDays === 1);
    const hist = componentVar(history, weights, 0.95, 'historical');
    const para = modelled ? componentVar(history, weights, 0.95, 'parametric') : new Float64Array(history.symbols.length);
    const components = history.symbols.map((symbol, i) => ({ symbol, value: valueOf.get(symbol) ?? 0, weight: weights[i]!, historical: hist[i] ?? 0, parametric: para[i] ?? 0 }));
    const closeOnOrBefore = await this.stressCloses(symbols);
    const stress = [...HISTORICAL_WINDOWS.map((w) => historicalStress(holdings, nav, w, closeOnOrBefore)), ...hypotheticalStress(holdings, nav, profile, currency)];
    const corr = correlationMatrix(history, this.o.config.correlation_window);
    const n = history.symbols.length;
    const matrix = Array.from({ length: n }, (_, i) => Array.from({ length: n }, (_, j) => (Number.isFinite(corr[i * n + j]) ? corr[i * n + j]! : null)));
    const { peak, daily } = await this.navSeries(view.accountId, nav);
    const dayPnl = Number(summary.dayPnl);
    const dayStart = nav - dayPnl;
    const p = portfolioReturns(history, weights);
    const ratios = exposureRatios(holdings, nav);
    const vol = p.length > 1 ? realisedVolatility(p) : null;
    const cap = this.o.config.target_volatility !== null && p.length > 1 ? volTargetedCap(this.o.config.target_volatility, p, ratios.gross) : null;
    return {
      accountId: view.accountId, time: now, state: s.state, accountState: s.account, terminalState: s.terminal, killSwitch: s.killSwitch, nav, currency,
      var95: pick('historical')?.var ?? 0, cvar95: pick('historical')?.cvar ?? 0, var95Parametric: pick('parametric')?.var ?? 0, var95MonteCarlo: pick('monte-carlo')?.var ?? 0,
      table, components,
      limits: limitUsage(buildModel(holdings, nav, history, profile, this.limitsConfig, clusters), this.limitsConfig),
      stress,
      correlation: { symbols: history.symbols, matrix, clusters },
      drawdown: {
        fromPeak: drawdownFromPeak(peak, nav), peak, dailyLoss: dayStart > 0 && dayPnl < 0 ? -dayPnl / dayStart : 0,
        underwater: underwater(daily).map((u) => ({ date: dateOf(u.day), drawdown: u.drawdown })),
        worst: worstDrawdowns(daily).map((d) => ({ depth: d.depth, start: dateOf(d.start), trough: dateOf(d.trough), recovery: d.recovery === null ? null : dateOf(d.recovery) })),
      },
      leverage: { gross: ratios.gross, net: ratios.net, realisedVolatility: vol, volTargetedCap: cap !== null && Number.isFinite(cap) ? cap : null },
      historyDays: history.returns[0]?.length ?? 0,
      unmodelled: history.unmodelled,
    };
  }

  /** Closes for the stress windows (read once per snapshot; a window without bars is flagged per instrument). */
  private async stressCloses(symbols: string[]): Promise<(symbol: string, date: string) => number | undefined> {
    const table = new Map<string, { day: number; close: number }[]>();
    for (const sym of symbols) {
      const all: { day: number; close: number }[] = [];
      for (const w of HISTORICAL_WINDOWS) all.push(...(await this.o.closes(sym, dayOf(w.from) - 7, dayOf(w.to)).catch(() => [])));
      table.set(sym, all.sort((a, b) => a.day - b.day));
    }
    return (sym, date) => {
      const d = dayOf(date);
      // The close on the date or up to 7 days before it (a weekend or holiday), never an older one.
      let best: number | undefined;
      for (const c of table.get(sym) ?? []) if (c.day <= d && c.day >= d - 7) best = c.close;
      return best;
    };
  }

  /** Drawdown from the NAV peak now (a fraction), as the thresholds read it: for the drawdown alerts. */
  async drawdown(view: RiskAccountView): Promise<number> {
    const nav = Number((await view.snapshot()).summary.nav);
    return drawdownFromPeak((await this.navSeries(view.accountId, nav)).peak, nav);
  }

  /**
   * Moves the account to REDUCING or HALTED when a threshold is crossed (never back: that is by hand), journaled before
   * it takes effect; then cancels working orders and flattens if configured.
   */
  async evaluate(view: RiskAccountView): Promise<TradingState | null> {
    const c = this.o.config.states;
    const th: StateThresholds = { drawdownReducing: c.drawdown_reducing, drawdownHalted: c.drawdown_halted, dailyLossReducing: c.daily_loss_reducing, dailyLossHalted: c.daily_loss_halted };
    if (Object.values(th).every((x) => x === null)) return null;
    const { summary } = await view.snapshot();
    const nav = Number(summary.nav);
    const dayPnl = Number(summary.dayPnl);
    const { peak } = await this.navSeries(view.accountId, nav);
    const current = (await this.o.states.get(view.accountId)).state;
    const move = thresholdTransition(th, current, { drawdownFromPeak: drawdownFromPeak(peak, nav), dailyLoss: nav - dayPnl > 0 && dayPnl < 0 ? -dayPnl / (nav - dayPnl) : 0 });
    if (!move) return null;
    await this.o.states.set(view.accountId, move.state, move.reason, 'threshold');
    if (c.cancel_working) await this.o.actions?.cancelWorking(view.accountId);
    if (c.flatten && move.state === 'HALTED') await this.o.actions?.flattenAll(view.accountId);
    return move.state;
  }
}
