// What the trading service asks beyond its own order checks: the trading state and the portfolio limits (issue 17,
// services/portfolio-risk.ts). A port so the trading service stays the one path to the broker and knows no analytics.

export interface OrderGateRequest {
  accountId: string;
  symbol: string;
  side: 'buy' | 'sell';
  quantity: number;
  /** The price the order is valued at (its limit or stop, else the fresh last price). */
  price: number;
  /** The position now, and the working quantities on each side (the worst case counts them as filled). */
  positionQuantity: number;
  workingBuyQuantity: number;
  workingSellQuantity: number;
  lotSize: number;
  /** A protective leg, flatten or stop-out: only closes, passes every state and limit. */
  protective: boolean;
  /** 'modify' for a change of a working order (counted by the order-rate limit like a submission). */
  kind?: 'new' | 'modify';
  /** The trader confirmed a repeat of an order just sent (the duplicate guard asked). */
  confirmDuplicate?: boolean;
}

export type OrderGateDecision =
  | { ok: true }
  | {
    ok: false;
    /** The limit's config key ('max_portfolio_risk', 'trading_state', 'duplicate_order', ...). */
    rule: string;
    message: string;
    value?: number;
    limit?: number;
    headroom?: number;
    /** VaR budget: the largest quantity of this order that would fit (whole lots). */
    fitQuantity?: number;
    /** Duplicate guard: the same order sent again with confirmDuplicate passes. */
    confirm?: boolean;
  };

export interface OrderGate {
  check(r: OrderGateRequest): Promise<OrderGateDecision>;
}
