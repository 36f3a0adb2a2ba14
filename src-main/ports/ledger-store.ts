// Storage port of the investment ledger: accounts and transactions (issue 13). Implemented by the SQLite and Postgres
// stores (`store.ledger`). Transactions are whole zod-validated values; (accountId, source, sourceRef) is unique.
import type { LedgerAccount, Transaction, TransactionSource } from '../../src-shared/domain/ledger';

export interface LedgerInsertResult {
  inserted: number;
  /** Rows whose (accountId, source, sourceRef) or id was stored already: skipped, unchanged. */
  duplicates: number;
}

export interface LedgerTransactionQuery {
  accountId?: string;
  /** Inclusive trade-date bounds, YYYY-MM-DD. */
  from?: string;
  to?: string;
  symbol?: string;
  limit?: number;
}

export interface LedgerStore {
  accounts: {
    /** By name. */
    list(): Promise<LedgerAccount[]>;
    get(id: string): Promise<LedgerAccount | undefined>;
    /** Inserts or replaces by id. */
    upsert(account: LedgerAccount, now: number): Promise<void>;
  };
  transactions: {
    /** Oldest first: by trade date, then in the order they were stored. */
    list(q?: LedgerTransactionQuery): Promise<Transaction[]>;
    get(id: string): Promise<Transaction | undefined>;
    /** Inserts in one database transaction; rows already stored (same id or same source key) are counted, not written. */
    insertMany(rows: readonly Transaction[]): Promise<LedgerInsertResult>;
    /** Stored trades of the account carrying any of these execution ids, with their source. */
    executions(accountId: string, execIds: readonly string[]): Promise<{ execId: string; source: TransactionSource }[]>;
    /** Replaces the stored row with the same id; false when there is none. */
    update(row: Transaction): Promise<boolean>;
    delete(id: string): Promise<boolean>;
  };
}
