// The paper CFD desk: what a CFD broker does to an account, done by the app for the paper CFD account. On every quote
// of the market (coalesced: one check at a time) and after every fill it
// 1. books overnight financing for each rollover passed since the last one booked (domain/cfd/financing.ts): cash and
//    the positions' realised P&L change with the audit entry and the rollover marker in one transaction (Store.bookCash);
//    positions are priced at the check, so a rollover caught up later (the app was closed) is charged at today's price;
// 2. journals a margin call when the margin level falls below the margin call level (once per episode);
// 3. below the stop-out level, closes the position with the largest loss (domain/cfd/stop-out.ts) through the trading
//    service as a market order whose source is 'stop-out' and whose note says why ("stop-out: margin level 48 % <
//    50 %"); the decision is journaled first. One position at a time: the next check, after its fill, plans again on
//    the real figures, so positions keep being closed until the level is restored or nothing is left.
import { serial } from '../../src-shared/common/serial';
import type { Logger } from '../logging';
import type { Clock } from '../ports/clock';
import type { Disposable } from '../ports/disposable';
import type { MarketData } from '../ports/market-data';
import type { Store } from '../ports/store';
import { specOf, type CfdTerms } from '../domain/cfd/account';
import { financingAmount, financingDays, rolloversBetween } from '../domain/cfd/financing';
import type { MarginFigures } from '../domain/cfd/margin';
import { planStopOut } from '../domain/cfd/stop-out';
import { D, dec, moneyString, ZERO } from '../domain/money';
import type { AccountService } from './account';
import { cfdAccountMargin, marketRates } from './cfd-margin';
import { OrderNotOpenError, type TradingService } from './trading';

export interface PaperCfdDeskOptions {
  store: Store;
  clock: Clock;
  logger: Logger;
  market: MarketData;
  terms: CfdTerms;
  trading: TradingService;
  account: AccountService;
}

/** "48" for 48.28: whole percent, rounded down, so the note never shows the level equal to the limit it broke. */
const wholePercent = (level: InstanceType<typeof D>) => level.toDecimalPlaces(0, D.ROUND_FLOOR).toString();

export class PaperCfdDesk implements Disposable {
  private readonly steps = serial();
  private subs: Disposable[] = [];
  private pending = false;
  private inCall = false;

  constructor(private readonly o: PaperCfdDeskOptions) {}

  private get accountId(): string {
    return this.o.account.accountId;
  }

  private get financingKey(): string {
    return `cfd.financing.${this.accountId}`;
  }

  start(): void {
    this.subs.push(this.o.market.onQuote(() => this.schedule()));
    this.subs.push(this.o.trading.on((e) => {
      if (e.kind === 'fill') this.schedule();
    }));
  }

  /** At most one check queued behind the running one: quotes arrive faster than a check reads the store. */
  private schedule(): void {
    if (this.pending) return;
    this.pending = true;
    void this.steps(async () => {
      this.pending = false;
      await this.run();
    }).catch((err: unknown) => this.o.logger.error({ err }, 'paper CFD check failed'));
  }

  /** Runs a check now (tests with a deterministic clock call this). */
  check(): Promise<MarginFigures> {
    return this.steps(() => this.run());
  }

  private async run(): Promise<MarginFigures> {
    await this.bookFinancing();
    return this.enforceMargin();
  }

