// The order ticket's request: one schema, used by the renderer before sending and by main at the boundary.
import { z } from 'zod';
import { OrderSide, OrderType, TimeInForce } from '../domain/types';

/** Far above any real price or size, far below what breaks arithmetic (1e308 × a quantity is Infinity). */
const SANE_MAX = 1e12;

const positiveFinite = (what: string) =>
  z.number({ error: `${what} must be a number` }).refine(Number.isFinite, `${what} must be a finite number`).refine((v) => v > 0, `${what} must be greater than 0`)
    .refine((v) => v <= SANE_MAX, `${what} must be at most 1,000,000,000,000`);

/** Protective legs farther than this from the entry's reference price are refused as mistakes. */
export const MAX_BRACKET_DISTANCE = 0.5;

/** Why a stop-loss or take-profit cannot protect an entry at `ref` (wrong side, too far), by field; empty when fine. */
export function bracketProblems(
  o: { side: 'buy' | 'sell'; stopLoss?: number | null; takeProfit?: number | null; trailingStop?: { percent?: number; distance?: number } },
  ref: number,
): Record<string, string> {
  const out: Record<string, string> = {};
  const far = (v: number) => Math.abs(v - ref) / ref > MAX_BRACKET_DISTANCE;
  const pct = `${MAX_BRACKET_DISTANCE * 100} %`;
  if (o.stopLoss !== undefined && o.stopLoss !== null) {
    if (o.side === 'buy' ? o.stopLoss >= ref : o.stopLoss <= ref) out['stopLoss'] = `Stop-loss must be ${o.side === 'buy' ? 'below' : 'above'} the entry price ${ref}`;
    else if (far(o.stopLoss)) out['stopLoss'] = `Stop-loss ${o.stopLoss} is more than ${pct} from the entry price ${ref}`;
  }
  if (o.takeProfit !== undefined && o.takeProfit !== null) {
    if (o.side === 'buy' ? o.takeProfit <= ref : o.takeProfit >= ref) out['takeProfit'] = `Take-profit must be ${o.side === 'buy' ? 'above' : 'below'} the entry price ${ref}`;
    else if (far(o.takeProfit)) out['takeProfit'] = `Take-profit ${o.takeProfit} is more than ${pct} from the entry price ${ref}`;
  }
  const trail = o.trailingStop?.distance ?? (o.trailingStop?.percent !== undefined ? (ref * o.trailingStop.percent) / 100 : undefined);
  if (trail !== undefined && trail / ref > MAX_BRACKET_DISTANCE) out['trailingStop'] = `The trailing stop is more than ${pct} from the entry price ${ref}`;
  return out;
}

