// Portfolio risk messages (issue 17): trading states, the analytics snapshot and limit usage, as zod schemas.
// contract.ts registers them as `risk.*` methods. Figures are fractions of NAV unless named otherwise (docs/risk.md).
import { z } from 'zod';

export const TradingState = z.enum(['ACTIVE', 'REDUCING', 'HALTED']);
export type TradingState = z.infer<typeof TradingState>;

const AccountId = z.string().min(1).max(64);

export const StateChange = z.object({
  /** 'terminal' or an account id. */
  scope: z.string(),
  state: TradingState,
  from: TradingState.optional(),
  reason: z.string(),
  /** 'manual', 'threshold'. */
  by: z.string(),
  time: z.number(),
});
export type StateChange = z.infer<typeof StateChange>;

export const RiskStateInfo = z.object({
  accountId: z.string(),
  /** What an order of the account meets: the stricter of the two; HALTED while the kill switch is engaged. */
  state: TradingState,
  accountState: TradingState,
  terminalState: TradingState,
  killSwitch: z.boolean(),
  /** Newest first. */
  history: z.array(StateChange),
});
export type RiskStateInfo = z.infer<typeof RiskStateInfo>;

export const RiskStateSetRequest = z.object({
  /** 'account' (the given or default account) or 'terminal' (every account). */
  scope: z.enum(['account', 'terminal']),
  accountId: AccountId.optional(),
  state: TradingState,
  reason: z.string().trim().min(1, 'Give a reason (it is journaled)').max(500),
});

export const LimitUsage = z.object({ name: z.string(), value: z.number(), limit: z.number(), headroom: z.number(), subject: z.string().optional() });
export type LimitUsage = z.infer<typeof LimitUsage>;

export const RiskSnapshot = z.object({
  accountId: z.string(),
  time: z.number(),
  state: TradingState,
  accountState: TradingState,
  terminalState: TradingState,
  killSwitch: z.boolean(),
  nav: z.number(),
  currency: z.string(),
  var95: z.number(),
  cvar95: z.number(),
  var95Parametric: z.number(),
  var95MonteCarlo: z.number(),
  table: z.array(z.object({ method: z.enum(['historical', 'parametric', 'monte-carlo']), confidence: z.number(), horizonDays: z.number(), var: z.number(), cvar: z.number() })),
  components: z.array(z.object({ symbol: z.string(), value: z.number(), weight: z.number(), historical: z.number(), parametric: z.number() })),
  limits: z.array(LimitUsage),
  stress: z.array(z.object({
    id: z.string(), label: z.string(), kind: z.enum(['historical', 'hypothetical']), pnl: z.number(), fraction: z.number(),
    positions: z.array(z.object({ symbol: z.string(), shock: z.number(), pnl: z.number() })), missing: z.array(z.string()),
  })),
  correlation: z.object({ symbols: z.array(z.string()), /** null where a series did not move. */ matrix: z.array(z.array(z.number().nullable())), clusters: z.array(z.array(z.string())) }),
  drawdown: z.object({
    fromPeak: z.number(), peak: z.number(), dailyLoss: z.number(),
    underwater: z.array(z.object({ date: z.string(), drawdown: z.number() })),
    worst: z.array(z.object({ start: z.string(), trough: z.string(), recovery: z.string().nullable(), depth: z.number() })),
  }),
  leverage: z.object({ gross: z.number(), net: z.number(), realisedVolatility: z.number().nullable(), volTargetedCap: z.number().nullable() }),
  historyDays: z.number().int(),
  unmodelled: z.array(z.string()),
});
export type RiskSnapshot = z.infer<typeof RiskSnapshot>;

const AccountRef = z.object({ accountId: AccountId.optional() }).strict();

/** Pushed events (contract.ts `events`): a state change of any scope, and each account's limit usage as prices move. */
export const riskEvents = {
  'risk.state': StateChange,
  /** Every account's limit usage, from the periodic evaluation (every few seconds and on a state change). */
  'risk.limits': z.object({ accountId: z.string(), time: z.number(), limits: z.array(LimitUsage) }),
} as const;

export const riskMethods = {
  'risk.state.get': { request: AccountRef, response: RiskStateInfo },
  'risk.state.set': { request: RiskStateSetRequest, response: RiskStateInfo },
  'risk.snapshot': { request: AccountRef, response: RiskSnapshot },
  'risk.limits': { request: AccountRef, response: z.array(LimitUsage) },
} as const;
