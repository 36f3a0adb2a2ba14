// What an IB session is configured with: the user's IbSettings plus the timing knobs, each with one documented default.
import type { IbSettings } from '../../../src-shared/domain/broker';

export interface IbTimings {
  /** First reconnect delay; doubles on every failed attempt up to `reconnectMaxMs`, with ± `reconnectJitter` spread. */
  reconnectInitialMs: number;
  reconnectMaxMs: number;
  /** Fraction of the delay drawn at random either way, so many terminals do not reconnect in lockstep. */
  reconnectJitter: number;
  /** A heartbeat (reqCurrentTime) is sent after this long without any message from TWS. */
  heartbeatMs: number;
  /** No message for this long (heartbeats unanswered) ⇒ the socket is treated as dead and reconnected.
   * Default 30 s, so a silent server is detected and reported within 30–35 s (well under a minute). */
  silenceTimeoutMs: number;
  /** How often the watchdog looks. */
  watchdogTickMs: number;
  /** Time allowed for the handshake (connect → nextValidId) and for each reconciliation request. */
  requestTimeoutMs: number;
  /** Error 326 (client id in use): how many other client ids are tried (clientId + 1, + 2, …) before giving up. */
  clientIdAttempts: number;
}

export const DEFAULT_IB_TIMINGS: IbTimings = {
  reconnectInitialMs: 1_000,
  reconnectMaxMs: 60_000,
  reconnectJitter: 0.2,
  heartbeatMs: 10_000,
  silenceTimeoutMs: 30_000,
  watchdogTickMs: 5_000,
  requestTimeoutMs: 15_000,
  clientIdAttempts: 3,
};

export interface IbSessionConfig {
  settings: IbSettings;
  timings: IbTimings;
}

export function ibSessionConfig(settings: IbSettings, timings: Partial<IbTimings> = {}): IbSessionConfig {
  return { settings, timings: { ...DEFAULT_IB_TIMINGS, ...timings } };
}

/** DU1234567 → DU••••567: enough to recognise the account, never the full id. */
export function maskAccount(account: string): string {
  if (account.length <= 5) return '•'.repeat(account.length);
  return `${account.slice(0, 2)}••••${account.slice(-3)}`;
}
