// Session parts every CFD venue shares: the account's one-way key learnt once, the session status (the link's plus the
// execution client's readiness), and the account values polled while connected.
import type { BrokerAccountValue, ConnectionStatus } from '../../../src-shared/domain/broker';
import { Emitter } from '../../../src-shared/common/emitter';
import type { Disposable } from '../../ports/disposable';
import type { Timers } from '../../ports/timers';
import type { LinkStatus } from './connection';

/** The account's one-way key: known from the settings or a previous session, else learnt at the first connect. */
export class KnownAccount {
  private current: string | null;
  private resolve: (h: string) => void = () => undefined;
  readonly known: Promise<string>;

  constructor(initial: string | null) {
    this.current = initial;
    this.known = new Promise<string>((resolve) => (this.resolve = resolve));
    if (initial) this.resolve(initial);
  }

  get hash(): string | null {
    return this.current;
  }

  /** Picks among the ids the venue lists: the known account (or none), else the first, which then becomes known. */
  choose(ids: string[], hashOf: (id: string) => string, fallback: string | null = ids[0] ?? null): string | null {
    const chosen = this.current ? ids.find((id) => hashOf(id) === this.current) ?? null : fallback;
    if (chosen && !this.current) this.learn(hashOf(chosen));
    return chosen;
  }

  learn(hash: string): void {
    if (this.current) return;
    this.current = hash;
    this.resolve(hash);
  }
}

interface StatusLink {
  status(): LinkStatus;
  isConnected(): boolean;
  onStatusChange(l: () => void): Disposable;
}

interface StatusExecution {
  queuedOrders(): number;
  isReady(): boolean;
  onStatusChange(l: () => void): Disposable;
}

/** The session's status: the link's, with the orders queued and whether orders go out now. */
export class SessionStatus implements Disposable {
  private readonly events = new Emitter<ConnectionStatus>();
  private readonly subs: Disposable[];

  constructor(private readonly link: StatusLink, private readonly execution: StatusExecution) {
    const notify = () => this.events.emit(this.status());
    this.subs = [link.onStatusChange(notify), execution.onStatusChange(notify)];
  }

  status(): ConnectionStatus {
    return { ...this.link.status(), queuedOrders: this.execution.queuedOrders(), ready: this.execution.isReady() && this.link.isConnected() };
  }

  onStatus(l: (s: ConnectionStatus) => void): Disposable {
    return this.events.on(l);
  }

  dispose(): void {
    for (const s of this.subs) s.dispose();
    this.events.clear();
  }
}

export interface AccountPollOptions {
  link: { isConnected(): boolean; onConnected(l: () => void): Disposable };
  timers: Timers;
  everyMs: number;
  /** Reads the values (null: nothing to report this time); a failure is passed to `onError` and polled again. */
  read: () => Promise<BrokerAccountValue[] | null>;
  onError?: (err: unknown) => void;
}

/** The account values (balance, equity, margin), read on every connect and then every `everyMs` while connected. */
export class AccountValuesPoll implements Disposable {
  private current: BrokerAccountValue[] = [];
  private readonly events = new Emitter<BrokerAccountValue[]>();
  private cancel: (() => void) | undefined;
  private readonly sub: Disposable;

  constructor(private readonly o: AccountPollOptions) {
    this.sub = o.link.onConnected(() => {
      this.cancel?.();
      this.poll();
    });
  }

  values(): BrokerAccountValue[] {
    return this.current;
  }

  onValues(l: (v: BrokerAccountValue[]) => void): Disposable {
    return this.events.on(l);
  }

  private poll(): void {
    this.cancel = undefined;
    if (!this.o.link.isConnected()) return;
    this.o.read().then((values) => {
      if (!values) return;
      this.current = values;
      this.events.emit(values);
    }, (err: unknown) => this.o.onError?.(err)).finally(() => {
      if (this.o.link.isConnected() && !this.cancel) this.cancel = this.o.timers.after(this.o.everyMs, () => this.poll());
    });
  }

  dispose(): void {
    this.cancel?.();
    this.sub.dispose();
    this.events.clear();
  }
}
