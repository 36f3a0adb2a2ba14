// The MetaTrader 5 venue: settings (account number, trade server, terminal and Python paths, symbols), what it trades,
// and the session factory. The account password is read from the secrets store by the session.
import type { Venue } from '../../ports/venue';
import { MT5_PASSWORD_SECRET, mt5AccountHash, Mt5Settings } from './config';
import type { Mt5Session } from './session';

export function mt5Venue(createSession: (settings: Mt5Settings, knownAccountHash: string | null) => Mt5Session, settings: Venue<Mt5Settings>['settings'] = Mt5Settings): Venue<Mt5Settings> {
  return {
    id: 'mt5',
    label: 'MetaTrader 5',
    settings,
    capabilities: { assetClasses: ['fx', 'commodity-cfd', 'index-cfd'], orderTypes: ['market', 'limit', 'stop'], quotes: 'polling' },
    settingsFields: [
      { key: 'login', label: 'Account number (optional)', kind: 'text', placeholder: 'the account the terminal is logged in to', hint: 'never stored, only a one-way key' },
      { key: 'server', label: 'Trade server (optional)', kind: 'text', placeholder: 'e.g. Broker-Demo' },
      { key: 'terminal_path', label: 'Terminal (optional)', kind: 'text', placeholder: 'C:\\Program Files\\MetaTrader 5\\terminal64.exe' },
      { key: 'python', label: 'Python', kind: 'text', hint: 'the interpreter with `pip install MetaTrader5` (Windows)' },
      { key: 'auto_connect', label: 'Connect when Quant Claude starts', kind: 'checkbox' },
    ],
    secret: { name: MT5_PASSWORD_SECRET, label: 'Account password', hint: 'the MT5 account password; stored encrypted, never shown again' },
    alwaysOn: false,
    keys: { settings: 'mt5.settings', accountKey: 'mt5.account-hash' },
    initialCash: 0,
    marginBooks: true,
    // A CFD/FX account: the margin monitor and the risk gate use leverage (the regulator's caps by asset class until the
    // symbols' own margin rates are bridged); the broker's server runs margin calls and stop-out itself.
    cfd: { terms: { regime: 'esma-retail', levels: { marginCall: 100, stopOut: 50 }, spec: () => undefined }, enforcedByApp: false },
    isLive: (s) => s.live,
    autoConnect: (s) => s.auto_connect,
    saved: (s) => ({ ...s, login: '' }),
    accountKey: (s) => (s.login ? mt5AccountHash(s.login) : null),
    describe: (s) => ({ live: s.live, server: s.server ? 'set' : 'terminal default' }),
    accountLabel: (session) => `MT5${session.status().accountLabel ? ` ${session.status().accountLabel}` : ''}`,
    create: (s, { knownAccountKey }) => createSession(s, knownAccountKey),
  };
}
