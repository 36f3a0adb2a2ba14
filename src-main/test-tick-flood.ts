// Test-only tick source for `npm run bench:ui` (QC_TEST_FAULTS tick-flood=RATE:SYMBOLS): quotes at RATE per second
// spread evenly over SYMBOLS symbols, pushed as the app's own quote events. The demo market's instruments come first
// (each walks from its last demo price, so the charts keep their scale), then synthetic BENCH01… symbols. Each quote's
// `time` is the moment it leaves, so the renderer can measure tick-to-paint. Unset in normal use: never started.
import type { Quote } from '../src-shared/domain/types';
import type { Disposable } from './ports/disposable';
import type { MarketData } from './ports/market-data';

export function startTickFlood(o: { rate: number; symbols: number; market: MarketData; emit: (q: Quote) => void; now: () => number }): Disposable {
  const names = o.market.instruments().map((i) => i.symbol).slice(0, o.symbols);
  for (let i = names.length; i < o.symbols; i++) names.push(`BENCH${String(i + 1).padStart(2, '0')}`);
  const real = new Set(o.market.instruments().map((i) => i.symbol));
  const last = new Map<string, number>();
  let next = 0;
  let seed = 1;
  const random = () => ((seed = (seed * 16_807) % 2_147_483_647) / 2_147_483_647);
  // Paced by the clock, not by the timer's count: a late timer sends the ticks it owes, so the rate holds under load.
  const started = o.now();
  let sent = 0;
  const timer = setInterval(() => {
    const owed = Math.floor(((o.now() - started) * o.rate) / 1000) - sent;
    for (let k = 0; k < owed; k++) {
      const symbol = names[next++ % names.length]!;
      // A real instrument starts from its demo price once the demo market has quoted it.
      const base = last.get(symbol) ?? (real.has(symbol) ? o.market.lastQuote(symbol)?.last : 100);
      if (base === undefined) continue;
      const price = base * (1 + (random() - 0.5) * 2e-4);
      last.set(symbol, price);
      o.emit({ symbol, time: o.now(), bid: price * 0.9999, ask: price * 1.0001, last: price, lastSize: 1, source: 'demo' });
    }
    sent += owed;
  }, 10);
  return { dispose: () => clearInterval(timer) };
}
