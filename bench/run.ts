// `npm run bench [-- --json]`: named performance figures. A registry, so later work adds its own benchmarks.
// Figures are reported, never asserted: timings belong here, not in tests.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createDemoMarket } from '../src-main/adapters/demo/market';
import { createPaperBroker } from '../src-main/adapters/paper/broker';
import { openSqliteStore } from '../src-main/adapters/sqlite/store';
import { createLogger } from '../src-main/logging';
import { ManualClock } from '../src-main/ports/clock';
import { AccountService } from '../src-main/services/account';
import { TradingService } from '../src-main/services/trading';

type Figure = { name: string; value: number; unit: string; note: string };
type Bench = () => Promise<Figure[]>;

const NOW = Date.parse('2026-11-24T19:00:00Z');
const temp = () => mkdtempSync(join(tmpdir(), 'qc-bench-'));

const benchmarks: Record<string, Bench> = {
  async demoMarket() {
    const t0 = performance.now();
    createDemoMarket({ clock: new ManualClock(NOW), seed: 42 }).dispose();
    return [{ name: 'demo_market_startup_ms', value: performance.now() - t0, unit: 'ms', note: '12 instruments, 1-minute walk from 2025-01-01 to 2026-11-24' }];
  },
  async auditLog() {
    const dir = temp();
    const store = openSqliteStore({ file: join(dir, 'q.db') });
    const n = 2000;
    const t0 = performance.now();
    for (let i = 0; i < n; i++) await store.audit.append({ time: i, kind: 'bench', orderId: null, payload: { i } });
    const s = (performance.now() - t0) / 1000;
    store.dispose();
    rmSync(dir, { recursive: true, force: true });
    return [{ name: 'audit_appends_per_s', value: n / s, unit: '/s', note: 'each append durable (WAL, synchronous=FULL)' }];
  },
  async orderRoundTrip() {
    const dir = temp();
    const clock = new ManualClock(Date.parse('2026-11-30T15:00:00Z'));
    const store = openSqliteStore({ file: join(dir, 'q.db') });
    const market = createDemoMarket({ clock, seed: 1 });
    const broker = createPaperBroker({ market, clock });
    const account = new AccountService({ store, market, clock, accountId: 'B', broker: 'paper', currency: 'USD', initialCash: 1e9 });
    await account.ensureAccount();
    const trading = new TradingService({
      store, broker, market, clock, account, logger: createLogger({ level: 'silent' }), configKillSwitch: false,
      limits: { maxPositionSize: 1, maxOrderNotional: 1e12, priceCollarPct: 1, maxDailyTrades: 1e9 },
    });
    const n = 300;
    let filled = 0;
    const done = new Promise<void>((resolve) => trading.on((e) => e.kind === 'fill' && ++filled === n && resolve()));
    const t0 = performance.now();
    for (let i = 0; i < n; i++) await trading.placeOrder({ symbol: 'BTCUSD', side: i % 2 ? 'sell' : 'buy', type: 'market', quantity: 0.001, timeInForce: 'day' });
    await done;
    const s = (performance.now() - t0) / 1000;
    trading.dispose();
    broker.dispose();
    market.dispose();
    store.dispose();
    rmSync(dir, { recursive: true, force: true });
    return [{ name: 'orders_filled_per_s', value: n / s, unit: '/s', note: 'intent → risk → submit → ack → fill, journaled on SQLite' }];
  },
};

const json = process.argv.includes('--json');
const figures: Figure[] = [];
for (const [name, bench] of Object.entries(benchmarks)) {
  if (!json) process.stderr.write(`running ${name}…\n`);
  figures.push(...(await bench()));
}
if (json) process.stdout.write(`${JSON.stringify(Object.fromEntries(figures.map((f) => [f.name, Number(f.value.toFixed(2))])))}\n`);
else console.table(figures.map((f) => ({ figure: f.name, value: f.value.toFixed(1), unit: f.unit, note: f.note })));
