#!/usr/bin/env python3
"""Reference numbers for `cli factor-test`, computed with pandas and scipy the way alphalens computes them.

alphalens itself is not installable here (no PyPI on this workplace), so this script restates its steps in pandas,
line for line with alphalens.utils / alphalens.performance (get_clean_factor_and_forward_returns, quantize_factor,
demean_forward_returns, factor_information_coefficient, mean_return_by_quantile, quantile_turnover), with the one
convention the issue fixes differently: forward returns over each symbol's OWN rows (not a shared date index).

Usage: alphalens-crosscheck.py OUT_DIR [--by-sector] [--periods 1,3,5] [--quantiles 4]
Writes OUT_DIR/prices.csv, factor.csv, sectors.csv (deterministic random data with gaps, ties and missing values) and
prints the reference JSON in the CLI's shape.
"""
import json
import sys

import numpy as np
import pandas as pd
from scipy import stats

out = sys.argv[1]
by_sector = '--by-sector' in sys.argv
periods = [int(x) for x in (sys.argv[sys.argv.index('--periods') + 1] if '--periods' in sys.argv else '1,3,5').split(',')]
Q = int(sys.argv[sys.argv.index('--quantiles') + 1]) if '--quantiles' in sys.argv else 4

rng = np.random.default_rng(16)
dates = pd.bdate_range('2023-01-02', periods=90).strftime('%Y-%m-%d')
symbols = [f'S{i:02d}' for i in range(36)]
sectors = {s: ['Energy', 'Financials', 'Utilities', 'Materials'][i % 4] for i, s in enumerate(symbols)}
prices, factor = [], []
for i, s in enumerate(symbols):
    close = 50 * np.exp(np.cumsum(rng.normal(0, 0.02, len(dates))))
    keep = rng.random(len(dates)) > 0.08  # gaps: each symbol has its own rows
    for d, c, k in zip(dates, close, keep):
        if k:
            prices.append((d, s, round(float(c), 4)))
            if rng.random() > 0.1:  # some rows without a factor value
                factor.append((d, s, round(float(rng.normal()), 1)))  # one decimal: ties
    # Factor values on a few dates without a close (left out by the CLI, and here by the merge).
    factor.append(('2023-01-01', s, 0.5))
P = pd.DataFrame(prices, columns=['date', 'symbol', 'close'])
F = pd.DataFrame(factor, columns=['date', 'symbol', 'value'])
S = pd.DataFrame(list(sectors.items()), columns=['symbol', 'sector'])
P.to_csv(f'{out}/prices.csv', index=False)
F.to_csv(f'{out}/factor.csv', index=False)
S.to_csv(f'{out}/sectors.csv', index=False)

# Forward returns over each symbol's own rows: close[t+k] / close[t] - 1.
P = P.sort_values(['symbol', 'date'])
cols = []
for k in periods:
    col = f'{k}D'
    P[col] = P.groupby('symbol')['close'].shift(-k) / P['close'] - 1
    cols.append(col)
data = F.merge(P, on=['date', 'symbol'], how='inner').rename(columns={'value': 'factor'})
if by_sector:
    data = data.merge(S, on='symbol', how='left')
data = data.dropna(subset=['factor'] + cols + (['sector'] if by_sector else []))
grouper = ['date', 'sector'] if by_sector else ['date']


def quantile_calc(x):  # alphalens quantize_factor with no_raise=True
    try:
        return pd.qcut(x, Q, labels=False) + 1
    except Exception:
        return pd.Series(index=x.index, dtype=float)


data['quantile'] = data.groupby(grouper, group_keys=False)['factor'].apply(quantile_calc)
data = data.dropna(subset=['quantile'])
data['quantile'] = data['quantile'].astype(int)


def demean(df):  # alphalens demean_forward_returns
    out = df.copy()
    out[cols] = df.groupby(grouper)[cols].transform(lambda x: x - x.mean())
    return out


demeaned = demean(data)
ic_input = demeaned if by_sector else data
ic = ic_input.groupby('date').apply(lambda g: pd.Series({c: stats.spearmanr(g['factor'], g[c])[0] for c in cols}))
result = {'rows': int(len(data)), 'periods': {}}
for k, c in zip(periods, cols):
    q = data.groupby('quantile')[c].mean().reindex(range(1, Q + 1))
    qd = demeaned.groupby('quantile')[c].mean().reindex(range(1, Q + 1))

    def turnover(quantile):  # alphalens quantile_turnover
        names = data[data['quantile'] == quantile].groupby('date')['symbol'].apply(set)
        shifted = names.shift(k)
        fresh = [len(a - b) / len(a) for a, b in zip(names, shifted) if isinstance(b, set)]
        return float(np.mean(fresh)) if fresh else None

    result['periods'][str(k)] = {
        'icMean': float(ic[c].mean()),
        'icStd': float(ic[c].std()),
        'icir': float(ic[c].mean() / ic[c].std()),
        'quantileMeanReturn': [float(v) for v in q],
        'quantileMeanReturnDemeaned': [float(v) for v in qd],
        'topMinusBottom': float(q.iloc[-1] - q.iloc[0]),
        'turnover': {'top': turnover(Q), 'bottom': turnover(1)},
    }
print(json.dumps(result))
