// Shades the bars that fall outside the instrument's trading session (pre/post-market, weekends) on intraday charts.
import type { SessionKind } from '../../../src-shared/domain/types';
import { isSessionOpen } from '../../../src-shared/domain/sessions';
import { CandlePrimitive } from './candle-primitive';

export class SessionShading extends CandlePrimitive {
  private session: SessionKind | undefined;
  /** Open or not, by bar time: the chart repaints on every quote, the bars' answers do not change. */
  private readonly openAt = new Map<number, boolean>();
  /** How many bars were shaded at the last paint (read by the e2e hook). */
  shaded = 0;

  constructor(private color: string) {
    super('bottom');
  }

  /** The session to shade against; undefined (daily bars, unknown instrument): nothing is shaded. */
  setSession(session: SessionKind | undefined): void {
    this.session = session;
    this.openAt.clear();
    this.requestUpdate?.();
  }

  protected paint(ctx: CanvasRenderingContext2D, { height }: { height: number }): void {
    this.shaded = 0;
    if (!this.chart || !this.series || !this.session || this.session === 'crypto-24x7') return;
    const ts = this.chart.timeScale();
    const range = ts.getVisibleLogicalRange();
    if (!range) return;
    const spacing = ts.options().barSpacing;
    ctx.fillStyle = this.color;
    const from = Math.max(0, Math.floor(range.from));
    const to = Math.ceil(range.to);
    for (let i = from; i <= to; i++) {
      const bar = this.series.dataByIndex(i);
      if (!bar) break;
      const t = bar.time as number;
      let open = this.openAt.get(t);
      if (open === undefined) {
        if (this.openAt.size > 20_000) this.openAt.clear();
        this.openAt.set(t, (open = isSessionOpen(this.session, t * 1000)));
      }
      if (open) continue;
      const x = ts.logicalToCoordinate(i as never);
      if (x === null) continue;
      ctx.fillRect(x - spacing / 2, 0, spacing, height);
      this.shaded++;
    }
  }
}
