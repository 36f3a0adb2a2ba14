#!/usr/bin/env python3
"""Prints backtrader's indicator values for a CSV as CSV, to line up with `npm run cli -- indicators`.

Usage: PYTHONPATH=/path/to/backtrader python3 tools/crosscheck/backtrader_indicators.py FILE.csv > bt.csv
(backtrader 1.9.78: `pip install backtrader` where PyPI is reachable.)
"""
import sys
import backtrader as bt


class Dump(bt.Strategy):
    def __init__(self):
        d = self.data
        self.cols = [
            ('sma_30', bt.ind.SMA(d.close, period=30)),
            ('ema_30', bt.ind.EMA(d.close, period=30)),
            ('wma_30', bt.ind.WMA(d.close, period=30)),
            ('rsi_14', bt.ind.RSI(d.close, period=14, safediv=True)),
            ('atr_14', bt.ind.ATR(d, period=14)),
            ('bb_upper_20_2', bt.ind.BollingerBands(d.close, period=20, devfactor=2.0).top),
            ('bb_lower_20_2', bt.ind.BollingerBands(d.close, period=20, devfactor=2.0).bot),
            ('stoch_k_14_3_3', bt.ind.Stochastic(d, period=14, period_dfast=3, period_dslow=3).percK),
            ('stoch_d_14_3_3', bt.ind.Stochastic(d, period=14, period_dfast=3, period_dslow=3).percD),
            ('macd_12_26_9', bt.ind.MACD(d.close, period_me1=12, period_me2=26, period_signal=9).macd),
            ('macd_signal_12_26_9', bt.ind.MACD(d.close, period_me1=12, period_me2=26, period_signal=9).signal),
        ]
        self.rows = []

    def prenext(self):
        self.next()

    def next(self):
        vals = []
        for _, line in self.cols:
            v = line[0]
            vals.append('' if v != v else repr(float(v)))
        self.rows.append((self.data.datetime.date(0).isoformat(), vals))

    def stop(self):
        print(','.join(['time'] + [n for n, _ in self.cols]))
        for t, vals in self.rows:
            print(','.join([t] + vals))


cerebro = bt.Cerebro(stdstats=False)
cerebro.adddata(bt.feeds.GenericCSVData(dataname=sys.argv[1], dtformat='%Y-%m-%d', datetime=0, open=1, high=2, low=3, close=4, volume=5, openinterest=-1, headers=True))
cerebro.addstrategy(Dump)
cerebro.run()
