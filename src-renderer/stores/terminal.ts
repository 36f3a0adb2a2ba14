// The renderer's state (zustand): what main pushed or answered, plus UI choices. Main stays the source of truth.
import { create } from 'zustand';
import type { AppInfo, BrokerAccountValue, ConnectionStatus, DataFeed, DataSourceStatus, ReconciliationReport, RiskStatus, Theme } from '../../src-shared/api/contract';
import type { AccountSummary, EquityPoint, Fill, Instrument, Order, Position, Quote, Timeframe } from '../../src-shared/domain/types';
import type { ApiClient } from '../../src-shared/api/contract';

export type Screen = 'overview' | 'chart' | 'blotter' | 'backtests' | 'data' | 'settings';

export interface TerminalState {
  api: ApiClient | undefined;
  connected: boolean;
  info: AppInfo | undefined;
  theme: Theme;
  screen: Screen;
  instruments: Instrument[];
  quotes: Record<string, Quote>;
  symbol: string;
  timeframe: Timeframe;
  orders: Order[];
  fills: Fill[];
  positions: Position[];
  account: AccountSummary | undefined;
  equity: EquityPoint[];
  risk: RiskStatus | undefined;
  /** The broker session (paper on the demo market, or Interactive Brokers), distinct from the transport's `connected`. */
  broker: ConnectionStatus | undefined;
  /** The last reconciliation after a (re)connect; `reconciliationSeen` is the time of the one the user dismissed. */
  reconciliation: ReconciliationReport | undefined;
  reconciliationSeen: number | undefined;
  brokerValues: BrokerAccountValue[];
  error: string | undefined;
  /** Market-data providers and which one feeds each instrument (the failover manager's views). */
  dataSources: DataSourceStatus[];
  feeds: Record<string, DataFeed>;
  set: (patch: Partial<TerminalState>) => void;
  upsertOrder: (o: Order) => void;
  addFill: (f: Fill) => void;
}

export const useTerminal = create<TerminalState>((set) => ({
  api: undefined,
  connected: false,
  info: undefined,
  theme: (localStorage.getItem('qc.theme') as Theme | null) ?? 'dark',
  screen: 'chart',
  instruments: [],
  quotes: {},
  symbol: localStorage.getItem('qc.symbol') ?? 'AAPL',
  timeframe: (localStorage.getItem('qc.timeframe') as Timeframe | null) ?? '1m',
  orders: [],
  fills: [],
  positions: [],
  account: undefined,
  equity: [],
  risk: undefined,
  broker: undefined,
  reconciliation: undefined,
  reconciliationSeen: Number(sessionStorage.getItem('qc.reconciliationSeen')) || undefined,
  brokerValues: [],
  error: undefined,
  dataSources: [],
  feeds: {},
  set: (patch) => set(patch),
  upsertOrder: (o) =>
    set((s) => {
      const i = s.orders.findIndex((x) => x.id === o.id);
      if (i === -1) return { orders: [o, ...s.orders] };
      const orders = s.orders.slice();
      orders[i] = o;
      return { orders };
    }),
  addFill: (f) => set((s) => (s.fills.some((x) => x.id === f.id) ? s : { fills: [f, ...s.fills] })),
}));

/** Switches the theme: the attribute first, so charts rebuilt by the store change read the new CSS variables. */
export function applyTheme(theme: Theme): void {
  const { api, set } = useTerminal.getState();
  document.documentElement.dataset['theme'] = theme;
  localStorage.setItem('qc.theme', theme);
  set({ theme });
  void api?.call('settings.theme.set', { theme });
}

/** Hides the reconciliation banner until the next reconciliation. */
export function dismissReconciliation(): void {
  const time = useTerminal.getState().reconciliation?.time;
  if (time === undefined) return;
  sessionStorage.setItem('qc.reconciliationSeen', String(time));
  useTerminal.getState().set({ reconciliationSeen: time });
}

