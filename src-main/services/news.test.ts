// Headlines from the real Yahoo provider over HTTP against the Yahoo fixture server (yahoo-finance2 validating the
// answers), scored and aggregated by the News service; the service's short cache, and a Yahoo failure as an error.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createYahooProvider } from '../adapters/yahoo/provider';
import { ManualClock } from '../ports/clock';
import type { DataProvider } from '../ports/data-provider';
import { startYahooFixtureServer, type YahooFixtureServer } from '../../tests/support/yahoo-fixture-server';
import { NewsService } from './news';

const NOW = Date.UTC(2026, 11, 3, 15);
const clock = new ManualClock(NOW);
let yahoo: YahooFixtureServer;
let provider: DataProvider;

beforeAll(async () => {
  yahoo = await startYahooFixtureServer({ now: () => clock.now() });
  provider = createYahooProvider({ clock, fetch: yahoo.fetch, timeoutMs: 10_000 });
});
afterAll(async () => {
  await provider.dispose();
  await yahoo.close();
});

describe('News', () => {
  it('Yahoo\'s search news: title, publisher, link, publish time and related tickers, newest first', async () => {
    const items = await provider.news!('AAPL', 3);
    expect(items).toEqual([
      { id: expect.any(String), title: 'Apple beats estimates as record revenue lifts shares', publisher: 'Reuters', link: 'https://finance.yahoo.com/news/aapl-story-0.html', time: NOW - 3_600_000, relatedTickers: ['AAPL', 'SPY'] },
      { id: expect.any(String), title: 'Apple shares fall after analyst downgrade', publisher: 'Bloomberg', link: 'https://finance.yahoo.com/news/aapl-story-1.html', time: NOW - 7_200_000, relatedTickers: ['AAPL'] },
      { id: expect.any(String), title: 'Apple to present at investor conference next week', publisher: 'Business Wire', link: 'https://finance.yahoo.com/news/aapl-story-2.html', time: NOW - 10_800_000, relatedTickers: ['AAPL'] },
    ]);
    expect(yahoo.requests.findLast((r) => r.endpoint === 'search')!.params).toMatchObject({ q: 'AAPL', newsCount: '3', quotesCount: '0' });
  });

  it('scores each headline, aggregates per symbol, serves from memory for five minutes, and names a failure', async () => {
    const news = new NewsService({ fetch: async (s, n) => ({ source: 'yahoo', items: await provider.news!(s, n) }), clock });
    const [aapl, msft] = await news.headlines(['AAPL', 'MSFT', 'AAPL'], 6);
    expect(msft!.symbol).toBe('MSFT');
    expect(aapl!.headlines.map((h) => [h.title, h.sentiment.label])).toEqual([
      ['Apple beats estimates as record revenue lifts shares', 'positive'],
      ['Apple shares fall after analyst downgrade', 'negative'],
      ['Apple to present at investor conference next week', 'neutral'],
      ['Apple cuts guidance, citing uncertainty over demand', 'negative'],
      ['Apple does not expect a slowdown, CEO says', 'positive'],
      ['Apple raises dividend and announces buyback', 'positive'],
    ]);
    // Hand-checked in domain/sentiment/score.test.ts: 5/7, −0.6, 0, −0.5, 0.2, 2.5/4.5; their mean.
    expect(aapl!.aggregate.score).toBeCloseTo((5 / 7 - 0.6 + 0 - 0.5 + 0.2 + 2.5 / 4.5) / 6, 12);
    expect(aapl!.aggregate).toMatchObject({ label: 'neutral', count: 6, positive: 3, negative: 2, neutral: 1 });
    expect(aapl).toMatchObject({ source: 'yahoo', fetchedAt: NOW, error: null });
    const asked = yahoo.count('search');
    clock.advance(4 * 60_000);
    await news.headlines(['AAPL'], 6);
    expect(yahoo.count('search')).toBe(asked);
    clock.advance(2 * 60_000);
    yahoo.fault({ type: 'status', status: 503 }, { endpoint: 'search', times: 1 });
    const [failed] = await news.headlines(['AAPL'], 6);
    expect(failed).toMatchObject({ symbol: 'AAPL', headlines: [], source: null, error: expect.stringMatching(/HTTP 503/) });
    // A failure is kept 30 s, then asked again.
    clock.advance(31_000);
    expect((await news.headlines(['AAPL'], 6))[0]!.headlines).toHaveLength(6);
  });

  it('asks for at most four symbols at a time however many rows a screen shows; a demo ticker scores as Apple does', async () => {
    let inFlight = 0;
    let most = 0;
    const news = new NewsService({
      clock,
      fetch: async (s, n) => {
        most = Math.max(most, ++inFlight);
        try {
          return { source: 'yahoo', items: await provider.news!(s, n) };
        } finally {
          inFlight--;
        }
      },
    });
    const symbols = Array.from({ length: 10 }, (_, i) => `D${i}X.DEMO`);
    const asked = yahoo.count('search');
    const answers = await news.headlines(symbols, 8);
    expect(most).toBe(4);
    expect(yahoo.count('search') - asked).toBe(10);
    expect(answers.map((a) => a.symbol)).toEqual(symbols);
    // The fixture's six headlines with the ticker for a name: the ticker is no lexicon word, so the mean is Apple's.
    for (const a of answers) {
      expect(a.aggregate).toMatchObject({ label: 'neutral', count: 6, positive: 3, negative: 2, neutral: 1 });
      expect(a.aggregate.score).toBeCloseTo((5 / 7 - 0.6 + 0 - 0.5 + 0.2 + 2.5 / 4.5) / 6, 12);
    }
  });
});
