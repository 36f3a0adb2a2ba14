// A marker per fill on the live chart: an arrow under the bar for a buy, over it for a sell, with its side and quantity.
// Drawn by a series primitive of our own rather than lightweight-charts' markers plugin: the plugin asks for a full
// update of the chart on every change of the series' data, so on a chart with fills each tick laid the chart out again
// and drew it a second time, a frame later (5.2.1 and 5.3.0; it also keeps asking after `detach`). This one asks for
// an update only when its marks change; the library redraws primitives with the series on every tick anyway.
import type { UTCTimestamp } from 'lightweight-charts';
import { CandlePrimitive } from './candle-primitive';

export interface FillMark {
  /** The start of the bar the fill falls in (UTC seconds). */
  time: number;
  side: 'buy' | 'sell';
  text: string;
  color: string;
}

/** Arrow height, gap to the bar and the line of text under/over it (CSS pixels). */
const ARROW = 7;
const GAP = 4;
const LINE = 13;

export class FillMarkers extends CandlePrimitive {
  private marks: readonly FillMark[] = [];
  /** How many marks the last paint drew (on a bar held by the series and in its price range; read by the e2e hook). */
  drawn = 0;

  set(marks: readonly FillMark[]): void {
    this.marks = marks;
    this.requestUpdate?.();
  }

  protected paint(ctx: CanvasRenderingContext2D): void {
    this.drawn = 0;
    if (!this.chart || !this.series || this.marks.length === 0) return;
    const ts = this.chart.timeScale();
    // Several fills on one bar and side stack away from it.
    const stacked = new Map<string, number>();
    ctx.save();
    ctx.font = '11px sans-serif';
    ctx.textAlign = 'center';
    for (const m of this.marks) {
      const x = ts.timeToCoordinate(m.time as UTCTimestamp);
      const index = ts.timeToIndex(m.time as UTCTimestamp, false);
      if (x === null || index === null) continue;
      const bar = this.series.dataByIndex(index) as { high?: number; low?: number } | null;
      if (bar?.high === undefined || bar.low === undefined) continue;
      const key = `${m.time}:${m.side}`;
      const n = stacked.get(key) ?? 0;
      stacked.set(key, n + 1);
      const buy = m.side === 'buy';
      const edge = this.series.priceToCoordinate(buy ? bar.low : bar.high);
      if (edge === null) continue;
      const dir = buy ? 1 : -1;
      const tip = edge + dir * (GAP + n * (ARROW + LINE + 2));
      const base = tip + dir * ARROW;
      ctx.fillStyle = m.color;
      ctx.beginPath();
      ctx.moveTo(x, tip);
      ctx.lineTo(x - ARROW * 0.7, base);
      ctx.lineTo(x + ARROW * 0.7, base);
      ctx.closePath();
      ctx.fill();
      ctx.textBaseline = buy ? 'top' : 'bottom';
      ctx.fillText(m.text, x, base + dir * 2);
      this.drawn++;
    }
    ctx.restore();
  }
}
