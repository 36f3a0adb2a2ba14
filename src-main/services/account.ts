// The account: creates the paper account, marks positions to market, records the equity curve, pushes totals.
import type { BrokerAccountValue } from '../../src-shared/domain/broker';
import type { AccountSummary, Position } from '../../src-shared/domain/types';
import type { Clock } from '../ports/clock';
import type { Disposable } from '../ports/disposable';
import type { MarketData } from '../ports/market-data';
import type { Store } from '../ports/store';
import { moneyString, dec } from '../domain/money';
import { summarize, type QuoteConversion } from '../domain/portfolio';

const MINUTE = 60_000;
const DAY = 86_400_000;

export interface AccountServiceOptions {
  store: Store;
  market: MarketData;
  clock: Clock;
  accountId: string;
  broker: string;
  currency: string;
  initialCash: number;
  /** Values the broker reports (IB): its NetLiquidation and TotalCashValue replace our own NAV and cash when present. */
  brokerValues?: () => BrokerAccountValue[];
  /** The paper CFD account: instruments quoted in another currency are marked on margin at the current rate. */
  conversion?: QuoteConversion;
  /** Pushes totals to the UI (every second while running). */
  onUpdate?: (summary: AccountSummary, positions: Position[]) => void;
}

export class AccountService implements Disposable {
  private dayStart: { day: number; nav: string } | undefined;
  private timers: ReturnType<typeof setInterval>[] = [];

  constructor(private readonly o: AccountServiceOptions) {}

  get accountId(): string {
    return this.o.accountId;
  }

  /** Creates the account with its initial cash on first start. */
  async ensureAccount(): Promise<void> {
    if (await this.o.store.accounts.get(this.o.accountId)) return;
    const cash = moneyString(dec(this.o.initialCash));
    await this.o.store.accounts.insert({ id: this.o.accountId, broker: this.o.broker, currency: this.o.currency, cash, initialCash: cash, createdAt: this.o.clock.now() });
    await this.o.store.equity.append(this.o.accountId, { time: Math.floor(this.o.clock.now() / MINUTE) * MINUTE, nav: cash });
  }

  private price(symbol: string): number | undefined {
    return this.o.market.lastQuote(symbol)?.last;
  }

  /** NAV at the start of the UTC day: the first equity point recorded that day, else the last one before it. */
  private async dayStartNav(now: number): Promise<string | undefined> {
    const day = Math.floor(now / DAY);
    if (this.dayStart?.day === day) return this.dayStart.nav;
    const points = await this.o.store.equity.list(this.o.accountId, 5000);
    const before = points.filter((p) => p.time < day * DAY).pop();
    const first = points.find((p) => p.time >= day * DAY);
    const nav = before?.nav ?? first?.nav;
    if (nav !== undefined) this.dayStart = { day, nav };
    return nav;
  }

  async snapshot(): Promise<{ summary: AccountSummary; positions: Position[] }> {
    const account = await this.o.store.accounts.get(this.o.accountId);
    if (!account) throw new Error('The account does not exist yet');
    const stored = (await this.o.store.positions.list(this.o.accountId));
    const now = this.o.clock.now();
    const { summary, positions } = summarize({
      accountId: account.id, broker: account.broker, currency: account.currency, cash: account.cash, positions: stored,
      prices: (s) => this.price(s), dayStartNav: await this.dayStartNav(now), ...(this.o.conversion ? { conversion: this.o.conversion } : {}),
    });
    return { summary: this.withBrokerValues(summary), positions: positions.filter((p) => p.quantity !== 0 || dec(p.realizedPnl).abs().gt(0)) };
  }

  private withBrokerValues(summary: AccountSummary): AccountSummary {
    const values = this.o.brokerValues?.() ?? [];
    const pick = (key: string) => {
      const v = values.find((x) => x.key === key && (x.currency === summary.currency || x.currency === 'BASE'))?.value;
      return v !== undefined && /^-?\d+(\.\d+)?$/.test(v) ? moneyString(dec(v)) : undefined;
    };
    const nav = pick('NetLiquidation');
    const cash = pick('TotalCashValue');
    return { ...summary, ...(nav !== undefined ? { nav } : {}), ...(cash !== undefined ? { cash } : {}) };
  }

  async recordEquity(): Promise<void> {
    const { summary } = await this.snapshot();
    await this.o.store.equity.append(this.o.accountId, { time: Math.floor(this.o.clock.now() / MINUTE) * MINUTE, nav: summary.nav });
  }

  async push(): Promise<void> {
    if (!this.o.onUpdate) return;
    const { summary, positions } = await this.snapshot();
    this.o.onUpdate(summary, positions);
  }

  start(): void {
    const guard = (p: Promise<void>) => p.catch(() => undefined);
    this.timers.push(setInterval(() => void guard(this.recordEquity()), MINUTE));
    this.timers.push(setInterval(() => void guard(this.push()), 1000));
    for (const t of this.timers) t.unref?.();
  }

  dispose(): void {
    for (const t of this.timers) clearInterval(t);
    this.timers = [];
  }
}
