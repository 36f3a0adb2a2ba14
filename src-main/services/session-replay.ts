// Session replay (issue 17 item 6): a trading day of one account rebuilt from the audit log (the journal every intent,
// risk decision, order, ack, fill, cancel and state change is written to before it is acted on) and the stored bars.
// The book at any moment is the fold of every entry up to it (domain/replay/reducer.ts), from the account's beginning.
import type { AuditEntry, Bar, Timeframe } from '../../src-shared/domain/types';
import type { ReplayDay, ReplayEvent, ReplayState } from '../../src-shared/api/replay';
import type { Clock } from '../ports/clock';
import type { MarketData } from '../ports/market-data';
import type { Store } from '../ports/store';
import { applyEntry, describeEntry, effectiveOf, initialBook, isOpen, realizedOf, replay, type BookState } from '../domain/replay/reducer';
import { dec } from '../domain/money';

const DAY = 86_400_000;
const END_OF_TIME = Number.MAX_SAFE_INTEGER;
/** Entries that name no order but belong to the account's story (state changes are scoped by their payload). */
const ACCOUNT_WIDE = new Set(['risk.state.changed', 'risk.kill-switch.engaged', 'risk.kill-switch.released', 'position.adjusted']);

export class ReplayInputError extends Error {}

/** The account a replay reads: its id and the market whose history stands in for bars never stored. */
export interface ReplayAccount {
  accountId: string;
  market?: MarketData;
}

export const dayStart = (date: string): number => {
  const t = Date.parse(`${date}T00:00:00Z`);
  if (!Number.isFinite(t)) throw new ReplayInputError(`Not a date: ${date}`);
  return t;
};
const dateOf = (t: number) => new Date(t).toISOString().slice(0, 10);

export class SessionReplay {
  /** Bars of days that are over do not change: kept per symbol and day. */
  private readonly barCache = new Map<string, { bars: Bar[]; source: 'store' | 'market' | 'none' }>();

  constructor(private readonly o: { store: Store; clock: Clock; timeframe?: Timeframe }) {}

  private get timeframe(): Timeframe {
    return this.o.timeframe ?? '1m';
  }

  /** The account's entries in journal order, from the beginning up to `to` (exclusive), and the book before any. */
  private async journal(accountId: string, to: number): Promise<{ entries: AuditEntry[]; start: BookState }> {
    const account = await this.o.store.accounts.get(accountId);
    if (!account) throw new ReplayInputError(`No account ${accountId}`);
    const ids = new Set((await this.o.store.orders.list({ accountId, limit: 10_000_000 })).map((o) => o.id));
    const entries = (await this.o.store.audit.between(0, to)).filter((e) => {
      if (e.orderId !== null) return ids.has(e.orderId);
      if (!ACCOUNT_WIDE.has(e.kind)) return false;
      // State changes name their scope; the other account-wide entries carry no account and are read as this one's.
      return e.kind !== 'risk.state.changed' || e.payload['scope'] === accountId || e.payload['scope'] === 'terminal';
    });
    return { entries, start: initialBook(accountId, account.initialCash) };
  }

  /** The UTC days with entries of the account, newest first. */
  async days(accountId: string, limit = 60): Promise<string[]> {
    const { entries } = await this.journal(accountId, END_OF_TIME);
    const days = [...new Set(entries.map((e) => dateOf(e.time)))].sort().reverse();
    return days.slice(0, limit);
  }

  /** The day's events, the symbols it touched and their bars. */
  async day(a: ReplayAccount, date: string): Promise<ReplayDay> {
    const from = dayStart(date);
    const to = from + DAY;
    const { entries, start } = await this.journal(a.accountId, to);
    let book = start;
    let startBook = start;
    const events: ReplayEvent[] = [];
    const symbols = new Set<string>();
    for (const e of entries) {
      if (e.time >= from) {
        const d = describeEntry(book, e);
        events.push({ ...e, ...d });
        if (d.symbol) symbols.add(d.symbol);
      }
      book = applyEntry(book, e);
      if (e.time < from) startBook = book;
    }
    // Positions held into the day are part of it.
    for (const p of startBook.positions.values()) if (p.quantity !== 0) symbols.add(p.symbol);
    const sorted = [...symbols].sort();
    const bars: Record<string, Bar[]> = {};
    const barSource: Record<string, 'store' | 'market' | 'none'> = {};
    for (const s of sorted) {
      const b = await this.bars(a, s, from, to);
      bars[s] = b.bars;
      barSource[s] = b.source;
    }
    return { accountId: a.accountId, date, from, to, events, symbols: sorted, timeframe: this.timeframe, bars, barSource };
  }