  private async bookFinancing(): Promise<void> {
    const now = this.o.clock.now();
    const raw = await this.o.store.settings.get(this.financingKey);
    if (raw === undefined) {
      // A new account starts at the last rollover: nothing is owed for the time before it existed.
      const last = rolloversBetween(now - 2 * 86_400_000, now).pop() ?? now;
      await this.o.store.settings.set(this.financingKey, String(last));
      return;
    }
    const rates = marketRates(this.o.market);
    for (const rollover of rolloversBetween(Number(raw), now)) {
      const account = await this.o.store.accounts.get(this.accountId);
      if (!account) return;
      const positions = (await this.o.store.positions.list(this.accountId)).filter((p) => p.quantity !== 0);
      const charged: { symbol: string; quantity: number; price: number; days: number; amount: string }[] = [];
      const booked = [];
      let total = ZERO;
      for (const p of positions) {
        const inst = this.o.market.instrument(p.symbol);
        const price = this.o.market.lastQuote(p.symbol)?.last ?? p.avgPrice;
        if (!inst) continue;
        const spec = specOf(this.o.terms, inst);
        const days = financingDays(spec.financingConvention, rollover);
        const toAccount = rates(spec.quoteCurrency, account.currency);
        if (toAccount === undefined) {
          // Not booked 1:1 and not skipped: this rollover waits (its marker stays) until the market quotes the pair.
          this.o.logger.error({ symbol: p.symbol, pair: `${spec.quoteCurrency}/${account.currency}` }, 'financing not booked: no rate to convert it');
          return;
        }
        const amount = financingAmount({ quantity: p.quantity, price, rates: spec.financing, days, toAccount });
        if (amount.isZero()) continue;
        total = total.plus(amount);
        charged.push({ symbol: p.symbol, quantity: p.quantity, price, days, amount: moneyString(amount) });
        booked.push({ ...p, realizedPnl: moneyString(dec(p.realizedPnl).plus(amount)), financing: moneyString(dec(p.financing ?? 0).plus(amount)) });
      }
      const setting = { key: this.financingKey, value: String(rollover) };
      if (charged.length === 0) {
        await this.o.store.settings.set(setting.key, setting.value);
        continue;
      }
      await this.o.store.bookCash({
        accountId: this.accountId, cash: moneyString(dec(account.cash).plus(total)), positions: booked, setting,
        audit: { time: now, kind: 'financing.booked', orderId: null, payload: { rollover: new Date(rollover).toISOString(), total: moneyString(total), positions: charged } },
      });
      this.o.logger.info({ rollover: new Date(rollover).toISOString(), total: moneyString(total) }, 'financing booked');
    }
  }

  private async enforceMargin(): Promise<MarginFigures> {
    const { margin } = await cfdAccountMargin(this.o.account, this.o.market, this.o.terms);
    if (margin.missingRates.length) this.o.logger.error({ pairs: margin.missingRates }, 'margin figures leave out positions: no rate to convert them');
    const f = margin.figures;
    const { marginCall, stopOut } = this.o.terms.levels;
    const below = f.state === 'margin-call' || f.state === 'stop-out';
    if (below && !this.inCall) {
      await this.o.store.audit.append({ time: this.o.clock.now(), kind: 'margin.call', orderId: null, payload: { level: f.level!.toFixed(2), marginCall, equity: moneyString(f.equity), used: moneyString(f.used) } });
      this.o.logger.warn({ level: f.level!.toFixed(2), marginCall }, 'margin call');
    }
    this.inCall = below;
    if (f.state !== 'stop-out') return f;
    const open = await this.o.store.orders.list({ accountId: this.accountId, openOnly: true, limit: 5000 });
    if (open.some((o) => o.source === 'stop-out')) return f; // one close at a time; its fill triggers the next check
    const plan = planStopOut(f.equity, margin.positions, stopOut);
    const symbol = plan.close[0];
    if (symbol === undefined) return f;
    const note = `stop-out: margin level ${wholePercent(f.level!)} % < ${stopOut} %`;
    await this.o.store.audit.append({
      time: this.o.clock.now(), kind: 'margin.stop-out', orderId: null,
      payload: { level: f.level!.toFixed(2), stopOut, equity: moneyString(f.equity), used: moneyString(f.used), close: symbol, plan: plan.close },
    });
    this.o.logger.warn({ level: f.level!.toFixed(2), stopOut, symbol }, 'stop-out: closing the position with the largest loss');
    try {
      await this.o.trading.flatten(symbol, { source: 'stop-out', note });
    } catch (err) {
      if (!(err instanceof OrderNotOpenError)) throw err;
    }
    return f;
  }

  async idle(): Promise<void> {
    await this.steps.idle();
  }

  dispose(): void {
    for (const s of this.subs) void s.dispose();
    this.subs = [];
  }
}
