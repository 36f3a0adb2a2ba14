// The last stop before the renderer: every API answer and pushed event is scrubbed of the configured API keys and of
// credential-shaped text (domain/scrub.ts). Provider errors travel far (a source's lastError, a fundamentals entry, a
// live strategy's message) and often quote the URL they failed on; one gate here covers every path.
import { KeyedProvider, type EventName, type EventOf } from '../../src-shared/api/contract';
import { scrubDeep } from '../domain/scrub';
import { apiKeySecretName, type Secrets } from '../ports/secrets';
import { EventHub, type Dispatch } from './dispatcher';

/** Events that carry numbers and fixed tags only, pushed many times a second: not worth walking. */
const NUMERIC_EVENTS: ReadonlySet<EventName> = new Set(['quote', 'backtest.progress']);

export class SecretScrubber {
  private known: string[] = [];
  /** `more`: further secret names to scrub (the venues' credentials, known once they are registered). */
  constructor(private readonly secrets: Secrets, private readonly more: () => string[] = () => []) {}

  /** Re-reads the configured keys (at start and whenever one is set or removed). */
  async refresh(): Promise<void> {
    const names = [...KeyedProvider.options.map(apiKeySecretName), ...this.more()];
    const values = await Promise.all(names.map((n) => this.secrets.get(n).catch(() => undefined)));
    this.known = values.filter((v): v is string => typeof v === 'string' && v.length > 0);
  }

  scrub<T>(value: T): T {
    return scrubDeep(value, this.known);
  }
}

/** The dispatcher with every answer (results and errors) scrubbed. */
export function scrubbingDispatch(dispatch: Dispatch, scrubber: SecretScrubber): Dispatch {
  return async (method, params) => {
    const answer = await dispatch(method, params);
    if (method === 'settings.apiKeys.set' || method === 'venues.secret.set') await scrubber.refresh();
    return scrubber.scrub(answer);
  };
}

/** An EventHub whose payloads are scrubbed before any transport sees them. */
export class ScrubbingEventHub extends EventHub {
  constructor(validate: boolean, private readonly scrubber: SecretScrubber) {
    super(validate);
  }

  override emit<E extends EventName>(name: E, data: EventOf<E>): void {
    super.emit(name, NUMERIC_EVENTS.has(name) ? data : this.scrubber.scrub(data));
  }
}
