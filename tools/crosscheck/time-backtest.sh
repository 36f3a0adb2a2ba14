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
# "wall cpu" seconds of a command (cpu = user + system, every thread), its output to $tmp/out. On a machine shared
# with other jobs the CPU time is the steadier figure: it counts the work done, not the waits for a core.
secs() { /usr/bin/time -f '%e %U %S' -o "$tmp/time" "$@" > "$tmp/out" 2>"$tmp/err" || { cat "$tmp/err" >&2; exit 1; }; awk '{ printf "%s %.2f\n", $1, $2 + $3 }' "$tmp/time"; }
ours=(node --import tsx src-main/cli/main.ts)
theirs=(env PYTHONPATH="$BACKTESTING_PY" $py tools/crosscheck/backtesting_py_smacross.py)
# The best round by wall time, "wall cpu".
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
$py - "$bars" "$tmp" "$(best "${qs[@]}")" "$(best "${qr[@]}")" "$(best "${ps[@]}")" "$(best "${pr[@]}")" <<'PY'
import json, os, sys
bars, tmp = int(sys.argv[1]), sys.argv[2]
(qs, qsc), (qr, qrc), (ps, psc), (pr, prc) = [tuple(map(float, a.split())) for a in sys.argv[3:7]]
ours, theirs = json.load(open(f'{tmp}/ours.json')), json.load(open(f'{tmp}/theirs.json'))
q, p, qc, pc = bars / (qr - qs), bars / (pr - ps), bars / (qrc - qsc), bars / (prc - psc)
print(f'bars: {bars}; load average now: {os.getloadavg()[0]:.1f} (2 cores)')
print(f'quant-claude:   wall {qr:.2f} s - start (--help) {qs:.2f} s = {qr - qs:.2f} s: {q:,.0f} bars/s;  CPU {qrc:.2f} - {qsc:.2f} = {qrc - qsc:.2f} s: {qc:,.0f} bars/s')
print(f'                trades {ours["metrics"]["trades"]}, final equity {ours["metrics"]["finalEquity"]}, equity points {len(ours["equity"])} ({ours["equitySampling"]})')
print(f'backtesting.py: wall {pr:.2f} s - start (imports) {ps:.2f} s = {pr - ps:.2f} s: {p:,.0f} bars/s;  CPU {prc:.2f} - {psc:.2f} = {prc - psc:.2f} s: {pc:,.0f} bars/s (read + run timed inside: {theirs["seconds"]:.2f} s)')
print(f'                trades {theirs["# Trades"]:.0f}, final equity {theirs["Equity Final [$]"]:.2f}')
print(f'ratio: {q / p:.1f}x by wall time, {qc / pc:.1f}x by CPU time')
PY
