// The `watchlists.*` methods (src-shared/api/watchlists.ts) on the watchlist service: thin glue, no rules of their own.
import { WatchlistInputError, WatchlistNotFoundError, type WatchlistService } from '../services/watchlists';
import { HandlerError, type ApiHandlers } from './dispatcher';

type WatchlistMethod = Extract<keyof ApiHandlers, `watchlists.${string}`>;

/** A refused limit is the caller's to fix (BAD_REQUEST), an unknown id NOT_FOUND. */
async function watchlistInput<T>(fn: () => Promise<T>): Promise<T> {
  try {
    return await fn();
  } catch (err) {
    if (err instanceof WatchlistInputError) throw new HandlerError('BAD_REQUEST', err.message);
    if (err instanceof WatchlistNotFoundError) throw new HandlerError('NOT_FOUND', err.message);
    throw err;
  }
}

export function watchlistHandlers(watchlists: WatchlistService): Pick<ApiHandlers, WatchlistMethod> {
  return {
    'watchlists.list': () => watchlists.list(),
    'watchlists.create': ({ name, symbols }) => watchlistInput(() => watchlists.create(name, symbols)),
    'watchlists.rename': ({ id, name }) => watchlistInput(() => watchlists.rename(id, name)),
    'watchlists.delete': ({ id }) => watchlistInput(async () => {
      await watchlists.delete(id);
      return { ok: true as const };
    }),
    'watchlists.addSymbols': ({ id, symbols }) => watchlistInput(() => watchlists.addSymbols(id, symbols)),
    'watchlists.removeSymbol': ({ id, symbol }) => watchlistInput(() => watchlists.removeSymbol(id, symbol)),
  };
}
