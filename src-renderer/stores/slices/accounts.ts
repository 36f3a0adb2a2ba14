// The accounts slice: every connected account (venue, live or paper, connection), each one's totals and positions,
// the default account's summary, connection and broker values (the top bar), and the order ticket's chosen account.
import type { StateCreator } from 'zustand';
import type { AccountInfo, AccountUpdate, BrokerAccountValue, ConnectionStatus } from '../../../src-shared/api/contract';
import type { AccountSummary, EquityPoint, Position } from '../../../src-shared/domain/types';
import type { TerminalState } from '../terminal';

const TICKET_ACCOUNT_KEY = 'qc.ticketAccount';

export interface AccountsSlice {
  accounts: AccountInfo[];
  /** Each connected account's last totals and positions, by account id. */
  byAccount: Record<string, AccountUpdate>;
  /** Every account's positions, flattened (each carries its accountId). */
  positions: Position[];
  /** The default account (the one connected last): the top bar's NAV and the overview's tiles. */
  account: AccountSummary | undefined;
  equity: EquityPoint[];
  /** The default account's broker connection, distinct from the transport's `connected`. */
  broker: ConnectionStatus | undefined;
  brokerValues: BrokerAccountValue[];
  /** The account the order ticket sends to (remembered across restarts); undefined: the default account. */
  ticketAccount: string | undefined;
  accountsLoaded(accounts: AccountInfo[], updates: AccountUpdate[], account: AccountSummary, equity: EquityPoint[]): void;
  setAccounts(accounts: AccountInfo[]): void;
  applyAccountUpdate(update: AccountUpdate): void;
  applyDefaultSummary(account: AccountSummary, now: number): void;
  setBroker(broker: ConnectionStatus): void;
  setBrokerValues(values: BrokerAccountValue[]): void;
  mergeBrokerValues(values: BrokerAccountValue[]): void;
  chooseTicketAccount(accountId: string): void;
}

const flatten = (byAccount: Record<string, AccountUpdate>, accounts: AccountInfo[]): Position[] =>
  accounts.flatMap((a) => byAccount[a.accountId]?.positions ?? []);

export const createAccountsSlice: StateCreator<TerminalState, [], [], AccountsSlice> = (set) => ({
  accounts: [],
  byAccount: {},
  positions: [],
  account: undefined,
  equity: [],
  broker: undefined,
  brokerValues: [],
  ticketAccount: localStorage.getItem(TICKET_ACCOUNT_KEY) ?? undefined,
  accountsLoaded: (accounts, updates, account, equity) => {
    const byAccount = Object.fromEntries(updates.map((u) => [u.accountId, u]));
    set({ accounts, byAccount, positions: flatten(byAccount, accounts), account, equity });
  },
  // A disconnected account's totals and positions go with it.
  setAccounts: (accounts) =>
    set((s) => {
      const byAccount = Object.fromEntries(Object.entries(s.byAccount).filter(([id]) => accounts.some((a) => a.accountId === id)));
      return { accounts, byAccount, positions: flatten(byAccount, accounts) };
    }),
  // Kept even before the account is listed (the push can overtake the list): shown once it is.
  applyAccountUpdate: (update) =>
    set((s) => {
      const byAccount = { ...s.byAccount, [update.accountId]: update };
      return { byAccount, positions: flatten(byAccount, s.accounts) };
    }),
  applyDefaultSummary: (account, now) =>
    set((s) => {
      const minute = Math.floor(now / 60_000) * 60_000;
      const last = s.equity[s.equity.length - 1];
      const equity = last && last.time === minute ? [...s.equity.slice(0, -1), { time: minute, nav: account.nav }] : [...s.equity, { time: minute, nav: account.nav }];
      return { account, equity };
    }),
  setBroker: (broker) => set((s) => ({ broker, brokerValues: broker.broker === 'paper' ? [] : s.brokerValues })),
  setBrokerValues: (brokerValues) => set({ brokerValues }),
  // Merged by key and currency: a push that carries only the values that changed keeps the others.
  mergeBrokerValues: (values) =>
    set((s) => {
      const byKey = new Map(s.brokerValues.map((v) => [`${v.key}|${v.currency}`, v]));
      for (const v of values) byKey.set(`${v.key}|${v.currency}`, v);
      return { brokerValues: [...byKey.values()] };
    }),
  chooseTicketAccount: (accountId) => {
    localStorage.setItem(TICKET_ACCOUNT_KEY, accountId);
    set({ ticketAccount: accountId });
  },
});
