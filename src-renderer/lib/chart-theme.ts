// Chart colours per theme, read from the CSS variables so charts and the rest of the UI always agree.
import { ColorType, type DeepPartial, type ChartOptions } from 'lightweight-charts';
import type { Theme } from '../../src-shared/api/contract';

export function cssVar(name: string): string {
  return getComputedStyle(document.documentElement).getPropertyValue(name).trim();
}

export function chartOptions(_theme: Theme): DeepPartial<ChartOptions> {
  const text = cssVar('--text-dim');
  const grid = cssVar('--grid');
  return {
    autoSize: true,
    layout: { background: { type: ColorType.Solid, color: cssVar('--panel') }, textColor: text, fontFamily: cssVar('--font') },
    grid: { vertLines: { color: grid }, horzLines: { color: grid } },
    rightPriceScale: { borderColor: grid },
    timeScale: { borderColor: grid, timeVisible: true, secondsVisible: false },
    crosshair: { mode: 0 },
  };
}
