// The `screener.*` methods (src-shared/api/screener.ts) on the screener service: thin glue. Without a screener they
// answer UNAVAILABLE; a request the user can fix (unknown factor, bad filter) is BAD_REQUEST.
import { ScreenerInputError, type ScreenerService } from '../services/screener';
import { HandlerError, type ApiHandlers } from './dispatcher';

type ScreenerMethod = Extract<keyof ApiHandlers, `screener.${string}`>;

async function input<T>(screener: ScreenerService | undefined, fn: (s: ScreenerService) => Promise<T> | T): Promise<T> {
  if (!screener) throw new HandlerError('UNAVAILABLE', 'The screener is not available in this app');
  try {
    return await fn(screener);
  } catch (err) {
    if (err instanceof ScreenerInputError) throw new HandlerError('BAD_REQUEST', err.message);
    // An unknown universe id from the data's universe source.
    if (err instanceof Error && /^No universe /.test(err.message)) throw new HandlerError('NOT_FOUND', err.message);
    throw err;
  }
}

export function screenerHandlers(screener: ScreenerService | undefined): Pick<ApiHandlers, ScreenerMethod> {
  return {
    'screener.factors': () => input(screener, (s) => s.factors()),
    'screener.universes': () => input(screener, (s) => s.universes()),
    'screener.run': (req) => input(screener, (s) => s.screen(req)),
    'screener.exportCsv': (req) => input(screener, (s) => s.exportCsv(req)),
    'screener.saved.list': () => input(screener, (s) => s.savedScreens()),
    'screener.saved.save': (req) => input(screener, (s) => s.saveScreen(req)),
    'screener.saved.delete': ({ id }) => input(screener, async (s) => {
      if (!(await s.deleteScreen(id))) throw new HandlerError('NOT_FOUND', `No saved screen ${id}`);
      return { ok: true as const };
    }),
    'screener.factorLab': (req) => input(screener, (s) => s.factorLab(req)),
    'screener.factorBacktest': (req) => input(screener, async (s) => {
      const r = await s.factorBacktest(req);
      return { ...r, metrics: Object.fromEntries(Object.entries(r.metrics).map(([k, v]) => [k, Number.isFinite(v) ? v : null])) };
    }),
  };
}
