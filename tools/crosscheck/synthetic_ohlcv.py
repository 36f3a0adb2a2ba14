#!/usr/bin/env python3
"""A synthetic OHLCV CSV of N one-minute bars (a seeded random walk) on stdout, for timing backtests on a large file.

Usage: python3 tools/crosscheck/synthetic_ohlcv.py N > bars.csv
Plain Python (no numpy), so the file is the same wherever it is made.
"""
import random
import sys
from datetime import datetime, timedelta, timezone

n = int(sys.argv[1])
rng = random.Random(1)
t = datetime(2020, 1, 1, tzinfo=timezone.utc)
p = 100.0
out = sys.stdout
out.write('Date,Open,High,Low,Close,Volume\n')
lines = []
for i in range(n):
    o = p
    p *= 1 + (rng.random() - 0.5) * 0.002
    hi = max(o, p) * (1 + rng.random() * 0.0005)
    lo = min(o, p) * (1 - rng.random() * 0.0005)
    lines.append(f'{t:%Y-%m-%d %H:%M:%S},{o:.4f},{hi:.4f},{lo:.4f},{p:.4f},{rng.randrange(1, 100_000)}\n')
    t += timedelta(minutes=1)
    if len(lines) == 10_000:
        out.writelines(lines)
        lines = []
out.writelines(lines)
