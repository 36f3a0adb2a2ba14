// Backtests: choose a strategy, its parameters and data (demo market or a CSV file), run or optimise on the worker
// pool with a progress bar, see the charts, metrics and trades, a heatmap of the search, and reopen/compare saved runs.
// The parts live in backtests/: the state and actions (useBacktests), the form, the result views, the saved runs.
import { LiveStrategies } from '../components/LiveStrategies';
import { BacktestForm } from './backtests/BacktestForm';
import { BacktestView, Comparison, OptimizationView } from './backtests/ResultViews';
import { SavedRuns } from './backtests/SavedRuns';
import { useBacktests } from './backtests/useBacktests';

export function Backtests() {
  const bt = useBacktests();
  const { view } = bt;
  return (
    <div className="backtests">
      <BacktestForm bt={bt} />
      <section className="panel bt-main" aria-label="Results">
        {view?.kind === 'backtest' && <BacktestView result={view.r} />}
        {view?.kind === 'optimization' && <OptimizationView opt={view.r} />}
        {!view && <p className="dim">Run a backtest or an optimisation; results are saved and listed below.</p>}
        <Comparison runs={bt.compare} />
        <h2>Live strategies</h2>
        <LiveStrategies list={bt.live} onStop={(id) => void bt.stopLive(id)} />
        <h2>Saved runs</h2>
        <SavedRuns runs={bt.runs} selected={bt.selected} onOpen={(id) => void bt.open(id)} onCompare={bt.toggleCompare} />
      </section>
    </div>
  );
}
