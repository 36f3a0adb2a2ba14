// Candlesticks and volume with lightweight-charts v5: history from main, then live updates from quotes; the trader's
// indicators, drawings, orders, position and fills on top (components/chart/). Several can be shown at once: each
// chart has an id (its indicators are saved under it) and may be given its own symbol and timeframe.
import { useEffect, useRef, useState, useSyncExternalStore } from 'react';
import {
  CandlestickSeries, createChart, HistogramSeries, LineSeries, LineStyle, TickMarkType, type IChartApi, type IPriceLine, type ISeriesApi, type Time, type UTCTimestamp,
} from 'lightweight-charts';
import { OPEN_ORDER_STATUSES, type Bar, type Order, type Quote, type Timeframe } from '../../src-shared/domain/types';
import { applyQuote } from '../../src-shared/domain/candles';
import { chartOptions, cssVar } from '../lib/chart-theme';
import { useShallow } from 'zustand/react/shallow';
import { useTerminal } from '../stores/terminal';
import {
  chartPriceFormat, qty, zoneInUse, EXCHANGE_ZONES, onTimeZoneChange, price, priceDecimals, setExchangeZone, setTimeZoneChoice, timeZoneChoice, type TimeZoneChoice,
} from '../lib/format';
import { columns, INDICATORS, loadIndicators, saveIndicators, type IndicatorConfig } from './chart/indicators';
import { IndicatorDialog } from './chart/IndicatorDialog';
import { DrawingsPrimitive, loadDrawings, saveDrawings, TOOL_LABELS, type Drawing, type DrawingTool, type Point } from './chart/drawings';
import { SessionShading } from './chart/session-shading';
import { EXTEND_AT, heldFrom, holdMore } from './chart/live-window';
import { TradingLines, type TradingLine } from './chart/trading-lines';
import { useTicketPrefill } from './chart/ticket-prefill';
import { modifyOrder } from './chart/order-modify';
import './chart/chart.css';

const PALETTE = ['#f5a623', '#4a90e2', '#bd10e0', '#50e3c2', '#e86c8a', '#9b9b2f'];

interface IndicatorSeries {
  config: IndicatorConfig;
  series: ISeriesApi<'Line' | 'Histogram'>[];
}

/** What the e2e tests read (window.__qcCharts[chartId]): the chart's own objects, not a copy of React state. */
export interface ChartProbe {
  panes(): number;
  indicators(): { id: string; kind: string; pane: number; lines: string[]; points: number }[];
  tradingLines(): { kind: string; title: string; price: number; orderId?: string }[];
  drawings(): Drawing[];
  markers(): number;
  shadedBars(): number;
  /** The chart's own time label (its localization.timeFormatter) for a UTC second. */
  timeLabel(time: number): string;
  /** Pixel y (in the chart element) of a price on the price pane. */
  priceY(price: number): number | null;
  /** The candles' closes and an indicator line's values as drawn (null where undefined), oldest first. */
  closes(): number[];
  /** The visible time range (UTC seconds) and logical range (bar indexes in the series). */
  view(): { from: number; to: number; logicalFrom: number; logicalTo: number } | null;
  values(id: string, line: number): (number | null)[];
}
declare global {
  interface Window {
    __qcCharts?: Record<string, ChartProbe>;
  }
}

function useTimeZoneChoice(): TimeZoneChoice {
  return useSyncExternalStore(onTimeZoneChange, timeZoneChoice);
}

/** Time-axis and crosshair labels in the chosen zone (the library's own are UTC). */
function timeFormatting(zone: string | undefined) {
  const f = (o: Intl.DateTimeFormatOptions) => new Intl.DateTimeFormat(undefined, { ...o, timeZone: zone });
  const year = f({ year: 'numeric' });
  const month = f({ month: 'short' });
  const day = f({ day: 'numeric', month: 'short' });
  const hm = f({ hour: '2-digit', minute: '2-digit' });
  const hms = f({ hour: '2-digit', minute: '2-digit', second: '2-digit' });
  const full = f({ weekday: 'short', day: 'numeric', month: 'short', year: '2-digit', hour: '2-digit', minute: '2-digit' });
  const at = (t: Time) => new Date((t as number) * 1000);
  return {
    localization: { timeFormatter: (t: Time) => full.format(at(t)) },
    timeScale: {
      tickMarkFormatter: (t: Time, type: TickMarkType) =>
        (type === TickMarkType.Year ? year : type === TickMarkType.Month ? month : type === TickMarkType.DayOfMonth ? day : type === TickMarkType.Time ? hm : hms).format(at(t)),
    },
  };
}

/** Back to the newest bar at once. Not `scrollToRealTime()`: its animation can be cut short by incoming bars on a busy
 * machine, which left the view (and the "Now" button) short of the newest bar. */
export function scrollToNow(chart: IChartApi): void {
  const ts = chart.timeScale();
  ts.scrollToPosition(ts.options().rightOffset, false);
}

/** Whether the newest bar is out of view. A few bars of slack: the right edge sits at a fractional index, and a new
 * bar may arrive during the scroll. */
const volColor = (b: Bar) => (b.close >= b.open ? cssVar('--up-dim') : cssVar('--down-dim'));

function isAwayFromNow(range: { to: number } | null, last: number): boolean {
  return range !== null && last > 0 && range.to < last - 3;
}

