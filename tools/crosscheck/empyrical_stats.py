#!/usr/bin/env python3
"""Reference figures for src-main/domain/analytics/return-stats.ts: empyrical's (quantopian/empyrical, stats.py) and
quantstats' (ranaroussi/quantstats, stats.py: value_at_risk) formulas, transcribed line by line with numpy/pandas/scipy
(the packages themselves cannot be installed here: no PyPI). Prints the JSON fixture the vitest test compares against.

Usage: /usr/bin/python3 tools/crosscheck/empyrical_stats.py /work/shared/data/reference \
         > tests/fixtures/analytics-reference.json
Series: GOOG.csv (Close), EuStockMarkets.csv (DAX against FTSE); daily simple close-to-close returns, 252 periods a
year, risk-free 0.
"""
import json
import sys

import numpy as np
import pandas as pd
from scipy.stats import norm

ANN = 252


def cum_returns_final(r):  # empyrical.cum_returns_final(returns, starting_value=0)
    return np.nanprod(r + 1, axis=0) - 1


def annual_return(r):  # empyrical.annual_return
    num_years = len(r) / ANN
    ending_value = cum_returns_final(r) + 1
    return ending_value ** (1 / num_years) - 1


def annual_volatility(r):  # empyrical.annual_volatility, alpha=2
    return np.nanstd(r, ddof=1) * ANN ** (1.0 / 2.0)


def sharpe_ratio(r):  # empyrical.sharpe_ratio, risk_free=0
    return np.nanmean(r) / np.nanstd(r, ddof=1) * np.sqrt(ANN)


def downside_risk(r):  # empyrical.downside_risk, required_return=0
    d = np.clip(r, -np.inf, 0)
    return np.sqrt(np.nanmean(np.square(d))) * np.sqrt(ANN)


def sortino_ratio(r):  # empyrical.sortino_ratio
    return np.nanmean(r) * ANN / downside_risk(r)


def max_drawdown(r):  # empyrical.max_drawdown
    cumulative = np.empty(len(r) + 1)
    cumulative[0] = start = 100
    cumulative[1:] = start * np.cumprod(r + 1)
    max_return = np.fmax.accumulate(cumulative)
    return np.nanmin((cumulative - max_return) / max_return)


def calmar_ratio(r):  # empyrical.calmar_ratio
    mdd = max_drawdown(r)
    return annual_return(r) / abs(mdd) if mdd < 0 else np.nan


def value_at_risk(r, cutoff=0.05):  # empyrical.value_at_risk
    return np.percentile(r, 100 * cutoff)


def conditional_value_at_risk(r, cutoff=0.05):  # empyrical.conditional_value_at_risk
    cutoff_index = int((len(r) - 1) * cutoff)
    return np.mean(np.partition(r, cutoff_index)[:cutoff_index + 1])


def qs_value_at_risk(r, sigma=1, confidence=0.95):  # quantstats.stats.value_at_risk
    s = pd.Series(r)
    mu = s.mean()
    sigma *= s.std()
    return norm.ppf(1 - confidence, mu, sigma)


def beta(r, f):  # empyrical.beta_aligned, risk_free=0
    ind_residual = f - np.nanmean(f)
    covariances = np.nanmean(ind_residual * r)
    variances = np.nanmean(np.square(ind_residual))
    return covariances / variances


def alpha(r, f):  # empyrical.alpha_aligned, risk_free=0
    b = beta(r, f)
    return (np.nanmean(r - b * f) + 1) ** ANN - 1


def excess_sharpe(r, f):  # empyrical.excess_sharpe (not annualised)
    active = r - f
    return np.nanmean(active) / np.nan_to_num(np.nanstd(active, ddof=1))


def up_capture(r, f):  # empyrical.up_capture = capture over factor_returns > 0
    return annual_return(r[f > 0]) / annual_return(f[f > 0])


def down_capture(r, f):  # empyrical.down_capture
    return annual_return(r[f < 0]) / annual_return(f[f < 0])


def stats(r, f=None):
    out = {
        'n': len(r),
        'annualReturn': annual_return(r), 'annualVolatility': annual_volatility(r), 'sharpe': sharpe_ratio(r),
        'sortino': sortino_ratio(r), 'calmar': calmar_ratio(r), 'maxDrawdown': max_drawdown(r),
        'var95': value_at_risk(r), 'cvar95': conditional_value_at_risk(r), 'var95Parametric': qs_value_at_risk(r),
        'beta': None, 'alpha': None,
    }
    if f is not None:
        out.update({
            'beta': beta(r, f), 'alpha': alpha(r, f),
            'trackingError': np.nanstd(r - f, ddof=1) * np.sqrt(ANN),
            'informationRatio': excess_sharpe(r, f) * np.sqrt(ANN),
            'upCapture': up_capture(r, f), 'downCapture': down_capture(r, f),
        })
    return {k: (float(v) if v is not None else None) for k, v in out.items()}


def main():
    ref = sys.argv[1]
    goog = pd.read_csv(f'{ref}/GOOG.csv', index_col=0)
    r_goog = goog['Close'].pct_change().dropna().to_numpy()
    eu = pd.read_csv(f'{ref}/EuStockMarkets.csv')
    r_dax = eu['DAX'].pct_change().dropna().to_numpy()
    r_ftse = eu['FTSE'].pct_change().dropna().to_numpy()
    fixture = {
        'source': 'tools/crosscheck/empyrical_stats.py (empyrical stats.py and quantstats value_at_risk, transcribed)',
        'GOOG': stats(r_goog),
        'DAX_vs_FTSE': stats(r_dax, r_ftse),
    }
    json.dump(fixture, sys.stdout, indent=2)
    sys.stdout.write('\n')


if __name__ == '__main__':
    main()
