// Randomised, seeded fault trials for the IB session (shared by tests/ib/faults.test.ts and `npm run soak:ib`).
// A trial places a few random orders while a fault strikes at a random moment of their life: the simulator drops every
// socket, restarts, drops the socket right before/after one order message, or the terminal process is SIGKILLed and
// restarted. Afterwards every execution the simulator made must be booked exactly once, no client order id may have
// reached the simulator in two placeOrder messages, and positions must equal the simulator's.
import { spawn, type ChildProcess } from 'node:child_process';
import { existsSync, mkdirSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { openSqliteStore } from '../../src-main/adapters/sqlite/store';
import { accountHash, ibAccountId } from '../../src-main/adapters/ib/session';
import type { TwsSimulator } from '../../tools/tws-sim/simulator';
import { openTerminal, rng, startSim, tempDb, waitReady, waitUntil, type Terminal } from './harness';

export type FaultKind = 'drop' | 'restart' | 'hook' | 'kill';

export interface TrialResult {
  seed: number;
  fault: string;
  ordersAccepted: number;
  simExecutions: number;
  /** Executions the simulator made that are not in our database. */
  lost: number;
  /** Fills booked twice or booked without a simulator execution, plus client order ids that became two broker orders. */
  duplicated: number;
  /** Client order ids that reached the simulator in more than one placeOrder without a second order (same ids). */
  resent: number;
  positionMismatches: string[];
  /** Accepted orders still waiting for the broker's acknowledgement after the trial (silently dropped ones). */
  stuck: number;
  /** What went wrong, for the report. */
  details: string[];
  ms: number;
}

const here = dirname(fileURLToPath(import.meta.url));
const root = resolve(here, '../..');
const SIM_ACCOUNT = 'DU1234567';

export interface OrderPlan {
  delayMs: number;
  request: { symbol: string; side: 'buy' | 'sell'; type: 'market' | 'limit'; quantity: number; limitPrice?: number; timeInForce: 'day' | 'gtc'; stopLoss?: number; takeProfit?: number };
}

/** The orders of a trial, from its seed (prices relative to the simulator's current quote). */
export function planOrders(seed: number, quote: (symbol: string) => { bid: number; ask: number }): OrderPlan[] {
  const r = rng(seed * 7919 + 1);
  const n = 1 + Math.floor(r() * 4);
  const plans: OrderPlan[] = [];
  for (let i = 0; i < n; i++) {
    const symbol = r() < 0.5 ? 'AAPL' : 'MSFT';
    const side = r() < 0.6 ? 'buy' : 'sell';
    const quantity = 1 + Math.floor(r() * 8);
    const q = quote(symbol);
    const round = (p: number) => Math.round(p * 100) / 100;
    const u = r();
    let request: OrderPlan['request'];
    if (u < 0.55) request = { symbol, side, type: 'market', quantity, timeInForce: 'day' };
    else if (u < 0.8) request = { symbol, side, type: 'limit', quantity, limitPrice: round(side === 'buy' ? q.ask + 0.5 : q.bid - 0.5), timeInForce: 'day' };
    else request = { symbol, side, type: 'market', quantity, timeInForce: 'day', stopLoss: round(side === 'buy' ? q.bid * 0.8 : q.ask * 1.2), takeProfit: round(side === 'buy' ? q.ask * 1.2 : q.bid * 0.8) };
    plans.push({ delayMs: Math.floor(r() * 6), request });
  }
  return plans;
}

/** Counts placeOrder messages per client order id (orderRef) as the simulator decodes them. */
function watchPlaceOrders(sim: TwsSimulator): Map<string, string[]> {
  const sent = new Map<string, string[]>();
  sim.on('request', (e: { clientId: number; request: { kind: string; order?: { orderRef?: string; orderId?: number; transmit?: boolean; parentId?: number } } }) => {
    if (e.request.kind !== 'placeOrder') return;
    const o = e.request.order ?? {};
    const ref = o.orderRef ?? '';
    sent.set(ref, [...(sent.get(ref) ?? []), `${e.clientId}/${o.orderId}${o.transmit ? '' : ' untransmitted'}${o.parentId ? ` child of ${o.parentId}` : ''}`]);
  });
  return sent;
}

/** Waits until the simulator has stopped filling (no execution for `quietMs`). */
async function simQuiet(sim: TwsSimulator, quietMs = 40, timeoutMs = 5_000): Promise<void> {
  let last = -1;
  let since = Date.now();
  await waitUntil('the simulator to stop filling', () => {
    const n = sim.executions().length;
    if (n !== last) {
      last = n;
      since = Date.now();
    }
    return Date.now() - since >= quietMs;
  }, timeoutMs);
}

async function verify(sim: TwsSimulator, dbFile: string, placeCounts: Map<string, string[]>): Promise<Omit<TrialResult, 'seed' | 'fault' | 'ordersAccepted' | 'ms'>> {
  const store = openSqliteStore({ file: dbFile });
  try {
    const accountId = ibAccountId(accountHash(SIM_ACCOUNT));
    const fills = await store.fills.list({ accountId, limit: 5000 });
    const execs = sim.executions();
    const simIds = new Set(execs.map((e) => e.execId));
    const ourIds = new Map<string, number>();
    for (const f of fills) ourIds.set(f.id, (ourIds.get(f.id) ?? 0) + 1);
    const lost = execs.filter((e) => !ourIds.has(e.execId)).length;
    const details: string[] = [];
    let duplicated = 0;
    for (const f of fills.filter((x) => !simIds.has(x.id))) {
      duplicated++;
      details.push(`fill ${f.id} not made by the simulator`);
    }
    for (const [id, n] of ourIds) if (n > 1) {
      duplicated += n - 1;
      details.push(`fill ${id} booked ${n} times`);
    }
    // A client order id sent as two different broker orders is a duplicate; the same id sent again (a bracket completed
    // after a cut) is not, and an order the broker rejected twice created no order at all.
    let resent = 0;
    for (const [ref, sent] of placeCounts) {
      if (!ref || sent.length < 2) continue;
      const states = sim.allOrders().filter((o) => o.orderRef === ref).map((o) => `${o.clientId}/${o.orderId} ${o.status}`);
      const line = `order ${ref} sent in ${sent.length} placeOrder messages (${sent.join(', ')}; at the simulator: ${states.join(', ') || 'none'})`;
      if (states.length > 1) {
        duplicated += states.length - 1;
        details.push(`duplicate: ${line}`);
      } else {
        resent++;
        details.push(`re-sent, no duplicate: ${line}`);
      }
    }
    for (const e of execs.filter((x) => !ourIds.has(x.execId))) details.push(`execution ${e.execId} (${e.orderRef}) not booked`);
    const ours = new Map((await store.positions.list(accountId)).map((p) => [p.symbol, p.quantity]));
    const theirs = new Map(sim.positions().map((p) => [p.symbol, p.quantity]));
    const positionMismatches: string[] = [];
    for (const s of new Set([...ours.keys(), ...theirs.keys()])) {
      const a = ours.get(s) ?? 0;
      const b = theirs.get(s) ?? 0;
      if (Math.abs(a - b) > 1e-9) positionMismatches.push(`${s}: ours ${a}, simulator ${b}`);
    }
    const stuck = (await store.orders.list({ accountId, limit: 5000 })).filter((o) => o.status === 'submitted').length;
    return { simExecutions: execs.length, lost, duplicated, resent, positionMismatches, stuck, details };
  } finally {
    store.dispose();
  }
}

/** One in-process trial: the simulator drops, restarts, or cuts the socket around one order message. */
export async function runSimFaultTrial(seed: number, kind: Exclude<FaultKind, 'kill'>): Promise<TrialResult> {
  const started = Date.now();
  const r = rng(seed);
  const sim = await startSim({ seed: 1 + (seed % 97), maxFillSize: r() < 0.5 ? 2 + Math.floor(r() * 3) : undefined, restartPauseMs: 5 + Math.floor(r() * 20) });
  const placeCounts = watchPlaceOrders(sim);
  const dbFile = tempDb();
  let term: Terminal | undefined = openTerminal(dbFile, sim.port, undefined, rng(seed + 1));
  let fault = kind;
  let accepted = 0;
  try {
    await term.connect();
    await waitReady(term);
    const plans = planOrders(seed, (s) => sim.quote(s));
    const faultAt = Math.floor(r() * 12);
    let faultTimer: ReturnType<typeof setTimeout> | undefined;
    if (kind === 'hook') {
      const message = ['openOrder', 'orderStatus', 'execDetails', 'commissionReport'][Math.floor(r() * 4)]!;
      const when = r() < 0.5 ? 'before' : 'after';
      sim.dropConnectionOn({ message, when });
      fault = `hook:${message}:${when}` as typeof fault;
    } else {
      faultTimer = setTimeout(() => void (kind === 'drop' ? sim.dropConnections() : sim.restart()), faultAt);
      fault = `${kind}@${faultAt}ms` as typeof fault;
    }
    for (const p of plans) {
      if (p.delayMs) await new Promise((res) => setTimeout(res, p.delayMs));
      const result = await term.sessions.active().trading.placeOrder(p.request);
      if (!result.rejection) accepted++;
    }
    await new Promise((res) => setTimeout(res, 15));
    clearTimeout(faultTimer);
    await waitReady(term, 8_000);
    // Converged: every order acknowledged or closed, the simulator quiet, every execution booked.
    const accountId = term.sessions.active().session.accountId;
    await waitUntil('every order acknowledged', async () => (await term!.store.orders.list({ accountId })).every((o) => o.status !== 'submitted'), 3_000).catch(() => undefined);
    await simQuiet(sim);
    await waitUntil('every execution booked', async () => (await term!.store.fills.list({ accountId, limit: 5000 })).length >= sim.executions().length, 3_000).catch(() => undefined);
    await term.sessions.idle();
    await term.close();
    term = undefined;
    const v = await verify(sim, dbFile, placeCounts);
    return { seed, fault, ordersAccepted: accepted, ...v, ms: Date.now() - started };
  } finally {
    await term?.close();
    await sim.close();
  }
}

// --- the terminal as a child process, killed with SIGKILL ---

let childBundle: Promise<string> | undefined;

/** The child terminal bundled once (esbuild, packages external) so each start costs ~0.2 s instead of tsx's ~2 s. */
function bundleChild(): Promise<string> {
  childBundle ??= (async () => {
    const out = join(root, 'out', 'test-ib', 'terminal-child.mjs');
    mkdirSync(dirname(out), { recursive: true });
    const esbuild = await import('esbuild');
    await esbuild.build({
      entryPoints: [join(here, 'terminal-child.ts')], outfile: out, bundle: true, platform: 'node', format: 'esm', packages: 'external',
      target: 'node20', logLevel: 'silent',
    });
    if (!existsSync(out)) throw new Error('bundling the child terminal failed');
    return out;
  })();
  return childBundle;
}

interface Child {
  proc: ChildProcess;
  lines: string[];
  waitLine(re: RegExp, timeoutMs?: number): Promise<string>;
}

async function startChild(args: string[]): Promise<Child> {
  const script = await bundleChild();
  const proc = spawn(process.execPath, [script, ...args], { cwd: root, stdio: ['pipe', 'pipe', 'inherit'] });
  const lines: string[] = [];
  let buf = '';
  proc.stdout!.on('data', (d: Buffer) => {
    buf += d.toString();
    let i: number;
    while ((i = buf.indexOf('\n')) >= 0) {
      lines.push(buf.slice(0, i));
      buf = buf.slice(i + 1);
    }
  });
  return {
    proc, lines,
    async waitLine(re, timeoutMs = 15_000) {
      let found: string | undefined;
      await waitUntil(`child line ${re}`, () => {
        found = lines.find((l) => re.test(l));
        if (!found && proc.exitCode !== null) throw new Error(`child exited (${proc.exitCode}) before ${re}: ${lines.join(' | ')}`);
        return found !== undefined;
      }, timeoutMs);
      return found!;
    },
  };
}

function exited(proc: ChildProcess): Promise<void> {
  return proc.exitCode !== null || proc.signalCode !== null ? Promise.resolve() : new Promise((res) => proc.once('exit', () => res()));
}

/** One trial with the terminal in a child process: SIGKILL at a random moment of the orders' life, then a restart. */
export async function runKillTrial(seed: number): Promise<TrialResult> {
  const started = Date.now();
  const r = rng(seed);
  const sim = await startSim({ seed: 1 + (seed % 97), maxFillSize: r() < 0.5 ? 2 : undefined });
  const placeCounts = watchPlaceOrders(sim);
  const dbFile = tempDb();
  // The kill strikes while order k is being placed (journaled, sent, acknowledged or filling): 0–20 ms after it starts.
  const orders = planOrders(seed, () => ({ bid: 1, ask: 1 })).length;
  const k = Math.floor(r() * orders);
  const killAt = Math.floor(r() * 20);
  try {
    const first = await startChild(['--db', dbFile, '--port', String(sim.port), '--seed', String(seed), '--orders']);
    await first.waitLine(/^ready/);
    await first.waitLine(new RegExp(`^placing ${k}$`), 5_000).catch(() => undefined);
    await new Promise((res) => setTimeout(res, killAt));
    first.proc.kill('SIGKILL');
    await exited(first.proc);
    const accepted = first.lines.filter((l) => l.startsWith('accepted')).length;
    const second = await startChild(['--db', dbFile, '--port', String(sim.port), '--seed', String(seed)]);
    await second.waitLine(/^ready/);
    await simQuiet(sim);
    second.proc.stdin!.write('settle\n');
    await second.waitLine(/^settled/);
    second.proc.stdin!.write('exit\n');
    await exited(second.proc);
    const v = await verify(sim, dbFile, placeCounts);
    return { seed, fault: `kill@order${k}+${killAt}ms`, ordersAccepted: accepted, ...v, ms: Date.now() - started };
  } finally {
    await sim.close();
  }
}

export async function runTrial(seed: number, kind: FaultKind): Promise<TrialResult> {
  return kind === 'kill' ? runKillTrial(seed) : runSimFaultTrial(seed, kind);
}
