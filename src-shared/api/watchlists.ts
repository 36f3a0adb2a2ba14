// The watchlists' messages (issue 15): named lists of symbols for the chart's sidebar (and, later, the screener's
// results). contract.ts registers them as `watchlists.*` methods.
import { z } from 'zod';

export const WATCHLIST_MAX_SYMBOLS = 500;
export const WATCHLIST_MAX_LISTS = 50;

const WatchlistId = z.string().min(1).max(64);
const WatchlistName = z.string().trim().min(1, 'A name is needed').max(60, 'At most 60 characters');
/** Symbols as the instruments spell them: upper case, no blanks. */
const WatchSymbol = z.string().trim().toUpperCase().regex(/^[A-Z0-9.^=_/:-]{1,32}$/, 'not a symbol');

export const Watchlist = z.object({
  id: z.string(),
  name: z.string(),
  /** In the order they were added. */
  symbols: z.array(z.string()),
});
export type Watchlist = z.infer<typeof Watchlist>;

export const watchlistMethods = {
  /** Every list, in their order; an empty store answers one empty list (created then, so it has an id). */
  'watchlists.list': { request: z.object({}).strict(), response: z.array(Watchlist) },
  'watchlists.create': { request: z.object({ name: WatchlistName, symbols: z.array(WatchSymbol).max(WATCHLIST_MAX_SYMBOLS).default([]) }), response: Watchlist },
  'watchlists.rename': { request: z.object({ id: WatchlistId, name: WatchlistName }), response: Watchlist },
  'watchlists.delete': { request: z.object({ id: WatchlistId }), response: z.object({ ok: z.literal(true) }) },
  /** Appends the symbols not on the list yet (duplicates are skipped, not errors). */
  'watchlists.addSymbols': { request: z.object({ id: WatchlistId, symbols: z.array(WatchSymbol).min(1).max(WATCHLIST_MAX_SYMBOLS) }), response: Watchlist },
  'watchlists.removeSymbol': { request: z.object({ id: WatchlistId, symbol: WatchSymbol }), response: Watchlist },
} as const;
