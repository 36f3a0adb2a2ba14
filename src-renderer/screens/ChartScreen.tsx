// Chart screen: symbol search, timeframes, the live candlestick chart and the order ticket beside it.
import { useEffect, useState } from 'react';
import type { Instrument, Timeframe } from '../../src-shared/domain/types';
import { CandleChart } from '../components/CandleChart';
import { OrderTicket } from '../components/OrderTicket';
import { SourceTag } from '../components/SourceTag';
import { price } from '../lib/format';
import { statusText, useMarketStatus } from '../lib/market-status';
import { useShallow } from 'zustand/react/shallow';
import { useTerminal } from '../stores/terminal';

const TIMEFRAMES: { tf: Timeframe; label: string }[] = [
  { tf: '1m', label: '1m' }, { tf: '5m', label: '5m' }, { tf: '1h', label: '1h' }, { tf: '1d', label: '1D' },
];

function SymbolSearch() {
  const { api, chooseSymbol } = useTerminal(useShallow((s) => ({ api: s.api, chooseSymbol: s.chooseSymbol })));
  const [query, setQuery] = useState('');
  const [results, setResults] = useState<Instrument[]>([]);
  const [open, setOpen] = useState(false);

  async function search(q: string) {
    setQuery(q);
    setOpen(true);
    setResults(await api!.call('instruments.search', { query: q }));
  }
  function choose(i: Instrument) {
    localStorage.setItem('qc.symbol', i.symbol);
    chooseSymbol(i.symbol);
    setQuery('');
    setOpen(false);
  }
  return (
    <div className="search">
      <input aria-label="Search symbol" placeholder="Search symbol…" value={query} role="combobox" aria-expanded={open} aria-controls="symbol-results"
        onChange={(e) => void search(e.target.value)} onFocus={() => void search(query)} onBlur={() => setTimeout(() => setOpen(false), 150)}
        onKeyDown={(e) => e.key === 'Enter' && results[0] && choose(results[0])} />
      {open && results.length > 0 && (
        <ul id="symbol-results" role="listbox" className="search-results">
          {results.map((i) => (
            <li key={i.symbol} role="option" aria-selected={false} onMouseDown={() => choose(i)}>
              <b>{i.symbol}</b> <span>{i.name}</span> <em>{i.assetClass}</em>
            </li>
          ))}
        </ul>
      )}
    </div>
  );
}

/** The close of the last full day before today (UTC days, as the daily bars are stamped), for the day's change. */
function usePreviousClose(symbol: string): number | undefined {
  const { api, connected } = useTerminal(useShallow((s) => ({ api: s.api, connected: s.connected })));
  const [prev, setPrev] = useState<{ symbol: string; close: number } | undefined>();
  useEffect(() => {
    if (!api || !connected) return;
    let cancelled = false;
    const today = Math.floor(Date.now() / 86_400_000) * 86_400;
    api.call('bars.history', { symbol, timeframe: '1d', limit: 5 }).then((bars) => {
      const before = bars.filter((b) => b.time < today);
      if (!cancelled && before.length > 0) setPrev({ symbol, close: before[before.length - 1]!.close });
    }, () => undefined);
    return () => {
      cancelled = true;
    };
  }, [api, connected, symbol]);
  return prev?.symbol === symbol ? prev.close : undefined;
}

export function ChartScreen() {
  const { symbol, timeframe, chooseTimeframe, instruments } = useTerminal(useShallow((s) => ({ symbol: s.symbol, timeframe: s.timeframe, chooseTimeframe: s.chooseTimeframe, instruments: s.instruments })));
  const q = useTerminal((s) => s.quotes[symbol]);
  const inst = instruments.find((i) => i.symbol === symbol);
  const market = useMarketStatus(inst?.session);
  const prevClose = usePreviousClose(symbol);
  const change = q && prevClose ? q.last - prevClose : undefined;
  return (
    <div className="chart-screen">
      <section className="chart-panel panel" aria-label="Chart">
        <div className="toolbar">
          <SymbolSearch />
          <div className="symbol-head">
            <h2>{symbol}</h2>
            <span className="dim">{inst?.name}</span>
            {market && <span className={`market-state ${market.open ? 'open' : 'closed'}`} role="status" aria-label="Market">{statusText(market)}</span>}
          </div>
          <div className="tf-group" role="group" aria-label="Timeframe">
            {TIMEFRAMES.map(({ tf, label }) => (
              <button key={tf} type="button" aria-pressed={timeframe === tf} onClick={() => chooseTimeframe(tf)}>{label}</button>
            ))}
          </div>
          <div className="last">
            <span className="dim">Last</span> <b data-testid="last-price">{price(q?.last, inst?.tickSize)}</b>
            {change !== undefined && prevClose ? (
              <span className={`day-change ${change > 0 ? 'pos' : change < 0 ? 'neg' : ''}`} aria-label="Change today" title={`Since the previous close ${price(prevClose, inst?.tickSize)}`}>
                {change > 0 ? '+' : ''}{price(change, inst?.tickSize)} ({change > 0 ? '+' : ''}{((change / prevClose) * 100).toFixed(2)} %)
              </span>
            ) : null}
            <span className="dim">Bid</span> {price(q?.bid, inst?.tickSize)} <span className="dim">Ask</span> {price(q?.ask, inst?.tickSize)}
            <SourceTag symbol={symbol} fallbackSource={q?.source} />
          </div>
        </div>
        <CandleChart />
      </section>
      <OrderTicket />
    </div>
  );
}
