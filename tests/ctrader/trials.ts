// Randomised, seeded fault trials for the cTrader venue (shared by tests/ctrader/faults.test.ts and `npm run
// soak:ctrader`). A trial places a few random orders (market, limit near the market, market with stop-loss and
// take-profit) on a moving simulated market while one fault strikes at a random moment: every socket dropped, the link
// stalled, error answers, REQUEST_FREQUENCY_EXCEEDED, an order carried out whose answer is lost with the connection,
// every execution event sent twice, a price shock, a restart of the simulator (same account, from its state file) or
// of our side (same database). Afterwards every deal the simulator made must be booked exactly once, no clientOrderId
// may have become two orders there, and positions must match.
import { checkFills, countSentTwice, waitBooked, type VenueTrialResult } from '../venue-kit/trials';
import { CtraderSimulator, type Fault } from '../../tools/ctrader-sim/server';
import { PositionStatus, TradeSide } from '../../src-main/adapters/ctrader/protocol';
import { CT_ACCESS_TOKEN, CT_ACCOUNT, CT_CLIENT_ID, CT_CLIENT_SECRET } from '../support/ctrader-sim-process';
import { rng } from '../ib/harness';
import { FAST_CTRADER, openCtraderTerminal, tempDb, waitCtraderReady, waitUntil, type CtraderTerminal } from './harness';

export const FAULT_KINDS = ['drop', 'stall', 'error', 'ratelimit', 'drop-on-order', 'duplicate', 'shock', 'restart-sim', 'restart-terminal'] as const;
export type CtraderFaultKind = (typeof FAULT_KINDS)[number];

export type CtraderTrialResult = VenueTrialResult;

const SYMBOLS = [['EURUSD', 1, 1_000, 5], ['GBPUSD', 2, 1_000, 5], ['XAUUSD', 41, 1, 2]] as const;

const faultOf = (kind: CtraderFaultKind, r: () => number): Fault | null => {
  switch (kind) {
    case 'drop': return { kind: 'drop' };
    case 'stall': return { kind: 'stall', ms: 1_800 };
    case 'error': return { kind: 'error', count: 1 + Math.floor(r() * 2), code: r() < 0.5 ? 'CANT_ROUTE_REQUEST' : 'SERVER_IS_UNDER_MAINTENANCE' };
    case 'ratelimit': return { kind: 'ratelimit', count: 1 + Math.floor(r() * 3) };
    case 'drop-on-order': return { kind: 'drop-on-order' };
    case 'duplicate': return { kind: 'duplicate', count: 50 };
    case 'shock': return { kind: 'shock', symbol: r() < 0.5 ? 'EURUSD' : 'XAUUSD', pct: (r() < 0.5 ? -1 : 1) * (0.3 + r()) };
    default: return null;
  }
};