/** Without props it shows the store's symbol and timeframe; the workspace's charts pass their own, and `onChart` hands
 * the chart to the keyboard's time navigation. */
export function CandleChart({ chartId = 'main', symbol: symbolProp, timeframe: timeframeProp, onChart: onChartProp }: {
  chartId?: string; symbol?: string; timeframe?: Timeframe; onChart?: (chart: IChartApi | undefined) => void;
} = {}) {
  const container = useRef<HTMLDivElement>(null);
  const chart = useRef<IChartApi>(undefined);
  const candles = useRef<ISeriesApi<'Candlestick'>>(undefined);
  const volume = useRef<ISeriesApi<'Histogram'>>(undefined);
  const lastBar = useRef<Bar | undefined>(undefined);
  /** The bars the series hold, oldest first (the indicators are computed over them), and the loaded ones older than
   * those (chart/live-window). */
  const bars = useRef<Bar[]>([]);
  const older = useRef<Bar[]>([]);
  const indicatorSeries = useRef<IndicatorSeries[]>([]);
  const drawingsPrimitive = useRef<DrawingsPrimitive>(undefined);
  const hlines = useRef<IPriceLine[]>([]);
  const shading = useRef<SessionShading>(undefined);
  const trading = useRef<TradingLines>(undefined);
  // The legend: the bar under the crosshair (or the last one) and the close before it. A feed of its own, so a quote
  // re-renders the legend's few spans, not the chart component.
  const [legend] = useState(() => new LegendFeed());
  const hovering = useRef(false);
  /** The newest bar not handed to the chart yet: the quotes of one pushed batch are taken as they come, then handed
   * over once (`livePending`). */
  const liveBar = useRef<Bar | undefined>(undefined);
  const livePending = useRef(false);
  const extendFrame = useRef(0);
  // Shown when the newest bar is scrolled out of view.
  const [awayFromNow, setAwayFromNow] = useState(false);
  const store = useTerminal(useShallow((s) => ({ api: s.api, symbol: s.symbol, timeframe: s.timeframe, theme: s.theme, instruments: s.instruments, connected: s.connected })));
  const { api, theme, instruments, connected } = store;
  const symbol = symbolProp ?? store.symbol;
  const timeframe = timeframeProp ?? store.timeframe;
  const onChart = useRef(onChartProp);
  // While "Now" is shown, the view is re-checked twice a second: a scroll back to the newest bar whose last range
  // event was missed (seen on a loaded machine) must not leave the button up.
  useEffect(() => {
    if (!awayFromNow) return;
    const timer = setInterval(() => {
      const series = candles.current;
      const ts = chart.current?.timeScale();
      if (series && ts) setAwayFromNow(isAwayFromNow(ts.getVisibleLogicalRange(), series.data().length - 1));
    }, 500);
    return () => clearInterval(timer);
  }, [awayFromNow]);
  useEffect(() => {
    onChart.current = onChartProp;
  });
  // Only this symbol's positions: the accounts' pushes (new position objects for every symbol) must not redraw the lines.
  const { orders, fills } = useTerminal(useShallow((s) => ({ orders: s.orders, fills: s.fills })));
  const positions = useTerminal(useShallow((s) => s.positions.filter((p) => p.symbol === symbol)));
  const instrument = instruments.find((i) => i.symbol === symbol);
  // History comes from the active broker session: loaded once it is ready, again when it switches (paper ↔ IB) or is
  // ready again after a reconnect; never while it is not ready (IB paces identical history requests).
  const session = useTerminal((s) => (s.broker?.ready ? s.broker.broker : s.broker ? 'pending' : ''));
  // The account chosen on the ticket: when it trades on a market of its own (OANDA, cTrader...), the chart draws that
  // venue's candles and quotes. '' is the default account's market.
  const venueAccount = useTerminal((s) => {
    const chosen = s.accounts.find((a) => a.accountId === s.ticketAccount);
    return chosen && !chosen.onDefaultMarket ? chosen.accountId : '';
  });
  // Keyed by the request, so a new symbol, timeframe or session never shows an older request's failure.
  const [historyError, setHistoryError] = useState<{ key: string; message: string } | undefined>();
  const requestKey = `${symbol}|${timeframe}|${session}|${venueAccount}`;
  // Bumped when history is in: the trading lines' fill markers need the bars.
  const [historyVersion, setHistoryVersion] = useState(0);

  const [indicators, setIndicators] = useState<IndicatorConfig[]>(() => loadIndicators(chartId));
  const [dialog, setDialog] = useState(false);
  // Drawings belong to the symbol's prices: loaded again when the symbol changes.
  const [drawings, setDrawings] = useState<{ symbol: string; list: Drawing[] }>(() => ({ symbol, list: loadDrawings(symbol) }));
  if (drawings.symbol !== symbol) setDrawings({ symbol, list: loadDrawings(symbol) });
  const [tool, setTool] = useState<DrawingTool | undefined>();
  const pending = useRef<Point | undefined>(undefined);
  const [drawingsOpen, setDrawingsOpen] = useState(false);
  const [menu, setMenu] = useState<{ x: number; y: number; price: number; last: number | undefined; lines: TradingLine[] } | undefined>();
  // The quantity of a working order, changed from its line's menu: typed, then confirmed (`review`), then sent.
  const [qtyEdit, setQtyEdit] = useState<{ line: TradingLine; text: string; review?: boolean; error?: string; busy?: boolean } | undefined>();
  const [confirm, setConfirm] = useState<{ line: TradingLine; from: number; to: number; error?: string; busy?: boolean } | undefined>();
  const zoneChoice = useTimeZoneChoice();
  const requestPrefill = useTicketPrefill((s) => s.request);
  const tick = instrument?.tickSize ?? 0.01;
  const roundToTick = (p: number) => Number((Math.round(p / tick) * tick).toFixed(priceDecimals(tick)));

  // The test hook reads the drawings through a ref (it is created once per chart id).
  const drawingsRef = useRef(drawings);
  useEffect(() => {
    drawingsRef.current = drawings;
  }, [drawings]);

  function changeDrawings(list: Drawing[]): void {
    saveDrawings(symbol, list);
    setDrawings({ symbol, list });
  }

  useEffect(() => {
    const c = createChart(container.current!, chartOptions(theme));
    chart.current = c;
    onChart.current?.(c);
    candles.current = c.addSeries(CandlestickSeries, {
      upColor: cssVar('--up'), downColor: cssVar('--down'), borderVisible: false, wickUpColor: cssVar('--up'), wickDownColor: cssVar('--down'),
      lastValueVisible: true, priceLineVisible: true,
    });
    volume.current = c.addSeries(HistogramSeries, { priceScaleId: 'volume', priceFormat: { type: 'volume' }, lastValueVisible: false, priceLineVisible: false });
    c.priceScale('volume').applyOptions({ scaleMargins: { top: 0.82, bottom: 0 } });
    candles.current.priceScale().applyOptions({ scaleMargins: { top: 0.08, bottom: 0.22 } });
    const series = candles.current;
    const accent = cssVar('--accent') || '#4a90e2';
    shading.current = new SessionShading(theme === 'light' ? 'rgba(0, 0, 0, 0.05)' : 'rgba(255, 255, 255, 0.04)');
    series.attachPrimitive(shading.current);
    drawingsPrimitive.current = new DrawingsPrimitive({ line: accent, text: cssVar('--text-dim') });
    series.attachPrimitive(drawingsPrimitive.current);
    trading.current = new TradingLines(series, { buy: cssVar('--up'), sell: cssVar('--down'), position: accent, stop: cssVar('--down'), target: cssVar('--up') });
    c.subscribeCrosshairMove((param) => {
      const point = param.time !== undefined ? param.seriesData.get(series) : undefined;
      hovering.current = point !== undefined && 'open' in point;
      if (!hovering.current || param.logical === undefined) return showNewest(legend, bars.current, hovering.current);
      const p = point as unknown as { time: number; open: number; high: number; low: number; close: number };
      const prev = series.dataByIndex(param.logical - 1) as { close?: number } | null;
      legend.set({ bar: { time: p.time, open: p.open, high: p.high, low: p.low, close: p.close, volume: 0 }, prevClose: prev?.close });
    });
    c.timeScale().subscribeVisibleLogicalRangeChange((range) => {
      setAwayFromNow(isAwayFromNow(range, series.data().length - 1));
      // Not from inside the library's own notification: the series' data changes on the next frame.
      if (range && range.from < EXTEND_AT && older.current.length > 0 && !extendFrame.current) {
        extendFrame.current = requestAnimationFrame(() => {
          extendFrame.current = 0;
          holdOlder();
        });
      }
    });
    return () => {
      cancelAnimationFrame(extendFrame.current);
      extendFrame.current = 0;
      liveBar.current = undefined;
      trading.current?.dispose();
      trading.current = undefined;
      indicatorSeries.current = [];
      hlines.current = [];
      onChart.current?.(undefined);
      c.remove();
      chart.current = undefined;
    };
    // The chart is rebuilt per theme (its colours are read from CSS variables). holdOlder touches only refs.
    // eslint-disable-next-line react-hooks/exhaustive-deps
  }, [theme, legend]);

  useEffect(() => {
    if (!instrument) return;
    const d = priceDecimals(instrument.tickSize);
    candles.current?.applyOptions({ priceFormat: chartPriceFormat(d, instrument.tickSize) });
  }, [instrument, theme]);

  // Time zone: the chart's axis and crosshair in its own instrument's zone; the active chart's is the tables' (lib/format).
  const exchangeZone = instrument ? EXCHANGE_ZONES[instrument.session] : undefined;
  const zone = zoneInUse(zoneChoice, symbol, exchangeZone);
  const exchangeLabel = zoneInUse('exchange', symbol, exchangeZone).label;
  const active = symbol === store.symbol;
  useEffect(() => {
    if (active) setExchangeZone(symbol, exchangeZone);
  }, [active, symbol, exchangeZone]);
  useEffect(() => {
    chart.current?.applyOptions(timeFormatting(zone.zone));
  }, [zone.zone, theme]);

  // Out-of-session bars are shaded on intraday charts.
  useEffect(() => {
    shading.current?.setSession(timeframe === '1d' ? undefined : instrument?.session);
  }, [instrument, timeframe, theme]);

  /** Gives the series the bars held (candles, volume, indicators). */
  function setSeriesData(): void {
    const data = bars.current;
    candles.current?.setData(data.map((b) => ({ time: b.time as UTCTimestamp, open: b.open, high: b.high, low: b.low, close: b.close })));
    volume.current?.setData(data.map((b) => ({ time: b.time as UTCTimestamp, value: b.volume, color: volColor(b) })));
    computeIndicators(true);
  }

  /** The view nears the oldest bar held: more loaded bars join the series (chart/live-window; the view stays put). */
  function holdOlder(): void {
    if (older.current.length === 0) return;
    const next = holdMore(older.current, bars.current);
    older.current = next.older;
    bars.current = next.held;
    setSeriesData();
    setHistoryVersion((v) => v + 1);
  }

  /** Computes every indicator over the bars: all points (`full`) or only the newest (a live update). */
  function computeIndicators(full: boolean): void {
    const data = bars.current;
    if (data.length === 0) {
      for (const s of indicatorSeries.current) for (const x of s.series) x.setData([]);
      return;
    }
    const cols = columns(data);
    for (const { config, series } of indicatorSeries.current) {
      const lines = INDICATORS[config.kind].run(cols, config.params);
      lines.forEach((line, j) => {
        const s = series[j];
        if (!s) return;
        const point = (i: number) => {
          const v = line.values[i]!;
          const time = data[i]!.time as UTCTimestamp;
          if (Number.isNaN(v)) return { time };
          return line.histogram && config.kind === 'macd' ? { time, value: v, color: v >= 0 ? cssVar('--up-dim') : cssVar('--down-dim') } : { time, value: v };
        };
        if (full) s.setData(Array.from({ length: data.length }, (_, i) => point(i)));
        else s.update(point(data.length - 1));
      });
    }
  }

  // Indicators: series (and panes) rebuilt when the list or its parameters change; saved per chart.
  useEffect(() => {
    saveIndicators(chartId, indicators);
    const c = chart.current;
    if (!c) return;
    for (const s of indicatorSeries.current) for (const x of s.series) c.removeSeries(x);
    indicatorSeries.current = [];
    let pane = 0;
    let colour = 0;
    const hasVolumePane = indicators.some((i) => i.kind === 'volume');
    volume.current?.applyOptions({ visible: !hasVolumePane });
    for (const config of indicators) {
      const def = INDICATORS[config.kind];
      const paneIndex = def.overlay ? 0 : ++pane;
      const lines = def.run(columns([]), config.params);
      const series = lines.map((line, j) => {
        const color = PALETTE[(colour + j) % PALETTE.length]!;
        const common = { title: line.name, lastValueVisible: !def.overlay, priceLineVisible: false };
        return line.histogram
          ? c.addSeries(HistogramSeries, { ...common, color: config.kind === 'volume' ? cssVar('--text-dim') : color, priceFormat: config.kind === 'volume' ? { type: 'volume' } : undefined }, paneIndex)
          : c.addSeries(LineSeries, { ...common, color, lineWidth: 1, crosshairMarkerVisible: false }, paneIndex);
      });
      colour += lines.length;
      for (const g of def.guides ?? []) series[0]?.createPriceLine({ price: g, color: cssVar('--text-dim'), lineStyle: LineStyle.Dotted, lineWidth: 1, axisLabelVisible: false, title: '' });
      indicatorSeries.current.push({ config, series });
    }
    // Panes below the price share a third of the height.
    const panes = c.panes();
    if (panes.length > 1) {
      panes[0]!.setStretchFactor(Math.max(2, panes.length - 1) * 1.5);
      for (let i = 1; i < panes.length; i++) panes[i]!.setStretchFactor(1);
    }
    computeIndicators(true);
  }, [indicators, chartId, theme]);

  // Drawings: horizontal lines are price lines (with their axis label); the rest are drawn by the primitive.
  useEffect(() => {
    const s = candles.current;
    if (!s) return;
    for (const l of hlines.current) s.removePriceLine(l);
    const accent = cssVar('--accent') || '#4a90e2';
    hlines.current = drawings.list.flatMap((d) => (d.tool === 'hline' ? [s.createPriceLine({ price: d.price, color: accent, lineWidth: 1, lineStyle: LineStyle.Solid, axisLabelVisible: true, title: '' })] : []));
    drawingsPrimitive.current?.set(drawings.list);
  }, [drawings, theme]);

  // Orders, position and fills of the charted symbol. A managed or trailing stop's moves come as order events.
  useEffect(() => {
    trading.current?.update(symbol, timeframe, orders, positions, fills, bars.current);
  }, [symbol, timeframe, orders, positions, fills, theme, historyVersion]);

  useEffect(() => {
    if (!api || !connected || session === 'pending') return;
    let cancelled = false;
    // Quotes are applied once history is in (they would be overwritten by it); with no history (a broker that has none
    // for the symbol), the chart starts from the live quotes.
    let loaded = false;
    const key = `${symbol}|${timeframe}|${session}|${venueAccount}`;
    api.call('bars.history', { symbol, timeframe, limit: 2000, ...(venueAccount ? { accountId: venueAccount } : {}) }).then((history) => {
      if (cancelled || !candles.current) return;
      setHistoryError(undefined);
      const from = heldFrom(history, loadDrawings(symbol));
      older.current = history.slice(0, from);
      bars.current = history.slice(from);
      setSeriesData();
      lastBar.current = history[history.length - 1];
      loaded = true;
      setHistoryVersion((v) => v + 1);
      chart.current?.timeScale().scrollToRealTime();
      showNewest(legend, bars.current, hovering.current);
    }, (err: unknown) => {
      if (cancelled) return;
      // Without history the chart still follows the live quotes; the reason is shown over it.
      older.current = [];
      bars.current = [];
      setSeriesData();
      lastBar.current = undefined;
      loaded = true;
      showNewest(legend, bars.current, hovering.current);
      setHistoryError({ key, message: err instanceof Error ? err.message : String(err) });
    });
    /** Draws the newest bar (and the indicators and legend that follow it). */
    const draw = (bar: Bar) => {
      candles.current?.update({ time: bar.time as UTCTimestamp, open: bar.open, high: bar.high, low: bar.low, close: bar.close });
      volume.current?.update({ time: bar.time as UTCTimestamp, value: bar.volume, color: volColor(bar) });
    };
    const onQuote = (q: Quote) => {
      if (q.symbol !== symbol || !candles.current || !loaded) return;
      const bar = applyQuote(lastBar.current, q, timeframe);
      if (!bar) return;
      const data = bars.current;
      if (data.length > 0 && data[data.length - 1]!.time === bar.time) data[data.length - 1] = bar;
      else data.push(bar);
      lastBar.current = bar;
      // A bar that closed before being drawn is drawn now, in its final state: the chart must not lose it.
      if (liveBar.current && liveBar.current.time !== bar.time) draw(liveBar.current);
      liveBar.current = bar;
      // The chart, its indicators and the legend follow once per pushed batch, however many of its quotes are this
      // symbol's. Not in an animation frame of ours: the library draws in a frame it requests on update, and one
      // requested from inside a frame callback runs a frame later (a frame of latency on every tick).
      if (livePending.current) return;
      livePending.current = true;
      queueMicrotask(() => {
        livePending.current = false;
        const pending = liveBar.current;
        liveBar.current = undefined;
        if (!pending || cancelled) return;
        draw(pending);
        if (indicatorSeries.current.length > 0) computeIndicators(false);
        showNewest(legend, bars.current, hovering.current);
      });
    };
    const off = venueAccount
      ? api.on('account.quote', ({ accountIds, quote }) => {
        if (accountIds.includes(venueAccount)) onQuote(quote);
      })
      : api.on('quote', onQuote);
    return () => {
      cancelled = true;
      liveBar.current = undefined;
      off();
    };
    // setSeriesData touches only refs.
    // eslint-disable-next-line react-hooks/exhaustive-deps
  }, [api, connected, symbol, timeframe, theme, session, legend, venueAccount]);

  // The test hook: reads the chart's own series, panes and lines.
  useEffect(() => {
    const probe: ChartProbe = {
      panes: () => chart.current?.panes().length ?? 0,
      indicators: () => indicatorSeries.current.map(({ config, series }) => ({
        id: config.id, kind: config.kind, pane: series[0]?.getPane().paneIndex() ?? -1, lines: series.map((s) => s.options().title), points: series[0]?.data().length ?? 0,
      })),
      tradingLines: () => (trading.current?.current ?? []).map((l) => ({ kind: l.kind, title: l.line.options().title, price: l.line.options().price, orderId: l.orderId })),
      drawings: () => drawingsRef.current.list,
      markers: () => trading.current?.markerCount() ?? 0,
      shadedBars: () => shading.current?.shaded ?? 0,
      timeLabel: (t) => {
        const f = chart.current?.options().localization.timeFormatter;
        return f ? f(t as UTCTimestamp) : '';
      },
      priceY: (p) => candles.current?.priceToCoordinate(p) ?? null,
      closes: () => (candles.current?.data() ?? []).map((d) => (d as { close: number }).close),
      view: () => {
        const ts = chart.current?.timeScale();
        const t = ts?.getVisibleRange();
        const l = ts?.getVisibleLogicalRange();
        return t && l ? { from: t.from as number, to: t.to as number, logicalFrom: l.from, logicalTo: l.to } : null;
      },
      values: (id, line) => {
        const s = indicatorSeries.current.find((x) => x.config.id === id)?.series[line];
        // The series holds no whitespace points: its values are aligned to the candles by time.
        const byTime = new Map((s?.data() ?? []).map((d) => [d.time as number, 'value' in d ? d.value : null]));
        return (candles.current?.data() ?? []).map((d) => byTime.get(d.time as number) ?? null);
      },
    };
    (window.__qcCharts ??= {})[chartId] = probe;
    return () => {
      if (window.__qcCharts?.[chartId] === probe) delete window.__qcCharts[chartId];
    };
  }, [chartId]);

  // Esc leaves a drawing tool and closes the menus.
  useEffect(() => {
    const onKey = (e: KeyboardEvent) => {
      if (e.key !== 'Escape') return;
      pending.current = undefined;
      setTool(undefined);
      setMenu(undefined);
      setDrawingsOpen(false);
      setQtyEdit(undefined);
    };
    window.addEventListener('keydown', onKey);
    return () => window.removeEventListener('keydown', onKey);
  }, []);

  // Drawing clicks are read from the DOM: the chart's own click event swallows a second click that comes soon after the
  // first (it waits for a double click), which is how a two-point drawing is made.
  const downAt = useRef<{ x: number; y: number } | undefined>(undefined);
  function drawClick(e: React.MouseEvent<HTMLDivElement>): void {
    const s = candles.current;
    const c = chart.current;
    const start = downAt.current;
    if (!tool || !s || !c || (start && Math.abs(start.x - e.clientX) + Math.abs(start.y - e.clientY) > 5)) return;
    const box = container.current!.getBoundingClientRect();
    const x = e.clientX - box.left;
    const p = s.coordinateToPrice(e.clientY - box.top);
    const at = timeAtX(x);
    if (p === null || at === undefined) return;
    const point = { time: at, price: p };
    const id = newDrawingId();
    if (tool === 'hline') {
      changeDrawings([...drawings.list, { id, tool: 'hline', price: p }]);
      setTool(undefined);
    } else if (!pending.current) {
      pending.current = point;
    } else {
      changeDrawings([...drawings.list, { id, tool, a: pending.current, b: point }]);
      pending.current = undefined;
      setTool(undefined);
    }
  }

  /** The time at x: a bar's, or past the newest bar by the data's bar spacing (drawings may reach into the future). */
  function timeAtX(x: number): number | undefined {
    const ts = chart.current!.timeScale();
    const t = ts.coordinateToTime(x);
    if (t !== null) return t as number;
    const logical = ts.coordinateToLogical(x);
    const data = candles.current!.data();
    if (logical === null || data.length < 2) return undefined;
    const first = data[0]!.time as number;
    const last = data[data.length - 1]!.time as number;
    return Math.round(last + (logical - (data.length - 1)) * ((last - first) / (data.length - 1)));
  }

  /** Drag of a working order's line: the line follows the pointer; releasing asks for confirmation. */
  function startDrag(e: React.PointerEvent<HTMLDivElement>): void {
    downAt.current = { x: e.clientX, y: e.clientY };
    if (e.button !== 0 || tool || !trading.current || !candles.current || !chart.current) return;
    const box = container.current!.getBoundingClientRect();
    const line = trading.current.orderLineAt(e.clientY - box.top);
    if (!line) return;
    e.preventDefault();
    e.stopPropagation();
    const c = chart.current;
    const s = candles.current;
    c.applyOptions({ handleScroll: false, handleScale: false });
    const from = line.price;
    let to = from;
    const move = (ev: PointerEvent) => {
      const p = s.coordinateToPrice(ev.clientY - box.top);
      if (p === null) return;
      to = roundToTick(p);
      trading.current?.hold(line, to);
    };
    const up = () => {
      window.removeEventListener('pointermove', move);
      window.removeEventListener('pointerup', up);
      c.applyOptions({ handleScroll: true, handleScale: true });
      if (to !== from) setConfirm({ line, from, to });
      else trading.current?.release();
    };
    window.addEventListener('pointermove', move);
    window.addEventListener('pointerup', up);
  }

  async function confirmModify(): Promise<void> {
    if (!confirm || !api || !confirm.line.orderId) return;
    setConfirm({ ...confirm, busy: true, error: undefined });
    try {
      const field = confirm.line.field;
      // A leg that waits for its entry's fill is moved on the entry; an order's own line moves its price.
      await modifyOrder(api, field === 'stopLoss' || field === 'takeProfit' ? { orderId: confirm.line.orderId, [field]: confirm.to } : { orderId: confirm.line.orderId, price: confirm.to });
      // The order's event has the new price (or, on a venue that modifies asynchronously, will have it).
      trading.current?.release();
      setConfirm(undefined);
    } catch (err) {
      setConfirm({ ...confirm, busy: false, error: err instanceof Error ? err.message : String(err) });
    }
  }

  async function sendQuantity(quantity: number): Promise<void> {
    if (!qtyEdit || !api || !qtyEdit.line.orderId) return;
    setQtyEdit({ ...qtyEdit, busy: true, error: undefined });
    try {
      await modifyOrder(api, { orderId: qtyEdit.line.orderId, quantity });
      setQtyEdit(undefined);
    } catch (err) {
      setQtyEdit({ ...qtyEdit, busy: false, review: false, error: err instanceof Error ? err.message : String(err) });
    }
  }

  function cancelModify(): void {
    trading.current?.release();
    setConfirm(undefined);
  }

  function openMenu(e: React.MouseEvent<HTMLDivElement>): void {
    const s = candles.current;
    if (!s) return;
    const box = container.current!.getBoundingClientRect();
    const p = s.coordinateToPrice(e.clientY - box.top);
    if (p === null) return;
    e.preventDefault();
    // On working orders' lines (not protective legs: their size follows the position), the menu offers each one's
    // quantity: every line within a few pixels, so orders a few ticks apart can each be reached.
    const lines = (trading.current?.orderLinesAt(e.clientY - box.top) ?? []).filter((l) => l.kind === 'order');
    setMenu({ x: e.clientX - box.left, y: e.clientY - box.top, price: roundToTick(p), last: lastBar.current?.close, lines });
  }

  function hoverCursor(e: React.PointerEvent<HTMLDivElement>): void {
    if (!trading.current || tool) return;
    const box = container.current!.getBoundingClientRect();
    container.current!.style.cursor = trading.current.orderLineAt(e.clientY - box.top) ? 'ns-resize' : '';
  }

  return (
    <div className="chart" data-chart-id={chartId}>
      <div className="chart-canvas" ref={container} role="img" aria-label={`${symbol} ${timeframe} candlestick chart`}
        onPointerDownCapture={startDrag} onPointerMove={hoverCursor} onClick={drawClick} onContextMenu={openMenu} />
      <Legend feed={legend} tick={tick} />
      <div className="chart-tools" role="toolbar" aria-label="Chart tools" onPointerDownCapture={(e) => e.stopPropagation()} onContextMenu={(e) => e.stopPropagation()}>
        <button type="button" className="small" aria-pressed={dialog} onClick={() => setDialog(!dialog)}>Indicators{indicators.length ? ` (${indicators.length})` : ''}</button>
        {(Object.keys(TOOL_LABELS) as DrawingTool[]).map((t) => (
          <button key={t} type="button" className="small" aria-pressed={tool === t} title={TOOL_LABELS[t]} aria-label={TOOL_LABELS[t]}
            onClick={() => {
              pending.current = undefined;
              setTool(tool === t ? undefined : t);
            }}>{TOOL_ICONS[t]}</button>
        ))}
        <button type="button" className="small" aria-expanded={drawingsOpen} onClick={() => setDrawingsOpen(!drawingsOpen)}>Drawings ({drawings.list.length})</button>
        <select aria-label="Time zone" aria-description={zone.why} title={`Times in ${zone.why}`} className={`small${zone.fallback ? ' zone-fallback' : ''}`} value={zoneChoice}
          onChange={(e) => setTimeZoneChoice(e.target.value as TimeZoneChoice)}>
          <option value="exchange">Exchange ({exchangeLabel})</option>
          <option value="local">Local</option>
          <option value="utc">UTC</option>
        </select>
      </div>
      {tool && <div className="chart-hint" role="status">{TOOL_LABELS[tool]}: {tool === 'hline' ? 'click a price' : 'click two points'} · Esc cancels</div>}
      {drawingsOpen && (
        <div className="chart-dialog panel chart-drawings" role="dialog" aria-label="Drawings" onPointerDownCapture={(e) => e.stopPropagation()}>
          {drawings.list.length === 0 && <p className="dim">No drawings on {symbol}.</p>}
          {drawings.list.map((d) => (
            <div key={d.id} className="chart-dialog-row">
              <span>{drawingText(d, tick)}</span>
              <button type="button" className="small" aria-label={`Delete ${drawingText(d, tick)}`} onClick={() => changeDrawings(drawings.list.filter((x) => x.id !== d.id))}>Delete</button>
            </div>
          ))}
          {drawings.list.length > 1 && <button type="button" className="small" onClick={() => changeDrawings([])}>Delete all</button>}
        </div>
      )}
      {dialog && <div onPointerDownCapture={(e) => e.stopPropagation()}><IndicatorDialog list={indicators} onChange={setIndicators} onClose={() => setDialog(false)} /></div>}
      {menu && (
        <ul className="chart-menu panel" role="menu" aria-label="Chart menu" style={{ left: menu.x, top: menu.y }} onPointerDownCapture={(e) => e.stopPropagation()}>
          {menu.lines.map((line) => (
            <li key={`${line.orderId}:${line.field}`} role="menuitem" tabIndex={-1} onClick={() => {
              const o = orders.find((x) => x.id === line.orderId);
              setQtyEdit({ line, text: o ? String(o.quantity) : '' });
              setMenu(undefined);
            }}>Change quantity of {line.title}{menu.lines.length > 1 ? ` at ${price(line.price, tick)}` : ''}…</li>
          ))}
          {(['limit', 'stop'] as const).map((type) => (
            <li key={type} role="menuitem" tabIndex={-1} onClick={() => {
              requestPrefill({ symbol, type, price: menu.price });
              setMenu(undefined);
            }}>
              {type === 'limit' ? 'Limit' : 'Stop'} order at {price(menu.price, tick)}{menu.last !== undefined ? ` (${menu.price < menu.last === (type === 'limit') ? 'buy' : 'sell'})` : ''}…
            </li>
          ))}
          <li role="menuitem" tabIndex={-1} onClick={() => {
            changeDrawings([...drawings.list, { id: newDrawingId(), tool: 'hline', price: menu.price }]);
            setMenu(undefined);
          }}>Horizontal line at {price(menu.price, tick)}</li>
          <li role="menuitem" tabIndex={-1} onClick={() => setMenu(undefined)}>Cancel</li>
        </ul>
      )}
      {confirm && (
        <div className="chart-dialog panel chart-confirm" role="dialog" aria-label="Modify order" onPointerDownCapture={(e) => e.stopPropagation()}>
          <p>Move <b>{confirm.line.title}</b> from {price(confirm.from, tick)} to <b>{price(confirm.to, tick)}</b>?</p>
          {confirm.error && <p className="neg" role="alert">{confirm.error}</p>}
          <div className="chart-dialog-head">
            <button type="button" className="small" disabled={confirm.busy} onClick={() => void confirmModify()}>Modify</button>
            <button type="button" className="small" onClick={cancelModify}>Cancel</button>
          </div>
        </div>
      )}
      {qtyEdit && <QuantityDialog edit={qtyEdit} order={orders.find((o) => o.id === qtyEdit.line.orderId)} onChange={setQtyEdit}
        onSend={(quantity) => void sendQuantity(quantity)} />}
      {historyError?.key === requestKey && <div className="chart-note" role="note">No history: {historyError.message}</div>}
      {awayFromNow && <button type="button" className="to-now small" onClick={() => chart.current && scrollToNow(chart.current)}>Now ⇥</button>}
    </div>
  );
}

