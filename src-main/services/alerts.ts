// Alerts (issue 17 item 5): the trader's price, indicator and portfolio alerts, fed the values they watch by the
// composition root (quotes, limit usage, drawdown, margin, concentration), each firing once per crossing
// (domain/alerts/hysteresis.ts); fill and rejection alerts fire on each such event. Rules, their armed/fired state and
// the log of fired alerts are kept in the settings table, so they survive a restart.
import { randomUUID } from 'node:crypto';
import { z } from 'zod';
import type { Clock } from '../ports/clock';
import type { Store } from '../ports/store';
import { serial } from '../../src-shared/common/serial';
import { step } from '../domain/alerts/hysteresis';
import { rsi, sma } from '../../src-shared/domain/indicators/batch';
import { AlertEvent, AlertRule, AlertCreate, EVENT_KINDS, SYMBOL_KINDS, type AlertIndicator } from '../../src-shared/api/alerts';
import type { Fill, Order } from '../../src-shared/domain/types';

type NewAlert = z.output<typeof AlertCreate>;

const RULES_KEY = 'alerts.rules';
const LOG_KEY = 'alerts.log';
const LOG_SIZE = 200;
/** Every rule is evaluated on every quote of its symbol: a bound keeps that and the stored value small. */
const MAX_RULES = 500;

/** Percent-of-level default for price bands; one percentage point for the portfolio figures (they are in percent). */
const PRICE_BAND = 0.002;
const PERCENT_BAND = 1;

const UNIT: Record<AlertRule['kind'], string> = {
  price: '', 'price-move': ' %', indicator: '', drawdown: ' %', 'var-use': ' %', 'margin-level': ' %', concentration: ' %', fill: '', rejection: '',
};
const WHAT: Record<AlertRule['kind'], string> = {
  price: 'price', 'price-move': 'move', indicator: 'indicator', drawdown: 'drawdown from the NAV peak', 'var-use': 'VaR budget used',
  'margin-level': 'margin level', concentration: 'largest concentration', fill: 'fill', rejection: 'rejection',
};
const DEFAULT_PERIOD: Record<AlertIndicator, number> = { rsi: 14, 'sma-distance': 50 };
/** Daily closes are read again after this long (a new day's close); between reads only the last price changes. */
const CLOSES_TTL_MS = 3_600_000;
/** Fills and rejections already told, so an order re-emitted with the same status does not fire twice. */
const SEEN_EVENTS = 1000;

export class AlertService {
  private rules: AlertRule[] = [];
  private events: AlertEvent[] = [];
  private readonly writes = serial();

  constructor(private readonly o: {
    store: Pick<Store, 'settings'>; clock: Clock;
    onFired: (e: AlertEvent) => void; onRules: (list: AlertRule[]) => void;
    /** Unreadable stored rules are reported, never thrown: alerts must not stop the terminal. */
    onError: (err: unknown) => void;
    /** Daily closes of a symbol, oldest first, for indicator alerts (today's bar, if any, is replaced by the last price). */
    dailyCloses?: (symbol: string) => Promise<{ time: number; close: number }[]>;
    /** The account's display name ("OANDA 101-•••-001") for alert texts; without it, or unknown, the account id. */
    accountLabel?: (accountId: string) => string | undefined;
  }) {}

  private readonly closes = new Map<string, { at: number; closes: number[]; loading: boolean }>();
  private readonly seen = new Set<string>();

  async start(): Promise<void> {
    this.rules = await this.read(RULES_KEY, z.array(AlertRule));
    this.events = await this.read(LOG_KEY, z.array(AlertEvent));
  }

  /** Settles when every store write so far has (tests, shutdown). */
  idle(): Promise<void> {
    return this.writes.idle();
  }

  list(): AlertRule[] {
    return this.rules;
  }

  log(): AlertEvent[] {
    return this.events;
  }

