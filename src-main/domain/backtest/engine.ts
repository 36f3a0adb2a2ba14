// The event-driven backtest engine (one instrument): orders placed on a closed bar fill on later bars, so a strategy
// cannot act on prices it has not seen. Conventions are written down in docs/backtesting.md.
import type { CommissionModel } from './commission';
import { noCommission } from './commission';
import type { BarArrays, Trade } from './types';
import { atr } from '../../../src-shared/domain/indicators/batch';
import { createStrategyContext, type BarReader } from '../strategy/context';
import type { Fill, OrderKind, OrderSpec, Strategy, StrategyContext } from '../strategy/strategy';

export type FillModel = 'next-open' | 'close';

export interface EngineOptions {
  cash: number;
  commission?: CommissionModel;
  fill?: FillModel;
  /** Adverse slippage on market and stop fills, in basis points. */
  slippageBps?: number;
  /** Volatility-scaled slippage instead: `multiple` × ATR(`period`) of the previous bars, adverse. */
  slippageAtr?: { period: number; multiple: number };
  /** Keep the list of fills (default true; sweeps only need trades and equity). */
  recordFills?: boolean;
  /** Reused output buffers (sweeps run thousands of backtests on the same bars); the result then points into them. */
  scratch?: { equity: Float64Array; inMarket: Uint8Array };
}

export interface BacktestResult {
  trades: Trade[];
  fills: Fill[];
  /** Equity at each bar's close. */
  equity: Float64Array;
  /** 1 where a position was held during the bar. */
  inMarket: Uint8Array;
  finalEquity: number;
  /** The last warm-up bar (the one before the strategy's first call): where its indicators become defined. */
  firstBar: number;
  /** Orders of size 'all' that got no fill because equity did not cover one whole unit, and the first such case. */
  unaffordable: { count: number; price: number; equity: number };
}

/** Why orders went unfilled for lack of a whole unit, in words for the trader, or null when none did. */
export function unaffordableWarning(u: BacktestResult['unaffordable']): string | null {
  if (!u.count) return null;
  const n = (x: number) => x.toLocaleString('en-US', { maximumFractionDigits: 2 });
  return `${u.count} order${u.count === 1 ? '' : 's'} got no fill: size "all" buys whole units and equity did not cover one ` +
    `(first: one unit at ${n(u.price)} with equity ${n(u.equity)}). Raise the cash, or set the size to a number of units (fractions allowed).`;
}

/** Removes and returns list[k] in place (Array.prototype.splice allocates an array for what it removes). */
function removeAt<T>(list: T[], k: number): T {
  const item = list[k]!;
  for (let m = k + 1; m < list.length; m++) list[m - 1] = list[m]!;
  list.length--;
  return item;
}

interface Working extends OrderSpec {
  placedBar: number;
  triggered: boolean;
  extreme: number;
  ocoGroup: number;
}

