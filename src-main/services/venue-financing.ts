// Overnight financing charged by the venue (OANDA's DAILY_FINANCING): booked into our books as the paper CFD account
// books its own — cash, the position's realised P&L and its financing, with an audit entry, in one transaction
// (Store.bookCash). Each charge is booked once: its id is the marker setting written in that same transaction, so a
// repeat (the stream and the reconnect's transaction replay both carry it) changes nothing.
import type { Logger } from '../logging';
import type { VenueFinancing } from '../ports/broker-session';
import type { Clock } from '../ports/clock';
import type { Store } from '../ports/store';
import { dec, moneyString } from '../domain/money';
import { serial } from '../../src-shared/common/serial';

const bookedKey = (id: string) => `financing.booked.${id}`;

export class VenueFinancingBook {
  private readonly steps = serial();

  constructor(private readonly o: { store: Store; clock: Clock; logger: Logger; accountId: string; booked: () => void }) {}

  /** Books one charge (queued: one at a time, in arrival order); resolves when it is booked or found booked. */
  book(f: VenueFinancing): Promise<void> {
    const run = this.steps(() => this.apply(f));
    run.catch((err: unknown) => this.o.logger.error({ err, financing: f.id }, 'venue financing could not be booked'));
    return run;
  }

  private async apply(f: VenueFinancing): Promise<void> {
    const { store, accountId } = this.o;
    const key = bookedKey(f.id);
    if ((await store.settings.get(key)) !== undefined) return;
    const account = await store.accounts.get(accountId);
    if (!account) return;
    const amount = dec(f.amount);
    const position = await store.positions.get(accountId, f.symbol);
    // A position closed since (or never ours): the cash is booked all the same, with no position to charge.
    const positions = position ? [{ ...position, realizedPnl: moneyString(dec(position.realizedPnl).plus(amount)), financing: moneyString(dec(position.financing ?? 0).plus(amount)) }] : [];
    await store.bookCash({
      accountId, cash: moneyString(dec(account.cash).plus(amount)), positions, setting: { key, value: String(f.time) },
      audit: { time: this.o.clock.now(), kind: 'financing.booked', orderId: null, payload: { by: 'venue', id: f.id, symbol: f.symbol, amount: moneyString(amount), at: new Date(f.time).toISOString() } },
    });
    this.o.booked();
  }

  /** Resolves when every queued charge is booked (tests, shutdown). */
  idle(): Promise<void> {
    return this.steps.idle();
  }
}
