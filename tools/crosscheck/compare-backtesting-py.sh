#!/usr/bin/env bash
# Lines up `npm run cli -- backtest` with backtesting.py's SmaCross on several files and settings.
# Usage: BACKTESTING_PY=/path/to/backtesting.py tools/crosscheck/compare-backtesting-py.sh FILE...
set -euo pipefail
cd "$(dirname "$0")/../.."
for f in "$@"; do
  for cfg in "10 20 0.002 next-open" "10 30 0 next-open" "5 40 0.001 close"; do
    set -- $cfg
    mode=$4; extra=""; [ "$mode" = close ] && extra=close
    tmp=$(mktemp -d)
    PYTHONPATH="$BACKTESTING_PY" /usr/bin/python3 tools/crosscheck/backtesting_py_smacross.py "$f" "$1" "$2" "$3" $extra > "$tmp/bt.json"
    npm run --silent cli -- backtest --data "$f" --strategy sma-cross --param fast="$1" --param slow="$2" --commission "$3" --fill "$mode" --json 2>/dev/null > "$tmp/qc.json"
    python3 - "$f" "$cfg" "$tmp" <<'PY'
import json, sys
f, cfg, tmp = sys.argv[1], sys.argv[2], sys.argv[3]
bt, qc = json.load(open(f'{tmp}/bt.json')), json.load(open(f'{tmp}/qc.json'))['metrics']
pairs = [('Equity Final [$]', 'finalEquity'), ('Return [%]', 'returnPct'), ('# Trades', 'trades'), ('Win Rate [%]', 'winRatePct'),
         ('Max. Drawdown [%]', 'maxDrawdownPct'), ('Sharpe Ratio', 'sharpe'), ('Sortino Ratio', 'sortino'), ('Exposure Time [%]', 'exposurePct'), ('CAGR [%]', 'cagrPct')]
worst = max(abs((bt[a] or 0) - (qc[b] or 0)) / max(1e-9, abs(bt[a] or 1)) for a, b in pairs)
print(f"{f.split('/')[-1]:18s} fast/slow/comm/fill {cfg:22s} trades {int(bt['# Trades']):4d}/{qc['trades']:4d} final {bt['Equity Final [$]']:12.2f}/{qc['finalEquity']:12.2f} sharpe {bt['Sharpe Ratio']:.4f}/{qc['sharpe']:.4f} worst rel diff {worst:.1e}")
PY
  done
done
