#!/usr/bin/env python3
"""Runs an SMA cross (long-short, fixed size) in backtrader and prints its fills as JSON, to line up with
`npm run cli -- backtest … --param size=N --json`: market orders at the next open, commission a fraction of notional.

Usage: PYTHONPATH=/path/to/backtrader python3 tools/crosscheck/backtrader_smacross.py FILE.csv FAST SLOW SIZE COMMISSION
"""
import json
import sys
import backtrader as bt

path, fast, slow, size, commission = sys.argv[1], int(sys.argv[2]), int(sys.argv[3]), int(sys.argv[4]), float(sys.argv[5])


class SmaCross(bt.Strategy):
    def __init__(self):
        self.cross = bt.ind.CrossOver(bt.ind.SMA(period=fast), bt.ind.SMA(period=slow))
        self.fills = []

    def notify_order(self, order):
        if order.status == order.Completed:
            self.fills.append({'time': self.data.datetime.date(0).isoformat(), 'side': 'buy' if order.isbuy() else 'sell',
                               'size': abs(order.executed.size), 'price': order.executed.price, 'commission': order.executed.comm})

    def next(self):
        if len(self.data) >= self.data.buflen():
            return  # the final bar only closes (our convention); backtrader keeps the position, which we close below
        if self.cross > 0:
            self.order_target_size(target=size)
        elif self.cross < 0:
            self.order_target_size(target=-size)


cerebro = bt.Cerebro(stdstats=False)
cerebro.adddata(bt.feeds.GenericCSVData(dataname=path, dtformat='%Y-%m-%d', datetime=0, open=1, high=2, low=3, close=4, volume=5, openinterest=-1, headers=True))
cerebro.addstrategy(SmaCross)
cerebro.broker.setcash(100_000)
cerebro.broker.setcommission(commission=commission)
strat = cerebro.run()[0]
print(json.dumps({'fills': strat.fills, 'value': cerebro.broker.getvalue(), 'cash': cerebro.broker.getcash(), 'position': strat.position.size}))
