// Test support: the real @stoqey/ib client connected over TCP, with an event log and awaitable events.
import { EventName, IBApi } from '@stoqey/ib';
import { TwsSimulator, type TwsSimOptions } from './simulator';

export interface LoggedEvent {
  name: string;
  args: unknown[];
}

export interface TestClient {
  ib: IBApi;
  /** Every event the client emitted, in order (the client's "all" event). */
  log: LoggedEvent[];
  /** Errors with code 505: the client's decoder could not read a message. Must stay empty. */
  decodeErrors: string[];
  nextValidId: number;
  waitFor<T extends unknown[] = unknown[]>(name: string, pred?: (...args: T) => boolean, timeoutMs?: number): Promise<T>;
  /** Like waitFor, but an event already in the log counts. */
  seen<T extends unknown[] = unknown[]>(name: string, pred?: (...args: T) => boolean, timeoutMs?: number): Promise<T>;
  events(name: string): unknown[][];
  close(): void;
}

/** Connects a client and resolves once TWS's startup sequence delivered nextValidId. */
export async function connectClient(port: number, clientId = 1, timeoutMs = 5000): Promise<TestClient> {
  const ib = new IBApi({ host: '127.0.0.1', port, clientId });
  const log: LoggedEvent[] = [];
  const decodeErrors: string[] = [];
  ib.on(EventName.all, (name: string, args: unknown[]) => log.push({ name, args }));
  // The client reports its own decoding failures as error 505 (UNKNOWN_ID); they mean the simulator mis-encoded a message.
  ib.on(EventName.error, (err: Error, code: number) => {
    if (code === 505) decodeErrors.push(err.message);
  });
  const c: TestClient = {
    ib, log, decodeErrors, nextValidId: 0,
    waitFor: (name, pred, ms = 5000) => waitForEvent(ib, name, pred, ms),
    seen: <T extends unknown[]>(name: string, pred?: (...args: T) => boolean, ms = 5000) => {
      const hit = log.find((e) => e.name === name && (!pred || pred(...(e.args as T))));
      return hit ? Promise.resolve(hit.args as T) : waitForEvent<T>(ib, name, pred, ms);
    },
    events: (name) => log.filter((e) => e.name === name).map((e) => e.args),
    close: () => {
      ib.removeAllListeners();
      ib.on(EventName.error, () => undefined);
      ib.disconnect();
    },
  };
  const ready = waitForEvent<[number]>(ib, EventName.nextValidId, undefined, timeoutMs);
  ib.connect();
  [c.nextValidId] = await ready;
  return c;
}

export function waitForEvent<T extends unknown[] = unknown[]>(
  ib: IBApi, name: string, pred?: (...args: T) => boolean, timeoutMs = 5000,
): Promise<T> {
  // IBApi types on() per event; the harness listens by name.
  const em = ib as unknown as NodeJS.EventEmitter;
  return new Promise<T>((resolve, reject) => {
    const handler = (...args: unknown[]): void => {
      if (pred && !pred(...(args as T))) return;
      clearTimeout(timer);
      em.off(name, handler);
      resolve(args as T);
    };
    const timer = setTimeout(() => {
      em.off(name, handler);
      reject(new Error(`timed out after ${timeoutMs} ms waiting for "${name}"`));
    }, timeoutMs);
    em.on(name, handler);
  });
}

/** A simulator on an ephemeral port plus the clients a test connects; dispose() checks no client met a decoding error. */
export class SimHarness {
  sim!: TwsSimulator;
  private readonly clients: TestClient[] = [];
  private readonly bare: IBApi[] = [];

  async start(opts: TwsSimOptions = {}): Promise<TwsSimulator> {
    this.sim = new TwsSimulator({ port: 0, tickMs: 0, restartPauseMs: 100, ...opts });
    await this.sim.start();
    return this.sim;
  }

  async client(clientId = 1): Promise<TestClient> {
    const c = await connectClient(this.sim.port, clientId);
    this.clients.push(c);
    return c;
  }

  /** An unconnected client for connections expected to fail (errors silenced). */
  bareClient(clientId: number, options: { maxReqPerSec?: number } = {}): IBApi {
    const ib = new IBApi({ host: '127.0.0.1', port: this.sim.port, clientId, ...options });
    ib.on(EventName.error, () => undefined);
    this.bare.push(ib);
    return ib;
  }

  async dispose(): Promise<void> {
    const errors = this.clients.flatMap((c) => c.decodeErrors);
    for (const c of this.clients.splice(0)) c.close();
    for (const ib of this.bare.splice(0)) ib.disconnect();
    await this.sim?.close();
    if (errors.length) throw new Error(`the client could not decode some messages: ${errors.join('; ')}`);
  }
}
