// The investment ledger service (issue 13): accounts and transactions on the store's ledger port, imports, fills of
// connected accounts recorded as transactions, and the tax views (lots, gains, wash sales, harvesting, what-if).
// Writes go one at a time (a fill arriving during an import waits for it), so deduplication sees every earlier write.
import { randomUUID } from 'node:crypto';
import { LedgerAccount, Transaction, type LotMethod } from '../../src-shared/domain/ledger';
import type { Fill } from '../../src-shared/domain/types';
import { serial } from '../../src-shared/common/serial';
import { balances, transactionProblem, type CashBalance, type Holding } from '../domain/ledger/book';
import { parseLedgerCsv, type ImportRejection, type ParsedImport } from '../domain/ledger/csv-import';
import { parseIbFlex } from '../domain/ledger/ib-flex';
import { computeLots, sortTransactions, type LotOptions, type LotsResult, type RealizedLot, type WashSale } from '../domain/ledger/lots';
import { gainsForYear, harvestList, whatIf, type GainsTotals, type HarvestCandidate, type WhatIfOrder, type WhatIfResult } from '../domain/ledger/tax';
import { dec } from '../domain/money';
import type { Clock } from '../ports/clock';
import type { Disposable } from '../ports/disposable';
import type { LedgerStore, LedgerTransactionQuery } from '../ports/ledger-store';
import type { LedgerSource } from '../ports/ledger-source';
import type { Store } from '../ports/store';

export type ImportFormat = 'csv' | 'ib-flex';

/** The CLI's and the contract's import answer. */
export interface LedgerImportReport {
  imported: number;
  duplicates: number;
  rejected: ImportRejection[];
  /** Ids of the accounts the file named that did not exist yet. */
  accountsCreated: string[];
}

/** A connected account as the ledger sees it (built by the composition root from a session's account). */
export interface FillAccount {
  accountId: string;
  name: string;
  kind: 'broker' | 'paper';
  /** The instrument's currency, when the account's market knows it. */
  currencyOf(symbol: string): string | undefined;
}

/** A transaction the user enters or edits: the service gives it an id and the 'manual' source. */
export type ManualTransaction = Omit<Transaction, 'id' | 'source' | 'sourceRef'>;

export class LedgerInputError extends Error {}
export class LedgerNotFoundError extends Error {}

export interface LedgerServiceOptions {
  ledger: LedgerStore;
  /** The fills journal, to record fills the ledger missed (kept while it was not running). */
  fills?: Store['fills'];
  clock: Clock;
  /** The ledger id of an IB account number in a Flex statement (the app: the id its connected IB accounts have). */
  ibAccountId?: (ibAccount: string) => string;
  /** Where a failed background write is reported (the app logs it). */
  onError?: (err: unknown, what: string) => void;
}

export class LedgerService implements Disposable {
  private readonly queue = serial();
  /** Bumped by every write: computed lots are kept until the ledger changes (they take seconds on 50k transactions). */
  private version = 0;
  private readonly memo = new Map<string, { version: number; value: Promise<LotsResult> }>();

  constructor(private readonly o: LedgerServiceOptions) {}

  accounts(): Promise<LedgerAccount[]> {
    return this.o.ledger.accounts.list();
  }

  upsertAccount(input: LedgerAccount): Promise<LedgerAccount> {
    const account = LedgerAccount.parse(input);
    return this.write(async () => {
      await this.o.ledger.accounts.upsert(account, this.o.clock.now());
      return account;
    });
  }

  transactions(q: LedgerTransactionQuery = {}): Promise<Transaction[]> {
    return this.o.ledger.transactions.list(q);
  }

  /** The ledger as performance reads it (LedgerSource): every account, transactions in the lot engine's order. */
  readonly source: LedgerSource = {
    listAccounts: () => this.accounts(),
    listTransactions: async (opts = {}) => sortTransactions(await this.transactions({ accountId: opts.accountId, to: opts.to })),
  };

  add(input: ManualTransaction): Promise<Transaction> {
    return this.write(async () => {
      const tx = await this.checked({ ...input, id: randomUUID(), source: 'manual' });
      await this.o.ledger.transactions.insertMany([tx]);
      return tx;
    });
  }

