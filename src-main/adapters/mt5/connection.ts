// The MetaTrader 5 connection: the bridge process (started, logged in, restarted with backoff when it ends or stops
// answering), the symbols, ticks polled into quotes and the account read now and then. The state machine (backoff,
// refusals, events) is venue-kit's; a refused login stops it.
import type { BrokerAccountValue } from '../../../src-shared/domain/broker';
import type { Quote } from '../../../src-shared/domain/types';
import { Emitter } from '../../../src-shared/common/emitter';
import type { Logger } from '../../logging';
import type { Clock } from '../../ports/clock';
import type { Disposable } from '../../ports/disposable';
import type { Timers } from '../../ports/timers';
import { ConnectRefused, VenueConnection, type FailureVerdict, type LinkStatus } from '../venue-kit/connection';
import { Mt5Bridge } from './bridge';
import { mt5AccountHash, type Mt5Settings, type Mt5Timings } from './config';
import { Mt5Error } from './errors';
import type { Mt5SymbolSpec } from './execution';

type Json = Record<string, unknown>;

/** last_error()'s code for a refused login (also the bridge's answer for a terminal on another account). */
const REFUSED = -6;

export interface Mt5ConnectionOptions {
  settings: Mt5Settings;
  timings: Mt5Timings;
  password: () => Promise<string | undefined>;
  /** The bridge script and extra environment (the tests' stand-in package). */
  bridge: { script: string; env?: Record<string, string> };
  clock: Clock;
  logger: Logger;
  /** The account's one-way key when known (configured or traded before): another account is refused. */
  knownAccountHash: string | null;
  timers?: Timers;
  random?: () => number;
}

export class Mt5Connection extends VenueConnection {
  private bridge: Mt5Bridge | null = null;
  private hash: string | null;
  private label: string | null = null;
  private symbolSpecs = new Map<string, Mt5SymbolSpec>();
  private cancelPoll: (() => void) | undefined;
  private readonly quotes = new Map<string, Quote>();
  private values: BrokerAccountValue[] = [];
  private readonly quoteEvents = new Emitter<Quote>();
  private readonly valueEvents = new Emitter<BrokerAccountValue[]>();
  private readonly hashKnown = new Emitter<string>();

  constructor(private readonly o: Mt5ConnectionOptions) {
    super({ venue: 'MetaTrader 5', backoff: o.timings, clock: o.clock, logger: o.logger, timers: o.timers, random: o.random });
    this.hash = o.settings.login ? mt5AccountHash(o.settings.login) : o.knownAccountHash;
  }

  // --- for the session and the execution client ---

  async call<T>(method: string, params: Json = {}): Promise<T> {
    if (!this.bridge) throw new Mt5Error(-10004, 'the bridge is not running');
    const r = await this.bridge.call<T>(method, params);
    this.heard();
    return r;
  }

  accountHash(): string | null {
    return this.hash;
  }

  /** Once, when the account's key is first learnt from the terminal. */
  onAccountHash(l: (hash: string) => void): Disposable {
    return this.hashKnown.on(l);
  }

  spec(symbol: string): Mt5SymbolSpec | undefined {
    return this.symbolSpecs.get(symbol);
  }

  specs(): Mt5SymbolSpec[] {
    return [...this.symbolSpecs.values()];
  }

  lastQuote(symbol: string): Quote | undefined {
    return this.quotes.get(symbol);
  }

  onQuote(l: (q: Quote) => void): Disposable {
    return this.quoteEvents.on(l);
  }

  accountValues(): BrokerAccountValue[] {
    return this.values;
  }

  onAccountValues(l: (v: BrokerAccountValue[]) => void): Disposable {
    return this.valueEvents.on(l);
  }

  notConnectedReason(): string {
    return `Not connected to MetaTrader 5${this.message ? ` (${this.message})` : ''}: the order was not sent`;
  }

  status(): LinkStatus {
    return this.linkStatus({ broker: 'mt5', mode: this.o.settings.live ? 'live' : 'paper', endpoint: this.o.settings.server || 'terminal', accountLabel: this.label });
  }

  // --- lifecycle ---

