// The cTrader Open API venue: settings (demo or live, the account, the application's client id, an endpoint override
// for the simulator), what cTrader trades, and the session factory. The client secret and access token are read from
// the secrets store by the session (one credential, "<client secret>:<access token>"), never from settings.
import type { Venue } from '../../ports/venue';
import { CTRADER_CREDENTIALS_SECRET, ctraderAccountHash, CtraderSettings, endpointOf } from './config';
import type { CtraderSession } from './session';

/** `settings`: the schema, by default with CtraderSettings' own defaults; the app passes one defaulting to config.yaml. */
export function ctraderVenue(
  createSession: (settings: CtraderSettings, knownAccountHash: string | null) => CtraderSession,
  settings: Venue<CtraderSettings>['settings'] = CtraderSettings,
): Venue<CtraderSettings> {
  return {
    id: 'ctrader',
    label: 'cTrader',
    settings,
    // Trailing stops, stop-loss / take-profit legs and other held orders are managed by the app (nativeBrackets off).
    capabilities: { assetClasses: ['fx', 'commodity-cfd', 'index-cfd'], orderTypes: ['market', 'limit', 'stop'], quotes: 'streaming' },
    settingsFields: [
      { key: 'environment', label: 'Environment', kind: 'select', liveValue: 'live', options: [{ value: 'demo', label: 'Demo' }, { value: 'live', label: 'Live (real money)' }] },
      { key: 'client_id', label: 'Client id', kind: 'text', placeholder: 'the Open API application\'s client id', hint: 'openapi.ctrader.com → Applications; the client secret goes with the access token below' },
      { key: 'account_id', label: 'Account (optional)', kind: 'text', placeholder: 'first account the token sees', hint: 'the ctidTraderAccountId; never stored, only a one-way key' },
      { key: 'url', label: 'WebSocket URL (optional)', kind: 'url', placeholder: "Spotware's host for the environment", hint: 'Another origin, e.g. the simulator: ws://127.0.0.1:PORT' },
      { key: 'symbols', label: 'Symbols (optional)', kind: 'text', placeholder: 'every symbol of the account (up to 200)', hint: 'comma-separated, e.g. EURUSD,GBPUSD,XAUUSD' },
      { key: 'auto_connect', label: 'Connect when Quant Claude starts', kind: 'checkbox' },
    ],
    secret: { name: CTRADER_CREDENTIALS_SECRET, label: 'Client secret and access token', hint: 'as CLIENT_SECRET:ACCESS_TOKEN (a colon between); stored encrypted, never shown again' },
    alwaysOn: false,
    keys: { settings: 'ctrader.settings', accountKey: 'ctrader.account-hash' },
    initialCash: 0,
    marginBooks: true,
    isLive: (s) => s.environment === 'live',
    autoConnect: (s) => s.auto_connect,
    saved: (s) => ({ ...s, account_id: '' }),
    accountKey: (s) => (s.account_id ? ctraderAccountHash(s.account_id) : null),
    describe: (s) => ({ environment: s.environment, endpoint: endpointOf(s) }),
    accountLabel: (session) => `cTrader${session.status().accountLabel ? ` ${session.status().accountLabel}` : ''}`,
    create: (s, { knownAccountKey }) => createSession(s, knownAccountKey),
  };
}
