// The Interactive Brokers venue: TWS / IB Gateway settings, what IB trades, and the session factory.
import { IbSettings } from '../../../src-shared/domain/broker';
import type { Venue } from '../../ports/venue';
import { accountHash, type IbSession } from './session';

export function ibVenue(createSession: (settings: IbSettings, knownAccountHash: string | null) => IbSession): Venue<IbSettings> {
  return {
    id: 'ib',
    label: 'Interactive Brokers',
    settings: IbSettings,
    capabilities: { assetClasses: ['stock', 'fx', 'index-cfd', 'commodity-cfd'], orderTypes: ['market', 'limit', 'stop'], quotes: 'streaming' },
    alwaysOn: false,
    // The keys used before several accounts, so saved connections survive the upgrade.
    keys: { settings: 'ib.settings', accountKey: 'ib.account-hash' },
    initialCash: 0,
    isLive: (s) => s.mode === 'live',
    autoConnect: (s) => s.autoConnect,
    saved: (s) => ({ ...s, account: '' }),
    accountKey: (s) => (s.account ? accountHash(s.account) : null),
    describe: (s) => ({ mode: s.mode, endpoint: `${s.host}:${s.port}` }),
    accountLabel: (session) => `IB${session.status().accountLabel ? ` ${session.status().accountLabel}` : ''}`,
    create: (settings, { knownAccountKey }) => createSession(settings, knownAccountKey),
  };
}
