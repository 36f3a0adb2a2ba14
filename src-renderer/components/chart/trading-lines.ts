// The trader's orders, position and fills on the chart: a price line per working order (side, quantity, type), the
// position's average price, the protective stop/take-profit lines (they move as a managed or trailing stop moves: each
// move arrives as an `order` event with the new stopPrice), and a marker per fill.
import { LineStyle, type IPriceLine, type ISeriesApi } from 'lightweight-charts';
import { OPEN_ORDER_STATUSES, TIMEFRAME_SECONDS, type Fill, type Order, type Position, type Timeframe } from '../../../src-shared/domain/types';
import { bucketStart } from '../../../src-shared/domain/candles';
import { qty } from '../../lib/format';
import { FillMarkers, type FillMark } from './fill-markers';

export type TradingLineKind = 'order' | 'position' | 'stop-loss' | 'take-profit';
export interface TradingLine {
  kind: TradingLineKind;
  /** The order it stands for (orders and their protective legs); a drag modifies it. */
  orderId?: string;
  /** Which of the order's prices the line shows: its own, or a protective leg's that waits for its fill. */
  field?: 'limitPrice' | 'stopPrice' | 'stopLoss' | 'takeProfit';
  price: number;
  title: string;
  line: IPriceLine;
}

export interface TradingColors {
  buy: string;
  sell: string;
  position: string;
  stop: string;
  target: string;
}

const TYPE_LABEL: Record<Order['type'], string> = { market: 'MKT', limit: 'LMT', stop: 'STP', 'stop-limit': 'STP LMT', 'trailing-stop': 'TRAIL' };

/** What lines an order stands for: its working price(s), or the legs it will place once it fills. */
export function orderLines(o: Order): Omit<TradingLine, 'line'>[] {
  const side = o.side.toUpperCase();
  const left = qty(o.quantity - o.filledQuantity);
  const out: Omit<TradingLine, 'line'>[] = [];
  // A child of a bracket protects a position: shown as its stop-loss or take-profit.
  const leg: TradingLineKind | undefined = o.parentId ? (o.type === 'limit' ? 'take-profit' : 'stop-loss') : undefined;
  if (o.limitPrice !== null && o.type !== 'stop' && o.type !== 'trailing-stop') {
    out.push({ kind: leg ?? 'order', orderId: o.id, field: 'limitPrice', price: o.limitPrice, title: leg === 'take-profit' ? `TP ${left}` : `${side} ${left} ${TYPE_LABEL[o.type]}` });
  }
  if (o.stopPrice !== null) {
    out.push({ kind: leg ?? 'order', orderId: o.id, field: 'stopPrice', price: o.stopPrice, title: leg === 'stop-loss' ? `SL ${left}` : `${side} ${left} ${TYPE_LABEL[o.type]}` });
  }
  // Protective legs asked for with an order that has not filled yet: where they will go. The app holds them until the
  // fill, so a drag moves them (orders.modify with the entry's id and the leg's new level).
  if (o.stopLoss !== null) out.push({ kind: 'stop-loss', orderId: o.id, field: 'stopLoss', price: o.stopLoss, title: `SL ${left} (on fill)` });
  if (o.takeProfit !== null) out.push({ kind: 'take-profit', orderId: o.id, field: 'takeProfit', price: o.takeProfit, title: `TP ${left} (on fill)` });
  return out;
}

export class TradingLines {
  private lines: TradingLine[] = [];
  /** Our own primitive, not lightweight-charts' markers plugin (chart/fill-markers says why). */
  private readonly markers = new FillMarkers();
  /** A line being dragged or awaiting confirmation keeps its new price through redraws (any order or fill event). */
  private held: { orderId: string; field: string; price: number } | undefined;
  private last: Parameters<TradingLines['update']> | undefined;

  constructor(private readonly series: ISeriesApi<'Candlestick'>, private readonly colors: TradingColors) {
    series.attachPrimitive(this.markers);
  }

  get current(): readonly TradingLine[] {
    return this.lines;
  }

