// The renderer's state (zustand), in slices with named actions: what main pushed or answered, plus UI choices.
// Main stays the source of truth.
import { create } from 'zustand';
import type { ApiClient, ConnectionStatus, Theme } from '../../src-shared/api/contract';
import type { AccountSummary, Quote } from '../../src-shared/domain/types';
import { createAccountsSlice, type AccountsSlice } from './slices/accounts';
import { createAppSlice, type AppSlice } from './slices/app';
import { createMarketSlice, type MarketSlice } from './slices/market';
import { createTradingSlice, type TradingSlice } from './slices/trading';
import { tickToUiReporter } from '../lib/tick-to-ui';

export type { Screen } from './slices/app';

export type TerminalState = AppSlice & MarketSlice & TradingSlice & AccountsSlice;

export const useTerminal = create<TerminalState>()((...a) => ({
  ...createAppSlice(...a),
  ...createMarketSlice(...a),
  ...createTradingSlice(...a),
  ...createAccountsSlice(...a),
}));

/** Bumped by every switch of the theme: a load that began before one keeps the trader's choice, not main's older one. */
let themeChanges = 0;

/** Switches the theme: the attribute first, so charts rebuilt by the store change read the new CSS variables. */
export function applyTheme(theme: Theme): void {
  themeChanges++;
  const { api, setTheme } = useTerminal.getState();
  document.documentElement.dataset['theme'] = theme;
  setTheme(theme);
  void api?.call('settings.theme.set', { theme });
}

/** Hides the reconciliation banner until the next reconciliation. */
export function dismissReconciliation(): void {
  useTerminal.getState().dismissReconciliation();
}

/** Quotes can come 1,000 a second: the store takes the newest per symbol once a frame, so the screens render at most
 * once a frame instead of once a quote (the charts follow every quote themselves). */
function quotesOncePerFrame(apply: (qs: Quote[]) => void, applied?: (qs: Quote[]) => void): (q: Quote) => void {
  const pending = new Map<string, Quote>();
  let frame = 0;
  return (q) => {
    pending.set(q.symbol, q);
    if (frame) return;
    frame = requestAnimationFrame(() => {
      frame = 0;
      const batch = [...pending.values()];
      pending.clear();
      apply(batch);
      applied?.(batch);
    });
  };
}

/**
 * A load reads snapshots (orders, fills, positions…) that main may have taken before pushes the page has already
 * applied: an order filled while `orders.list` was on its way would vanish when the older list lands. Pushes that
 * arrive while a load is in flight are applied at once and kept; once the load's snapshots are in, the kept ones are
 * applied again, in order. Only idempotent store setters are kept (an upsert, a set), so applying one twice is harmless.
 */
function pushesDuringLoads() {
  let inFlight = 0;
  let kept: (() => void)[] = [];
  return {
    /** Wraps a setter so that its pushes are kept while a load is in flight. */
    keep<T>(apply: (data: T) => void): (data: T) => void {
      return (data) => {
        apply(data);
        if (inFlight > 0) kept.push(() => apply(data));
      };
    },
    begin(): void {
      inFlight++;
    },
    /** Applies again what was kept since the first load in flight began (the snapshots just applied may predate it). */
    replay(): void {
      for (const apply of kept) apply();
    },
    end(): void {
      if (--inFlight === 0) kept = [];
    },
  };
}

