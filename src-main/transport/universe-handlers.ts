// The `universes.*` methods (src-shared/api/universes.ts) on the universe service: thin glue, no rules of their own.
import { UniverseFileError, UniverseNotFoundError, type UniverseService } from '../services/universes';
import { HandlerError, type ApiHandlers } from './dispatcher';

type UniverseMethod = Extract<keyof ApiHandlers, `universes.${string}`>;

/** A file that cannot be read is the caller's to fix (BAD_REQUEST), an unknown id NOT_FOUND. */
async function universeInput<T>(fn: () => Promise<T>): Promise<T> {
  try {
    return await fn();
  } catch (err) {
    if (err instanceof UniverseFileError) throw new HandlerError('BAD_REQUEST', err.message);
    if (err instanceof UniverseNotFoundError) throw new HandlerError('NOT_FOUND', err.message);
    throw err;
  }
}

export function universeHandlers(universes: UniverseService | undefined): Pick<ApiHandlers, UniverseMethod> {
  const on = () => {
    if (!universes) throw new HandlerError('UNAVAILABLE', 'Universes are not available in this session');
    return universes;
  };
  return {
    'universes.list': () => on().list(),
    'universes.get': ({ id }) => universeInput(() => on().get(id)),
    'universes.import': (req) => universeInput(async () => {
      const u = await on().import(req);
      return { id: u.id, kind: u.kind, name: u.name, asOf: u.asOf, size: u.members.length };
    }),
  };
}
