// The trader's drawings on a symbol's chart (horizontal line, trend line, rectangle, Fibonacci retracement), saved per
// symbol, and the series primitive that draws the two-point ones (horizontal lines are the series' own price lines).
import type { UTCTimestamp } from 'lightweight-charts';
import { CandlePrimitive } from './candle-primitive';

export type DrawingTool = 'hline' | 'trend' | 'rect' | 'fib';
export interface Point {
  time: number;
  price: number;
}
export type Drawing =
  | { id: string; tool: 'hline'; price: number }
  | { id: string; tool: 'trend' | 'rect' | 'fib'; a: Point; b: Point };

export const TOOL_LABELS: Record<DrawingTool, string> = { hline: 'Horizontal line', trend: 'Trend line', rect: 'Rectangle', fib: 'Fibonacci retracement' };
export const FIB_LEVELS = [0, 0.236, 0.382, 0.5, 0.618, 0.786, 1];

const key = (symbol: string) => `qc.chart.drawings.${symbol}`;
const isPoint = (p: unknown): p is Point => typeof (p as Point)?.time === 'number' && Number.isFinite((p as Point).price);

export function loadDrawings(symbol: string): Drawing[] {
  try {
    const raw: unknown = JSON.parse(localStorage.getItem(key(symbol)) ?? '[]');
    if (!Array.isArray(raw)) return [];
    return raw.filter((d): d is Drawing => {
      const x = d as Drawing;
      if (typeof x?.id !== 'string') return false;
      return x.tool === 'hline' ? Number.isFinite(x.price) : ['trend', 'rect', 'fib'].includes(x.tool) && isPoint(x.a) && isPoint(x.b);
    });
  } catch {
    return [];
  }
}

export function saveDrawings(symbol: string, list: readonly Drawing[]): void {
  localStorage.setItem(key(symbol), JSON.stringify(list));
}

export interface DrawingColors {
  line: string;
  text: string;
}

/** Draws trend lines, rectangles and Fibonacci levels (and the one being drawn) over the price pane. */
export class DrawingsPrimitive extends CandlePrimitive {
  private drawings: Drawing[] = [];

  constructor(private colors: DrawingColors) {
    super();
  }

  set(drawings: Drawing[]): void {
    this.drawings = drawings;
    this.requestUpdate?.();
  }

  private x(time: number): number | null {
    const ts = this.chart!.timeScale();
    const direct = ts.timeToCoordinate(time as UTCTimestamp);
    if (direct !== null) return direct;
    // A point past the newest bar (drawn into the future) or before the oldest: placed by its logical index.
    const data = this.series!.data();
    if (data.length < 2) return null;
    const first = data[0]!.time as number;
    const last = data[data.length - 1]!.time as number;
    const step = (last - first) / (data.length - 1);
    const logical = time > last ? data.length - 1 + (time - last) / step : (time - first) / step;
    return ts.logicalToCoordinate(logical as never);
  }

  protected paint(ctx: CanvasRenderingContext2D): void {
    if (!this.chart || !this.series) return;
    ctx.save();
    ctx.lineWidth = 1.5;
    ctx.strokeStyle = this.colors.line;
    ctx.font = '11px sans-serif';
    for (const d of this.drawings) {
      if (d.tool === 'hline') continue;
      const x1 = this.x(d.a.time);
      const x2 = this.x(d.b.time);
      const y1 = this.series.priceToCoordinate(d.a.price);
      const y2 = this.series.priceToCoordinate(d.b.price);
      if (x1 === null || x2 === null || y1 === null || y2 === null) continue;
      if (d.tool === 'trend') {
        ctx.beginPath();
        ctx.moveTo(x1, y1);
        ctx.lineTo(x2, y2);
        ctx.stroke();
      } else if (d.tool === 'rect') {
        // The area tinted with the line's colour (canvas has no color-mix).
        ctx.globalAlpha = 0.15;
        ctx.fillStyle = this.colors.line;
        ctx.fillRect(Math.min(x1, x2), Math.min(y1, y2), Math.abs(x2 - x1), Math.abs(y2 - y1));
        ctx.globalAlpha = 1;
        ctx.strokeRect(Math.min(x1, x2), Math.min(y1, y2), Math.abs(x2 - x1), Math.abs(y2 - y1));
      } else {
        // Retracement levels from the move's end (b) back towards its start (a), as traders read them.
        const left = Math.min(x1, x2);
        const right = Math.max(x1, x2);
        for (const level of FIB_LEVELS) {
          const p = d.b.price - (d.b.price - d.a.price) * level;
          const y = this.series.priceToCoordinate(p);
          if (y === null) continue;
          ctx.beginPath();
          ctx.moveTo(left, y);
          ctx.lineTo(right, y);
          ctx.stroke();
          ctx.fillStyle = this.colors.text;
          ctx.fillText(`${(level * 100).toFixed(1)} %  ${this.series.priceFormatter().format(p)}`, left + 4, y - 3);
        }
      }
    }
    ctx.restore();
  }
}
