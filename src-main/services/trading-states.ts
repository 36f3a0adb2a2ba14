// Trading states of the terminal and of each account (ACTIVE / REDUCING / HALTED, domain/risk/states.ts): set by hand or
// by a threshold, journaled in the audit log with the reason before they take effect, kept in settings across restarts.
import type { Clock } from '../ports/clock';
import type { Store } from '../ports/store';
import { Emitter } from '../../src-shared/common/emitter';
import { serial } from '../../src-shared/common/serial';
import { TRADING_STATES, type TradingState } from '../domain/risk/states';
import type { Disposable } from '../ports/disposable';

export const TERMINAL = 'terminal';
const key = (scope: string) => (scope === TERMINAL ? 'risk.state.terminal' : `risk.state.account.${scope}`);
export const STATE_CHANGED = 'risk.state.changed';

export interface StateRecord {
  /** 'terminal' or an account id. */
  scope: string;
  state: TradingState;
  reason: string;
  /** 'manual', 'threshold', 'kill-switch'. */
  by: string;
  time: number;
}

export class TradingStates {
  private readonly cache = new Map<string, StateRecord>();
  private readonly events: Emitter<StateRecord>;
  private readonly steps = serial();

  /** `onListenerError`: where a listener's exception goes (the change is stored by then; it must not fail `set`). */
  constructor(private readonly o: { store: Store; clock: Clock; onListenerError?: (err: unknown) => void }) {
    this.events = new Emitter<StateRecord>(o.onListenerError ?? (() => undefined));
  }

  /** The state of a scope ('terminal' or an account id); ACTIVE when never set. */
  async get(scope: string): Promise<StateRecord> {
    const cached = this.cache.get(scope);
    if (cached) return cached;
    const raw = await this.o.store.settings.get(key(scope));
    let rec: StateRecord = { scope, state: 'ACTIVE', reason: 'default', by: 'default', time: 0 };
    if (raw) {
      try {
        const p = JSON.parse(raw) as Partial<StateRecord>;
        if (p.state && TRADING_STATES.includes(p.state)) rec = { ...rec, ...p, scope };
      } catch {
        // A hand-edited value that is not JSON: the safe reading is the strictest state until set again.
        rec = { ...rec, state: 'HALTED', reason: `unreadable stored state ${JSON.stringify(raw.slice(0, 40))}`, by: 'store' };
      }
    }
    this.cache.set(scope, rec);
    return rec;
  }

  /** Sets a scope's state: the audit entry is written first, then the state is stored and takes effect. */
  set(scope: string, state: TradingState, reason: string, by: string): Promise<StateRecord> {
    return this.steps(async () => {
      const before = await this.get(scope);
      const rec: StateRecord = { scope, state, reason, by, time: this.o.clock.now() };
      await this.o.store.audit.append({ time: rec.time, kind: STATE_CHANGED, orderId: null, payload: { scope, from: before.state, to: state, reason, by } });
      await this.o.store.settings.set(key(scope), JSON.stringify(rec));
      this.cache.set(scope, rec);
      this.events.emit(rec);
      return rec;
    });
  }

  /** State changes, newest first (from the audit log), optionally for one scope and the terminal. */
  async history(scope?: string, limit = 100): Promise<(StateRecord & { from: TradingState })[]> {
    const out: (StateRecord & { from: TradingState })[] = [];
    for (const e of await this.o.store.audit.list({ limit: 5000 })) {
      if (e.kind !== STATE_CHANGED) continue;
      const p = e.payload as { scope: string; from: TradingState; to: TradingState; reason: string; by: string };
      if (scope !== undefined && p.scope !== scope && p.scope !== TERMINAL) continue;
      out.push({ scope: p.scope, state: p.to, from: p.from, reason: p.reason, by: p.by, time: e.time });
      if (out.length >= limit) break;
    }
    return out;
  }

  on(listener: (r: StateRecord) => void): Disposable {
    return this.events.on(listener);
  }
}
