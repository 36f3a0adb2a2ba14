// Randomised, seeded fault trials for the OANDA venue (shared by tests/oanda/faults.test.ts and `npm run soak:oanda`).
// A trial places a few random orders (market, limit near the market, market with stop-loss and take-profit) on a moving
// simulated market while one fault strikes at a random moment: every socket dropped, the streams stalled, a 5xx before
// or after an order was taken, 429 with Retry-After, every transaction streamed twice, a price shock, a restart of the
// simulator (same account, from its state file) or of our side (same database). Afterwards every fill the simulator
// made must be booked exactly once, no client order id may have become two orders there, and positions must match.
import { checkFills, countSentTwice, waitBooked, type VenueTrialResult } from '../venue-kit/trials';
import { OandaSimulator, type Fault } from '../../tools/oanda-sim/server';
import { SIM_ACCOUNT, SIM_TOKEN } from '../support/oanda-sim-process';
import { rng } from '../ib/harness';
import { FAST_OANDA, openOandaTerminal, tempDb, waitOandaReady, waitUntil, type OandaTerminal } from './harness';

export const FAULT_KINDS = ['drop', 'stall', '5xx', '5xx-after', '429', 'duplicate', 'shock', 'restart-sim', 'restart-terminal'] as const;
export type OandaFaultKind = (typeof FAULT_KINDS)[number];

export type OandaTrialResult = VenueTrialResult;

const SYMBOLS = [['EURUSD', 'EUR_USD', 1_000, 5], ['GBPUSD', 'GBP_USD', 1_000, 5], ['XAUUSD', 'XAU_USD', 1, 2]] as const;

const faultOf = (kind: OandaFaultKind, r: () => number): Fault | null => {
  switch (kind) {
    case 'drop': return { kind: 'drop' };
    case 'stall': return { kind: 'stall', ms: 1_800 };
    case '5xx': return { kind: '5xx', count: 1 + Math.floor(r() * 2), path: '/orders' };
    case '5xx-after': return { kind: '5xx', count: 1 + Math.floor(r() * 2), after: true, path: '/orders' };
    case '429': return { kind: '429', count: 1 + Math.floor(r() * 3), retryAfter: 1 };
    case 'duplicate': return { kind: 'duplicate', count: 50 };
    case 'shock': return { kind: 'shock', instrument: r() < 0.5 ? 'EUR_USD' : 'XAU_USD', pct: (r() < 0.5 ? -1 : 1) * (0.3 + r()) };
    default: return null;
  }
};