const newDrawingId = () => crypto.randomUUID();

function showNewest(legend: LegendFeed, bars: readonly Bar[], hovering: boolean): void {
  if (hovering) return;
  legend.set(bars.length > 0 ? { bar: bars[bars.length - 1]!, prevClose: bars[bars.length - 2]?.close } : undefined);
}

/** What the legend shows; set by the chart's events, read by the Legend component alone. */
class LegendFeed {
  private value: { bar: Bar; prevClose: number | undefined } | undefined;
  private readonly listeners = new Set<() => void>();
  readonly get = () => this.value;
  readonly subscribe = (f: () => void) => {
    this.listeners.add(f);
    return () => void this.listeners.delete(f);
  };
  set(value: { bar: Bar; prevClose: number | undefined } | undefined): void {
    const v = this.value;
    if (v === value || (v && value && v.bar === value.bar && v.prevClose === value.prevClose)) return;
    this.value = value;
    this.listeners.forEach((f) => f());
  }
}

const TOOL_ICONS: Record<DrawingTool, string> = { hline: '―', trend: '╱', rect: '▭', fib: 'Fib' };

function drawingText(d: Drawing, tick: number): string {
  return d.tool === 'hline' ? `Horizontal line ${price(d.price, tick)}` : `${TOOL_LABELS[d.tool]} ${price(d.a.price, tick)} → ${price(d.b.price, tick)}`;
}

