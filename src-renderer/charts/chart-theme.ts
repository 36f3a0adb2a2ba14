// Chart colours per theme, read from the CSS variables so charts and the rest of the UI always agree.
import { ColorType, CrosshairMode, type ChartOptions, type DeepPartial } from 'lightweight-charts';
import type { Theme } from '../../src-shared/api/contract';

export function cssVar(name: string): string {
  return getComputedStyle(document.documentElement).getPropertyValue(name).trim();
}

export interface ChartColors {
  panel: string; text: string; grid: string; border: string; crosshair: string; font: string;
  up: string; down: string; upDim: string; downDim: string; accent: string; accentDim: string;
}

/** The current theme's colours; the store sets `data-theme` before React re-renders, so effects read the new theme. */
export function chartColors(): ChartColors {
  return {
    panel: cssVar('--panel'), text: cssVar('--text-dim'), grid: cssVar('--grid'), border: cssVar('--border'), crosshair: cssVar('--crosshair'),
    font: cssVar('--font'), up: cssVar('--up'), down: cssVar('--down'), upDim: cssVar('--up-dim'), downDim: cssVar('--down-dim'),
    accent: cssVar('--accent'), accentDim: cssVar('--accent-dim'),
  };
}

/** `theme` only documents the dependency: the colours come from the CSS of the theme in force. */
export function chartOptions(_theme?: Theme, c: ChartColors = chartColors()): DeepPartial<ChartOptions> {
  return {
    // autoSize follows the container with a ResizeObserver.
    autoSize: true,
    layout: { background: { type: ColorType.Solid, color: c.panel }, textColor: c.text, fontFamily: c.font, fontSize: 11, attributionLogo: true },
    grid: { vertLines: { color: c.grid }, horzLines: { color: c.grid } },
    rightPriceScale: { borderColor: c.border },
    timeScale: { borderColor: c.border, timeVisible: true, secondsVisible: false },
    crosshair: {
      mode: CrosshairMode.Normal,
      vertLine: { color: c.crosshair, labelBackgroundColor: c.border },
      horzLine: { color: c.crosshair, labelBackgroundColor: c.border },
    },
  };
}
