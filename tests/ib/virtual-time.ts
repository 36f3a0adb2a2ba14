// Virtual time for IB tests: a manual clock plus timers that fire only when the test moves the clock.
import { ManualClock } from '../../src-main/ports/clock';
import type { Timers } from '../../src-main/ports/timers';

interface Pending {
  at: number;
  seq: number;
  fn: () => void;
}

export class VirtualTime implements Timers {
  readonly clock: ManualClock;
  private pending: Pending[] = [];
  private seq = 0;

  constructor(start = Date.UTC(2026, 0, 5, 15, 0)) {
    this.clock = new ManualClock(start);
  }

  now(): number {
    return this.clock.now();
  }

  after(ms: number, fn: () => void): () => void {
    const p: Pending = { at: this.clock.now() + Math.max(0, ms), seq: this.seq++, fn };
    this.pending.push(p);
    return () => {
      this.pending = this.pending.filter((x) => x !== p);
    };
  }

  /** When the next timer is due, or undefined when none is pending. */
  nextAt(): number | undefined {
    let best: number | undefined;
    for (const p of this.pending) if (best === undefined || p.at < best) best = p.at;
    return best;
  }

  pendingCount(): number {
    return this.pending.length;
  }

  /** Moves the clock forward by `ms`, firing every timer due on the way, in order. */
  advance(ms: number): void {
    this.advanceTo(this.clock.now() + ms);
  }

  advanceTo(t: number): void {
    for (;;) {
      const due = this.pending.filter((p) => p.at <= t).sort((a, b) => a.at - b.at || a.seq - b.seq)[0];
      if (!due) break;
      this.pending = this.pending.filter((p) => p !== due);
      if (due.at > this.clock.now()) this.clock.set(due.at);
      due.fn();
    }
    if (t > this.clock.now()) this.clock.set(t);
  }

  /** Jumps to the next timer and fires it (and any due at the same time); false when none is pending. */
  runNext(): boolean {
    const at = this.nextAt();
    if (at === undefined) return false;
    this.advanceTo(Math.max(at, this.clock.now()));
    return true;
  }
}
