// Where the shown instrument's price comes from, next to the price: "IB", or "Yahoo (fallback)" tagged distinctly.
import { sourceName } from '../lib/data-sources';
import { useTerminal } from '../stores/terminal';

export function SourceTag({ symbol, fallbackSource }: { symbol: string; fallbackSource?: string }) {
  const feed = useTerminal((s) => s.feeds[symbol]);
  const source = feed?.source ?? fallbackSource;
  const fallback = feed?.fallback ?? false;
  const stale = feed?.stale ?? false;
  // A provider may refine its tag ('ib-delayed'): the delay is worth saying next to the price.
  const delayed = fallbackSource?.includes('delayed') ?? false;
  const label = `${sourceName(source)}${delayed ? ' delayed' : ''}${fallback ? ' (fallback)' : ''}`;
  const title = stale
    ? 'No fresh price from any source'
    : fallback ? `The primary source is unavailable: ${sourceName(source)} feeds this instrument` : 'Where this price comes from';
  return (
    <span className={`source${fallback ? ' fallback' : ''}${stale ? ' stale' : ''}`} data-testid="price-source" title={title}>
      {label}{stale ? ' · stale' : ''}
    </span>
  );
}
