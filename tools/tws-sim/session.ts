// One client connection: handshake, version negotiation, per-connection subscriptions, and the faults that act on sending.
import type { Socket } from 'node:net';
import { FrameReader, encodeFrame } from './protocol/wire';
import { MAX_SIM_VERSION, MIN_SIM_VERSION } from './protocol/ids';
import type { OutMessage } from './protocol/responses';
import type { MarketDataSub } from './market/market-data';
import type { BarBuilder } from './market/live-bars';
import type { Instrument } from './market/instruments';

export interface LiveBarSub {
  kind: 'realtime' | 'keepUpToDate';
  inst: Instrument;
  builder: BarBuilder;
  formatDate: number;
}

export type SessionState = 'handshake' | 'awaitingStartApi' | 'ready' | 'closed';


/** Callbacks of the simulator a session needs when sending. */
export interface SessionHost {
  /** Delay (ms) applied to every outgoing message now. */
  outgoingDelay(): number;
  /** Whether a hook wants the connection dropped before/after this message. */
  dropHook(s: Session, m: OutMessage, when: 'before' | 'after'): boolean;
  sent(s: Session, m: OutMessage): void;
}

export class Session {
  state: SessionState = 'handshake';
  serverVersion = 0;
  clientId = -1;
  /** reqMarketDataType's choice (1 live by default). */
  marketDataType = 1;
  readonly mktData = new Map<number, MarketDataSub>();
  readonly accountSummaries = new Map<number, string[]>();
  /** reqRealTimeBars and keepUpToDate historical requests: bars built from the live prices. */
  readonly liveBars = new Map<number, LiveBarSub>();
  accountUpdates = false;
  positions = false;
  autoOpenOrders = false;
  readonly reader = new FrameReader(true);
  private lastSendAt = 0;

  constructor(readonly socket: Socket, readonly id: number, private readonly host: SessionHost) {}

  get remote(): string {
    return `${this.socket.remoteAddress ?? '?'}:${this.socket.remotePort ?? '?'}`;
  }

  /** Picks the version: the highest both sides speak, or undefined if the ranges do not meet. */
  negotiate(versionText: string, maxVersion: number): number | undefined {
    const m = /^v(\d+)(?:\.\.(\d+))?$/.exec(versionText.trim());
    if (!m) return undefined;
    const lo = Number(m[1]);
    const hi = m[2] ? Number(m[2]) : lo;
    const v = Math.min(hi, maxVersion, MAX_SIM_VERSION);
    return v >= Math.max(lo, MIN_SIM_VERSION) ? v : undefined;
  }

  /** Writes the handshake answer: "<version>\0<time>\0" in one frame, as TWS does. */
  sendHandshake(version: number, time: string): void {
    this.serverVersion = version;
    this.socket.write(encodeFrame([version, time]));
  }

  /** Sends one message, honouring the slow-server delay and the drop hooks. */
  send(m: OutMessage): void {
    if (this.state === 'closed') return;
    const delay = this.host.outgoingDelay();
    if (delay <= 0 && this.lastSendAt <= Date.now()) {
      this.write(m);
      return;
    }
    // Keep messages in order under a changing delay: never schedule before the previous one.
    const at = Math.max(Date.now() + delay, this.lastSendAt);
    this.lastSendAt = at;
    setTimeout(() => this.write(m), at - Date.now());
  }

  private write(m: OutMessage): void {
    if (this.state === 'closed') return;
    if (this.host.dropHook(this, m, 'before')) {
      this.destroy();
      return;
    }
    this.socket.write(encodeFrame(m.fields));
    this.host.sent(this, m);
    if (this.host.dropHook(this, m, 'after')) this.destroy();
  }

  /** Closes the connection abruptly (no FIN handshake courtesy), as a crashed TWS would. */
  destroy(): void {
    if (this.state === 'closed') return;
    this.state = 'closed';
    this.socket.destroy();
  }

  /** Closes after the pending output is flushed (used after error 326). */
  end(): void {
    if (this.state === 'closed') return;
    this.state = 'closed';
    this.socket.end();
  }
}
