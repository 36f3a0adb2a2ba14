#!/usr/bin/env bash
# Times `npm run cli -- backtest` against backtesting.py on the same large file: reading it and running SmaCross 10/30,
# each process's start (interpreter, imports) timed apart and taken off. Prints bars/s each side and the ratio.
# Usage: BACKTESTING_PY=/path/to/backtesting.py tools/crosscheck/time-backtest.sh [BARS] [ROUNDS]
# (backtesting.py's source, not installed: see docs/backtesting.md "Lining up with backtesting.py"; needs Debian's
# python3-pandas and python3-numpy.) Rounds alternate the two sides, so both run under the same load; best of each.
set -euo pipefail
cd "$(dirname "$0")/../.."
bars=${1:-1000000}
rounds=${2:-3}
py=/usr/bin/python3
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
file="$tmp/bars.csv"
$py tools/crosscheck/synthetic_ohlcv.py "$bars" > "$file"
# Wall seconds of a command, its output to $tmp/out.
secs() { local t0 t1; t0=$(date +%s.%N); "$@" > "$tmp/out" 2>"$tmp/err" || { cat "$tmp/err" >&2; exit 1; }; t1=$(date +%s.%N); echo "$t1 - $t0" | bc; }
ours=(node --import tsx src-main/cli/main.ts)
theirs=(env PYTHONPATH="$BACKTESTING_PY" $py tools/crosscheck/backtesting_py_smacross.py)
best() { printf '%s\n' "$@" | sort -g | head -1; }
qs=(); qr=(); ps=(); pr=()
for _ in $(seq "$rounds"); do
  qs+=("$(secs "${ours[@]}" --help)")
  qr+=("$(secs "${ours[@]}" backtest --data "$file" --strategy sma-cross --param fast=10 --param slow=30 --json)")
  cp "$tmp/out" "$tmp/ours.json"
  ps+=("$(secs "${theirs[@]}" --start-only)")
  pr+=("$(secs "${theirs[@]}" "$file" 10 30 0 --time)")
  cp "$tmp/out" "$tmp/theirs.json"
done
$py - "$bars" "$(best "${qs[@]}")" "$(best "${qr[@]}")" "$(best "${ps[@]}")" "$(best "${pr[@]}")" "$tmp" <<'PY'
import json, os, sys
bars, qs, qr, ps, pr, tmp = int(sys.argv[1]), *map(float, sys.argv[2:6]), sys.argv[6]
ours, theirs = json.load(open(f'{tmp}/ours.json')), json.load(open(f'{tmp}/theirs.json'))
q, p = bars / (qr - qs), bars / (pr - ps)
print(f'bars: {bars}; load average before: {os.getloadavg()[0]:.1f}')
print(f'quant-claude:    process {qr:.2f} s, start (--help) {qs:.2f} s -> {qr - qs:.2f} s, {q:,.0f} bars/s; trades {ours["metrics"]["trades"]}, final equity {ours["metrics"]["finalEquity"]}, equity points {len(ours["equity"])} ({ours["equitySampling"]})')
print(f'backtesting.py:  process {pr:.2f} s, start (imports) {ps:.2f} s -> {pr - ps:.2f} s, {p:,.0f} bars/s (read + run inside: {theirs["seconds"]:.2f} s); trades {theirs["# Trades"]:.0f}, final equity {theirs["Equity Final [$]"]:.2f}')
print(f'ratio: {q / p:.1f}x')
PY
