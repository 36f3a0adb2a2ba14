// The IG venue: settings (demo or live, the account, the login identifier, the markets, an endpoint override for the
// simulator), what IG trades, and the session factory. The API key and password are read from the secrets store by
// the session, never from settings.
import type { Venue } from '../../ports/venue';
import { IG_SECRET, igAccountHash, igEndpoint, IgSettings } from './config';
import type { IgSession } from './session';

/** `settings`: the schema, by default with IgSettings' own defaults; the app passes one defaulting to config.yaml. */
export function igVenue(
  createSession: (settings: IgSettings, knownAccountHash: string | null) => IgSession,
  settings: Venue<IgSettings>['settings'] = IgSettings,
): Venue<IgSettings> {
  let current: IgSession | null = null;
  return {
    id: 'ig',
    label: 'IG',
    settings,
    // Trailing stops at IG belong to a position (trailingStop on the deal), not to an order: the app holds them.
    capabilities: { assetClasses: ['fx', 'commodity-cfd', 'index-cfd'], orderTypes: ['market', 'limit', 'stop'], quotes: 'polling' },
    settingsFields: [
      { key: 'environment', label: 'Environment', kind: 'select', liveValue: 'live', options: [{ value: 'demo', label: 'Demo' }, { value: 'live', label: 'Live (real money)' }] },
      { key: 'identifier', label: 'Identifier (user name)', kind: 'text', placeholder: 'your IG login' },
      { key: 'account_id', label: 'Account (optional)', kind: 'text', placeholder: 'the account IG logs in to', hint: 'e.g. XQ12345; never stored, only a one-way key' },
      { key: 'base_url', label: 'REST URL (optional)', kind: 'url', placeholder: "IG's gateway for the environment", hint: 'Another origin, e.g. the simulator: http://127.0.0.1:PORT' },
      { key: 'auto_connect', label: 'Connect when Quant Claude starts', kind: 'checkbox' },
    ],
    secret: { name: IG_SECRET, label: 'API key and password', hint: 'The API key (My IG → Settings → API keys), a colon, then the account password: KEY:PASSWORD; stored encrypted, never shown again' },
    alwaysOn: false,
    keys: { settings: 'ig.settings', accountKey: 'ig.account-hash' },
    initialCash: 0,
    marginBooks: true,
    // IG runs margin calls and closes positions itself (ESMA retail: at 50 % margin level); the specs are IG's own.
    cfd: { terms: { regime: 'esma-retail', levels: { marginCall: 100, stopOut: 50 }, spec: (symbol) => current?.cfdSpec(symbol) }, enforcedByApp: false },
    isLive: (s) => s.environment === 'live',
    autoConnect: (s) => s.auto_connect,
    saved: (s) => ({ ...s, account_id: '' }),
    accountKey: (s) => (s.account_id ? igAccountHash(s.account_id) : null),
    describe: (s) => ({ environment: s.environment, endpoint: igEndpoint(s) }),
    accountLabel: (session) => `IG${session.status().accountLabel ? ` ${session.status().accountLabel}` : ''}`,
    create: (s, { knownAccountKey }) => {
      current = createSession(s, knownAccountKey);
      return current;
    },
  };
}
