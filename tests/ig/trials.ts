// Randomised, seeded fault trials for the IG venue (shared by tests/ig/faults.test.ts and `npm run soak:ig`). A trial
// places a few random orders (market, limit near the market, stop beyond it) on a moving simulated market while one
// fault strikes at a random moment: every socket dropped, the gateway stalled, a 5xx before or after a deal was made,
// allowance refusals, 429 with Retry-After, deals listed twice in the activity history, an expired session, a price
// shock, a restart of the simulator (same account, from its state file) or of our side (same database). Afterwards
// every deal the simulator made must be booked exactly once, no deal reference may have become two deals there, and
// positions must match.
import { checkFills, countSentTwice, waitBooked, type VenueTrialResult } from '../venue-kit/trials';
import { IgSimulator, type Fault } from '../../tools/ig-sim/server';
import { SIM_ACCOUNT, SIM_API_KEY, SIM_IDENTIFIER, SIM_PASSWORD } from '../support/ig-sim-process';
import { rng } from '../ib/harness';
import { FAST_IG, openIgTerminal, tempDb, waitIgReady, waitUntil, type IgTerminal } from './harness';

export const FAULT_KINDS = ['drop', 'stall', '5xx', '5xx-after', 'allowance', '429', 'duplicate', 'expire', 'shock', 'restart-sim', 'restart-terminal'] as const;
export type IgFaultKind = (typeof FAULT_KINDS)[number];

export type IgTrialResult = VenueTrialResult;

const SYMBOLS = [['EURUSD', 'CS.D.EURUSD.CFD.IP', 1_000, 5, 0.00001], ['GBPUSD', 'CS.D.GBPUSD.CFD.IP', 1_000, 5, 0.00001], ['XAUUSD', 'CS.D.CFDGOLD.CFD.IP', 1, 2, 0.01]] as const;

const faultOf = (kind: IgFaultKind, r: () => number): Fault | null => {
  switch (kind) {
    case 'drop': return { kind: 'drop' };
    // Longer than two request time limits: the price poll fails, the link drops and comes back.
    case 'stall': return { kind: 'stall', ms: 2_500 };
    case '5xx': return { kind: '5xx', count: 1 + Math.floor(r() * 2), path: '/otc' };
    case '5xx-after': return { kind: '5xx', count: 1 + Math.floor(r() * 2), after: true, path: '/otc' };
    case 'allowance': return { kind: 'allowance', count: 1 + Math.floor(r() * 3) };
    case '429': return { kind: '429', count: 1 + Math.floor(r() * 3), retryAfter: 1 };
    case 'duplicate': return { kind: 'duplicate', count: 50 };
    case 'expire': return { kind: 'expire' };
    case 'shock': return { kind: 'shock', epic: r() < 0.5 ? 'CS.D.EURUSD.CFD.IP' : 'CS.D.CFDGOLD.CFD.IP', pct: (r() < 0.5 ? -1 : 1) * (0.3 + r()) };
    default: return null;
  }
};

/** Trial timings: the request limit is short so that a stall is noticed within the trial. */
const TRIAL_IG = { ...FAST_IG, requestTimeoutMs: 1_000 };