  /** Replaces a transaction's fields (its id and source stay); an imported row edited by hand keeps its source key. */
  edit(id: string, input: ManualTransaction): Promise<Transaction> {
    return this.write(async () => {
      const old = await this.o.ledger.transactions.get(id);
      if (!old) throw new LedgerNotFoundError(`No transaction ${id}`);
      const tx = await this.checked({ ...input, id, source: old.source, sourceRef: old.sourceRef, execId: input.execId ?? old.execId });
      await this.o.ledger.transactions.update(tx);
      return tx;
    });
  }

  remove(id: string): Promise<void> {
    return this.write(async () => {
      if (!(await this.o.ledger.transactions.delete(id))) throw new LedgerNotFoundError(`No transaction ${id}`);
    });
  }

  /** Imports a file's text; accounts it names are created; rows stored already count as duplicates. */
  import(text: string, format: ImportFormat): Promise<LedgerImportReport> {
    return this.write(async () => {
      const known = await this.o.ledger.accounts.list();
      const parsed: ParsedImport = format === 'csv' ? parseLedgerCsv(text, known) : parseIbFlex(text, known, { accountId: this.o.ibAccountId });
      for (const a of parsed.accounts) await this.o.ledger.accounts.upsert(a, this.o.clock.now());
      const { fresh, known: already } = await this.withoutKnownExecutions(parsed.transactions);
      const r = await this.o.ledger.transactions.insertMany(fresh);
      return { imported: r.inserted, duplicates: r.duplicates + already, rejected: parsed.rejected, accountsCreated: parsed.accounts.map((a) => a.id) };
    });
  }

  /** Records a fill of a connected account (source 'fill', sourceRef = execution id); a repeated one changes nothing. */
  async recordFill(fill: Fill, account: FillAccount): Promise<boolean> {
    return (await this.recordFills([fill], account)) === 1;
  }

  /** Records fills of one connected account in one write; those the ledger has (as fills or from a statement) are skipped. */
  recordFills(fills: readonly Fill[], account: FillAccount): Promise<number> {
    return this.write(async () => {
      if (fills.length === 0) return 0;
      await this.ensureAccount(account);
      const rows = fills.map((f) => fillTransaction(f, account.currencyOf(f.symbol) ?? 'USD'));
      const { fresh } = await this.withoutKnownExecutions(rows);
      return (await this.o.ledger.transactions.insertMany(fresh)).inserted;
    });
  }

  /** Records the fills of a connected account the ledger does not have yet (from the fills journal); how many. */
  async syncFills(account: FillAccount, limit = 5000): Promise<number> {
    const fills = (await this.o.fills?.list({ accountId: account.accountId, limit })) ?? [];
    return this.recordFills(fills.reverse(), account);
  }

  /** The background form of recordFill: failures go to onError, never to the caller. */
  onFill(fill: Fill, account: FillAccount): void {
    this.recordFill(fill, account).catch((err: unknown) => this.o.onError?.(err, 'ledger: recording a fill'));
  }

  /** Cash per account and currency and holdings per account, after the transactions up to `asOf` (inclusive). */
  async balances(asOf?: string): Promise<{ cash: CashBalance[]; holdings: Holding[] }> {
    return balances(await this.transactions(), asOf);
  }

  lots(method?: Exclude<LotMethod, 'specific'>): Promise<LotsResult> {
    return this.computed({ method });
  }

  /** The year's reportable gains, in each account's base currency (trades in another currency at their own rates). */
  async gains(year: number, method?: Exclude<LotMethod, 'specific'>): Promise<{ rows: RealizedLot[]; totals: GainsTotals }> {
    return gainsForYear(await this.computed({ method, inBase: true }), year);
  }

  /** Wash sales, in each account's base currency like the gains they belong to. */
  async washSales(year?: number): Promise<WashSale[]> {
    const all = (await this.computed({ inBase: true })).washSales;
    return year === undefined ? all : all.filter((w) => w.sold.startsWith(`${year}-`));
  }

  async harvest(o: { prices: Record<string, string>; asOf?: string; rate: string; method?: Exclude<LotMethod, 'specific'> }): Promise<HarvestCandidate[]> {
    const [accounts, txs] = await Promise.all([this.accounts(), this.transactions()]);
    const asOf = o.asOf ?? this.today();
    // The whole ledger's lots serve when nothing is dated after asOf (the usual case: today).
    const computed = txs.every((t) => t.date <= asOf) ? await this.computed({ method: o.method }) : undefined;
    return harvestList(accounts, txs, { ...o, asOf }, computed);
  }