export function runBacktest(data: BarArrays, strategy: Strategy, opts: EngineOptions): BacktestResult {
  const n = data.close.length;
  const commission = opts.commission ?? noCommission;
  const fillModel = opts.fill ?? 'next-open';
  const recordFills = opts.recordFills ?? true;
  const { open, high, low, close, time } = data;
  const atrSlip = opts.slippageAtr ? atr(high, low, close, opts.slippageAtr.period) : undefined;
  const fixedSlip = (opts.slippageBps ?? 0) / 10_000;
  // Slippage as a fraction of price on bar j: fixed bps, or the ATR of the bars before j (known when the order fills).
  const slipAt = (j: number) => {
    if (!atrSlip) return fixedSlip;
    const a = atrSlip[j - 1];
    return a !== undefined && Number.isFinite(a) ? (a * opts.slippageAtr!.multiple) / open[j]! : 0;
  };

  let entryBar = 0;
  // Numbers written on every fill live in one object: V8 keeps a closure's captured numbers boxed, so each write to a
  // captured `let` allocated (measured: ≈ 200 KB per backtest of a sweep); an object's double fields update in place.
  const st = { cash: opts.cash, position: 0, entryPrice: 0, entryCommission: 0, slip: fixedSlip };
  const unaffordable = { count: 0, price: NaN, equity: NaN };
  let current = 0;
  let ocoSeq = 1;
  const working: Working[] = [];
  const trades: Trade[] = [];
  const fills: Fill[] = [];
  const reuse = opts.scratch && opts.scratch.equity.length === n && opts.scratch.inMarket.length === n;
  const equity = reuse ? opts.scratch!.equity : new Float64Array(n);
  const inMarket = reuse ? opts.scratch!.inMarket : new Uint8Array(n);

  // What the strategy reads: the bars up to `reader.index`, kept equal to `current`.
  const reader: { bars: BarArrays; index: number } = { bars: data, index: 0 };

  function affordable(price: number): number {
    const eq = st.cash + st.position * price;
    let units = Math.floor(eq / price);
    while (units > 0 && units * price + commission(units, price) > eq) units--;
    return Math.max(0, units);
  }

  function execute(side: 'buy' | 'sell', requested: number | 'all', price: number, bar: number): number {
    const size = requested === 'all' ? affordable(price) : requested;
    if (size <= 0) {
      if (requested === 'all' && unaffordable.count++ === 0) {
        unaffordable.price = price;
        unaffordable.equity = st.cash + st.position * price;
      }
      return 0;
    }
    const signed = side === 'buy' ? size : -size;
    const fee = commission(size, price);
    st.cash -= signed * price + fee;
    // Closing or reducing first, trade by trade.
    if (st.position !== 0 && Math.sign(signed) !== Math.sign(st.position)) {
      const closing = Math.min(Math.abs(signed), Math.abs(st.position));
      const share = closing / Math.abs(st.position);
      const entryFee = st.entryCommission * share;
      const exitFee = fee * (closing / size);
      const dir = st.position > 0 ? 1 : -1;
      trades.push({
        entryTime: time[entryBar]!, exitTime: time[bar]!, entryBar, exitBar: bar, side: dir > 0 ? 'long' : 'short', size: closing,
        entryPrice: st.entryPrice, exitPrice: price, pnl: (price - st.entryPrice) * closing * dir - entryFee - exitFee, commission: entryFee + exitFee,
      });
      st.entryCommission -= entryFee;
      st.position += dir > 0 ? -closing : closing;
      const rest = Math.abs(signed) - closing;
      if (st.position === 0 && rest > 0) {
        st.position = Math.sign(signed) * rest;
        st.entryPrice = price;
        entryBar = bar;
        st.entryCommission = fee * (rest / size);
      }
    } else {
      st.entryPrice = st.position === 0 ? price : (st.entryPrice * Math.abs(st.position) + price * size) / (Math.abs(st.position) + size);
      if (st.position === 0) entryBar = bar;
      st.entryCommission += fee;
      st.position += signed;
    }
    if (recordFills || strategy.onFill) {
      const fill: Fill = { bar, time: time[bar]!, side, size, price, commission: fee };
      if (recordFills) fills.push(fill);
      strategy.onFill?.(fill, ctx);
    }
    return size;
  }

  /** Fill price of a working order on bar j, or NaN when it does not fill there. Gaps fill at the open. */
  function priceOn(o: Working, j: number): number {
    st.slip = slipAt(j);
    const buy = o.side === 'buy';
    const o_ = open[j]!, h = high[j]!, l = low[j]!;
    switch (o.type ?? 'market') {
      case 'market':
        return buy ? o_ * (1 + st.slip) : o_ * (1 - st.slip);
      case 'limit':
        return buy ? (o_ <= o.limit! ? o_ : l <= o.limit! ? o.limit! : NaN) : o_ >= o.limit! ? o_ : h >= o.limit! ? o.limit! : NaN;
      case 'stop': {
        const p = buy ? (o_ >= o.stop! ? o_ : h >= o.stop! ? o.stop! : NaN) : o_ <= o.stop! ? o_ : l <= o.stop! ? o.stop! : NaN;
        return Number.isNaN(p) ? p : buy ? p * (1 + st.slip) : p * (1 - st.slip);
      }
      case 'stop-limit': {
        if (!o.triggered) {
          if (buy ? h < o.stop! : l > o.stop!) return NaN;
          o.triggered = true;
          // Triggered at the stop (or at the open through a gap): it fills there when that is within the limit,
          // otherwise it rests as a limit order for the rest of the bar.
          const at = buy ? Math.max(o_, o.stop!) : Math.min(o_, o.stop!);
          if (buy ? at <= o.limit! : at >= o.limit!) return at;
          return buy ? (l <= o.limit! ? o.limit! : NaN) : h >= o.limit! ? o.limit! : NaN;
        }
        return buy ? (o_ <= o.limit! ? o_ : l <= o.limit! ? o.limit! : NaN) : o_ >= o.limit! ? o_ : h >= o.limit! ? o.limit! : NaN;
      }
      case 'trailing-stop': {
        // The stop follows the best price seen since the order was placed (checked against the bar's open first).
        const stop = buy ? o.extreme * (1 + o.trail!) : o.extreme * (1 - o.trail!);
        const p = buy ? (o_ >= stop ? o_ : h >= stop ? stop : NaN) : o_ <= stop ? o_ : l <= stop ? stop : NaN;
        o.extreme = buy ? Math.min(o.extreme, l) : Math.max(o.extreme, h);
        return Number.isNaN(p) ? p : buy ? p * (1 + st.slip) : p * (1 - st.slip);
      }
    }
  }

  function processOrders(j: number): void {
    for (let k = 0; k < working.length; k++) {
      const o = working[k]!;
      if (o.placedBar >= j) continue;
      const p = priceOn(o, j);
      if (Number.isNaN(p)) continue;
      removeAt(working, k--);
      const filled = execute(o.side, o.size ?? 'all', p, j);
      strategy.onOrderUpdate?.({ status: 'filled', order: o, bar: j }, ctx);
      if (o.ocoGroup) {
        for (let m = working.length - 1; m >= 0; m--) {
          if (working[m]!.ocoGroup !== o.ocoGroup) continue;
          const cancelled = removeAt(working, m);
          if (m <= k) k--;
          strategy.onOrderUpdate?.({ status: 'cancelled', order: cancelled, bar: j }, ctx);
        }
      }
      if (filled > 0 && (o.stopLoss !== undefined || o.takeProfit !== undefined)) attachBracket(o.side, filled, o.stopLoss, o.takeProfit, j - 1);
    }
  }

  /** Places an order; objects are built field by field (one hidden class), the engine's hot path. */
  function place(side: 'buy' | 'sell', spec: Omit<OrderSpec, 'side'>): void {
    // (The context has checked the size.)
    const type = spec.type ?? 'market';
    const size = spec.size ?? 'all';
    if (type === 'market' && fillModel === 'close') {
      // Under close fills a market order executes at the signal bar's close.
      st.slip = atrSlip ? (Number.isFinite(atrSlip[current]!) ? (atrSlip[current]! * opts.slippageAtr!.multiple) / close[current]! : 0) : fixedSlip;
      const p = side === 'buy' ? close[current]! * (1 + st.slip) : close[current]! * (1 - st.slip);
      const filled = execute(side, size, p, current);
      if (filled > 0 && (spec.stopLoss !== undefined || spec.takeProfit !== undefined)) attachBracket(side, filled, spec.stopLoss, spec.takeProfit, current);
      return;
    }
    const order: Working = {
      side, type, size, limit: spec.limit, stop: spec.stop, trail: spec.trail, stopLoss: spec.stopLoss, takeProfit: spec.takeProfit,
      placedBar: current, triggered: false, extreme: close[current]!, ocoGroup: 0,
    };
    working.push(order);
    strategy.onOrderUpdate?.({ status: 'accepted', order, bar: current }, ctx);
  }

  /** Stop-loss and take-profit legs once an entry filled; one cancels the other. The stop-loss is listed first: when
   * both could fill in one bar, the loss is assumed (conservative). */
  function attachBracket(entrySide: 'buy' | 'sell', filled: number, stopLoss: number | undefined, takeProfit: number | undefined, placedBar: number): void {
    const exit = entrySide === 'buy' ? 'sell' : 'buy';
    const group = ocoSeq++;
    const leg = (type: OrderKind, limit: number | undefined, stop: number | undefined): Working => ({
      side: exit, type, size: filled, limit, stop, trail: undefined, stopLoss: undefined, takeProfit: undefined, placedBar, triggered: false, extreme: 0, ocoGroup: group,
    });
    if (stopLoss !== undefined) working.push(leg('stop', undefined, stopLoss));
    if (takeProfit !== undefined) working.push(leg('limit', takeProfit, undefined));
  }

  const ctx: StrategyContext = createStrategyContext(reader satisfies BarReader, {
    get position() { return st.position; },
    get cash() { return st.cash; },
    get equity() { return st.cash + st.position * close[current]!; },
  }, {
    place,
    cancelAll() {
      for (const order of working.splice(0)) strategy.onOrderUpdate?.({ status: 'cancelled', order, bar: current }, ctx);
    },
  });

  strategy.init?.(data);
  const start = Math.max(0, strategy.warmup ?? 0);
  const last = n - 1;
  // Bars before the warm-up: the strategy is not called, so no order exists and equity is the starting cash.
  const warm = Math.min(start, Math.max(0, last));
  equity.fill(opts.cash, 0, warm);
  // Exposure is marked from the trades after the loop: every bar with a position lies in some trade's entry..exit
  // range, since whatever is open is closed on the final bar. (Not writing it per bar is part of the engine's hot path.)
  inMarket.fill(0);
  if (start < last) {
    current = reader.index = start;
    strategy.onStart?.(ctx);
  }
  // Equity at a bar's close is measured before the strategy acts on that close (under close fills its orders execute
  // at this price, so only their costs move equity, from the next bar on — as in backtesting.py).
  for (let i = warm; i < last; i++) {
    current = reader.index = i;
    if (working.length) processOrders(i);
    equity[i] = st.cash + st.position * close[i]!;
    strategy.next(ctx);
  }
  if (n > 0) {
    // The final bar only closes what is still open: at its open (next-open), or at the previous close (close fills).
    current = reader.index = last;
    if (working.length) processOrders(last);
    if (st.position !== 0) {
      working.length = 0;
      if (fillModel === 'close' && last > 0) {
        current = reader.index = last - 1;
        execute(st.position > 0 ? 'sell' : 'buy', Math.abs(st.position), close[last - 1]!, last - 1);
        current = reader.index = last;
      } else execute(st.position > 0 ? 'sell' : 'buy', Math.abs(st.position), open[last]!, last);
    }
    equity[last] = st.cash + st.position * close[last]!;
  }
  strategy.onStop?.(ctx);
  for (const t of trades) for (let b = t.entryBar; b <= t.exitBar && b < n; b++) inMarket[b] = 1;
  return { trades, fills, equity, inMarket, finalEquity: equity[n - 1] ?? opts.cash, firstBar: Math.min(Math.max(0, start - 1), Math.max(0, n - 1)), unaffordable };
}
