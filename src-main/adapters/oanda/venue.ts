// The OANDA v20 venue: settings (practice or live, the account, an endpoint override for the simulator), what OANDA
// trades, and the session factory. The API token is read from the secrets store by the session, never from settings.
import type { Venue } from '../../ports/venue';
import { endpoints, OANDA_TOKEN_SECRET, oandaAccountHash, OandaSettings } from './config';
import type { OandaSession } from './session';

/** `settings`: the schema, by default with OandaSettings' own defaults; the app passes one defaulting to config.yaml. */
export function oandaVenue(
  createSession: (settings: OandaSettings, knownAccountHash: string | null) => OandaSession,
  settings: Venue<OandaSettings>['settings'] = OandaSettings,
): Venue<OandaSettings> {
  return {
    id: 'oanda',
    label: 'OANDA',
    settings,
    // Trailing stops are native only as trailingStopLossOnFill (attached to the trade an entry opens); a stand-alone
    // trailing stop order is held by the app.
    capabilities: { assetClasses: ['fx', 'commodity-cfd', 'index-cfd'], orderTypes: ['market', 'limit', 'stop'], quotes: 'streaming' },
    settingsFields: [
      { key: 'environment', label: 'Environment', kind: 'select', liveValue: 'live', options: [{ value: 'practice', label: 'Practice (fxTrade Practice)' }, { value: 'live', label: 'Live (real money)' }] },
      { key: 'account_id', label: 'Account (optional)', kind: 'text', placeholder: 'first account the token sees', hint: 'e.g. 101-004-1234567-001; never stored, only a one-way key' },
      { key: 'base_url', label: 'REST URL (optional)', kind: 'url', placeholder: "OANDA's host for the environment", hint: 'Another origin, e.g. the simulator: http://127.0.0.1:PORT' },
      { key: 'stream_url', label: 'Streaming URL (optional)', kind: 'url', placeholder: 'the REST URL, else OANDA\'s stream host' },
      { key: 'auto_connect', label: 'Connect when Quant Claude starts', kind: 'checkbox' },
    ],
    secret: { name: OANDA_TOKEN_SECRET, label: 'API token', hint: 'My Account → Manage API Access at OANDA; stored encrypted, never shown again' },
    alwaysOn: false,
    keys: { settings: 'oanda.settings', accountKey: 'oanda.account-hash' },
    initialCash: 0,
    marginBooks: true,
    isLive: (s) => s.environment === 'live',
    autoConnect: (s) => s.auto_connect,
    saved: (s) => ({ ...s, account_id: '' }),
    accountKey: (s) => (s.account_id ? oandaAccountHash(s.account_id) : null),
    describe: (s) => ({ environment: s.environment, endpoint: endpoints(s).rest }),
    accountLabel: (session) => `OANDA${session.status().accountLabel ? ` ${session.status().accountLabel}` : ''}`,
    create: (s, { knownAccountKey }) => createSession(s, knownAccountKey),
  };
}
