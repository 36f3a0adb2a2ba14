// News and sentiment (issue 16 item 7): headlines per symbol with a sentiment score each (the project's own finance
// lexicon, src-main/domain/sentiment) and an aggregate per symbol. contract.ts registers these as `news.*` methods.
import { z } from 'zod';

const Label = z.enum(['positive', 'negative', 'neutral']);
const NewsSymbol = z.string().trim().toUpperCase().regex(/^[A-Z0-9.^=_/:-]{1,32}$/, 'not a symbol');

export const ScoredHeadline = z.object({
  id: z.string(),
  title: z.string(),
  publisher: z.string(),
  link: z.string(),
  /** Published, UTC ms. */
  time: z.number(),
  relatedTickers: z.array(z.string()),
  sentiment: z.object({
    /** In (−1, 1). */
    score: z.number(),
    label: Label,
    /** Uncertainty words in the headline. */
    uncertainty: z.number().int(),
    /** The lexicon terms that made the score, with the weight counted (negated terms turned and halved). */
    matches: z.array(z.object({ term: z.string(), weight: z.number(), negated: z.boolean() })),
  }),
});
export type ScoredHeadline = z.infer<typeof ScoredHeadline>;

export const SymbolNews = z.object({
  symbol: z.string(),
  headlines: z.array(ScoredHeadline),
  /** The mean score of the headlines and how many were positive, negative, neutral. */
  aggregate: z.object({ score: z.number(), label: Label, count: z.number().int(), positive: z.number().int(), negative: z.number().int(), neutral: z.number().int() }),
  /** Where the headlines came from (yahoo); null when none could be fetched. */
  source: z.string().nullable(),
  fetchedAt: z.number().nullable(),
  /** Why there are no headlines (no news source running, Yahoo down); null when fetched. */
  error: z.string().nullable(),
});
export type SymbolNews = z.infer<typeof SymbolNews>;

export const newsMethods = {
  /** Recent headlines per symbol, newest first, scored; cached for a few minutes. */
  'news.headlines': {
    request: z.object({ symbols: z.array(NewsSymbol).min(1).max(100), count: z.number().int().min(1).max(50).default(10) }),
    response: z.array(SymbolNews),
  },
} as const;
