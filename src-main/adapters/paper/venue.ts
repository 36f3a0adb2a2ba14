// The paper venue: the paper broker on the app's market, always connected, one account in our own books.
import { z } from 'zod';
import type { Broker } from '../../ports/broker';
import type { MarketData } from '../../ports/market-data';
import type { Venue } from '../../ports/venue';
import type { CfdTerms } from '../../domain/cfd/account';
import { createPaperSession } from './session';

export const PaperSettings = z.object({});
export type PaperSettings = z.infer<typeof PaperSettings>;

export interface PaperVenueOptions {
  accountId: string;
  broker: Broker;
  market: MarketData;
  initialCash: number;
}

export function paperVenue(o: PaperVenueOptions): Venue<PaperSettings> {
  return {
    id: 'paper',
    label: 'Paper',
    settings: PaperSettings,
    capabilities: { assetClasses: ['stock', 'index-cfd', 'fx', 'commodity-cfd', 'crypto'], orderTypes: ['market', 'limit', 'stop'], quotes: 'streaming' },
    alwaysOn: true,
    keys: { settings: 'paper.settings', accountKey: 'paper.account-key' },
    initialCash: o.initialCash,
    isLive: () => false,
    autoConnect: () => true,
    saved: (s) => s,
    accountKey: () => null,
    describe: () => ({}),
    accountLabel: () => 'Paper',
    create() {
      const session = createPaperSession(o.accountId, o.broker, o.market);
      return { ...session, accountKnown: () => Promise.resolve('paper') };
    },
  };
}

export interface PaperCfdVenueOptions extends PaperVenueOptions {
  terms: CfdTerms;
}

/**
 * The paper CFD venue: a second paper account on the same market that trades the demo CFDs with leverage. Its margin,
 * margin calls, stop-out and overnight financing are run by the app (services/paper-cfd.ts), from `terms`.
 */
export function paperCfdVenue(o: PaperCfdVenueOptions): Venue<PaperSettings> {
  return {
    ...paperVenue(o),
    id: 'paper-cfd',
    label: 'Paper CFD',
    capabilities: { assetClasses: ['index-cfd', 'fx', 'commodity-cfd', 'crypto'], orderTypes: ['market', 'limit', 'stop'], quotes: 'streaming' },
    keys: { settings: 'paper-cfd.settings', accountKey: 'paper-cfd.account-key' },
    cfd: { terms: o.terms, enforcedByApp: true },
    accountLabel: () => 'Paper CFD',
    create() {
      const session = createPaperSession(o.accountId, o.broker, o.market, 'paper-cfd');
      return { ...session, accountKnown: () => Promise.resolve('paper-cfd') };
    },
  };
}