type QuantityEdit = { line: TradingLine; text: string; review?: boolean; error?: string; busy?: boolean };

/** A working order's new quantity: typed and checked (above what has filled, not the same), then spelled out for
 * confirmation before it is sent. */
function QuantityDialog({ edit, order, onChange, onSend }: {
  edit: QuantityEdit; order: Order | undefined; onChange: (e: QuantityEdit | undefined) => void; onSend: (quantity: number) => void;
}) {
  const n = Number(edit.text);
  const problem = !order || !OPEN_ORDER_STATUSES.includes(order.status) ? 'The order is no longer working'
    : edit.text.trim() === '' || !(n > 0) ? 'Enter a quantity above 0'
      : !(n > order.filledQuantity) ? `Enter a quantity above the ${qty(order.filledQuantity)} filled`
        : n === order.quantity ? 'Nothing changed' : undefined;
  return (
    <div className="chart-dialog panel chart-confirm" role="dialog" aria-label="Modify quantity" onPointerDownCapture={(e) => e.stopPropagation()}>
      {!edit.review ? (
        <form onSubmit={(e) => {
          e.preventDefault();
          if (!problem) onChange({ ...edit, review: true, error: undefined });
        }}>
          <label>Quantity of <b>{edit.line.title}</b>{' '}
            <input aria-label="New quantity" autoFocus inputMode="decimal" value={edit.text} onChange={(e) => onChange({ ...edit, text: e.target.value, error: undefined })} />
          </label>
          {edit.error ? <p className="neg" role="alert">{edit.error}</p> : problem && edit.text !== String(order?.quantity ?? '') && <p className="dim">{problem}</p>}
          <div className="chart-dialog-head">
            <button type="submit" className="small" disabled={problem !== undefined}>Review</button>
            <button type="button" className="small" onClick={() => onChange(undefined)}>Cancel</button>
          </div>
        </form>
      ) : (
        <>
          <p>Change <b>{edit.line.title}</b> from {qty(order?.quantity ?? 0)} to <b>{qty(n)}</b>?</p>
          <div className="chart-dialog-head">
            <button type="button" className="small" disabled={edit.busy || problem !== undefined} onClick={() => onSend(n)}>Modify</button>
            <button type="button" className="small" onClick={() => onChange({ ...edit, review: false })}>Back</button>
          </div>
        </>
      )}
    </div>
  );
}

/** O H L C of a bar and its change from the close before it, over the chart's top-left corner. */
function Legend({ feed, tick }: { feed: LegendFeed; tick: number }) {
  const shown = useSyncExternalStore(feed.subscribe, feed.get);
  if (!shown) return null;
  const { bar, prevClose } = shown;
  const change = prevClose !== undefined ? bar.close - prevClose : undefined;
  const tone = change === undefined || change === 0 ? '' : change > 0 ? 'pos' : 'neg';
  return (
    <div className="chart-legend" role="status" aria-label="Bar under the crosshair">
      <span className="dim">O</span> {price(bar.open, tick)} <span className="dim">H</span> {price(bar.high, tick)} <span className="dim">L</span> {price(bar.low, tick)}{' '}
      <span className="dim">C</span> <span className={tone}>{price(bar.close, tick)}</span>
      {change !== undefined && prevClose ? <span className={tone}> {change > 0 ? '+' : ''}{price(change, tick)} ({change > 0 ? '+' : ''}{((change / prevClose) * 100).toFixed(2)} %)</span> : null}
    </div>
  );
}
