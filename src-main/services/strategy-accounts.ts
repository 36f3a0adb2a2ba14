// The accounts a live strategy may trade on: the runner asks by account id and gets that account's trading and account
// services, or nothing while it is not connected. The composition root adapts the session manager to it.
import type { AccountService } from './account';
import type { TradingService } from './trading';

export interface StrategyAccount {
  trading: TradingService;
  account: AccountService;
  /** Real money (not a paper or demo account): starting a strategy on it needs an explicit confirmation. */
  live: boolean;
}

export interface StrategyAccounts {
  /** Where a strategy runs when the request names no account (the paper account). */
  readonly defaultId: string;
  get(accountId: string): StrategyAccount | undefined;
}

/** One account, always there (tests; a terminal with the paper account only). */
export function singleAccount(a: StrategyAccount): StrategyAccounts {
  return { defaultId: a.account.accountId, get: (id) => (id === a.account.accountId ? a : undefined) };
}
