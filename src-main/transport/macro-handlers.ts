// The `macro.*` and `news.*` methods (issue 16: src-shared/api/macro.ts, news.ts) on the Macro and News services:
// thin glue, no rules of their own.
import { MacroInputError, type MacroService } from '../services/macro';
import type { NewsService } from '../services/news';
import { HandlerError, type ApiHandlers } from './dispatcher';

type MacroMethod = Extract<keyof ApiHandlers, `macro.${string}` | `news.${string}`>;

function needs<T>(service: T | undefined, what: string): T {
  if (!service) throw new HandlerError('UNAVAILABLE', `${what} is not available in this app`);
  return service;
}

/** An unknown series or a full list is the caller's to fix: BAD_REQUEST with the reason. */
async function macroInput<T>(fn: () => Promise<T>): Promise<T> {
  try {
    return await fn();
  } catch (err) {
    if (err instanceof MacroInputError) throw new HandlerError('BAD_REQUEST', err.message);
    throw err;
  }
}

export function macroHandlers(d: { macro?: MacroService; news?: NewsService }): Pick<ApiHandlers, MacroMethod> {
  return {
    'macro.series': ({ refresh }) => needs(d.macro, 'Macro data').overview(refresh),
    'macro.add': ({ id }) => macroInput(() => needs(d.macro, 'Macro data').add(id)),
    'macro.remove': async ({ id }) => {
      await needs(d.macro, 'Macro data').remove(id);
      return { ok: true as const };
    },
    'news.headlines': ({ symbols, count }) => needs(d.news, 'News').headlines(symbols, count),
  };
}
