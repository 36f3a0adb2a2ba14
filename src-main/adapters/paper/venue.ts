// The paper venue: the paper broker on the app's market, always connected, one account in our own books.
import { z } from 'zod';
import type { Instrument } from '../../../src-shared/domain/types';
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

/**
 * What the paper CFD account refuses: instruments quoted in another currency than the account's. The paper ledger
 * (domain/portfolio.ts) books every price as if it were in the account currency, so a USDJPY position's P&L would be
 * counted in dollars instead of yen and its equity, margin level and stop-out would be wrong; until the ledger converts
 * currencies, such orders are rejected with these words rather than booked wrongly.
 */
export function paperCfdRefuses(accountCurrency: string): (i: Instrument) => string | null {
  return (i) => (i.currency === accountCurrency ? null
    : `Paper CFD: ${i.symbol} is quoted in ${i.currency}; the paper ledger books in ${accountCurrency} only, so it is not traded here yet`);
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
