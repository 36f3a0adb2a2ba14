// The continuous side of the portfolio limits (issue 17): every few seconds, and at once after a trading state change,
// each account's drawdown and daily-loss thresholds are evaluated (they move the state) and its limit usage is
// computed and pushed, so the Risk screen and the top bar follow prices without polling. Timers are injected.
import type { Disposable } from '../ports/disposable';
import type { Timers } from '../ports/timers';
import type { Clock } from '../ports/clock';
import type { Logger } from '../logging';
import type { LimitUsage } from '../domain/risk/limits';
import type { RiskAccountView } from './portfolio-risk';

export interface RiskWatchOptions {
  risk: {
    evaluate(view: RiskAccountView): Promise<unknown>; limits(view: RiskAccountView): Promise<LimitUsage[]>; drawdown?(view: RiskAccountView): Promise<number>;
    concentration?(view: RiskAccountView): Promise<LimitUsage | null>;
  };
  /** The accounts to watch now (connected ones come and go). */
  accounts: () => RiskAccountView[];
  timers: Timers;
  clock: Clock;
  logger: Pick<Logger, 'warn'>;
  onLimits: (accountId: string, limits: LimitUsage[], time: number) => void;
  /** Each account's drawdown from the NAV peak (a fraction) at every pass, when the risk service gives it. */
  onDrawdown?: (accountId: string, fromPeak: number) => void;
  /** Each account's largest concentration at every pass while `wantConcentration` says someone watches it. */
  onConcentration?: (accountId: string, largest: LimitUsage | null) => void;
  wantConcentration?: () => boolean;
  everyMs?: number;
}

export class RiskWatch implements Disposable {
  private cancel: (() => void) | undefined;
  private running: Promise<void> | undefined;
  /** A kick that arrived during a pass: one more pass follows it (changes are never lost, passes never overlap). */
  private again = false;
  private disposed = false;

  constructor(private readonly o: RiskWatchOptions) {}

  start(): void {
    this.schedule();
  }

  /** Runs a pass now (a state changed); the periodic schedule restarts from here. */
  kick(): Promise<void> {
    if (this.disposed) return Promise.resolve();
    if (this.running) {
      this.again = true;
      return this.running;
    }
    this.cancel?.();
    this.running = this.pass().finally(() => {
      this.running = undefined;
      if (this.again) {
        this.again = false;
        void this.kick();
      } else this.schedule();
    });
    return this.running;
  }

  /** Resolves when no pass is running (tests; shutdown). */
  async idle(): Promise<void> {
    while (this.running) await this.running;
  }

  private schedule(): void {
    if (this.disposed) return;
    this.cancel?.();
    this.cancel = this.o.timers.after(this.o.everyMs ?? 5000, () => void this.kick());
  }

  private async pass(): Promise<void> {
    await Promise.all(this.o.accounts().map(async (view) => {
      try {
        // Thresholds first: a move to REDUCING shows in the same pass's usage push and in a state event.
        await this.o.risk.evaluate(view);
        const limits = await this.o.risk.limits(view);
        if (!this.disposed) this.o.onLimits(view.accountId, limits, this.o.clock.now());
        if (this.o.onDrawdown && this.o.risk.drawdown) {
          const dd = await this.o.risk.drawdown(view);
          if (!this.disposed) this.o.onDrawdown(view.accountId, dd);
        }
        if (this.o.onConcentration && this.o.risk.concentration && this.o.wantConcentration?.()) {
          const c = await this.o.risk.concentration(view);
          if (!this.disposed) this.o.onConcentration(view.accountId, c);
        }
      } catch (err) {
        this.o.logger.warn({ err }, 'risk: limit evaluation failed');
      }
    }));
  }

  dispose(): void {
    this.disposed = true;
    this.cancel?.();
  }
}