  async whatIf(order: Omit<WhatIfOrder, 'date'> & { date?: string }): Promise<WhatIfResult> {
    const [accounts, txs] = await Promise.all([this.accounts(), this.transactions()]);
    return whatIf(accounts, txs, { ...order, date: order.date ?? this.today() });
  }

  /** Settles when every write given so far has settled. */
  idle(): Promise<void> {
    return this.queue.idle();
  }

  async dispose(): Promise<void> {
    await this.queue.idle();
  }

  /** A write, one at a time; computed lots are stale once it has run (whether it succeeded or not). */
  private write<T>(task: () => Promise<T>): Promise<T> {
    return this.queue(async () => {
      try {
        return await task();
      } finally {
        this.version++;
      }
    });
  }

  /** Lots over the whole ledger, computed once per ledger version and options. */
  private computed(opts: LotOptions): Promise<LotsResult> {
    const key = `${opts.method ?? ''}|${opts.inBase ? 'base' : 'trade'}`;
    const hit = this.memo.get(key);
    if (hit && hit.version === this.version) return hit.value;
    const version = this.version;
    const value = Promise.all([this.accounts(), this.transactions()]).then(([accounts, txs]) => computeLots(accounts, txs, opts));
    this.memo.set(key, { version, value });
    value.catch(() => this.memo.delete(key));
    return value;
  }

  private today(): string {
    return new Date(this.o.clock.now()).toISOString().slice(0, 10);
  }

  private async checked(candidate: unknown): Promise<Transaction> {
    const r = Transaction.safeParse(candidate);
    if (!r.success) throw new LedgerInputError(r.error.issues.map((i) => `${i.path.join('.') || 'transaction'}: ${i.message}`).join('; '));
    const problem = transactionProblem(r.data);
    if (problem) throw new LedgerInputError(problem);
    if (!(await this.o.ledger.accounts.get(r.data.accountId))) throw new LedgerInputError(`No ledger account ${r.data.accountId}`);
    return r.data;
  }

  private async ensureAccount(a: FillAccount): Promise<void> {
    if (await this.o.ledger.accounts.get(a.accountId)) return;
    await this.o.ledger.accounts.upsert(
      { id: a.accountId, name: a.name, kind: a.kind, baseCurrency: 'USD', taxType: 'taxable', lotMethod: 'fifo', venueAccountId: a.accountId },
      this.o.clock.now(),
    );
  }

  /** Trades whose execution is in the ledger already under another source (a fill, then the statement): not again. */
  private async withoutKnownExecutions(rows: readonly Transaction[]): Promise<{ fresh: Transaction[]; known: number }> {
    const sources = new Map<string, Set<string>>();
    const byAccount = new Map<string, string[]>();
    for (const r of rows) if (r.execId) byAccount.set(r.accountId, [...(byAccount.get(r.accountId) ?? []), r.execId]);
    for (const [accountId, execIds] of byAccount) {
      for (const e of await this.o.ledger.transactions.executions(accountId, execIds)) {
        const k = `${accountId}\u0000${e.execId}`;
        sources.set(k, (sources.get(k) ?? new Set()).add(e.source));
      }
    }
    const fresh: Transaction[] = [];
    let known = 0;
    for (const r of rows) {
      // The same execution under the same source is the store's own duplicate (counted there); under another, ours.
      const stored = r.execId ? sources.get(`${r.accountId}\u0000${r.execId}`) : undefined;
      if (stored && [...stored].some((source) => source !== r.source)) known++;
      else fresh.push(r);
    }
    return { fresh, known };
  }
}

/** A fill as a ledger transaction: dated by its UTC day, quantity and price exact as reported. */
export function fillTransaction(fill: Fill, currency: string): Transaction {
  const iso = new Date(fill.time).toISOString();
  return Transaction.parse({
    id: `fill:${fill.accountId}:${fill.id}`, accountId: fill.accountId, date: iso.slice(0, 10), time: iso, type: fill.side === 'buy' ? 'BUY' : 'SELL',
    symbol: fill.symbol, quantity: dec(fill.quantity).toFixed(), price: dec(fill.price).toFixed(), fee: dec(fill.commission).abs().toFixed(), currency,
    source: 'fill', sourceRef: fill.id, execId: fill.id,
  });
}