  protected async establish(epoch: number): Promise<void> {
    const { settings, timings } = this.o;
    const password = await this.o.password();
    if (settings.login && !password) throw new Mt5Error(REFUSED, 'no password in the secrets store (Settings → Connections)');
    const b = new Mt5Bridge({ python: settings.python, script: this.o.bridge.script, env: this.o.bridge.env, timeoutMs: timings.requestTimeoutMs });
    this.bridge = b;
    b.onExit((why) => {
      if (this.bridge === b && epoch === this.epoch) this.drop(why);
    });
    await b.start();
    await this.call('initialize', {
      ...(settings.login ? { login: Number(settings.login), password, server: settings.server || undefined } : {}),
      ...(settings.terminal_path ? { path: settings.terminal_path } : {}),
    });
    const account = await this.call<Json>('account_info');
    const login = String(account['login']);
    if (this.hash && mt5AccountHash(login) !== this.hash) throw new Mt5Error(REFUSED, 'the terminal is logged in to another account than the one configured (or traded before)');
    if (!this.hash) {
      this.hash = mt5AccountHash(login);
      this.hashKnown.emit(this.hash);
    }
    this.label = login.length > 3 ? `••${login.slice(-3)}` : '•••';
    const symbols = await this.call<Json[]>('symbols');
    this.symbolSpecs = new Map(symbols.filter((s) => settings.symbols.includes(String(s['name']))).map((s) => [String(s['name']), {
      symbol: String(s['name']), contractSize: Number(s['trade_contract_size']), volumeMin: Number(s['volume_min']), volumeStep: Number(s['volume_step']),
      digits: Number(s['digits']), currency: String(s['currency_profit']),
    }]));
    // Prices before "connected": the risk gate refuses orders without a fresh price of the account's own.
    const first = await this.call<Record<string, Json | null>>('ticks', { symbols: [...this.symbolSpecs.keys()] });
    if (epoch !== this.epoch) return;
    this.takeTicks(first);
  }

  protected override afterConnect(epoch: number): void {
    void this.readAccount(epoch);
    this.poll(epoch);
  }

  protected judge(err: unknown): FailureVerdict {
    if (err instanceof ConnectRefused || (err instanceof Mt5Error && err.code === REFUSED)) return { refused: true, message: (err as Error).message };
    return { refused: false, message: `Could not connect to MetaTrader 5 (${(err as Error).message}); retrying` };
  }

  protected teardown(reason: string): void {
    this.cancelPoll?.();
    // A refused login or our own end: let the bridge say goodbye to the terminal; a broken link: end it now.
    if (reason === 'disposed' || this.phase === 'stopped') this.bridge?.dispose();
    else this.bridge?.kill();
    this.bridge = null;
  }

  private takeTicks(ticks: Record<string, Json | null>): void {
    for (const [symbol, tk] of Object.entries(ticks)) {
      const bid = Number(tk?.['bid']);
      const ask = Number(tk?.['ask']);
      if (!(bid > 0) || !(ask > 0)) continue;
      const q: Quote = { symbol, time: this.o.clock.now(), bid, ask, last: (bid + ask) / 2, lastSize: 0, source: 'mt5' };
      this.quotes.set(symbol, q);
      this.quoteEvents.emit(q);
    }
  }

  private poll(epoch: number): void {
    const { tickPollMs, accountPollMs } = this.o.timings;
    this.cancelPoll = this.timers.after(tickPollMs, () => {
      if (epoch !== this.epoch) return;
      this.call<Record<string, Json | null>>('ticks', { symbols: [...this.symbolSpecs.keys()] }).then((ticks) => {
        if (epoch !== this.epoch) return;
        this.takeTicks(ticks);
        const now = this.o.clock.now();
        if (Math.floor(now / accountPollMs) !== Math.floor((now - tickPollMs) / accountPollMs) || this.values.length === 0) void this.readAccount(epoch);
        this.poll(epoch);
      }, (err: unknown) => {
        if (epoch === this.epoch) this.drop(`the tick poll failed: ${(err as Error).message}`);
      });
    });
  }

  private async readAccount(epoch: number): Promise<void> {
    const a = await this.call<Json>('account_info').catch(() => null);
    if (!a || epoch !== this.epoch) return;
    const c = String(a['currency'] ?? 'USD');
    this.values = [
      ...['balance', 'equity', 'margin', 'margin_free', 'margin_level', 'profit', 'margin_so_call', 'margin_so_so'].map((key) => ({ key, value: String(a[key] ?? ''), currency: c })),
      { key: 'NetLiquidation', value: String(a['equity']), currency: c }, { key: 'TotalCashValue', value: String(a['balance']), currency: c },
    ];
    this.valueEvents.emit(this.values);
  }

  override dispose(): void {
    super.dispose();
    this.quoteEvents.clear();
    this.valueEvents.clear();
    this.hashKnown.clear();
  }
}
