// Alerts (issue 17 item 5): price alerts (crossing a level, percent move) and portfolio alerts (drawdown, VaR budget
// use, margin level), as zod schemas. contract.ts registers them as `alerts.*` methods and events.
import { z } from 'zod';

export const AlertKind = z.enum(['price', 'price-move', 'indicator', 'drawdown', 'var-use', 'margin-level', 'concentration', 'fill', 'rejection']);
export type AlertKind = z.infer<typeof AlertKind>;

/** Kinds watching one instrument's price. */
export const SYMBOL_KINDS: readonly AlertKind[] = ['price', 'price-move', 'indicator'];
/** Kinds that fire on every event (each fill, each rejection) instead of on a crossing; level and direction unused. */
export const EVENT_KINDS: readonly AlertKind[] = ['fill', 'rejection'];

/**
 * What an indicator alert watches, on daily closes with today's last price as the newest close: RSI(period) (Wilder),
 * or the price's distance from its SMA(period) in percent (level 0 = the price crosses its average).
 */
export const AlertIndicator = z.enum(['rsi', 'sma-distance']);
export type AlertIndicator = z.infer<typeof AlertIndicator>;

export const AlertCreate = z.object({
  kind: AlertKind,
  /** The instrument (price and indicator alerts; fill and rejection alerts: only this one's, all when absent). */
  symbol: z.string().trim().toUpperCase().min(1).max(32).optional(),
  indicator: AlertIndicator.optional(),
  /** The indicator's period in days (default 14 for RSI, 50 for the SMA). */
  period: z.number().int().min(2).max(400).optional(),
  /** The account (portfolio alerts); the default account when absent. */
  accountId: z.string().min(1).max(64).optional(),
  /** Required except for fill and rejection alerts. */
  direction: z.enum(['above', 'below']).optional(),
  /**
   * price: the price; price-move: percent from the price when the alert was made (−3 = a 3 % fall); indicator: the RSI
   * (0–100) or percent from the SMA; drawdown: percent below the NAV peak; var-use: percent of the VaR budget used;
   * margin-level: percent; concentration: the largest correlated cluster, issuer or sector in percent of NAV.
   * Required except for fill and rejection alerts.
   */
  level: z.number().finite().optional(),
  /** Re-arm band in the level's unit; default 0.2 % of the level for prices, 1 percentage point otherwise. */
  band: z.number().finite().min(0).optional(),
  note: z.string().trim().max(200).optional(),
}).superRefine((a, ctx) => {
  if (SYMBOL_KINDS.includes(a.kind) && !a.symbol) ctx.addIssue({ code: 'custom', path: ['symbol'], message: `A ${a.kind === 'indicator' ? 'indicator' : 'price'} alert needs a symbol` });
  if (a.kind === 'indicator' && !a.indicator) ctx.addIssue({ code: 'custom', path: ['indicator'], message: 'An indicator alert needs an indicator (rsi or sma-distance)' });
  if (EVENT_KINDS.includes(a.kind)) return;
  if (a.level === undefined) ctx.addIssue({ code: 'custom', path: ['level'], message: 'A level is needed' });
  if (a.direction === undefined) ctx.addIssue({ code: 'custom', path: ['direction'], message: 'A direction (above or below) is needed' });
  if (a.kind === 'price' && a.level !== undefined && a.level <= 0) ctx.addIssue({ code: 'custom', path: ['level'], message: 'A price is above 0' });
  if (a.kind === 'indicator' && a.indicator === 'rsi' && a.level !== undefined && (a.level < 0 || a.level > 100)) ctx.addIssue({ code: 'custom', path: ['level'], message: 'An RSI level is between 0 and 100' });
});
export type AlertCreate = z.input<typeof AlertCreate>;

export const AlertRule = z.object({
  id: z.string(),
  kind: AlertKind,
  symbol: z.string().nullable(),
  accountId: z.string().nullable(),
  /** Indicator alerts: which indicator and its period; null otherwise. */
  indicator: AlertIndicator.nullable().default(null),
  period: z.number().int().nullable().default(null),
  direction: z.enum(['above', 'below']),
  level: z.number(),
  band: z.number(),
  /** price-move: the price the percent is measured from. */
  basePrice: z.number().nullable(),
  note: z.string(),
  created: z.number(),
  state: z.enum(['armed', 'fired']),
  lastFired: z.number().nullable(),
});
export type AlertRule = z.infer<typeof AlertRule>;

export const AlertEvent = z.object({
  id: z.string(),
  ruleId: z.string(),
  time: z.number(),
  kind: AlertKind,
  title: z.string(),
  message: z.string(),
  value: z.number(),
});
export type AlertEvent = z.infer<typeof AlertEvent>;

export const alertMethods = {
  'alerts.list': { request: z.object({}).strict(), response: z.array(AlertRule) },
  'alerts.create': { request: AlertCreate, response: AlertRule },
  'alerts.remove': { request: z.object({ id: z.string().min(1).max(64) }).strict(), response: z.array(AlertRule) },
  /** Fired alerts, newest first, kept across restarts (the last 200). */
  'alerts.log': { request: z.object({}).strict(), response: z.array(AlertEvent) },
} as const;

export const alertEvents = {
  /** An alert fired: the renderer shows a toast (and a Web Notification in the browser host). */
  'alerts.fired': AlertEvent,
  /** The rules changed (created, removed, fired or re-armed). */
  alerts: z.array(AlertRule),
} as const;