  /** `price` gives the last price (the base of a percent move); `defaultAccount` the account of a portfolio alert. */
  async create(req: NewAlert, ctx: { price(symbol: string): number | undefined; defaultAccount: string }): Promise<AlertRule> {
    if (this.rules.length >= MAX_RULES) throw new AlertInputError(`At most ${MAX_RULES} alerts: remove one first`);
    const isSymbol = SYMBOL_KINDS.includes(req.kind) || (EVENT_KINDS.includes(req.kind) && req.symbol !== undefined);
    const isEvent = EVENT_KINDS.includes(req.kind);
    if (req.kind === 'indicator' && !this.o.dailyCloses) throw new AlertInputError('Indicator alerts need daily bars, which this terminal has no source for');
    let basePrice: number | null = null;
    if (req.kind === 'price-move') {
      const p = ctx.price(req.symbol!);
      if (p === undefined || !(p > 0)) throw new AlertInputError(`No price for ${req.symbol} yet: a percent move needs one to start from`);
      basePrice = p;
    }
    const rule: AlertRule = {
      id: randomUUID(), kind: req.kind, symbol: isSymbol ? req.symbol! : null,
      accountId: SYMBOL_KINDS.includes(req.kind) ? null : (req.accountId ?? (isEvent ? null : ctx.defaultAccount)),
      indicator: req.kind === 'indicator' ? req.indicator! : null,
      period: req.kind === 'indicator' ? (req.period ?? DEFAULT_PERIOD[req.indicator!]) : null,
      direction: req.direction ?? 'above', level: req.level ?? 0,
      band: req.band ?? (req.kind === 'price' ? Math.abs(req.level!) * PRICE_BAND : isEvent ? 0 : PERCENT_BAND),
      basePrice, note: req.note ?? '', created: this.o.clock.now(), state: 'armed', lastFired: null,
    };
    this.rules = [...this.rules, rule];
    await this.saveRules();
    return rule;
  }

  async remove(id: string): Promise<AlertRule[]> {
    this.rules = this.rules.filter((r) => r.id !== id);
    await this.saveRules();
    return this.rules;
  }

  /** A new last price of `symbol` (price, percent-move and indicator alerts). */
  observePrice(symbol: string, last: number): void {
    if (this.rules.length === 0) return; // every quote comes here
    const daily = this.rules.some((r) => r.kind === 'indicator' && r.symbol === symbol) ? this.dailyWithLast(symbol, last) : undefined;
    this.observe((r) => {
      if (r.symbol !== symbol) return undefined;
      if (r.kind === 'price') return last;
      if (r.kind === 'price-move' && r.basePrice) return percentMove(r.basePrice, last);
      if (r.kind === 'indicator' && daily) return indicatorValue(r.indicator!, r.period!, daily);
      return undefined;
    });
  }

  /** A portfolio figure of an account, in percent (drawdown, var-use, margin-level, concentration). */
  observeAccount(kind: 'drawdown' | 'var-use' | 'margin-level' | 'concentration', accountId: string, percent: number): void {
    this.observe((r) => (r.kind === kind && r.accountId === accountId ? percent : undefined));
  }

  /** A fill: fires every fill alert of its account (or of any account) and symbol (or any). */
  observeFill(f: Fill): void {
    this.onEvent('fill', `fill:${f.accountId}:${f.id}`, f.accountId, f.symbol, () => {
      const what = `${f.side === 'buy' ? 'Bought' : 'Sold'} ${f.quantity} ${f.symbol} at ${f.price}`;
      return { title: `Fill: ${f.symbol}`, message: what, value: f.price };
    });
  }

  /** An order update: fires the rejection alerts when the order was rejected (by the risk gate or the broker). */
  observeOrder(o: Order): void {
    if (o.status !== 'rejected') return;
    this.onEvent('rejection', `rejection:${o.id}`, o.accountId, o.symbol, () => ({
      title: `Rejected: ${o.side} ${o.quantity} ${o.symbol}`,
      message: `${o.side === 'buy' ? 'Buy' : 'Sell'} ${o.quantity} ${o.symbol} rejected: ${o.rejectReason ?? 'no reason given'}`,
      value: o.quantity,
    }));
  }

  private onEvent(kind: 'fill' | 'rejection', key: string, accountId: string, symbol: string, describe: () => { title: string; message: string; value: number }): void {
    const matching = this.rules.filter((r) => r.kind === kind && (r.accountId === null || r.accountId === accountId) && (r.symbol === null || r.symbol === symbol));
    if (matching.length === 0 || this.seen.has(key)) return;
    this.seen.add(key);
    if (this.seen.size > SEEN_EVENTS) this.seen.delete(this.seen.values().next().value!);
    const now = this.o.clock.now();
    const d = describe();
    const fired = matching.map((r): AlertEvent => ({ id: randomUUID(), ruleId: r.id, time: now, kind, title: d.title, message: r.note ? `${d.message} · ${r.note}` : d.message, value: d.value }));
    const ids = new Set(matching.map((r) => r.id));
    this.rules = this.rules.map((r) => (ids.has(r.id) ? { ...r, lastFired: now } : r));
    this.events = [...fired.reverse(), ...this.events].slice(0, LOG_SIZE);
    void this.saveRules();
    void this.write(LOG_KEY, this.events);
    for (const e of fired) this.o.onFired(e);
  }

