// The chart screen's workspace (issue 15): one, two or four charts, each with its own symbol and timeframe, the active
// one (which the toolbar, the ticket and the watchlist's clicks act on) and the symbol link. Kept in localStorage like
// the chart's symbol and timeframe, so it comes back on the next start.
import { create } from 'zustand';
import { Timeframe } from '../../src-shared/domain/types';

export type LayoutSize = 1 | 2 | 4;
export interface ChartPane { symbol: string; timeframe: Timeframe }

export interface WorkspaceState {
  layout: LayoutSize;
  /** Always four: a smaller layout shows the first ones and keeps the others for when it grows again. */
  panes: ChartPane[];
  active: number;
  /** Linked: choosing a symbol on one chart shows it on every chart (each keeps its own timeframe). */
  linked: boolean;
  setLayout(layout: LayoutSize): void;
  activate(index: number): void;
  setLinked(linked: boolean): void;
  /** The active chart's symbol (and every chart's, when linked). */
  showSymbol(symbol: string): void;
  setTimeframe(index: number, timeframe: Timeframe): void;
}

const KEY = 'qc.workspace';
const DEFAULT_SYMBOLS = ['AAPL', 'MSFT', 'EURUSD', 'BTCUSD'];

/** The saved workspace, checked field by field (an old or hand-edited value never breaks the screen). */
function restore(): Pick<WorkspaceState, 'layout' | 'panes' | 'active' | 'linked'> {
  const symbol = localStorage.getItem('qc.symbol') ?? 'AAPL';
  const timeframe = (localStorage.getItem('qc.timeframe') as Timeframe | null) ?? '1m';
  const fallback = DEFAULT_SYMBOLS.map((s, i) => ({ symbol: i === 0 ? symbol : s, timeframe }));
  let saved: Partial<WorkspaceState> = {};
  try {
    saved = JSON.parse(localStorage.getItem(KEY) ?? '{}') as Partial<WorkspaceState>;
  } catch {
    /* a damaged value: start from the defaults */
  }
  const panes = fallback.map((f, i) => {
    const p = Array.isArray(saved.panes) ? (saved.panes[i] as Partial<ChartPane> | undefined) : undefined;
    return {
      symbol: typeof p?.symbol === 'string' && p.symbol ? p.symbol : f.symbol,
      timeframe: Timeframe.safeParse(p?.timeframe).success ? p!.timeframe! : f.timeframe,
    };
  });
  const layout = saved.layout === 2 || saved.layout === 4 ? saved.layout : 1;
  const active = typeof saved.active === 'number' && saved.active >= 0 && saved.active < layout ? saved.active : 0;
  return { layout, panes, active, linked: saved.linked === true };
}

export const useWorkspace = create<WorkspaceState>()((set) => ({
  ...restore(),
  setLayout: (layout) => set((s) => ({ layout, active: s.active < layout ? s.active : 0 })),
  activate: (active) => set({ active }),
  setLinked: (linked) => set((s) => (linked ? { linked, panes: s.panes.map((p) => ({ ...p, symbol: s.panes[s.active]!.symbol })) } : { linked })),
  showSymbol: (symbol) => set((s) => ({ panes: s.panes.map((p, i) => (s.linked || i === s.active ? { ...p, symbol } : p)) })),
  setTimeframe: (index, timeframe) => set((s) => ({ panes: s.panes.map((p, i) => (i === index ? { ...p, timeframe } : p)) })),
}));

useWorkspace.subscribe((s) => {
  localStorage.setItem(KEY, JSON.stringify({ layout: s.layout, panes: s.panes, active: s.active, linked: s.linked }));
});