/** Loads everything and subscribes to pushed events; returns the unsubscribe function. */
export function connectTerminal(api: ApiClient): () => void {
  const s = useTerminal.getState();
  s.attach(api);
  const tickToUi = tickToUiReporter(api);
  const pushes = pushesDuringLoads();
  // Bumped by every `accounts` push: a load that began before one read a list that may be stale, and reads again.
  let accountsSeen = 0;
  const appInfo = async () => {
    const sent = Date.now();
    const info = await api.call('app.info', {});
    if (info.now !== undefined) tickToUi.setAppClock(info.now, Math.round((sent + Date.now()) / 2));
    return info;
  };
  const load = async (): Promise<void> => {
    pushes.begin();
    try {
      await loadOnce();
    } finally {
      pushes.end();
    }
  };
  const loadOnce = async (): Promise<void> => {
    const seenAtStart = accountsSeen;
    const themeAtStart = themeChanges;
    try {
      const [info, theme, instruments, quotes, orders, fills, account, equity, risk, accounts, overview] = await Promise.all([
        appInfo(), api.call('settings.theme.get', {}), api.call('instruments.list', {}), api.call('quotes.snapshot', {}),
        // Orders and fills of every connected account: the blotter shows each account's and all together.
        api.call('orders.list', { scope: 'all', limit: 500, allAccounts: true }), api.call('fills.list', { limit: 500, allAccounts: true }),
        api.call('account.summary', {}), api.call('account.equity', { limit: 5000 }), api.call('risk.status', {}),
        api.call('accounts.list', {}), api.call('accounts.overview', {}),
      ]);
      const [dataSources, feeds] = await Promise.all([api.call('data.sources', {}), api.call('data.feeds', {})]);
      s.setDataSources(dataSources);
      s.setFeeds(feeds);
      s.loaded(info, themeAtStart === themeChanges ? theme.theme : useTerminal.getState().theme);
      s.marketLoaded(instruments, quotes);
      s.tradingLoaded(orders, fills, risk);
      if (seenAtStart !== accountsSeen) return loadOnce();
      s.accountsLoaded(accounts, overview.accounts, account, equity);
      pushes.replay();
      const [broker, reconciliation, brokerValues] = await Promise.all([
        api.call('connection.status', {}), api.call('connection.reconciliation', {}), api.call('account.brokerValues', {}),
      ]);
      s.setBroker(broker);
      s.setReconciliation(reconciliation ?? undefined);
      s.setBrokerValues(brokerValues);
      pushes.replay();
    } catch (err) {
      s.failed(err instanceof Error ? err.message : String(err));
    }
  };
  // The broker's state is a snapshot too (`connection.status`, read last by a load): kept like the other pushes.
  const setBroker = pushes.keep(s.setBroker);
  const onBroker = (next: ConnectionStatus) => {
    const prev = useTerminal.getState().broker;
    setBroker(next);
    // A switch of the default account, or an account becoming ready after reconciliation, changes orders, fills and
    // positions: reload them.
    if (prev && (prev.broker !== next.broker || (!prev.ready && next.ready))) void load();
  };
  const defaultSummary = pushes.keep((p: { account: AccountSummary; now: number }) => s.applyDefaultSummary(p.account, p.now));
  const offs = [
    () => tickToUi.dispose(),
    api.onConnection((connected) => {
      s.setConnected(connected);
      if (connected) void load();
    }),
    api.on('quote', quotesOncePerFrame(s.applyQuotes, (batch) => tickToUi.observe(batch.map((q) => q.time)))),
    api.on('order', pushes.keep(s.upsertOrder)),
    api.on('fill', pushes.keep(s.addFill)),
    api.on('account.update', pushes.keep(s.applyAccountUpdate)),
    api.on('accounts', (accounts) => {
      accountsSeen += 1;
      const known = new Set(useTerminal.getState().accounts.map((a) => a.accountId));
      s.setAccounts(accounts);
      // A newly connected account: its orders, fills and positions are read once (pushes carry only changes).
      if (accounts.some((a) => !known.has(a.accountId))) void load();
    }),
    api.on('account', (account) => defaultSummary({ account, now: Date.now() })),
    api.on('risk', pushes.keep(s.setRisk)),
    api.on('data.sources', s.setDataSources),
    api.on('data.feeds', s.setFeeds),
    api.on('connection', onBroker),
    api.on('reconciliation', pushes.keep(s.setReconciliation)),
    api.on('account.brokerValues', pushes.keep(s.mergeBrokerValues)),
  ];
  return () => offs.forEach((off) => off());
}