export async function runOandaTrial(seed: number, kind: OandaFaultKind): Promise<OandaTrialResult> {
  const started = Date.now();
  const r = rng(seed * 104_729 + 17);
  const db = tempDb();
  const stateFile = `${db}.oanda-sim.json`;
  // A thin book in some trials: large orders then fill in parts (limits) or are refused (market FOK).
  const liquidity = r() < 0.3 ? 1_500 : 10_000_000;
  const simOpts = { port: 0, token: SIM_TOKEN, accountId: SIM_ACCOUNT, seed, tickMs: 15, heartbeatMs: 100, liquidity, stateFile };
  let sim = new OandaSimulator(simOpts);
  const port = await sim.start();
  const url = `http://127.0.0.1:${port}`;
  let term: OandaTerminal = openOandaTerminal(db, { timings: FAST_OANDA, random: rng(seed) });
  const details: string[] = [];
  let accepted = 0;
  try {
    await term.connect(url);
    await waitOandaReady(term);
    const accountId = term.sessions.active().session.accountId;
    const n = 1 + Math.floor(r() * 4);
    const faultAt = Math.floor(r() * (n + 1));
    const ids: string[] = [];
    for (let i = 0; i <= n; i++) {
      if (i === faultAt) {
        const f = faultOf(kind, r);
        if (f) sim.fault(f);
        else if (kind === 'restart-sim') {
          await sim.close();
          await new Promise((res) => setTimeout(res, 30 + r() * 100));
          sim = new OandaSimulator({ ...simOpts, port });
          await sim.start();
        } else if (kind === 'restart-terminal') {
          await term.close();
          term = openOandaTerminal(db, { timings: FAST_OANDA, random: rng(seed + 1) });
          await term.connect(url);
          await waitOandaReady(term);
        }
      }
      if (i === n) break;
      await new Promise((res) => setTimeout(res, r() * 60));
      const [symbol, name, lot, maxLots] = SYMBOLS[Math.floor(r() * SYMBOLS.length)]!;
      const side = r() < 0.55 ? 'buy' : 'sell';
      const quantity = lot * (1 + Math.floor(r() * maxLots));
      const mid = sim.market.mid(name);
      const tick = name === 'XAU_USD' ? 0.01 : 0.00001;
      const round = (p: number) => Math.round(p / tick) * tick;
      const u = r();
      const a = term.sessions.active();
      if (!a.session.status().ready) await waitUntil('ready to send', () => term.sessions.active().session.status().ready, 10_000).catch(() => undefined);
      const trading = term.sessions.active().trading;
      const res = u < 0.45
        ? await trading.placeOrder({ symbol, side, type: 'market', quantity, timeInForce: 'day' })
        : u < 0.8
          ? await trading.placeOrder({ symbol, side, type: 'limit', quantity, limitPrice: round(mid * (side === 'buy' ? 0.9998 : 1.0002)), timeInForce: 'gtc' })
          : await trading.placeOrder({ symbol, side, type: 'market', quantity, timeInForce: 'gtc', stopLoss: round(mid * (side === 'buy' ? 0.997 : 1.003)), takeProfit: round(mid * (side === 'buy' ? 1.003 : 0.997)) });
      if (!res.rejection) {
        accepted++;
        ids.push(res.order.id);
      }
    }
    // Let the fault play out, then settle on still prices and a ready, reconciled session.
    // A stall lasts past the watchdog's silence limit, so the trial sees the reconnect it causes.
    await new Promise((res) => setTimeout(res, (kind === 'stall' ? 2_000 : 300) + r() * 300));
    sim.fault({ kind: 'clear' });
    sim.setTicking(false);
    await waitUntil('ready after the fault', () => term.sessions.active().session.status().ready, 15_000);
    // A bracket leg exists at OANDA only once its entry fills: while a limit entry is pending there, the leg waits.
    const waitingLeg = (parent: { type: string; status: string } | undefined) => !!parent && parent.type !== 'market' && (parent.status === 'working' || parent.status === 'partially-filled');
    // Orders still in flight (a 429's Retry-After, a resend after reconciling) are given time to get their answer.
    const unanswered = async () => {
      const list = await term.store.orders.list({ accountId, limit: 5_000 });
      const byId = new Map(list.map((o) => [o.id, o]));
      return list.filter((o) => o.status === 'submitted' && !(o.parentId && waitingLeg(byId.get(o.parentId)))).length;
    };
    await waitUntil('every order answered', async () => (await unanswered()) === 0, 8_000).catch(() => undefined);
    const simFillIds = () => sim.book.s.transactions.filter((t) => t['type'] === 'ORDER_FILL').map((t) => `OANDA-${String(t['id'])}`);
    await waitBooked(term.store, accountId, simFillIds);

    const simFills = simFillIds();
    const checked = await checkFills(term.store, accountId, simFills, details);
    const lost = checked.lost;
    const byClientId = new Map<string, number>();
    // Entry orders only: OANDA makes one stop-loss / take-profit per trade, so an entry filled in parts has several.
    for (const o of sim.book.s.orders.filter((x) => !x.tradeID)) {
      const cid = o.clientExtensions?.['id'];
      if (typeof cid === 'string') byClientId.set(cid, (byClientId.get(cid) ?? 0) + 1);
    }
    const duplicated = checked.duplicated + countSentTwice(byClientId, details, 'client order id');
    const positionMismatches: string[] = [];
    for (const [symbol, name] of SYMBOLS) {
      const mine = (await term.store.positions.get(accountId, symbol))?.quantity ?? 0;
      const theirs = sim.book.open().filter((t) => t.instrument === name).reduce((s, t) => s + t.currentUnits, 0);
      if (Math.abs(mine - theirs) > 1e-9) positionMismatches.push(`${symbol}: ours ${mine}, simulator ${theirs}`);
    }
    const orders = await term.store.orders.list({ accountId, limit: 5_000 });
    const byId = new Map(orders.map((o) => [o.id, o]));
    const stuck = orders.filter((o) => o.status === 'submitted' && !(o.parentId && waitingLeg(byId.get(o.parentId)))).length;
    if (stuck) {
      details.push(`stuck: ${orders.filter((o) => o.status === 'submitted').map((o) => {
        const parent = o.parentId ? byId.get(o.parentId) : undefined;
        return `${o.id} ${o.type} parent ${parent ? `${parent.type} ${parent.status} ${parent.filledQuantity}/${parent.quantity} ${parent.rejectReason ?? ''}` : '-'}`;
      }).join(', ')}`);
    }
    return { seed, fault: kind, ordersAccepted: accepted, simFills: simFills.length, lost, duplicated, positionMismatches, stuck, details, ms: Date.now() - started };
  } finally {
    await term.close().catch(() => undefined);
    await sim.close().catch(() => undefined);
  }
}
