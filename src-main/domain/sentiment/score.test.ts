// Hand-checked headline scores: each expected value is worked out on paper from the lexicon's weights, the negation
// rule (turned, halved, at most three words back, not across a comma) and s / (|s| + 2).
import { describe, expect, it } from 'vitest';
import { NEGATIVE, NEGATORS, POSITIVE, UNCERTAINTY } from './lexicon';
import { aggregateSentiment, scoreHeadline, tokenize } from './score';

describe('headline sentiment', () => {
  it('scores phrases by their weights, the longest phrase first', () => {
    // "beats estimates" (2, not "beats" 1.5) + "record revenue" (2, not "record" 1) + "lifts" (1) = 5 → 5/7.
    const s = scoreHeadline('Apple beats estimates as record revenue lifts shares');
    expect(s.matches.map((m) => [m.term, m.weight])).toEqual([['beats estimates', 2], ['record revenue', 2], ['lifts', 1]]);
    expect(s.score).toBeCloseTo(5 / 7, 12);
    expect(s.label).toBe('positive');
    // "fall" −1 + "downgrade" −2 = −3 → −3/5.
    expect(scoreHeadline('Apple shares fall after analyst downgrade').score).toBeCloseTo(-0.6, 12);
    // "guidance cut" and "cuts guidance" are the same news: −2 → −0.5; "uncertainty" is counted, not scored.
    const cut = scoreHeadline('Apple cuts guidance, citing uncertainty over demand');
    expect([cut.score, cut.label, cut.uncertainty]).toEqual([-0.5, 'negative', 1]);
    expect(scoreHeadline('Guidance cut at Apple').score).toBe(-0.5);
    // "misses" −2 → −0.5.
    expect(scoreHeadline('Microsoft misses on cloud revenue').score).toBe(-0.5);
    // "raises dividend" 1.5 + "buyback" 1 = 2.5 → 2.5/4.5.
    expect(scoreHeadline('Apple raises dividend and announces buyback').score).toBeCloseTo(2.5 / 4.5, 12);
  });

  it('turns and halves a term a negator stands before, within three words and the same clause', () => {
    // "not" is three words before "slowdown" (−1): +0.5 → 0.5/2.5 = 0.2, just positive.
    const s = scoreHeadline('Apple does not expect a slowdown, CEO says');
    expect(s.matches).toEqual([{ term: 'slowdown', weight: 0.5, negated: true }]);
    expect(s.score).toBeCloseTo(0.2, 12);
    expect(s.label).toBe('positive');
    // "fails to" before "beat estimates" (2): −1 → −1/3.
    expect(scoreHeadline('Tesla fails to beat estimates').score).toBeCloseTo(-1 / 3, 12);
    // Four words back is out of reach: "loss" counts in full, −1 → −1/3.
    expect(scoreHeadline('No one saw the loss coming').score).toBeCloseTo(-1 / 3, 12);
    // A comma ends the negation: "no comment, shares fall" is just "fall".
    expect(scoreHeadline('No comment, shares fall').matches).toEqual([{ term: 'fall', weight: -1, negated: false }]);
    // Curly apostrophes are negators too: "doesn’t" before "miss" (−1.5) → +0.75 → 0.75/2.75.
    expect(scoreHeadline('Nvidia doesn’t miss').score).toBeCloseTo(0.75 / 2.75, 12);
  });

  it('is neutral without lexicon terms, and does not match inside other words', () => {
    expect(scoreHeadline('Apple to present at investor conference next week')).toEqual({ score: 0, label: 'neutral', uncertainty: 0, matches: [] });
    // "beaten" and "falsehood" are not "beat" or "fall"; "risk" is uncertainty, not polarity.
    expect(scoreHeadline('Beaten path: falsehood and risk').matches).toEqual([]);
    // One ordinary move (±1 → ±1/3) is past the neutral band; a half-weight term (0.5 → 0.2) too; nothing below 0.15 but zero here.
    expect(scoreHeadline('Growth').score).toBeCloseTo(0.2, 12);
    expect(tokenize('Q3: EPS up 5%')).toEqual(['q3', '|', 'eps', 'up', '5']);
  });

  it('aggregates a symbol\'s headlines as the mean score with counts per label', () => {
    const scores = ['Apple beats estimates', 'Apple shares fall after analyst downgrade', 'Apple to present at conference'].map(scoreHeadline);
    // (0.5 − 0.6 + 0) / 3.
    const a = aggregateSentiment(scores);
    expect(a.score).toBeCloseTo(-0.1 / 3, 12);
    expect(a).toMatchObject({ label: 'neutral', count: 3, positive: 1, negative: 1, neutral: 1 });
    expect(aggregateSentiment([])).toEqual({ score: 0, label: 'neutral', count: 0, positive: 0, negative: 0, neutral: 0 });
  });

  it('keeps the lexicon consistent: signs by list, lower case, no term in two lists', () => {
    for (const [t, w] of Object.entries(POSITIVE)) expect(w > 0 && t === t.toLowerCase(), t).toBe(true);
    for (const [t, w] of Object.entries(NEGATIVE)) expect(w < 0 && t === t.toLowerCase(), t).toBe(true);
    const all = [...Object.keys(POSITIVE), ...Object.keys(NEGATIVE), ...UNCERTAINTY, ...NEGATORS];
    expect(new Set(all).size).toBe(all.length);
  });
});
