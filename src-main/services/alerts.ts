// Alerts (issue 17 item 5): the trader's price and portfolio alerts, fed the values they watch by the composition root
// (quotes, limit usage, drawdown, margin), each firing once per crossing (domain/alerts/hysteresis.ts). Rules, their
// armed/fired state and the log of fired alerts are kept in the settings table, so they survive a restart.
import { randomUUID } from 'node:crypto';
import type { Clock } from '../ports/clock';
import type { Store } from '../ports/store';
import { serial } from '../../src-shared/common/serial';
import { step } from '../domain/alerts/hysteresis';
import { AlertEvent, AlertRule, AlertCreate } from '../../src-shared/api/alerts';

type NewAlert = z.output<typeof AlertCreate>;
import { z } from 'zod';

const RULES_KEY = 'alerts.rules';
const LOG_KEY = 'alerts.log';
const LOG_SIZE = 200;
/** Every rule is evaluated on every quote of its symbol: a bound keeps that and the stored value small. */
const MAX_RULES = 500;

/** Percent-of-level default for price bands; one percentage point for the portfolio figures (they are in percent). */
const PRICE_BAND = 0.002;
const PERCENT_BAND = 1;

const UNIT: Record<AlertRule['kind'], string> = { price: '', 'price-move': ' %', drawdown: ' %', 'var-use': ' %', 'margin-level': ' %' };
const WHAT: Record<AlertRule['kind'], string> = {
  price: 'price', 'price-move': 'move', drawdown: 'drawdown from the NAV peak', 'var-use': 'VaR budget used', 'margin-level': 'margin level',
};

export class AlertService {
  private rules: AlertRule[] = [];
  private events: AlertEvent[] = [];
  private readonly writes = serial();

  constructor(private readonly o: {
    store: Pick<Store, 'settings'>; clock: Clock;
    onFired: (e: AlertEvent) => void; onRules: (list: AlertRule[]) => void;
    /** Unreadable stored rules are reported, never thrown: alerts must not stop the terminal. */
    onError: (err: unknown) => void;
  }) {}

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
    const isPrice = req.kind === 'price' || req.kind === 'price-move';
    let basePrice: number | null = null;
    if (req.kind === 'price-move') {
      const p = ctx.price(req.symbol!);
      if (p === undefined || !(p > 0)) throw new AlertInputError(`No price for ${req.symbol} yet: a percent move needs one to start from`);
      basePrice = p;
    }
    const rule: AlertRule = {
      id: randomUUID(), kind: req.kind, symbol: isPrice ? req.symbol! : null, accountId: isPrice ? null : (req.accountId ?? ctx.defaultAccount),
      direction: req.direction, level: req.level, band: req.band ?? (req.kind === 'price' ? Math.abs(req.level) * PRICE_BAND : PERCENT_BAND),
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

  /** A new last price of `symbol` (price and percent-move alerts). */
  observePrice(symbol: string, last: number): void {
    this.observe((r) => (r.kind === 'price' && r.symbol === symbol ? last : r.kind === 'price-move' && r.symbol === symbol && r.basePrice ? percentMove(r.basePrice, last) : undefined));
  }

  /** A portfolio figure of an account, in percent (drawdown, var-use, margin-level). */
  observeAccount(kind: 'drawdown' | 'var-use' | 'margin-level', accountId: string, percent: number): void {
    this.observe((r) => (r.kind === kind && r.accountId === accountId ? percent : undefined));
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
    const subject = r.symbol ?? r.accountId ?? '';
    const shown = r.kind === 'price' ? String(value) : value.toFixed(2);
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

/** Percent from `base` to `last`, rounded to 1e-9 so that a price exactly at the level is at it (196 from 200: −2). */
const percentMove = (base: number, last: number) => Math.round(((last - base) / base) * 100 * 1e9) / 1e9;

/** A request the service cannot carry out (no price yet): the API answers BAD_REQUEST with the reason. */
export class AlertInputError extends Error {}
