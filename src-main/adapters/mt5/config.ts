// What a MetaTrader 5 session is configured with: the account (login number and trade server), where the terminal and
// Python are, and the timing knobs. The account password lives in the secrets store (`password.mt5`).
import { createHash } from 'node:crypto';
import { existsSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { z } from 'zod';

export const MT5_PASSWORD_SECRET = 'password.mt5';

export const Mt5Settings = z.object({
  /** The MT5 account number; empty: the account the terminal is logged in to. */
  login: z.string().max(20).regex(/^\d*$/, 'digits only').default(''),
  /** The broker's trade server as MT5 names it (e.g. "ICMarketsSC-Demo"). */
  server: z.string().max(64).default(''),
  /** terminal64.exe; empty: the terminal the package finds. */
  terminal_path: z.string().max(260).default(''),
  /** The Python interpreter with the MetaTrader5 package. */
  python: z.string().max(260).default(process.platform === 'win32' ? 'python' : 'python3'),
  /** The symbols to trade. */
  symbols: z.array(z.string().regex(/^[A-Za-z0-9._#-]+$/)).min(1).max(50).default(['EURUSD', 'GBPUSD', 'XAUUSD']),
  live: z.boolean().default(false),
  auto_connect: z.boolean().default(false),
});
export type Mt5Settings = z.infer<typeof Mt5Settings>;

export interface Mt5Timings {
  reconnectInitialMs: number;
  reconnectMaxMs: number;
  reconnectJitter: number;
  /** Ticks and the deal history are read this often (the package has no push; it is a local IPC call). */
  tickPollMs: number;
  dealPollMs: number;
  accountPollMs: number;
  requestTimeoutMs: number;
  staleQuoteMs: number;
}

export const DEFAULT_MT5_TIMINGS: Mt5Timings = {
  reconnectInitialMs: 1_000, reconnectMaxMs: 60_000, reconnectJitter: 0.2, tickPollMs: 500, dealPollMs: 1_000, accountPollMs: 5_000, requestTimeoutMs: 15_000, staleQuoteMs: 15_000,
};

export function mt5AccountHash(login: string): string {
  return createHash('sha256').update(`quant-claude:mt5-account:${login}`).digest('hex').slice(0, 16);
}

/** Settings with config.yaml's `brokers.mt5` as the defaults under what Settings → Connections saved. */
export function mt5SettingsWithDefaults(defaults: Partial<Mt5Settings>): z.ZodType<Mt5Settings> {
  const given = Object.fromEntries(Object.entries(defaults).filter(([, v]) => v !== undefined));
  return z.preprocess((raw) => ({ ...given, ...(raw && typeof raw === 'object' ? raw : {}) }), Mt5Settings) as unknown as z.ZodType<Mt5Settings>;
}

/**
 * Finds bridge.py: in a packaged app electron-builder copies tools/mt5-bridge to `<resources>/mt5-bridge`
 * (extraResources in electron-builder.yml; Electron's process.resourcesPath); from the repo it is tools/mt5-bridge, found
 * up from this file (out/main or src-main/adapters/mt5) or from the working directory.
 */
export function defaultMt5BridgeScript(resourcesPath = (process as { resourcesPath?: string }).resourcesPath): string {
  const candidates = resourcesPath ? [join(resourcesPath, 'mt5-bridge', 'bridge.py')] : [];
  for (const start of [dirname(fileURLToPath(import.meta.url)), process.cwd()]) {
    let dir = resolve(start);
    for (let i = 0; i < 6; i++) {
      candidates.push(join(dir, 'tools', 'mt5-bridge', 'bridge.py'));
      dir = dirname(dir);
    }
  }
  return candidates.find((c) => existsSync(c)) ?? candidates[0]!;
}