  /**
   * The symbol's daily closes with the last price as today's close, or undefined while they load (the first quotes
   * after a rule is made, or after the hourly refresh starts, are skipped; the next ones see the series).
   */
  private dailyWithLast(symbol: string, last: number): number[] | undefined {
    const now = this.o.clock.now();
    let c = this.closes.get(symbol);
    if (!c || (now - c.at > CLOSES_TTL_MS && !c.loading)) {
      const entry = c ?? { at: 0, closes: [], loading: true };
      entry.loading = true;
      this.closes.set(symbol, entry);
      void this.o.dailyCloses!(symbol).then(
        (bars) => {
          // The newest bar is today's while the session runs: the last price stands in for its close.
          const today = Math.floor(now / 86_400_000) * 86_400;
          entry.closes = bars.filter((b) => b.time < today).map((b) => b.close);
          entry.at = now;
          entry.loading = false;
        },
        (err: unknown) => {
          entry.loading = false;
          entry.at = now; // retried after the TTL, not on every quote
          this.o.onError(err);
        },
      );
      c = entry;
    }
    if (c.closes.length === 0) return undefined;
    return [...c.closes, last];
  }

  private observe(valueOf: (r: AlertRule) => number | undefined): void {
    if (this.rules.length === 0) return; // every quote comes here
    let changed = false;
    const now = this.o.clock.now();
    const fired: AlertEvent[] = [];
    this.rules = this.rules.map((r) => {
      const value = valueOf(r);
      if (value === undefined) return r;
      const s = step(r, r.state, value);
      if (s.state === r.state) return r;
      changed = true;
      if (!s.fired) return { ...r, state: s.state };
      fired.push(this.event(r, value, now));
      return { ...r, state: s.state, lastFired: now };
    });
    if (!changed) return;
    this.events = [...fired.reverse(), ...this.events].slice(0, LOG_SIZE);
    void this.saveRules();
    if (fired.length > 0) void this.write(LOG_KEY, this.events);
    for (const e of fired) this.o.onFired(e);
  }

  private event(r: AlertRule, value: number, time: number): AlertEvent {
    const subject = r.symbol ?? (r.accountId === null ? '' : (this.o.accountLabel?.(r.accountId) ?? r.accountId));
    const shown = r.kind === 'price' ? String(value) : value.toFixed(2);
    if (r.kind === 'indicator') {
      const name = indicatorName(r.indicator!, r.period!);
      const unit = r.indicator === 'sma-distance' ? ' %' : '';
      const title = `${subject} ${name} ${r.direction} ${r.level}${unit}`;
      return { id: randomUUID(), ruleId: r.id, time, kind: r.kind, title, message: `${subject}: ${name} ${shown}${unit} (alert ${r.direction} ${r.level}${unit})${r.note ? ` · ${r.note}` : ''}`, value };
    }
    const title = `${subject} ${WHAT[r.kind]} ${r.direction} ${r.level}${UNIT[r.kind]}`;
    const message = `${subject}: ${WHAT[r.kind]} ${shown}${UNIT[r.kind]} (alert ${r.direction} ${r.level}${UNIT[r.kind]}${r.kind === 'price-move' ? ` from ${r.basePrice}` : ''})${r.note ? ` · ${r.note}` : ''}`;
    return { id: randomUUID(), ruleId: r.id, time, kind: r.kind, title, message, value };
  }

  private async saveRules(): Promise<void> {
    await this.write(RULES_KEY, this.rules);
    this.o.onRules(this.rules);
  }

  private write(key: string, value: unknown): Promise<void> {
    const text = JSON.stringify(value);
    return this.writes(() => this.o.store.settings.set(key, text)).catch((err: unknown) => this.o.onError(err));
  }

  private async read<T>(key: string, schema: z.ZodType<T[]>): Promise<T[]> {
    const raw = await this.o.store.settings.get(key);
    if (!raw) return [];
    try {
      return schema.parse(JSON.parse(raw));
    } catch (err) {
      this.o.onError(err);
      return [];
    }
  }
}

export function indicatorName(indicator: AlertIndicator, period: number): string {
  return indicator === 'rsi' ? `RSI(${period})` : `distance from SMA(${period})`;
}

/** The indicator's newest value over the closes (NaN when there are too few: the rule waits). */
export function indicatorValue(indicator: AlertIndicator, period: number, closes: number[]): number {
  const n = closes.length;
  if (indicator === 'rsi') return n > period ? rsi(closes, period)[n - 1]! : NaN;
  if (n < period) return NaN;
  const avg = sma(closes, period)[n - 1]!;
  return Math.round((closes[n - 1]! / avg - 1) * 100 * 1e9) / 1e9;
}

/** Percent from `base` to `last`, rounded to 1e-9 so that a price exactly at the level is at it (196 from 200: −2). */
const percentMove = (base: number, last: number) => Math.round(((last - base) / base) * 100 * 1e9) / 1e9;

/** A request the service cannot carry out (no price yet): the API answers BAD_REQUEST with the reason. */
export class AlertInputError extends Error {}