export async function runCtraderTrial(seed: number, kind: CtraderFaultKind): Promise<CtraderTrialResult> {
  const started = Date.now();
  const r = rng(seed * 104_729 + 17);
  const db = tempDb();
  const stateFile = `${db}.ctrader-sim.json`;
  // A thin book in some trials: large orders then fill in parts.
  const liquidity = r() < 0.3 ? 1_500 : 10_000_000;
  const simOpts = {
    port: 0, clientId: CT_CLIENT_ID, clientSecret: CT_CLIENT_SECRET, accessToken: CT_ACCESS_TOKEN, accountId: CT_ACCOUNT, seed, tickMs: 15, heartbeatMs: 100, fillMs: 20, liquidity, stateFile,
  };
  let sim = new CtraderSimulator(simOpts);
  const port = await sim.start();
  const url = `ws://127.0.0.1:${port}`;
  let term: CtraderTerminal = openCtraderTerminal(db, { timings: FAST_CTRADER, random: rng(seed) });
  const details: string[] = [];
  let accepted = 0;
  try {
    await term.connect(url);
    await waitCtraderReady(term);
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
          sim = new CtraderSimulator({ ...simOpts, port });
          await sim.start();
        } else if (kind === 'restart-terminal') {
          await term.close();
          term = openCtraderTerminal(db, { timings: FAST_CTRADER, random: rng(seed + 1) });
          await term.connect(url);
          await waitCtraderReady(term);
        }
      }
      if (i === n) break;
      await new Promise((res) => setTimeout(res, r() * 60));
      const [symbol, symbolId, lot, maxLots] = SYMBOLS[Math.floor(r() * SYMBOLS.length)]!;
      const side = r() < 0.55 ? 'buy' : 'sell';
      const quantity = lot * (1 + Math.floor(r() * maxLots));
      const mid = sim.market.mid(symbolId);
      const tick = symbol === 'XAUUSD' ? 0.01 : 0.00001;
      const round = (p: number) => Number((Math.round(p / tick) * tick).toFixed(5));
      const u = r();
      if (!term.sessions.active().session.status().ready) await waitUntil('ready to send', () => term.sessions.active().session.status().ready, 10_000).catch(() => undefined);
      const trading = term.sessions.active().trading;
      const res = u < 0.45
        ? await trading.placeOrder({ symbol, side, type: 'market', quantity, timeInForce: 'day' })
        : u < 0.8
          ? await trading.placeOrder({ symbol, side, type: 'limit', quantity, limitPrice: round(mid * (side === 'buy' ? 0.9998 : 1.0002)), timeInForce: 'gtc' })
          : await trading.placeOrder({ symbol, side, type: 'market', quantity, timeInForce: 'gtc', stopLoss: round(mid * (side === 'buy' ? 0.997 : 1.003)), takeProfit: round(mid * (side === 'buy' ? 1.003 : 0.997)) });
      if (!res.rejection) accepted++;
    }
    // Let the fault play out, then settle on still prices and a ready, reconciled session.
    // A stall lasts past the watchdog's silence limit, so the trial sees the reconnect it causes.
    await new Promise((res) => setTimeout(res, (kind === 'stall' ? 2_000 : 300) + r() * 300));
    sim.fault({ kind: 'clear' });
    sim.setTicking(false);
    await waitUntil('ready after the fault', () => term.sessions.active().session.status().ready, 15_000);
    // Legs the app holds until their entry fills: waiting for a working entry is not stuck.
    const waitingLeg = (parent: { type: string; status: string } | undefined) => !!parent && (parent.status === 'working' || parent.status === 'partially-filled' || parent.status === 'submitted');
    const unanswered = async () => {
      const list = await term.store.orders.list({ accountId, limit: 5_000 });
      const byId = new Map(list.map((o) => [o.id, o]));
      return list.filter((o) => o.status === 'submitted' && !(o.parentId && waitingLeg(byId.get(o.parentId)))).length;
    };
    // Twice, a moment apart: a filled entry's stop-loss and take-profit legs are created by the trading service just
    // after its fill (the app links them: nativeBrackets is off), so "none unanswered" can be true for an instant first.
    await waitUntil('every order answered', async () => (await unanswered()) === 0 && (await new Promise((res) => setTimeout(res, 300)), (await unanswered()) === 0), 8_000).catch(() => undefined);
    const simFillIds = () => sim.book.s.deals.map((d) => `CTRADER-${d.dealId}`);
    await waitBooked(term.store, accountId, simFillIds);

    const simFills = simFillIds();
    const checked = await checkFills(term.store, accountId, simFills, details);
    const lost = checked.lost;
    const byClientId = new Map<string, number>();
    for (const o of sim.book.s.orders) if (o.clientOrderId) byClientId.set(o.clientOrderId, (byClientId.get(o.clientOrderId) ?? 0) + 1);
    const duplicated = checked.duplicated + countSentTwice(byClientId, details, 'clientOrderId');
    const positionMismatches: string[] = [];
    for (const [symbol, symbolId] of SYMBOLS) {
      const mine = (await term.store.positions.get(accountId, symbol))?.quantity ?? 0;
      const p = sim.book.s.positions.find((x) => x.symbolId === symbolId && x.status === PositionStatus.OPEN);
      const theirs = p ? ((p.tradeSide === TradeSide.BUY ? 1 : -1) * p.volume) / 100 : 0;
      if (Math.abs(mine - theirs) > 1e-9) positionMismatches.push(`${symbol}: ours ${mine}, simulator ${theirs}`);
    }
    const orders = await term.store.orders.list({ accountId, limit: 5_000 });
    const byId = new Map(orders.map((o) => [o.id, o]));
    const stuck = orders.filter((o) => o.status === 'submitted' && !(o.parentId && waitingLeg(byId.get(o.parentId)))).length;
    if (stuck) details.push(`stuck: ${orders.filter((o) => o.status === 'submitted').map((o) => `${o.id} ${o.type} ${o.symbol}`).join(', ')}`);
    return { seed, fault: kind, ordersAccepted: accepted, simFills: simFills.length, lost, duplicated, positionMismatches, stuck, details, ms: Date.now() - started };
  } finally {
    await term.close().catch(() => undefined);
    await sim.close().catch(() => undefined);
  }
}
