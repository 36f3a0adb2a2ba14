// Seeded kill trials of the paper order flow (shared by tests/paper/kill.test.ts and `npm run soak:orders`): a terminal
// child places market, limit and bracket orders and cancels; it is SIGKILLed at a random moment, restarted on the same
// data folder, and the books are checked: every fill the terminal acknowledged is stored once, the ledger is exact
// (cash = initial + Σ fills, in decimal), positions = Σ fills, and no intent is left dangling.
import { spawn } from 'node:child_process';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { Rng } from '../../src-main/adapters/demo/random';
import { openSqliteStore } from '../../src-main/adapters/sqlite/store';
import { dec } from '../../src-main/domain/money';
import { cashAfterFill } from '../../src-main/domain/portfolio';
import type { OrderRequest } from '../../src-shared/api/order-request';

const here = dirname(fileURLToPath(import.meta.url));
const root = resolve(here, '../..');
const ACCOUNT = 'PAPER-1';
const INITIAL_CASH = '100000';

export type PaperStep = { delayMs: number } & ({ kind: 'place'; request: OrderRequest } | { kind: 'cancel'; index: number });

/** The trial's steps from its seed: crypto (24x7) and FX, so the market is open whenever the soak runs. */
export function planPaperOrders(seed: number, quote: (symbol: string) => { bid: number; ask: number }): PaperStep[] {
  const r = new Rng(seed * 7919 + 17);
  const steps: PaperStep[] = [];
  const n = 4 + Math.floor(r.uniform() * 8);
  for (let i = 0; i < n; i++) {
    const delayMs = Math.floor(r.uniform() * 15);
    const u = r.uniform();
    if (u < 0.15) {
      steps.push({ delayMs, kind: 'cancel', index: Math.floor(r.uniform() * 10) });
      continue;
    }
    const btc = r.uniform() < 0.6;
    const symbol = btc ? 'BTCUSD' : 'EURUSD';
    const q = quote(symbol);
    const side = r.uniform() < 0.55 ? 'buy' : 'sell';
    const quantity = btc ? (1 + Math.floor(r.uniform() * 5)) / 1000 : 1000 * (1 + Math.floor(r.uniform() * 5));
    const round = (p: number) => (btc ? Math.round(p * 100) / 100 : Math.round(p * 1e5) / 1e5);
    const away = (f: number) => round(side === 'buy' ? q.bid * (1 - f) : q.ask * (1 + f));
    let request: OrderRequest;
    if (u < 0.5) request = { symbol, side, type: 'market', quantity, timeInForce: 'day' };
    else if (u < 0.8) request = { symbol, side, type: 'limit', quantity, limitPrice: away(r.uniform() < 0.5 ? -0.001 : 0.00005), timeInForce: 'gtc' }; // marketable or resting near the touch
    else {
      const sl = side === 'buy' ? round(q.bid * 0.9995) : round(q.ask * 1.0005);
      const tp = side === 'buy' ? round(q.ask * 1.0005) : round(q.bid * 0.9995);
      request = { symbol, side, type: 'market', quantity, timeInForce: 'day', stopLoss: sl, takeProfit: tp }; // tight legs: they trade
    }
    steps.push({ delayMs, kind: 'place', request });
  }
  return steps;
}

export interface PaperTrialResult {
  seed: number;
  killedAfterMs: number;
  orders: number;
  fills: number;
  acknowledgedFills: number;
  lost: number;
  duplicated: number;
  ledgerExact: boolean;
  positionMismatches: string[];
  dangling: number;
  resent: number;
  details: string[];
}

function child(dataDir: string, phase: 'run' | 'settle', seed: number) {
  const p = spawn(process.execPath, ['--import', 'tsx', join(here, 'terminal-child.ts'), '--data-dir', dataDir, '--phase', phase, '--seed', String(seed)], {
    cwd: root, stdio: ['ignore', 'pipe', 'pipe'],
  });
  let out = '';
  p.stdout.on('data', (d) => (out += d));
  p.stderr.on('data', (d) => (out += d));
  const exited = new Promise<number | null>((res) => p.on('exit', (code) => res(code)));
  return { p, out: () => out, exited };
}

async function waitFor(c: ReturnType<typeof child>, line: string, timeoutMs: number): Promise<boolean> {
  const until = Date.now() + timeoutMs;
  while (Date.now() < until) {
    if (c.out().includes(`${line}\n`)) return true;
    if (c.p.exitCode !== null) return false;
    await new Promise((r) => setTimeout(r, 5));
  }
  return false;
}

