// The Backtests screen's state and actions: the settings, running and optimising (with progress), the result shown,
// saved runs and their comparison, and live strategies. The views only render what this returns.
import { useEffect, useMemo, useState } from 'react';
import { ApiCallError, type BacktestRequest, type BacktestResult, type BacktestRunSummary, type LiveStrategy, type OptimizationResult, type StrategyInfo } from '../../../src-shared/api/contract';
import type { Timeframe } from '../../../src-shared/domain/types';
import { useShallow } from 'zustand/react/shallow';
import { useTerminal } from '../../stores/terminal';
import { useLiveAccount } from '../../components/LiveAccountPicker';

export type Objective = 'sharpe' | 'returnPct' | 'sortino' | 'calmar';

/** What the form edits; numbers stay text until sent, so main's answer can name a bad one. */
export interface BacktestSettings {
  strategy: string;
  /** Parameter values by `strategy.name`, so each strategy keeps its own. */
  values: Record<string, string>;
  ranges: Record<string, string>;
  sourceKind: 'demo' | 'csv' | 'stored';
  storedSymbol: string;
  symbol: string;
  timeframe: '1d' | '1h';
  csv: { name: string; text: string } | undefined;
  cash: string;
  commission: string;
  fill: 'next-open' | 'close';
  objective: Objective;
  from: string;
  to: string;
  basket: string[];
  liveTf: Timeframe;
}

const DEFAULTS: BacktestSettings = {
  strategy: 'sma-cross', values: {}, ranges: { fast: '5:50:5', slow: '20:200:10' }, sourceKind: 'demo', storedSymbol: '', symbol: 'AAPL',
  timeframe: '1d', csv: undefined, cash: '10000', commission: '0.001', fill: 'next-open', objective: 'sharpe', from: '', to: '', basket: ['AAPL', 'MSFT'], liveTf: '1m',
};

export type ResultView = { kind: 'backtest'; r: BacktestResult } | { kind: 'optimization'; r: OptimizationResult };

const message = (err: unknown) => (err instanceof ApiCallError || err instanceof Error ? err.message : String(err));

