// Chart screen: symbol search, timeframes, the live candlestick chart and the order ticket beside it.
import { useState } from 'react';
import type { Instrument, Timeframe } from '../../src-shared/domain/types';
import { CandleChart } from '../components/CandleChart';
import { OrderTicket } from '../components/OrderTicket';
import { SourceTag } from '../components/SourceTag';
import { price } from '../lib/format';
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

export function ChartScreen() {
  const { symbol, timeframe, chooseTimeframe, instruments } = useTerminal(useShallow((s) => ({ symbol: s.symbol, timeframe: s.timeframe, chooseTimeframe: s.chooseTimeframe, instruments: s.instruments })));
  const q = useTerminal((s) => s.quotes[symbol]);
  const inst = instruments.find((i) => i.symbol === symbol);
  return (
    <div className="chart-screen">
      <section className="chart-panel panel" aria-label="Chart">
        <div className="toolbar">
          <SymbolSearch />
          <div className="symbol-head">
            <h2>{symbol}</h2>
            <span className="dim">{inst?.name}</span>
          </div>
          <div className="tf-group" role="group" aria-label="Timeframe">
            {TIMEFRAMES.map(({ tf, label }) => (
              <button key={tf} type="button" aria-pressed={timeframe === tf} onClick={() => chooseTimeframe(tf)}>{label}</button>
            ))}
          </div>
          <div className="last">
            <span className="dim">Last</span> <b data-testid="last-price">{price(q?.last, inst?.tickSize)}</b>
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
