// The order ticket's request: one schema, used by the renderer before sending and by main at the boundary.
import { z } from 'zod';
import { OrderSide, OrderType, TimeInForce } from '../domain/types';

const positiveFinite = (what: string) =>
  z.number({ error: `${what} must be a number` }).refine(Number.isFinite, `${what} must be a finite number`).refine((v) => v > 0, `${what} must be greater than 0`);

export const OrderRequest = z
  .object({
    symbol: z.string().trim().min(1, 'Symbol is required'),
    side: OrderSide,
    type: OrderType,
    quantity: positiveFinite('Quantity'),
    limitPrice: positiveFinite('Limit price').optional(),
    stopPrice: positiveFinite('Stop price').optional(),
    timeInForce: TimeInForce.default('day'),
    /** Optional protective legs, attached as a bracket once the entry fills. */
    stopLoss: positiveFinite('Stop-loss').optional(),
    takeProfit: positiveFinite('Take-profit').optional(),
  })
  .superRefine((o, ctx) => {
    if (o.type === 'limit' && o.limitPrice === undefined)
      ctx.addIssue({ code: 'custom', path: ['limitPrice'], message: 'Limit price is required for a limit order' });
    if (o.type === 'stop' && o.stopPrice === undefined)
      ctx.addIssue({ code: 'custom', path: ['stopPrice'], message: 'Stop price is required for a stop order' });
    if (o.type !== 'limit' && o.limitPrice !== undefined)
      ctx.addIssue({ code: 'custom', path: ['limitPrice'], message: 'Limit price is only allowed on a limit order' });
    if (o.type !== 'stop' && o.stopPrice !== undefined)
      ctx.addIssue({ code: 'custom', path: ['stopPrice'], message: 'Stop price is only allowed on a stop order' });
    const ref = o.limitPrice ?? o.stopPrice;
    if (ref !== undefined && o.stopLoss !== undefined) {
      const wrongSide = o.side === 'buy' ? o.stopLoss >= ref : o.stopLoss <= ref;
      if (wrongSide)
        ctx.addIssue({ code: 'custom', path: ['stopLoss'], message: `Stop-loss must be ${o.side === 'buy' ? 'below' : 'above'} the entry price` });
    }
    if (ref !== undefined && o.takeProfit !== undefined) {
      const wrongSide = o.side === 'buy' ? o.takeProfit <= ref : o.takeProfit >= ref;
      if (wrongSide)
        ctx.addIssue({ code: 'custom', path: ['takeProfit'], message: `Take-profit must be ${o.side === 'buy' ? 'above' : 'below'} the entry price` });
    }
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