  /** Redraws every line and marker of `symbol` (called when orders, positions or fills change, not per quote). */
  update(symbol: string, timeframe: Timeframe, orders: readonly Order[], positions: readonly Position[], fills: readonly Fill[], bars: readonly { time: number }[]): void {
    this.last = [symbol, timeframe, orders, positions, fills, bars];
    for (const l of this.lines) this.series.removePriceLine(l.line);
    const wanted: Omit<TradingLine, 'line'>[] = [];
    for (const o of orders) if (o.symbol === symbol && OPEN_ORDER_STATUSES.includes(o.status)) wanted.push(...orderLines(o));
    for (const p of positions) {
      if (p.symbol !== symbol || p.quantity === 0) continue;
      wanted.push({ kind: 'position', price: p.avgPrice, title: `POS ${p.quantity > 0 ? '+' : ''}${qty(p.quantity)}` });
    }
    const byOrder = new Map(orders.map((o) => [o.id, o]));
    const held = this.held;
    for (const w of wanted) if (held && w.orderId === held.orderId && w.field === held.field) w.price = held.price;
    this.lines = wanted.map((w) => {
      const side = w.orderId ? byOrder.get(w.orderId)?.side : undefined;
      const color = w.kind === 'position' ? this.colors.position : w.kind === 'stop-loss' ? this.colors.stop : w.kind === 'take-profit' ? this.colors.target : side === 'sell' ? this.colors.sell : this.colors.buy;
      const line = this.series.createPriceLine({
        price: w.price, color, title: w.title, lineWidth: w.kind === 'position' ? 2 : 1,
        lineStyle: w.kind === 'position' ? LineStyle.Solid : LineStyle.Dashed, axisLabelVisible: true,
      });
      return { ...w, line };
    });
    // A fill's marker sits on the bar of its time (markers must sit on a bar; fills older than the history are left out).
    const seconds = TIMEFRAME_SECONDS[timeframe];
    const first = bars[0]?.time ?? Infinity;
    const marks: FillMark[] = fills
      .filter((f) => f.symbol === symbol)
      .map((f) => ({ f, t: bucketStart(Math.floor(f.time / 1000), seconds) }))
      .filter(({ t }) => t >= first)
      .sort((a, b) => a.t - b.t)
      .map(({ f, t }) => ({ time: t, side: f.side, color: f.side === 'buy' ? this.colors.buy : this.colors.sell, text: `${f.side === 'buy' ? 'B' : 'S'} ${qty(f.quantity)}` }));
    this.markers.set(marks);
  }

  /** Moves an order's line to `price` and keeps it there until released. */
  hold(line: TradingLine, price: number): void {
    this.held = { orderId: line.orderId!, field: line.field!, price };
    for (const l of this.lines) if (l.orderId === line.orderId && l.field === line.field) l.line.applyOptions({ price });
  }

  /** Lets the lines show the orders' own prices again. */
  release(): void {
    this.held = undefined;
    if (this.last) this.update(...this.last);
  }

  /** The fill markers drawn at the last paint. */
  markerCount(): number {
    return this.markers.drawn;
  }

  /** The working order's line nearest y within `px` pixels, for a drag. */
  orderLineAt(y: number, px = 5): TradingLine | undefined {
    return this.orderLinesAt(y, px)[0];
  }

  /** Every working order's line within `px` pixels of y, nearest first (orders a few ticks apart share a few pixels). */
  orderLinesAt(y: number, px = 5): TradingLine[] {
    const near: { line: TradingLine; d: number }[] = [];
    for (const l of this.lines) {
      if (!l.orderId || !l.field) continue;
      const ly = this.series.priceToCoordinate(l.line.options().price);
      if (ly === null) continue;
      const d = Math.abs(ly - y);
      if (d <= px) near.push({ line: l, d });
    }
    return near.sort((a, b) => a.d - b.d).map((n) => n.line);
  }

  dispose(): void {
    for (const l of this.lines) this.series.removePriceLine(l.line);
    this.lines = [];
    this.series.detachPrimitive(this.markers);
  }
}
