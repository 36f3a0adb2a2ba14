// Backtest data types: bars as parallel typed arrays (fast, shareable with workers through SharedArrayBuffer).

export interface BarArrays {
  /** Bar open time, UTC seconds. */
  time: Float64Array;
  open: Float64Array;
  high: Float64Array;
  low: Float64Array;
  close: Float64Array;
  volume: Float64Array;
}

export interface Trade {
  entryTime: number;
  exitTime: number;
  entryBar: number;
  exitBar: number;
  side: 'long' | 'short';
  size: number;
  entryPrice: number;
  exitPrice: number;
  /** Net of both commissions. */
  pnl: number;
  commission: number;
}
