// Randomised, seeded fault trials for the MetaTrader 5 venue (shared by tests/mt5/faults.test.ts and `npm run soak:mt5`).
// A trial places a few random orders (market, limit near the market, stop beyond it) on a moving stand-in market while
// one fault strikes: the bridge process exits before or after a call (an order_send among them, so an order is made
// and its answer lost), is killed (SIGKILL) at a random moment, stalls before or after a call (longer than the request
// time limit), the terminal answers "No IPC connection", order_send answers a requote / off quotes / no connection
// retcode, the deal history lists every deal twice, a price shock, or our side restarts (same database). Afterwards
// every deal the stand-in made must be booked exactly once, no order of ours may have become two orders there, and
// positions must match.
import { checkFills, countSentTwice, waitBooked, type VenueTrialResult } from '../venue-kit/trials';
import { rng } from '../ib/harness';
import { openMt5Terminal, standIn, tempDb, waitMt5Ready, waitUntil, type Mt5Terminal } from './harness';
import { orderIdOfComment } from '../../src-main/adapters/mt5/execution';

export const FAULT_KINDS = ['exit', 'exit-after-send', 'kill', 'stall', 'stall-after-send', 'disconnect', 'requote', 'off-quotes', 'duplicate', 'shock', 'restart-terminal'] as const;
export type Mt5FaultKind = (typeof FAULT_KINDS)[number];

export type Mt5TrialResult = VenueTrialResult;

const SYMBOLS = [['EURUSD', 100_000, 1.085, 5], ['GBPUSD', 100_000, 1.27, 5], ['XAUUSD', 100, 2350, 2]] as const;
/** Short request limit: a stall is noticed within the trial. */
const TRIAL_TIMINGS = { requestTimeoutMs: 700 };

const faultOf = (kind: Mt5FaultKind, r: () => number): Record<string, unknown> | null => {
  switch (kind) {
    case 'exit': return { kind: 'exit', on: r() < 0.5 ? '*' : 'order_send', when: 'before' };
    case 'exit-after-send': return { kind: 'exit', on: 'order_send', when: 'after' };
    case 'stall': return { kind: 'stall', on: '*', when: 'before', ms: 2_500 };
    case 'stall-after-send': return { kind: 'stall', on: 'order_send', when: 'after', ms: 2_500 };
    case 'disconnect': return { kind: 'disconnect', on: '*', count: 1 + Math.floor(r() * 4) };
    case 'requote': return { kind: 'retcode', on: 'order_send', retcode: 10004, comment: 'Requote', count: 1 + Math.floor(r() * 2) };
    case 'off-quotes': return { kind: 'retcode', on: 'order_send', retcode: r() < 0.5 ? 10021 : 10031, comment: 'Off quotes', count: 1 + Math.floor(r() * 2) };
    case 'duplicate': return { kind: 'duplicate', on: 'history_deals_get', count: 50 };
    default: return null;
  }
};

