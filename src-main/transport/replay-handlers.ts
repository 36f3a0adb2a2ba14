// The `replay.*` methods of issue 17 item 6 (src-shared/api/replay.ts) on the session replay service: thin glue.
import { ReplayInputError, type SessionReplay } from '../services/session-replay';
import type { VenueAccount } from '../services/sessions';
import { HandlerError, type ApiHandlers } from './dispatcher';

type ReplayMethod = 'replay.days' | 'replay.day' | 'replay.state' | 'replay.events';

export function replayHandlers(d: { replay?: SessionReplay; account: (accountId?: string) => VenueAccount }): Pick<ApiHandlers, ReplayMethod> {
  const need = (): SessionReplay => {
    if (!d.replay) throw new HandlerError('UNAVAILABLE', 'Session replay is not running');
    return d.replay;
  };
  const input = async <T>(fn: () => Promise<T>): Promise<T> => {
    try {
      return await fn();
    } catch (err) {
      if (err instanceof ReplayInputError) throw new HandlerError('BAD_REQUEST', err.message);
      throw err;
    }
  };
  const ref = (accountId?: string) => {
    const a = d.account(accountId);
    return { accountId: a.accountId, market: a.market };
  };
  return {
    'replay.days': ({ accountId, limit }) => input(() => need().days(ref(accountId).accountId, limit)),
    'replay.day': ({ date, accountId }) => input(() => need().day(ref(accountId), date)),
    'replay.state': ({ date, time, accountId }) => input(() => need().stateAt(ref(accountId), date, time)),
    'replay.events': ({ date, from, to, accountId }) => input(() => need().events(ref(accountId), date, from, to)),
  };
}
