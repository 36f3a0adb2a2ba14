// Where performance reads the ledger from: the ledger store implements it (issue 13, room "ledger"); the CLI's
// `--transactions` file and the tests give an in-memory one.
import type { IsoDate, LedgerAccount, Transaction } from '../../src-shared/domain/ledger';

export interface LedgerSource {
  listAccounts(): Promise<LedgerAccount[]>;
  /** Transactions of one account (or all), in date order when the source can; up to `to` inclusive when given. */
  listTransactions(opts?: { accountId?: string; to?: IsoDate }): Promise<Transaction[]>;
}

/** Daily closes (and FX rates, keyed "EUR/USD": units of USD per EUR) from wherever the data layer has them. */
export interface DailyPriceSource {
  /** Closes of `key` within [fromDay, toDay] (days since 1970-01-01), ascending; include the last one before fromDay when known. */
  closes(key: string, fromDay: number, toDay: number): Promise<{ day: number; close: number }[]>;
}
