// The simulator's own records of orders, executions and positions (what TWS keeps across API connections).
import type { Instrument } from '../market/instruments';

export type OrderStatus = 'PreSubmitted' | 'Submitted' | 'PendingCancel' | 'Cancelled' | 'Filled' | 'Inactive';

export interface SimOrder {
  clientId: number;
  orderId: number;
  permId: number;
  inst: Instrument;
  action: 'BUY' | 'SELL';
  totalQuantity: number;
  orderType: string;
  lmtPrice?: number;
  auxPrice?: number;
  tif: string;
  ocaGroup: string;
  ocaType: number;
  account: string;
  openClose: string;
  origin: number;
  orderRef: string;
  parentId: number;
  outsideRth: boolean;
  goodTillDate: string;
  trailingPercent?: number;
  /** Current stop of a trailing order; its trigger level. */
  trailStopPrice?: number;
  transmit: boolean;
  /** Set once TWS has accepted the order (after its transmit); untransmitted orders are silent. */
  transmitted?: boolean;
  status: OrderStatus;
  filled: number;
  avgFillPrice: number;
  lastFillPrice: number;
  /** A stop (or stop-limit) whose trigger was hit: it now works as a market (or limit) order. */
  triggered: boolean;
  /** Held until its parent fills (bracket child). */
  held: boolean;
  /** Whether the order took liquidity when it first became marketable (decides the exchange fee). */
  rested: boolean;
  /** Cumulative commission charged so far, for per-order minimums across partial fills. */
  commission: string;
  placedAt: number;
  /** When it filled or was cancelled (for reqCompletedOrders). */
  doneAt?: number;
}

export interface SimExecution {
  execId: string;
  clientId: number;
  orderId: number;
  permId: number;
  inst: Instrument;
  side: 'BOT' | 'SLD';
  shares: number;
  price: number;
  time: number;
  account: string;
  exchange: string;
  cumQty: number;
  avgPrice: number;
  orderRef: string;
  liquidity: 1 | 2;
  commission: string;
  realizedPnl?: string;
}

export interface SimPosition {
  inst: Instrument;
  quantity: number;
  /** Average cost per unit including commissions, multiplied by the multiplier as IB reports it. */
  avgCost: number;
  /** Average trade price without commissions (futures and CFDs settle price moves against it). */
  avgPrice: number;
  realizedPnl: number;
}