export function useBacktests() {
  const { api, instruments } = useTerminal(useShallow((s) => ({ api: s.api, instruments: s.instruments })));
  const [settings, setSettings] = useState<BacktestSettings>(DEFAULTS);
  const update = (patch: Partial<BacktestSettings>) => setSettings((s) => ({ ...s, ...patch }));
  const [strategies, setStrategies] = useState<StrategyInfo[]>([]);
  const [busy, setBusy] = useState<'run' | 'optimize' | undefined>();
  const [progress, setProgress] = useState<{ id: string; done: number; total: number } | undefined>();
  const [error, setError] = useState<string | undefined>();
  const [view, setView] = useState<ResultView | undefined>();
  const [runs, setRuns] = useState<BacktestRunSummary[]>([]);
  const [selected, setSelected] = useState<string[]>([]);
  const [loaded, setLoaded] = useState<Record<string, BacktestResult>>({});
  const [live, setLive] = useState<LiveStrategy[]>([]);
  const liveAccount = useLiveAccount();

  useEffect(() => {
    if (!api) return;
    void api.call('backtest.strategies', {}).then(setStrategies);
    void api.call('backtest.list', { limit: 50 }).then(setRuns);
    void api.call('strategies.list', {}).then(setLive);
    const offLive = api.on('strategies', setLive);
    const offProgress = api.on('backtest.progress', (p) => setProgress((cur) => (cur && cur.id === p.id ? p : cur)));
    return () => (offLive(), offProgress());
  }, [api]);

  const { strategy, values, basket, symbol, timeframe, sourceKind, storedSymbol, csv } = settings;
  const info = useMemo(() => strategies.find((s) => s.name === strategy), [strategies, strategy]);
  const paramValue = (name: string, dflt: number | string) => values[`${strategy}.${name}`] ?? String(dflt);
  const portfolio = info?.instruments != null;

  function request(): Omit<BacktestRequest, 'params'> & { params: Record<string, string | number> } {
    const source = portfolio
      ? { kind: 'demo' as const, symbol: basket[0] ?? symbol, symbols: basket, timeframe }
      : sourceKind === 'demo' ? { kind: 'demo' as const, symbol, timeframe }
        : sourceKind === 'stored' ? { kind: 'stored' as const, symbol: storedSymbol, timeframe }
          : { kind: 'csv' as const, name: csv?.name ?? '', text: csv?.text ?? '' };
    const params = Object.fromEntries((info?.params ?? []).map((p) => {
      const v = paramValue(p.name, p.default);
      // Not a number: sent as typed, so main's answer names the parameter and the value.
      return [p.name, typeof p.default === 'number' && v.trim() !== '' && Number.isFinite(Number(v)) ? Number(v) : v];
    }));
    const { cash, commission, fill, from, to } = settings;
    return { strategy, source, params, cash: Number(cash), commission: Number(commission), fill, from: from || undefined, to: to || undefined };
  }

  async function act(kind: 'run' | 'optimize') {
    if (!portfolio && sourceKind === 'csv' && !csv) return setError('Choose a CSV file first');
    if (!portfolio && sourceKind === 'stored' && !storedSymbol.trim()) return setError('Name the stored symbol first');
    if (portfolio) {
      const { exact, min } = info!.instruments!;
      if ((exact !== undefined && basket.length !== exact) || (min !== undefined && basket.length < min))
        return setError(`${strategy} needs ${exact !== undefined ? `exactly ${exact}` : `at least ${min}`} instruments (${basket.length} chosen)`);
    }
    setError(undefined);
    setBusy(kind);
    try {
      if (kind === 'run') {
        const r = await api!.call('backtest.run', request());
        setView({ kind: 'backtest', r });
      } else {
        const id = crypto.randomUUID();
        setProgress({ id, done: 0, total: 0 });
        // Parameters with a range are searched; the others keep their value (size, mode, …).
        const { ranges, objective } = settings;
        const space = Object.fromEntries((info?.params ?? []).filter((p) => (ranges[p.name] ?? '').trim()).map((p) => [p.name, ranges[p.name]!.trim()]));
        const r = await api!.call('backtest.optimize', { ...request(), id, space, objective });
        setView({ kind: 'optimization', r });
      }
      setRuns(await api!.call('backtest.list', { limit: 50 }));
    } catch (err) {
      setError(message(err));
    } finally {
      setBusy(undefined);
    }
  }

  /** Runs the settings' strategy live on the chosen account (paper by default), on the session's closed bars. */
  async function runLive() {
    const { params } = request();
    setError(undefined);
    const account = liveAccount.fields();
    if (!account.ok) return setError(account.error);
    try {
      await api!.call('strategies.start', { strategy, symbols: portfolio ? basket : [symbol], timeframe: settings.liveTf, params, capital: Number(settings.cash), ...account.fields });
      setLive(await api!.call('strategies.list', {}));
    } catch (err) {
      setError(message(err));
    }
  }

  async function stopLive(id: string) {
    try {
      await api!.call('strategies.stop', { id });
      setLive(await api!.call('strategies.list', {}));
    } catch (err) {
      setError(message(err));
    }
  }

  async function open(id: string) {
    const r = await api!.call('backtest.get', { id });
    setView(r.kind === 'backtest' ? { kind: 'backtest', r: r.backtest } : { kind: 'optimization', r: r.optimization });
  }

  function toggleCompare(id: string, on: boolean) {
    setSelected((ids) => (on ? [...ids.filter((x) => x !== id), id] : ids.filter((x) => x !== id)));
    if (on && !loaded[id]) {
      void api!.call('backtest.get', { id }).then((r) => {
        if (r.kind === 'backtest') setLoaded((l) => ({ ...l, [id]: r.backtest }));
      });
    }
  }

  const cancel = () => progress && void api!.call('backtest.cancel', { id: progress.id });
  const pct = progress && progress.total ? Math.round((progress.done / progress.total) * 100) : 0;
  const compare = selected.flatMap((id) => loaded[id] ?? []);

  return {
    instruments, settings, update, strategies, info, portfolio, paramValue, busy, progress, pct, error, view, runs, selected, compare, live,
    liveAccount, act, runLive, stopLive, open, toggleCompare, cancel,
  };
}

export type BacktestsModel = ReturnType<typeof useBacktests>;
