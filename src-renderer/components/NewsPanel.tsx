// Headlines about the chart's symbol with their sentiment (news.headlines: Yahoo's news scored by the project's own
// finance lexicon): a label and score per headline, the symbol's mean on top, the terms that made each score on hover.
import { useEffect, useState } from 'react';
import type { SymbolNews } from '../../src-shared/api/news';
import { useShallow } from 'zustand/react/shallow';
import { HEADLINES_PER_SYMBOL, signedScore as signed } from '../lib/sentiment';
import { useTerminal } from '../stores/terminal';
import './news.css';

function age(ms: number): string {
  const m = Math.max(0, Math.round((Date.now() - ms) / 60_000));
  if (m < 60) return `${m} min ago`;
  if (m < 48 * 60) return `${Math.round(m / 60)} h ago`;
  return new Date(ms).toISOString().slice(0, 10);
}

export function NewsPanel({ symbol }: { symbol: string }) {
  const { api, connected } = useTerminal(useShallow((s) => ({ api: s.api, connected: s.connected })));
  // The answer is kept with its symbol: after a switch, the previous symbol's headlines are not shown while loading.
  const [answer, setAnswer] = useState<{ symbol: string; news?: SymbolNews; error?: string }>();
  useEffect(() => {
    if (!api || !connected) return;
    let cancelled = false;
    api.call('news.headlines', { symbols: [symbol], count: HEADLINES_PER_SYMBOL }).then(
      ([n]) => !cancelled && setAnswer({ symbol, news: n }),
      (e: Error) => !cancelled && setAnswer({ symbol, error: e.message }),
    );
    return () => {
      cancelled = true;
    };
  }, [api, connected, symbol]);
  const news = answer?.symbol === symbol ? answer.news : undefined;
  const error = answer?.symbol === symbol ? answer.error ?? null : null;

  const a = news?.aggregate;
  return (
    <section className="panel news-panel" aria-label="News">
      <div className="news-head">
        <h2>News</h2>
        {a && a.count > 0 && (
          <span className={`sentiment ${a.label}`} data-testid="news-aggregate" title={`${a.positive} positive, ${a.negative} negative, ${a.neutral} neutral`}>
            {a.label} {signed(a.score)}
          </span>
        )}
      </div>
      {!news && !error && <p className="dim">Loading headlines…</p>}
      {error && <p className="error-text">{error}</p>}
      {news?.error && <p className="dim">No headlines: {news.error}</p>}
      {news && !news.error && news.headlines.length === 0 && <p className="dim">No recent headlines for {symbol}.</p>}
      {news && news.headlines.length > 0 && (
        <ul className="headlines" aria-label={`Headlines about ${symbol}`}>
          {news.headlines.map((h) => (
            <li key={h.id}>
              <span className={`sentiment ${h.sentiment.label}`} aria-label={`Sentiment ${h.sentiment.label}`}
                title={h.sentiment.matches.length ? h.sentiment.matches.map((m) => `${m.negated ? 'not ' : ''}${m.term} ${signed(m.weight)}`).join(', ') : 'no lexicon terms'}>
                {signed(h.sentiment.score)}
              </span>
              <div>
                <a href={h.link} target="_blank" rel="noreferrer noopener">{h.title}</a>
                <div className="dim small-text">{h.publisher} · {age(h.time)}{h.sentiment.uncertainty > 0 ? ' · uncertain' : ''}</div>
              </div>
            </li>
          ))}
        </ul>
      )}
      <p className="dim small-text">Scores: the app's own finance lexicon, −1 to +1 (docs/macro-news.md).</p>
    </section>
  );
}
