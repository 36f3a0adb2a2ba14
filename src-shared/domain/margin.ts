// Wire types of CFD accounts: margin status per account, instrument specs, risk-based sizing (the contract's block).
import { z } from 'zod';

const Money = z.string().regex(/^-?\d+\.\d{2}$/);

export const MarginState = z.enum(['flat', 'ok', 'alert', 'margin-call', 'stop-out']);
export type MarginState = z.infer<typeof MarginState>;

export const MarginStatus = z.object({
  accountId: z.string(),
  venue: z.string(),
  label: z.string(),
  currency: z.string(),
  equity: Money,
  usedMargin: Money,
  freeMargin: Money,
  /** Percent with 2 decimals ("127.06"); null with no margin used. */
  marginLevel: z.string().nullable(),
  /** Percent levels: the user's alert (config risk.margin_alert_level), the venue's margin call and stop-out. */
  alertLevel: z.number(),
  marginCallLevel: z.number(),
  stopOutLevel: z.number(),
  /** Equity that can be lost before the margin call / stop-out level (0.00 when below it); null when flat. */
  toMarginCall: Money.nullable(),
  toStopOut: Money.nullable(),
  state: MarginState,
  /** 'app': computed here from positions and specs (paper CFD); 'broker': the venue's own figures. */
  source: z.enum(['app', 'broker']),
});
export type MarginStatus = z.infer<typeof MarginStatus>;

export const CfdSpecInfo = z.object({
  symbol: z.string(),
  category: z.string(),
  quoteCurrency: z.string(),
  contractSize: z.number(),
  minSize: z.number(),
  sizeStep: z.number(),
  /** The leverage that applies to the account (n for n:1, after the regulator's cap) and the venue's own maximum. */
  leverage: z.number(),
  maxLeverage: z.number(),
  /** Margin rate in percent, 4 decimals ("3.3333"). */
  marginRatePct: z.string(),
  financingLong: z.string(),
  financingShort: z.string(),
  financingConvention: z.string(),
  tradingHours: z.string(),
  pipLocation: z.number().int(),
});
export type CfdSpecInfo = z.infer<typeof CfdSpecInfo>;

export const SizingRequest = z.object({
  accountId: z.string().min(1).max(64).optional(),
  symbol: z.string().min(1).max(32),
  /** Percent of equity (1 = 1 %) or an amount in the account currency; exactly one. */
  riskPercent: z.number().positive().max(100).optional(),
  riskAmount: z.string().regex(/^\d+(\.\d+)?$/).optional(),
  /** Entry-to-stop distance in price units. */
  stopDistance: z.number().positive(),
}).refine((r) => (r.riskPercent === undefined) !== (r.riskAmount === undefined), { message: 'give riskPercent or riskAmount, not both', path: ['riskPercent'] });
export type SizingRequest = z.infer<typeof SizingRequest>;

export const SizingResult = z.discriminatedUnion('ok', [
  z.object({
    ok: z.literal(true), units: z.number(), lots: z.number(), currency: z.string(), riskAmount: Money, actualRisk: Money, stopPips: z.string(), pipValue: Money,
  }),
  z.object({ ok: z.literal(false), problem: z.string() }),
]);
export type SizingResult = z.infer<typeof SizingResult>;

const RANK: Record<MarginState, number> = { 'stop-out': 0, 'margin-call': 1, alert: 2, ok: 3, flat: 4 };

/** The account the top bar shows: the lowest margin level; accounts without a level (flat) only when none has one. */
export function worstAccount(list: readonly MarginStatus[]): MarginStatus | null {
  let worst: MarginStatus | null = null;
  for (const s of list) {
    if (!worst) worst = s;
    else if (s.marginLevel !== null && (worst.marginLevel === null || Number(s.marginLevel) < Number(worst.marginLevel))) worst = s;
    else if (s.marginLevel === null && worst.marginLevel === null && RANK[s.state] < RANK[worst.state]) worst = s;
  }
  return worst;
}
