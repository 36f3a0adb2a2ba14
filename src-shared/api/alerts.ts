// Alerts (issue 17 item 5): price alerts (crossing a level, percent move) and portfolio alerts (drawdown, VaR budget
// use, margin level), as zod schemas. contract.ts registers them as `alerts.*` methods and events.
import { z } from 'zod';

export const AlertKind = z.enum(['price', 'price-move', 'drawdown', 'var-use', 'margin-level']);
export type AlertKind = z.infer<typeof AlertKind>;

export const AlertCreate = z.object({
  kind: AlertKind,
  /** The instrument (price alerts). */
  symbol: z.string().trim().toUpperCase().min(1).max(32).optional(),
  /** The account (portfolio alerts); the default account when absent. */
  accountId: z.string().min(1).max(64).optional(),
  direction: z.enum(['above', 'below']),
  /**
   * price: the price; price-move: percent from the price when the alert was made (−3 = a 3 % fall); drawdown: percent
   * below the NAV peak; var-use: percent of the VaR budget used; margin-level: percent.
   */
  level: z.number().finite(),
  /** Re-arm band in the level's unit; default 0.2 % of the level for prices, 1 percentage point otherwise. */
  band: z.number().finite().min(0).optional(),
  note: z.string().trim().max(200).optional(),
}).superRefine((a, ctx) => {
  if ((a.kind === 'price' || a.kind === 'price-move') && !a.symbol) ctx.addIssue({ code: 'custom', path: ['symbol'], message: 'A price alert needs a symbol' });
  if (a.kind === 'price' && a.level <= 0) ctx.addIssue({ code: 'custom', path: ['level'], message: 'A price is above 0' });
});
export type AlertCreate = z.input<typeof AlertCreate>;

export const AlertRule = z.object({
  id: z.string(),
  kind: AlertKind,
  symbol: z.string().nullable(),
  accountId: z.string().nullable(),
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