  /** The book as it was at `time` (every entry at or before it applied), marked to the last bar at or before it. */
  async stateAt(a: ReplayAccount, date: string, time: number): Promise<ReplayState> {
    const from = dayStart(date);
    const { entries, start } = await this.journal(a.accountId, Math.min(time + 1, from + DAY));
    const book = replay(start, entries);
    const positions: ReplayState['positions'] = [];
    const tradedToday = new Set(book.fills.filter((f) => f.time >= from).map((f) => f.symbol));
    for (const p of [...book.positions.values()].sort((x, y) => x.symbol.localeCompare(y.symbol))) {
      if (p.quantity === 0 && !tradedToday.has(p.symbol)) continue;
      const { bars } = await this.bars(a, p.symbol, from, from + DAY);
      const last = lastAtOrBefore(bars, time);
      const marketPrice = last?.close ?? null;
      const unrealizedPnl = marketPrice === null || p.quantity === 0 ? (p.quantity === 0 ? 0 : null) : dec(marketPrice).minus(p.avgPrice).times(p.quantity).toDecimalPlaces(2).toNumber();
      positions.push({ symbol: p.symbol, quantity: p.quantity, avgPrice: p.avgPrice, realizedPnl: p.realizedPnl, marketPrice, unrealizedPnl });
    }
    const orders = [...book.orders.values()].filter((o) => isOpen(o) || o.updatedAt >= from).sort((x, y) => y.createdAt - x.createdAt);
    return {
      accountId: a.accountId, time, seq: book.seq, orders, positions, cash: book.cash, realizedPnl: realizedOf(book),
      state: { account: book.account, terminal: book.terminal, killSwitch: book.killSwitch, effective: effectiveOf(book), reason: book.stateReason },
      decisions: book.decisions.filter((d) => d.time >= from), fills: book.fills.filter((f) => f.time >= from),
    };
  }

  /** The day's events with from <= time < to. */
  async events(a: ReplayAccount, date: string, from: number, to: number): Promise<ReplayEvent[]> {
    return (await this.day(a, date)).events.filter((e) => e.time >= from && e.time < to);
  }

  /** The symbol's bars in [from, to): stored ones, else the market's history (the demo market stores none). */
  private async bars(a: ReplayAccount, symbol: string, from: number, to: number): Promise<{ bars: Bar[]; source: 'store' | 'market' | 'none' }> {
    const key = `${a.accountId}|${symbol}|${from}`;
    const cached = this.barCache.get(key);
    if (cached) return cached;
    const inDay = (b: Bar) => b.time * 1000 >= from && b.time * 1000 < to;
    let result: { bars: Bar[]; source: 'store' | 'market' | 'none' } = { bars: (await this.o.store.bars.range(symbol, this.timeframe, from / 1000, to / 1000 - 1)).filter(inDay), source: 'store' };
    if (result.bars.length === 0 && a.market?.instrument(symbol)) {
      const minutesBack = Math.ceil((this.o.clock.now() - from) / 60_000) + 1;
      const history = minutesBack > 0 && minutesBack <= 50_000 ? await a.market.history(symbol, this.timeframe, minutesBack) : [];
      result = { bars: history.filter(inDay), source: 'market' };
    }
    if (result.bars.length === 0) result = { bars: [], source: 'none' };
    // A day still running gets new bars: only finished days are kept.
    if (to <= this.o.clock.now()) this.barCache.set(key, result);
    return result;
  }
}

function lastAtOrBefore(bars: Bar[], time: number): Bar | undefined {
  let found: Bar | undefined;
  for (const b of bars) {
    if (b.time * 1000 <= time) found = b;
    else break;
  }
  return found;
}
