// The screener's Sentiment column (issue 16 item 7): each ranked stock's mean headline sentiment, from news.headlines
// (the scores of the chart's news panel). A row asks only once it comes into view, and the rows that come into view
// together go to main as one batch (main fetches 4 symbols at a time and keeps each answer 5 minutes), so a screen
// of 500 stocks asks for the twenty or so on screen, not for 500.
import { useCallback, useEffect, useRef, useState, type ReactNode } from 'react';
import type { ApiClient } from '../../../src-shared/api/contract';
import type { SymbolNews } from '../../../src-shared/api/news';
import { HEADLINES_PER_SYMBOL, signedScore } from '../../lib/sentiment';
import { errorText } from '../portfolio/common';
import '../../components/news.css';

/** Main's answer for a symbol, or why the call itself failed. */
export type RowSentiment = { news: SymbolNews } | { error: string };

/** news.headlines takes at most 100 symbols. */
const BATCH = 100;
/** Rows this close to the visible part are asked for too, so a slow scroll finds them filled. */
const MARGIN = '200px 0px';
/** Rows coming into view within this long (one scroll) share a batch. */
const GATHER_MS = 150;

/**
 * The sentiment of the rows seen so far, and the ref that puts a row's cell under watch. A new `generation` (a new
 * screen result) asks again for the rows in view; main's cache answers those without asking Yahoo again.
 */
export function useLazySentiment(api: ApiClient | undefined, generation: unknown) {
  const [answers, setAnswers] = useState<ReadonlyMap<string, RowSentiment>>(() => new Map());
  // The cells on screen and the observer of this generation (the effect's own: it makes and ends it).
  const cells = useRef(new Set<HTMLElement>());
  const observer = useRef<IntersectionObserver>(undefined);

  useEffect(() => {
    if (!api) return;
    let live = true;
    let timer: ReturnType<typeof setTimeout> | undefined;
    const asked = new Set<string>();
    const queue: string[] = [];
    const answer = (entries: (readonly [string, RowSentiment])[]) => live && setAnswers((m) => new Map([...m, ...entries]));
    const flush = () => {
      timer = undefined;
      while (queue.length > 0) {
        const symbols = queue.splice(0, BATCH);
        api.call('news.headlines', { symbols, count: HEADLINES_PER_SYMBOL }).then(
          (list) => answer(symbols.map((s, i) => [s, { news: list[i]! }] as const)),
          (err: unknown) => answer(symbols.map((s) => [s, { error: errorText(err) }] as const)),
        );
      }
    };
    const io = new IntersectionObserver((entries) => {
      for (const e of entries) {
        const symbol = (e.target as HTMLElement).dataset['symbol'];
        if (!e.isIntersecting || !symbol) continue;
        io.unobserve(e.target);
        if (asked.has(symbol)) continue;
        asked.add(symbol);
        queue.push(symbol);
      }
      if (queue.length > 0 && timer === undefined) timer = setTimeout(flush, GATHER_MS);
    }, { rootMargin: MARGIN });
    for (const el of cells.current) io.observe(el);
    observer.current = io;
    return () => {
      live = false;
      clearTimeout(timer);
      io.disconnect();
      observer.current = undefined;
    };
  }, [api, generation]);

  const watch = useCallback((el: HTMLElement | null) => {
    if (!el) return;
    cells.current.add(el);
    observer.current?.observe(el);
    return () => {
      cells.current.delete(el);
      observer.current?.unobserve(el);
    };
  }, []);
  return { answers, watch };
}

/** The mean score in its label's colour, the headline count small; "—" with the reason on hover when there is none. */
export function SentimentCell({ symbol, value, watch }: { symbol: string; value: RowSentiment | undefined; watch: (el: HTMLElement | null) => (() => void) | undefined }) {
  const cell = (title: string, body: ReactNode) => <td className="num" data-symbol={symbol} ref={watch} title={title}>{body}</td>;
  if (!value) return cell('Headlines are fetched when the row comes into view', <span className="dim">…</span>);
  if ('error' in value) return cell(`No headlines: ${value.error}`, '—');
  if (value.news.error !== null) return cell(`No headlines: ${value.news.error}`, '—');
  const { aggregate: a, source } = value.news;
  if (a.count === 0) return cell(`No recent headlines about ${symbol} (${source ?? 'no source'})`, '—');
  // The label is the chip's colour and the first word on hover: the table is wide already.
  return cell(
    `${a.label[0]!.toUpperCase()}${a.label.slice(1)}: the mean of ${a.count} headlines (${source ?? 'no source'}), ${a.positive} positive, ${a.negative} negative, ${a.neutral} neutral`,
    <><span className={`sentiment ${a.label}`} data-label={a.label}>{signedScore(a.score)}</span> <span className="dim small-text">{a.count}</span></>,
  );
}