/** Loads everything and subscribes to pushed events; returns the unsubscribe function. */
export function connectTerminal(api: ApiClient): () => void {
  const { set, upsertOrder, addFill } = useTerminal.getState();
  set({ api });
  const load = async () => {
    try {
      const [info, theme, instruments, quotes, orders, fills, positions, account, equity, risk] = await Promise.all([
        api.call('app.info', {}), api.call('settings.theme.get', {}), api.call('instruments.list', {}), api.call('quotes.snapshot', {}),
        api.call('orders.list', { scope: 'all', limit: 500 }), api.call('fills.list', { limit: 500 }), api.call('positions.list', {}),
        api.call('account.summary', {}), api.call('account.equity', { limit: 5000 }), api.call('risk.status', {}),
      ]);
      const [dataSources, feeds] = await Promise.all([api.call('data.sources', {}), api.call('data.feeds', {})]);
      set({ dataSources, feeds: Object.fromEntries(feeds.map((f) => [f.symbol, f])) });
      localStorage.setItem('qc.theme', theme.theme);
      set({ info, theme: theme.theme, instruments, quotes: Object.fromEntries(quotes.map((q) => [q.symbol, q])), orders, fills, positions, account, equity, risk, error: undefined });
      const [broker, reconciliation, brokerValues] = await Promise.all([
        api.call('connection.status', {}), api.call('connection.reconciliation', {}), api.call('account.brokerValues', {}),
      ]);
      set({ broker, reconciliation: reconciliation ?? undefined, brokerValues });
    } catch (err) {
      set({ error: err instanceof Error ? err.message : String(err) });
    }
  };
  const onBroker = (next: ConnectionStatus) => {
    const prev = useTerminal.getState().broker;
    set({ broker: next, ...(next.broker === 'paper' ? { brokerValues: [] } : {}) });
    // A switch of broker, or a session becoming ready after reconciliation, changes orders, fills and positions: reload them.
    if (prev && (prev.broker !== next.broker || (!prev.ready && next.ready))) void load();
  };
  const offs = [
    api.onConnection((connected) => {
      set({ connected });
      if (connected) void load();
    }),
    api.on('quote', (q) => useTerminal.setState((s) => ({ quotes: { ...s.quotes, [q.symbol]: q } }))),
    api.on('order', upsertOrder),
    api.on('fill', addFill),
    api.on('positions', (positions) => set({ positions })),
    api.on('account', (account) =>
      useTerminal.setState((s) => {
        const minute = Math.floor(Date.now() / 60_000) * 60_000;
        const last = s.equity[s.equity.length - 1];
        const equity = last && last.time === minute ? [...s.equity.slice(0, -1), { time: minute, nav: account.nav }] : [...s.equity, { time: minute, nav: account.nav }];
        return { account, equity };
      }),
    ),
    api.on('risk', (risk) => set({ risk })),
    api.on('data.sources', (dataSources) => set({ dataSources })),
    api.on('data.feeds', (feeds) =>
      useTerminal.setState((s) => {
        const bySymbol = Object.fromEntries(feeds.map((f) => [f.symbol, f]));
        // A price belongs to its source: when an instrument changes source, the old source's last quote is dropped
        // until the new source quotes (an IB tag must never stand next to a demo price).
        const quotes = Object.fromEntries(Object.entries(s.quotes).filter(([symbol, q]) => {
          const source = bySymbol[symbol]?.source;
          return !source || q.source === source || q.source.startsWith(`${source}-`);
        }));
        return { feeds: bySymbol, quotes };
      }),
    ),
    api.on('connection', onBroker),
    api.on('reconciliation', (reconciliation) => set({ reconciliation })),
    // Merged by key and currency: a push that carries only the values that changed keeps the others.
    api.on('account.brokerValues', (values) =>
      useTerminal.setState((s) => {
        const byKey = new Map(s.brokerValues.map((v) => [`${v.key}|${v.currency}`, v]));
        for (const v of values) byKey.set(`${v.key}|${v.currency}`, v);
        return { brokerValues: [...byKey.values()] };
      }),
    ),
  ];
  return () => offs.forEach((off) => off());
}