export async function runPaperTrial(seed: number): Promise<PaperTrialResult> {
  const dataDir = mkdtempSync(join(tmpdir(), 'qc-soak-'));
  // Fast quotes so resting orders and bracket legs trade within a trial; limits that let the plan through.
  writeFileSync(join(dataDir, 'config.yaml'), `risk:\n  max_position_size: 1\n  max_order_notional: 1000000\n  max_portfolio_risk: null\nmarket:\n  demo_seed: ${seed}\n  tick_interval_ms: 50\n`);
  const rand = new Rng(seed);
  const details: string[] = [];
  const run = child(dataDir, 'run', seed);
  if (!(await waitFor(run, 'ready', 60_000))) throw new Error(`terminal did not start:\n${run.out()}`);
  const killedAfterMs = Math.floor(rand.uniform() * 160);
  await new Promise((r) => setTimeout(r, killedAfterMs));
  run.p.kill('SIGKILL');
  await run.exited;
  const acknowledged = [...run.out().matchAll(/^fill (\S+)$/gm)].map((m) => m[1]!);

  const settle = child(dataDir, 'settle', seed);
  const code = await settle.exited;
  if (code !== 0 || !settle.out().includes('settled\n')) throw new Error(`restart failed (${code}):\n${settle.out()}`);

  const store = openSqliteStore({ file: join(dataDir, 'quant.db') });
  try {
    const fills = (await store.fills.list({ accountId: ACCOUNT, limit: 5000 })).reverse();
    const orders = await store.orders.list({ accountId: ACCOUNT, limit: 5000 });
    const audit = await store.audit.list({ limit: 5000 });
    const fillIds = new Set(fills.map((f) => f.id));
    const lost = acknowledged.filter((id) => !fillIds.has(id)).length;
    for (const id of acknowledged.filter((x) => !fillIds.has(x))) details.push(`acknowledged fill ${id} not stored`);

    // Duplicates: more filled than ordered, or both legs of one bracket filled (the position closed twice).
    let duplicated = 0;
    const byOrder = new Map<string, number>();
    for (const f of fills) byOrder.set(f.orderId, (byOrder.get(f.orderId) ?? 0) + f.quantity);
    for (const o of orders) {
      const q = byOrder.get(o.id) ?? 0;
      if (q > o.quantity + 1e-9) {
        duplicated++;
        details.push(`order ${o.id} filled ${q} of ${o.quantity}`);
      }
    }
    const legsFilled = new Map<string, number>();
    for (const o of orders) if (o.parentId && o.status === 'filled') legsFilled.set(o.parentId, (legsFilled.get(o.parentId) ?? 0) + 1);
    for (const [parent, n] of legsFilled) if (n > 1) {
      duplicated++;
      details.push(`both legs of bracket ${parent} filled`);
    }

    // Exact ledger: cash from the initial cash and every stored fill, in decimal; positions from the fills.
    let cash = INITIAL_CASH;
    const net = new Map<string, ReturnType<typeof dec>>();
    for (const f of fills) {
      cash = cashAfterFill(cash, f);
      net.set(f.symbol, (net.get(f.symbol) ?? dec(0)).plus(f.side === 'buy' ? f.quantity : -f.quantity));
    }
    const stored = (await store.accounts.get(ACCOUNT))!.cash;
    const ledgerExact = dec(stored).eq(dec(cash));
    if (!ledgerExact) details.push(`cash ${stored}, fills say ${cash}`);
    const positionMismatches: string[] = [];
    const positions = new Map((await store.positions.list(ACCOUNT)).map((p) => [p.symbol, p.quantity]));
    for (const s of new Set([...positions.keys(), ...net.keys()])) {
      const a = positions.get(s) ?? 0;
      const b = net.get(s) ?? dec(0);
      if (!b.minus(a).abs().lt(1e-9)) positionMismatches.push(`${s}: stored ${a}, fills ${b.toString()}`);
    }

    // No dangling intent: every intent has its row; every order is closed or live, with the entry that says so.
    const kindsFor = new Map<string, Set<string>>();
    for (const a of audit) if (a.orderId) (kindsFor.get(a.orderId) ?? kindsFor.set(a.orderId, new Set()).get(a.orderId)!).add(a.kind);
    const rows = new Map(orders.map((o) => [o.id, o]));
    const needs: Record<string, string> = { filled: 'order.fill', rejected: 'order.rejected', cancelled: 'order.cancelled', working: 'order.ack', 'partially-filled': 'order.fill' };
    let dangling = 0;
    for (const [id, kinds] of kindsFor) {
      if (!kinds.has('order.intent')) continue;
      const o = rows.get(id);
      const need = o ? needs[o.status] : undefined;
      if (!o || !need || !kinds.has(need)) {
        dangling++;
        details.push(`intent ${id}: ${o ? `order ${o.status}` : 'no order row'}, audit ${[...kinds].join(' ')}`);
      }
    }
    dangling += (await store.audit.danglingIntents()).length;
    const resent = audit.filter((a) => a.kind === 'order.resubmitted').length;
    return { seed, killedAfterMs, orders: orders.length, fills: fills.length, acknowledgedFills: acknowledged.length, lost, duplicated, ledgerExact, positionMismatches, dangling, resent, details };
  } finally {
    store.dispose();
  }
}

export const trialFailed = (r: PaperTrialResult) => r.lost > 0 || r.duplicated > 0 || !r.ledgerExact || r.positionMismatches.length > 0 || r.dangling > 0 || r.resent > 0;