export async function runMt5Trial(seed: number, kind: Mt5FaultKind): Promise<Mt5TrialResult> {
  const started = Date.now();
  const r = rng(seed * 104_729 + 17);
  const db = tempDb();
  const s = standIn();
  const mids = new Map<string, number>(SYMBOLS.map(([symbol, , mid]) => [symbol, mid]));
  const writePrices = () => s.setPrices(Object.fromEntries(SYMBOLS.map(([symbol, , , digits]) => {
    const m = mids.get(symbol)!;
    const half = 10 ** -digits * 5;
    return [symbol, [Number((m - half).toFixed(digits)), Number((m + half).toFixed(digits))]];
  })));
  writePrices();
  let moving = true;
  const walk = setInterval(() => {
    if (!moving) return;
    for (const [symbol] of SYMBOLS) mids.set(symbol, mids.get(symbol)! * (1 + (r() - 0.5) * 0.0004));
    writePrices();
  }, 20);
  let term: Mt5Terminal = openMt5Terminal(db, s, { timings: TRIAL_TIMINGS, random: rng(seed) });
  const details: string[] = [];
  let accepted = 0;
  try {
    await term.connect();
    await waitMt5Ready(term);
    const accountId = term.sessions.active().session.accountId;
    const n = 1 + Math.floor(r() * 4);
    const faultAt = Math.floor(r() * (n + 1));
    for (let i = 0; i <= n; i++) {
      if (i === faultAt) {
        const f = faultOf(kind, r);
        if (f) s.fault(f);
        else if (kind === 'kill') {
          const pid = s.bridgePid();
          setTimeout(() => {
            try {
              if (pid) process.kill(pid, 'SIGKILL');
            } catch { /* gone already */ }
          }, r() * 40);
        } else if (kind === 'shock') {
          const [symbol] = SYMBOLS[Math.floor(r() * SYMBOLS.length)]!;
          mids.set(symbol, mids.get(symbol)! * (1 + (r() < 0.5 ? -1 : 1) * (0.003 + r() * 0.01)));
          writePrices();
        } else if (kind === 'restart-terminal') {
          await term.close();
          term = openMt5Terminal(db, s, { timings: TRIAL_TIMINGS, random: rng(seed + 1) });
          await term.connect();
          await waitMt5Ready(term);
        }
      }
      if (i === n) break;
      await new Promise((res) => setTimeout(res, r() * 60));
      const [symbol, contract, , digits] = SYMBOLS[Math.floor(r() * SYMBOLS.length)]!;
      const side = r() < 0.55 ? 'buy' : 'sell';
      const quantity = contract * 0.01 * (1 + Math.floor(r() * 5));
      const mid = mids.get(symbol)!;
      const round = (p: number) => Number(p.toFixed(digits));
      const u = r();
      if (!term.sessions.active().session.status().ready) await waitUntil('ready to send', () => term.sessions.active().session.status().ready, 10_000).catch(() => undefined);
      const trading = term.sessions.active().trading;
      const res = u < 0.5
        ? await trading.placeOrder({ symbol, side, type: 'market', quantity, timeInForce: 'day' })
        : u < 0.8
          ? await trading.placeOrder({ symbol, side, type: 'limit', quantity, limitPrice: round(mid * (side === 'buy' ? 0.9998 : 1.0002)), timeInForce: 'gtc' })
          : await trading.placeOrder({ symbol, side, type: 'stop', quantity, stopPrice: round(mid * (side === 'buy' ? 1.0002 : 0.9998)), timeInForce: 'gtc' });
      if (!res.rejection) accepted++;
    }
    // Let the fault play out, then settle on still prices and a ready, reconciled session.
    await new Promise((res) => setTimeout(res, (kind.startsWith('stall') ? 2_800 : 300) + r() * 300));
    const struck = faultOf(kind, () => 0) === null || s.struck();
    s.clearFaults();
    moving = false;
    await waitUntil('ready after the fault', () => term.sessions.active().session.status().ready, 15_000);
    const unanswered = async () => (await term.store.orders.list({ accountId, limit: 5_000 })).filter((o) => o.status === 'submitted').length;
    await waitUntil('every order answered', async () => (await unanswered()) === 0, 8_000).catch(() => undefined);
    const simFillIds = () => s.state().deals.map((d) => `MT5-${d.ticket}`);
    await waitBooked(term.store, accountId, simFillIds);

    const simFills = simFillIds();
    const checked = await checkFills(term.store, accountId, simFills, details, 'the stand-in');
    const lost = checked.lost;
    // One order of ours is one MT5 order: its comment on deals of two order tickets means it was sent twice.
    const tickets = new Map<string, Set<number>>();
    for (const d of s.state().deals) {
      const id = orderIdOfComment(d.comment);
      if (id) tickets.set(id, (tickets.get(id) ?? new Set()).add(d.order));
    }
    const duplicated = checked.duplicated + countSentTwice(new Map([...tickets].map(([id, set]) => [id, set.size])), details, 'MT5 order of');
    const positionMismatches: string[] = [];
    for (const [symbol, contract] of SYMBOLS) {
      const mine = (await term.store.positions.get(accountId, symbol))?.quantity ?? 0;
      const theirs = s.state().positions.filter((p) => p.symbol === symbol).reduce((n, p) => n + p.volume * contract, 0);
      if (Math.abs(mine - theirs) > 1e-6) positionMismatches.push(`${symbol}: ours ${mine}, stand-in ${theirs}`);
    }
    const orders = await term.store.orders.list({ accountId, limit: 5_000 });
    const stuck = orders.filter((o) => o.status === 'submitted').length;
    if (stuck) details.push(`stuck: ${orders.filter((o) => o.status === 'submitted').map((o) => `${o.id} ${o.type}`).join(', ')}`);
    return { seed, fault: kind, ordersAccepted: accepted, struck, simFills: simFills.length, lost, duplicated, positionMismatches, stuck, details, ms: Date.now() - started };
  } finally {
    clearInterval(walk);
    await term.close().catch(() => undefined);
  }
}
