// Live vs backtest divergence (issue 17 item 7): a live strategy's trades beside the backtest of the same strategy over
// the same bars. Trades are matched by side within a time window (each used once, earliest first); what the backtest
// did and live did not is missed, the reverse extra. Fill price differences are in basis points, signed so that a
// positive number is a live fill worse for the trader (a buy dearer, a sell cheaper). Equity of each run at every bar's
// close (starting capital + cash flows of its fills + position × close); drift = live − backtest.

export interface RunTrade {
  /** UTC ms. */
  time: number;
  side: 'buy' | 'sell';
  quantity: number;
  /** Volume-weighted over the order's fills. */
  price: number;
  commission: number;
}

export interface MatchedTrade {
  live: RunTrade;
  backtest: RunTrade;
  /** (live − backtest) ÷ backtest × 10,000, sign flipped for sells: positive = live worse. */
  priceDiffBps: number;
  /** live − backtest, ms. */
  timeDiffMs: number;
}

export interface EquityPoint {
  /** Bar close, UTC ms. */
  time: number;
  live: number;
  backtest: number;
  drift: number;
}

export interface DivergenceFigures {
  matched: MatchedTrade[];
  /** Backtest trades without a live one. */
  missed: RunTrade[];
  /** Live trades without a backtest one. */
  extra: RunTrade[];
  /** Mean of |priceDiffBps| and of the signed one over matched trades (null: none matched). */
  meanAbsBps: number | null;
  meanBps: number | null;
  equity: EquityPoint[];
  /** Drift at the last bar (0 without bars). */
  finalDrift: number;
}

export function priceDiffBps(live: RunTrade, backtest: RunTrade): number {
  const raw = ((live.price - backtest.price) / backtest.price) * 10_000;
  return live.side === 'buy' ? raw : -raw;
}

/** Matches trades of the same side within `windowMs`, in time order, each trade at most once (nearest in time first). */
export function matchTrades(live: RunTrade[], backtest: RunTrade[], windowMs: number): Pick<DivergenceFigures, 'matched' | 'missed' | 'extra'> {
  const byTime = (a: RunTrade, b: RunTrade) => a.time - b.time;
  const l = [...live].sort(byTime);
  const used = new Set<number>();
  const matched: MatchedTrade[] = [];
  const missed: RunTrade[] = [];
  for (const b of [...backtest].sort(byTime)) {
    let best = -1;
    for (let i = 0; i < l.length; i++) {
      if (used.has(i) || l[i]!.side !== b.side || Math.abs(l[i]!.time - b.time) > windowMs) continue;
      if (best < 0 || Math.abs(l[i]!.time - b.time) < Math.abs(l[best]!.time - b.time)) best = i;
    }
    if (best < 0) {
      missed.push(b);
      continue;
    }
    used.add(best);
    matched.push({ live: l[best]!, backtest: b, priceDiffBps: priceDiffBps(l[best]!, b), timeDiffMs: l[best]!.time - b.time });
  }
  return { matched, missed, extra: l.filter((_, i) => !used.has(i)) };
}

/** Equity at each bar's close: trades at or before the close count. `bars`: open times (UTC ms) and closes. */
export function equityCurve(trades: RunTrade[], bars: { time: number; close: number }[], periodMs: number, capital: number): number[] {
  const sorted = [...trades].sort((a, b) => a.time - b.time);
  let k = 0;
  let cash = capital;
  let position = 0;
  return bars.map((bar) => {
    const closeAt = bar.time + periodMs;
    while (k < sorted.length && sorted[k]!.time < closeAt) {
      const t = sorted[k++]!;
      const signed = t.side === 'buy' ? t.quantity : -t.quantity;
      position += signed;
      cash -= signed * t.price + t.commission;
    }
    return cash + position * bar.close;
  });
}

export function compareRuns(args: {
  live: RunTrade[];
  backtest: RunTrade[];
  bars: { time: number; close: number }[];
  periodMs: number;
  capital: number;
  windowMs: number;
}): DivergenceFigures {
  const m = matchTrades(args.live, args.backtest, args.windowMs);
  const liveEq = equityCurve(args.live, args.bars, args.periodMs, args.capital);
  const btEq = equityCurve(args.backtest, args.bars, args.periodMs, args.capital);
  const equity = args.bars.map((b, i) => ({ time: b.time + args.periodMs, live: liveEq[i]!, backtest: btEq[i]!, drift: liveEq[i]! - btEq[i]! }));
  const n = m.matched.length;
  return {
    ...m,
    meanAbsBps: n ? m.matched.reduce((s, x) => s + Math.abs(x.priceDiffBps), 0) / n : null,
    meanBps: n ? m.matched.reduce((s, x) => s + x.priceDiffBps, 0) / n : null,
    equity,
    finalDrift: equity.length ? equity[equity.length - 1]!.drift : 0,
  };
}