export const OrderRequest = z
  .object({
    symbol: z.string().max(32, 'A symbol is at most 32 characters').trim().min(1, 'Symbol is required'),
    side: OrderSide,
    type: OrderType,
    quantity: positiveFinite('Quantity'),
    limitPrice: positiveFinite('Limit price').optional(),
    stopPrice: positiveFinite('Stop price').optional(),
    /** Trailing stops: distance from the best price, in percent (0 < x < 100). */
    trailPercent: positiveFinite('Trail percent').refine((v) => v < 100, 'Trail percent must be below 100').optional(),
    /** Trailing stops: distance from the best price in price units, or a multiple of ATR(14) on hourly bars (turned into
     * a fixed distance when the stop is placed). One of trailPercent, trailAmount, trailAtrMultiple. */
    trailAmount: positiveFinite('Trail distance').optional(),
    trailAtrMultiple: positiveFinite('ATR multiple').refine((v) => v <= 100, 'ATR multiple must be at most 100').optional(),
    /** Stops managed by the app: once the position is this far in profit (price units), the stop moves to the entry. */
    breakEvenAfter: positiveFinite('Break-even profit').optional(),
    /** Stops managed by the app: at this time (UTC ms) the stop is sent as a market order whatever the price. */
    exitAt: z.number().int().positive().optional(),
    timeInForce: TimeInForce.default('day'),
    /** Optional protective legs, attached as a bracket once the entry fills. */
    stopLoss: positiveFinite('Stop-loss').optional(),
    takeProfit: positiveFinite('Take-profit').optional(),
    /** A trailing stop-loss leg with an entry (market, limit or stop): a percent of the price or a distance in price
     * units, one of them. Held by the app once the entry fills (it moves with the quotes, journaled like any order). */
    trailingStop: z.object({
      percent: positiveFinite('Trailing stop percent').refine((v) => v < 100, 'Trailing stop percent must be below 100').optional(),
      distance: positiveFinite('Trailing stop distance').optional(),
    }).optional(),
    /** Managing the entry's stop-loss and trailing legs: break-even after this profit (price units), exit at this time (UTC ms). */
    stopBreakEvenAfter: positiveFinite('Break-even profit').optional(),
    stopExitAt: z.number().int().positive().optional(),
    /** The trader confirmed this repeat of an order just sent (the duplicate guard asked: risk.duplicate_window). */
    confirmDuplicate: z.boolean().optional(),
  })
  .superRefine((o, ctx) => {
    const withLimit = o.type === 'limit' || o.type === 'stop-limit';
    const withStop = o.type === 'stop' || o.type === 'stop-limit';
    const name = `a ${o.type} order`;
    if (withLimit && o.limitPrice === undefined)
      ctx.addIssue({ code: 'custom', path: ['limitPrice'], message: `Limit price is required for ${name}` });
    if (withStop && o.stopPrice === undefined)
      ctx.addIssue({ code: 'custom', path: ['stopPrice'], message: `Stop price is required for ${name}` });
    const trails = [o.trailPercent, o.trailAmount, o.trailAtrMultiple].filter((v) => v !== undefined).length;
    if (o.type === 'trailing-stop' && trails === 0)
      ctx.addIssue({ code: 'custom', path: ['trailPercent'], message: 'Trail percent is required for a trailing-stop order (or a trail distance or ATR multiple)' });
    if (trails > 1) ctx.addIssue({ code: 'custom', path: ['trailPercent'], message: 'Give one trail: a percent, a distance or an ATR multiple' });
    if (o.type !== 'trailing-stop' && (o.trailAmount !== undefined || o.trailAtrMultiple !== undefined))
      ctx.addIssue({ code: 'custom', path: [o.trailAmount !== undefined ? 'trailAmount' : 'trailAtrMultiple'], message: 'A trail is only allowed on a trailing-stop order' });
    for (const key of ['breakEvenAfter', 'exitAt'] as const) {
      if (o[key] !== undefined && o.type !== 'stop' && o.type !== 'trailing-stop')
        ctx.addIssue({ code: 'custom', path: [key], message: `${key === 'exitAt' ? 'A time exit' : 'Break-even'} is only allowed on a stop or trailing-stop order` });
    }
    if (!withLimit && o.limitPrice !== undefined)
      ctx.addIssue({ code: 'custom', path: ['limitPrice'], message: 'Limit price is only allowed on a limit or stop-limit order' });
    if (!withStop && o.stopPrice !== undefined)
      ctx.addIssue({ code: 'custom', path: ['stopPrice'], message: 'Stop price is only allowed on a stop or stop-limit order' });
    if (o.type !== 'trailing-stop' && o.trailPercent !== undefined)
      ctx.addIssue({ code: 'custom', path: ['trailPercent'], message: 'Trail percent is only allowed on a trailing-stop order' });
    const entry = o.type === 'market' || o.type === 'limit' || o.type === 'stop';
    if (o.trailingStop !== undefined) {
      const given = [o.trailingStop.percent, o.trailingStop.distance].filter((v) => v !== undefined).length;
      if (!entry) ctx.addIssue({ code: 'custom', path: ['trailingStop'], message: 'A trailing stop leg goes with a market, limit or stop entry' });
      else if (given !== 1) ctx.addIssue({ code: 'custom', path: ['trailingStop'], message: 'Give the trailing stop as a percent or as a distance' });
    }
    for (const key of ['stopBreakEvenAfter', 'stopExitAt'] as const) {
      if (o[key] !== undefined && o.stopLoss === undefined && o.trailingStop === undefined)
        ctx.addIssue({ code: 'custom', path: [key], message: `${key === 'stopExitAt' ? 'A time exit' : 'Break-even'} needs a stop-loss or a trailing stop` });
    }
    // Market orders are checked against the last price in main, before anything is sent.
    const ref = o.limitPrice ?? o.stopPrice;
    if (ref !== undefined) for (const [path, message] of Object.entries(bracketProblems(o, ref))) ctx.addIssue({ code: 'custom', path: [path], message });
  });
export type OrderRequest = z.input<typeof OrderRequest>;
export type ValidOrderRequest = z.output<typeof OrderRequest>;

/** Flatten a zod error into `{ field: message }`, the first message per field. */
export function fieldErrors(error: z.ZodError): Record<string, string> {
  const out: Record<string, string> = {};
  for (const issue of error.issues) {
    const key = issue.path.length ? issue.path.join('.') : '_';
    out[key] ??= issue.message;
  }
  return out;
}
