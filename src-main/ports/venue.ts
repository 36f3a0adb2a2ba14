// Venue port: a broker the app can hold accounts at. A venue is a factory with its settings schema, its capabilities
// and the keys it keeps in the settings table; the session manager connects any number of them side by side. Adding a
// broker (OANDA, cTrader, IG) is one adapter folder implementing this and one `registry.register(...)` in app.ts.
import type { z } from 'zod';
import type { VenueCapabilities, VenueSettingsField } from '../../src-shared/domain/broker';
import type { CfdTerms } from '../domain/cfd/account';
import type { BrokerSession } from './broker-session';

export interface VenueSession extends BrokerSession {
  /**
   * Resolves with a one-way key of the account the session trades (stored instead of the account), at once when it is
   * configured or remembered, else once the venue told it (the session is started early to learn it).
   */
  accountKnown(): Promise<string>;
}

export interface Venue<S = unknown> {
  readonly id: string;
  /** For the UI: "Paper", "Interactive Brokers". */
  readonly label: string;
  /** Parses saved or requested settings (defaults filled in); errors name the field. */
  readonly settings: z.ZodType<S>;
  readonly capabilities: VenueCapabilities;
  /** The settings form, field by field (keys of `settings`); none: the venue has no generic form. */
  readonly settingsFields?: VenueSettingsField[];
  /** A credential kept in the secrets store under `name` (never in settings, config.yaml or logs). */
  readonly secret?: { name: string; label: string; hint?: string };
  /** Connected from start to stop (paper); the others connect on request or at start-up when `autoConnect` says so. */
  readonly alwaysOn: boolean;
  /** Settings-table keys: the settings as saved, and the account's one-way key. */
  readonly keys: { settings: string; accountKey: string };
  /** Cash a new account of this venue starts with in our books (paper); 0 where the venue reports it. */
  readonly initialCash: number;
  /** CFD accounts: the margin terms they trade on; `enforcedByApp` when the app itself charges financing and runs margin
   * calls and stop-out (the paper CFD account), not the venue. */
  readonly cfd?: { terms: CfdTerms; enforcedByApp: boolean };
  /** The account holds positions on margin (CFD and margin FX venues, the paper CFD account): in our books an
   * instrument quoted in another currency than the account's never moves its notional through cash, and its P&L is
   * converted at the market's rate (services/sessions.ts, docs/cfd.md). Without it every price is in the account currency. */
  readonly marginBooks?: boolean;
  /** True when orders on these settings move real money: connecting then needs an explicit confirmation. */
  isLive(settings: S): boolean;
  autoConnect(settings: S): boolean;
  /** The settings as stored: with no account id or secret in them. */
  saved(settings: S): S;
  /** The account's one-way key when the settings name an account, else null. */
  accountKey(settings: S): string | null;
  /** Words for the logs, never an account id or secret. */
  describe(settings: S): Record<string, unknown>;
  /** A display label for a connected account ("IB DU••••567"), from its status. */
  accountLabel(session: BrokerSession): string;
  create(settings: S, context: { knownAccountKey: string | null }): VenueSession;
}

/** A venue of any settings type, as the registry holds it. */
// eslint-disable-next-line @typescript-eslint/no-explicit-any
export type AnyVenue = Venue<any>;