export async function runIgTrial(seed: number, kind: IgFaultKind): Promise<IgTrialResult> {
  const started = Date.now();
  const r = rng(seed * 104_729 + 17);
  const db = tempDb();
  const stateFile = `${db}.ig-sim.json`;
  const simOpts = {
    port: 0, apiKey: SIM_API_KEY, identifier: SIM_IDENTIFIER, password: SIM_PASSWORD, accountId: SIM_ACCOUNT, seed, tickMs: 15, balance: 1_000_000,
    nonTradingPerMinute: 0, tradingPerMinute: 0, stateFile,
  };
  let sim = new IgSimulator(simOpts);
  const port = await sim.start();
  const url = `http://127.0.0.1:${port}`;
  let term: IgTerminal = openIgTerminal(db, { timings: TRIAL_IG, random: rng(seed) });
  const details: string[] = [];
  let accepted = 0;
  try {
    await term.connect(url);
    await waitIgReady(term);
    const accountId = term.sessions.active().session.accountId;
    const n = 1 + Math.floor(r() * 4);
    const faultAt = Math.floor(r() * (n + 1));
    for (let i = 0; i <= n; i++) {
      if (i === faultAt) {
        const f = faultOf(kind, r);
        if (f) sim.fault(f);
        else if (kind === 'restart-sim') {
          await sim.close();
          await new Promise((res) => setTimeout(res, 30 + r() * 100));
          sim = new IgSimulator({ ...simOpts, port });
          await sim.start();
        } else if (kind === 'restart-terminal') {
          await term.close();
          term = openIgTerminal(db, { timings: TRIAL_IG, random: rng(seed + 1) });
          await term.connect(url);
          await waitIgReady(term);
        }
      }
      if (i === n) break;
      await new Promise((res) => setTimeout(res, r() * 60));
      const [symbol, epic, lot, maxLots, tick] = SYMBOLS[Math.floor(r() * SYMBOLS.length)]!;
      const side = r() < 0.55 ? 'buy' : 'sell';
      const quantity = lot * (1 + Math.floor(r() * maxLots));
      const mid = sim.mid(epic);
      const round = (p: number) => Math.round(p / tick) * tick;
      const u = r();
      if (!term.sessions.active().session.status().ready) await waitUntil('ready to send', () => term.sessions.active().session.status().ready, 10_000).catch(() => undefined);
      const trading = term.sessions.active().trading;
      const res = u < 0.5
        ? await trading.placeOrder({ symbol, side, type: 'market', quantity, timeInForce: 'day' })
        : u < 0.8
          ? await trading.placeOrder({ symbol, side, type: 'limit', quantity, limitPrice: round(mid * (side === 'buy' ? 0.9997 : 1.0003)), timeInForce: 'gtc' })
          : await trading.placeOrder({ symbol, side, type: 'stop', quantity, stopPrice: round(mid * (side === 'buy' ? 1.0003 : 0.9997)), timeInForce: 'gtc' });
      if (!res.rejection) accepted++;
    }
    // Let the fault play out, then settle on still prices and a ready, reconciled session.
    await new Promise((res) => setTimeout(res, (kind === 'stall' ? 2_800 : 300) + r() * 300));
    sim.fault({ kind: 'clear' });
    sim.setTicking(false);
    await waitUntil('ready after the fault', () => term.sessions.active().session.status().ready, 15_000);
    const unanswered = async () => (await term.store.orders.list({ accountId, limit: 5_000 })).filter((o) => o.status === 'submitted').length;
    await waitUntil('every order answered', async () => (await unanswered()) === 0, 8_000).catch(() => undefined);
    const simFillIds = () => sim.book.s.deals.map((d) => `IG-${d.dealId}`);
    await waitBooked(term.store, accountId, simFillIds);

    const simFills = simFillIds();
    const checked = await checkFills(term.store, accountId, simFills, details);
    const lost = checked.lost;
    const byRef = new Map<string, number>();
    for (const d of sim.book.s.deals) byRef.set(d.dealReference, (byRef.get(d.dealReference) ?? 0) + 1);
    const duplicated = checked.duplicated + countSentTwice(byRef, details, 'deal reference');
    const positionMismatches: string[] = [];
    for (const [symbol, epic] of SYMBOLS) {
      const mine = (await term.store.positions.get(accountId, symbol))?.quantity ?? 0;
      const contract = sim.book.def(epic).contractSize;
      const theirs = sim.book.s.positions.filter((p) => p.epic === epic).reduce((s, p) => s + (p.direction === 'BUY' ? 1 : -1) * p.size * contract, 0);
      if (Math.abs(mine - theirs) > 1e-6) positionMismatches.push(`${symbol}: ours ${mine}, simulator ${theirs}`);
    }
    const orders = await term.store.orders.list({ accountId, limit: 5_000 });
    const stuck = orders.filter((o) => o.status === 'submitted').length;
    if (stuck) details.push(`stuck: ${orders.filter((o) => o.status === 'submitted').map((o) => `${o.id} ${o.type}`).join(', ')}`);
    return { seed, fault: kind, ordersAccepted: accepted, simFills: simFills.length, lost, duplicated, positionMismatches, stuck, details, ms: Date.now() - started };
  } finally {
    await term.close().catch(() => undefined);
    await sim.close().catch(() => undefined);
  }
}
