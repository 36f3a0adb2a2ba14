// What the chart's own series primitives (drawings, session shading, fill markers) share: the chart and candle series
// they are attached to, the library's update request, and one pane view that paints in CSS pixels.
import type { IChartApi, ISeriesApi, ISeriesPrimitive, IPrimitivePaneRenderer, IPrimitivePaneView, SeriesAttachedParameter, Time } from 'lightweight-charts';

type Target = Parameters<IPrimitivePaneRenderer['draw']>[0];

export abstract class CandlePrimitive implements ISeriesPrimitive<Time> {
  protected chart: IChartApi | undefined;
  protected series: ISeriesApi<'Candlestick'> | undefined;
  protected requestUpdate: (() => void) | undefined;
  private readonly views: readonly IPrimitivePaneView[];

  /** `bottom`: painted under the series (a background); otherwise over it. */
  constructor(layer: 'top' | 'bottom' = 'top') {
    const paint = (target: Target) => target.useMediaCoordinateSpace(({ context, mediaSize }) => this.paint(context, mediaSize));
    const renderer: IPrimitivePaneRenderer = layer === 'bottom' ? { draw: () => undefined, drawBackground: paint } : { draw: paint };
    this.views = [layer === 'bottom' ? { renderer: () => renderer, zOrder: () => 'bottom' } : { renderer: () => renderer }];
  }

  protected abstract paint(ctx: CanvasRenderingContext2D, size: { width: number; height: number }): void;

  attached(p: SeriesAttachedParameter<Time>): void {
    this.chart = p.chart as IChartApi;
    this.series = p.series as ISeriesApi<'Candlestick'>;
    this.requestUpdate = p.requestUpdate;
  }
  detached(): void {
    this.chart = undefined;
    this.series = undefined;
    this.requestUpdate = undefined;
  }
  paneViews(): readonly IPrimitivePaneView[] {
    return this.views;
  }
}
