// The app without a transport, for the CLI: the same config, store and services the terminal builds (src-main/app.ts),
// opened for what a command needs. Reads open the database read-only and take no lock, so they work while the terminal
// holds the data folder; a writing command takes the folder's lock (one writer) and refuses while another holds it.
import { mkdirSync } from 'node:fs';
import { resolve } from 'node:path';
import { loadConfig, type Config } from '../config/config';
import { lockDataFolder } from '../data-folder-lock';
import { systemClock, type Clock } from '../ports/clock';
import type { Disposable } from '../ports/disposable';
import type { Store } from '../ports/store';
import { BacktestService } from '../services/backtests';
import { LedgerService } from '../services/ledger';
import { accountHash, ibAccountId } from '../adapters/ib/session';
import { openStore } from './store';
import { storedAccountRisk } from './risk';
import { createLogger } from '../logging';
import type { RiskSnapshot } from '../services/portfolio-risk';
import { createDemoMarket, type DemoMarket } from '../adapters/demo/market';
import { createStockData, type StockDataServices } from './stock-data';

/** What a command does with the data folder: nothing (file backtests), read it, or write it. */
export type DataAccess = 'none' | 'read' | 'write';

export interface HeadlessOptions {
  /** The data folder; needed unless access is 'none'. */
  dataDir?: string;
  access: DataAccess;
  /** The command's name, shown to whoever finds the folder locked by it. */
  command: string;
  clock?: Clock;
}

export interface HeadlessApp {
  clock: Clock;
  /** Loaded (and created with defaults when missing) unless access is 'none'. */
  config: Config | undefined;
  /** The Store port; undefined when access is 'none'. */
  store: Store | undefined;
  backtests: BacktestService;
  /** The investment ledger on the store; undefined when access is 'none'. */
  ledger: LedgerService | undefined;
  /** The portfolio risk of a stored account (issue 17), priced on the demo market; needs a data folder. */
  risk(accountId: string): Promise<RiskSnapshot>;
  /**
   * Stock analysis (issue 16): universes, point-in-time statements, daily closes, as the terminal builds them; needs a
   * data folder. The demo market is built when first read (seconds), not for commands that do not need it.
   */
  stockData(): StockDataServices;
  dispose(): Promise<void>;
}

export async function createHeadlessApp(o: HeadlessOptions): Promise<HeadlessApp> {
  const clock = o.clock ?? systemClock;
  const disposables: Disposable[] = [];
  const dispose = async () => {
    for (const d of disposables.reverse()) await d.dispose();
  };
  try {
    let config: Config | undefined;
    let store: Store | undefined;
    if (o.access !== 'none') {
      if (!o.dataDir) throw new Error(`${o.command} needs a data folder`);
      const dir = resolve(o.dataDir);
      if (o.access === 'write') {
        mkdirSync(dir, { recursive: true });
        const lock = lockDataFolder(dir, { role: 'cli', detail: o.command });
        disposables.push({ dispose: () => lock.release() });
      }
      config = loadConfig(dir, { create: o.access === 'write' }).config;
      store = await openStore({ dataDir: dir, readonly: o.access === 'read' });
      disposables.push(store);
    }
    // No market: building the demo market's history takes seconds, and file and stored backtests do not read it.
    const backtests = new BacktestService({ store, clock, onProgress: () => undefined });
    disposables.push(backtests);
    const ledger = store ? new LedgerService({ ledger: store.ledger, fills: store.fills, clock, ibAccountId: (a) => ibAccountId(accountHash(a)) }) : undefined;
    if (ledger) disposables.push(ledger);
    const risk = (accountId: string) => {
      if (!store || !config) throw new Error(`${o.command} needs a data folder`);
      return storedAccountRisk({ config, store, clock, logger: createLogger({ level: 'silent' }), accountId });
    };
    let stockData: StockDataServices | undefined;
    const stock = () => {
      if (!store || !config) throw new Error(`${o.command} needs a data folder`);
      if (!stockData) {
        let demo: DemoMarket | undefined;
        const market = () => {
          if (!demo) disposables.push((demo = createDemoMarket({ clock, seed: config.market.demo_seed })));
          return demo;
        };
        // The watchlists' port, not the service: the service writes a first list into an empty store, and reads are read-only.
        const lists = store.watchlists;
        stockData = createStockData({ store, demo: market, clock, watchlists: { list: () => lists.list() } });
      }
      return stockData;
    };
    return { clock, config, store, backtests, ledger, risk, stockData: stock, dispose };
  } catch (err) {
    await dispose().catch(() => undefined);
    throw err;
  }
}
