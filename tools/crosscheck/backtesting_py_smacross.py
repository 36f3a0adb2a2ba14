#!/usr/bin/env python3
"""Runs backtesting.py's quick-start SmaCross on a CSV and prints its statistics as JSON, to line up with
`npm run cli -- backtest --data FILE --strategy sma-cross --param fast=N1 --param slow=N2 --commission C --json`.

Usage: PYTHONPATH=/path/to/backtesting.py python3 tools/crosscheck/backtesting_py_smacross.py FILE.csv N1 N2 COMMISSION [close]
(`close` = trade_on_close, our `--fill close`.)
With --time, the JSON also has "seconds": reading the file and running the backtest, inside this process. With
--start-only it imports what it needs and exits (tools/crosscheck/time-backtest.sh times the process start apart).
Needs numpy and pandas. bokeh is only used for plots; when it is missing an inert stand-in is installed so the
statistics can still be computed.
"""
import importlib.abc
import importlib.machinery
import json
import sys
import types

try:
    import bokeh  # noqa: F401
except ImportError:
    class _Inert(types.ModuleType):
        __path__ = []

        def __getattr__(self, name):
            if name.startswith('__'):
                raise AttributeError(name)
            return type(name, (), {'__init__': lambda self, *a, **k: None})

    class _Finder(importlib.abc.MetaPathFinder, importlib.abc.Loader):
        def find_spec(self, name, path, target=None):
            return importlib.machinery.ModuleSpec(name, self, is_package=True) if name == 'bokeh' or name.startswith('bokeh.') else None

        def create_module(self, spec):
            return _Inert(spec.name)

        def exec_module(self, module):
            pass

    sys.meta_path.insert(0, _Finder())

import time

import pandas as pd
from backtesting import Backtest, Strategy
from backtesting.lib import crossover

if '--start-only' in sys.argv:
    sys.exit(0)
timed = '--time' in sys.argv
args = [a for a in sys.argv if a != '--time']
path, n1, n2, commission = args[1], int(args[2]), int(args[3]), float(args[4])
on_close = len(args) > 5 and args[5] == 'close'
started = time.perf_counter()
data = pd.read_csv(path, index_col=0, parse_dates=True)


def SMA(values, n):
    return pd.Series(values).rolling(n).mean()


class SmaCross(Strategy):
    def init(self):
        self.sma1 = self.I(SMA, self.data.Close, n1)
        self.sma2 = self.I(SMA, self.data.Close, n2)

    def next(self):
        if crossover(self.sma1, self.sma2):
            self.position.close()
            self.buy()
        elif crossover(self.sma2, self.sma1):
            self.position.close()
            self.sell()


stats = Backtest(data, SmaCross, cash=10_000, commission=commission, exclusive_orders=True, finalize_trades=True, trade_on_close=on_close).run()
seconds = time.perf_counter() - started
keys = ['Equity Final [$]', 'Return [%]', '# Trades', 'Win Rate [%]', 'Max. Drawdown [%]', 'Sharpe Ratio', 'Sortino Ratio',
        'Exposure Time [%]', 'CAGR [%]', 'Return (Ann.) [%]', 'Volatility (Ann.) [%]', 'Buy & Hold Return [%]']
out = {k: (float(stats[k]) if k in stats else None) for k in keys}
if timed:
    out['seconds'] = seconds
    out['bars'] = len(data)
print(json.dumps(out))
