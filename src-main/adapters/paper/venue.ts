// The paper venue: the paper broker on the app's market, always connected, one account in our own books.
import { z } from 'zod';
import type { Instrument } from '../../../src-shared/domain/types';
import type { Broker } from '../../ports/broker';
import type { MarketData } from '../../ports/market-data';
import type { Venue } from '../../ports/venue';
import type { CfdTerms } from '../../domain/cfd/account';
import type { RateLookup } from '../../domain/cfd/pip';
import type { Dec } from '../../domain/money';
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
 * What the paper CFD account refuses: an instrument quoted in another currency than the account's when the market has
 * no rate between the two (its P&L, margin and financing are converted at the current rate, services/paper-cfd.ts and
 * domain/portfolio.ts; never taken 1:1). The words name the missing pair and the quotes that would give it.
 */
export function paperCfdRefuses(accountCurrency: string, rates: RateLookup): (i: Instrument) => string | null {
  return (i) => (i.currency === accountCurrency || rates(i.currency, accountCurrency) !== undefined ? null
    : `Paper CFD: no ${i.currency}/${accountCurrency} rate: ${i.symbol} is quoted in ${i.currency}, and its P&L, margin and financing are converted to ${accountCurrency} at the market's ${i.currency}${accountCurrency} (or ${accountCurrency}${i.currency}) price, which the market does not quote; the order was not sent`);
}

/** The paper CFD broker's currency options: what it refuses, and the rate its commissions convert the notional at. */
export function paperCfdBrokerOptions(accountCurrency: string, rates: RateLookup): { refuse: (i: Instrument) => string | null; toAccount: (i: Instrument) => Dec | undefined } {
  return { refuse: paperCfdRefuses(accountCurrency, rates), toAccount: (i) => rates(i.currency, accountCurrency) };
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
    marginBooks: true,
    accountLabel: () => 'Paper CFD',
    create() {
      const session = createPaperSession(o.accountId, o.broker, o.market, 'paper-cfd');
      return { ...session, accountKnown: () => Promise.resolve('paper-cfd') };
    },
  };
}
