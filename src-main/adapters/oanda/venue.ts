// The OANDA v20 venue: settings (practice or live, the account, an endpoint override for the simulator), what OANDA
// trades, and the session factory. The API token is read from the secrets store by the session, never from settings.
import type { Venue } from '../../ports/venue';
import { endpoints, oandaAccountHash, OandaSettings } from './config';
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
    alwaysOn: false,
    keys: { settings: 'oanda.settings', accountKey: 'oanda.account-hash' },
    initialCash: 0,
    isLive: (s) => s.environment === 'live',
    autoConnect: (s) => s.auto_connect,
    saved: (s) => ({ ...s, account_id: '' }),
    accountKey: (s) => (s.account_id ? oandaAccountHash(s.account_id) : null),
    describe: (s) => ({ environment: s.environment, endpoint: endpoints(s).rest }),
    accountLabel: (session) => `OANDA${session.status().accountLabel ? ` ${session.status().accountLabel}` : ''}`,
    create: (s, { knownAccountKey }) => createSession(s, knownAccountKey),
  };
}
