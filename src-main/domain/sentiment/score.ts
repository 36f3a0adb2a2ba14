// Headline sentiment from the project's finance lexicon (./lexicon.ts): the longest lexicon phrases found in the
// headline, each turned and halved when a negator stands at most three words before it (within the same clause), summed
// and mapped into (−1, 1) by s / (|s| + 2) — so one decisive term (±2) scores ±0.5 and the score is easy to check by
// hand. Pure: no I/O, no clock.
import { NEGATION_FACTOR, NEGATION_WINDOW, NEGATIVE, NEGATORS, POSITIVE, UNCERTAINTY } from './lexicon';

export type SentimentLabel = 'positive' | 'negative' | 'neutral';

export interface SentimentMatch {
  term: string;
  /** The weight counted: the lexicon's, turned and scaled when negated. */
  weight: number;
  negated: boolean;
}

export interface Sentiment {
  /** In (−1, 1): below zero bad news, above good news. */
  score: number;
  label: SentimentLabel;
  /** Uncertainty words found ("may", "uncertainty", "mulls"…). */
  uncertainty: number;
  matches: SentimentMatch[];
}

/** |score| below this is neutral. */
export const NEUTRAL_BAND = 0.15;
const SOFTNESS = 2;

const WEIGHTS = new Map<string, number>([...Object.entries(POSITIVE), ...Object.entries(NEGATIVE)]);
const LONGEST = Math.max(...[...WEIGHTS.keys(), ...NEGATORS].map((p) => p.split(' ').length));
/** Marks that end a clause: negation does not reach across them. */
const BREAK = '|';

/** Lower-case words, with clause breaks kept as BREAK tokens; curly apostrophes are straightened. */
export function tokenize(text: string): string[] {
  const normal = text.toLowerCase().replace(/[\u2018\u2019\u02bc]/g, "'");
  const tokens: string[] = [];
  for (const m of normal.matchAll(/[a-z0-9]+(?:['-][a-z0-9]+)*|[,;:.!?()\u2013\u2014]/g)) {
    tokens.push(/^[a-z0-9]/.test(m[0]) ? m[0] : BREAK);
  }
  return tokens;
}

export const labelOf = (score: number): SentimentLabel => (score >= NEUTRAL_BAND ? 'positive' : score <= -NEUTRAL_BAND ? 'negative' : 'neutral');

export function scoreHeadline(text: string): Sentiment {
  const tokens = tokenize(text);
  const matches: SentimentMatch[] = [];
  let uncertainty = 0;
  /** Index of the last token of the latest negator in this clause, or −Infinity. */
  let negatorEnd = -Infinity;
  for (let i = 0; i < tokens.length;) {
    if (tokens[i] === BREAK) {
      negatorEnd = -Infinity;
      i++;
      continue;
    }
    let matched = false;
    for (let n = Math.min(LONGEST, tokens.length - i); n >= 1 && !matched; n--) {
      const words = tokens.slice(i, i + n);
      if (words.includes(BREAK)) continue;
      const phrase = words.join(' ');
      if (NEGATORS.has(phrase)) {
        negatorEnd = i + n - 1;
        i += n;
        matched = true;
      } else if (WEIGHTS.has(phrase)) {
        const base = WEIGHTS.get(phrase)!;
        const negated = base !== 0 && i - negatorEnd <= NEGATION_WINDOW;
        if (base !== 0) matches.push({ term: phrase, weight: negated ? -base * NEGATION_FACTOR : base, negated });
        i += n;
        matched = true;
      }
    }
    if (!matched) {
      if (UNCERTAINTY.has(tokens[i]!)) uncertainty++;
      i++;
    }
  }
  const sum = matches.reduce((s, m) => s + m.weight, 0);
  const score = sum / (Math.abs(sum) + SOFTNESS);
  return { score, label: labelOf(score), uncertainty, matches };
}

export interface SentimentAggregate {
  /** Mean score of the headlines; 0 with none. */
  score: number;
  label: SentimentLabel;
  count: number;
  positive: number;
  negative: number;
  neutral: number;
}

/** A symbol's headlines together: the mean score, and how many were good, bad and neutral. */
export function aggregateSentiment(scores: readonly Sentiment[]): SentimentAggregate {
  const count = scores.length;
  const score = count ? scores.reduce((s, x) => s + x.score, 0) / count : 0;
  return {
    score, label: labelOf(score), count,
    positive: scores.filter((s) => s.label === 'positive').length,
    negative: scores.filter((s) => s.label === 'negative').length,
    neutral: scores.filter((s) => s.label === 'neutral').length,
  };
}
