// The IB execution client's snapshot requests run on the injected timers (the request helper the data client uses): a
// TWS that never ends the open-orders answer fails the reconciliation when *virtual* time passes the request timeout,
// and the session drops the connection and reconciles on the next one. The sockets are real; only time is simulated.
import { afterEach, describe, expect, it } from 'vitest';
import { DEFAULT_IB_TIMINGS } from '../../src-main/adapters/ib/config';
import { createIbSession, type IbSession } from '../../src-main/adapters/ib/session';
import { IbSettings } from '../../src-shared/api/contract';
import { createLogger } from '../../src-main/logging';
import type { BrokerSnapshot } from '../../src-main/ports/broker';
import type { TwsSimulator } from '../../tools/tws-sim/simulator';
import { SIM_INSTRUMENTS, startSim, waitUntil } from './harness';
import { VirtualTime } from './virtual-time';

let sim: TwsSimulator | undefined;
let session: IbSession | undefined;

afterEach(async () => {
  await session?.dispose();
  await sim?.close();
  session = sim = undefined;
});

describe('IB execution snapshot on virtual time', () => {
  it('a TWS that never ends the open-orders answer fails reconciliation once virtual time passes the timeout; the next connection reconciles', async () => {
    sim = await startSim();
    const s = sim;
    // The first open-orders request of the session goes unanswered (TWS silent from then on, until told otherwise).
    let openOrderRequests = 0;
    s.on('request', ({ request }: { request: { kind: string } }) => {
      if (request.kind === 'reqAllOpenOrders' && ++openOrderRequests === 1) s.silent(true);
    });
    const vt = new VirtualTime();
    const settings = IbSettings.parse({ port: s.port, clientId: 9 });
    const ids = new Map<string, string>();
    session = createIbSession({
      settings, clock: vt.clock, timers: vt, random: () => 0.5, logger: createLogger({ level: 'silent' }), instruments: SIM_INSTRUMENTS,
      ids: { get: async (k) => ids.get(k), set: async (k, v) => void ids.set(k, v) }, knownAccountHash: null,
    });
    const snapshots: BrokerSnapshot[] = [];
    session.execution.setReconciler(async (snap) => void snapshots.push(snap));
    session.start();
    await waitUntil('the open-orders request', () => openOrderRequests === 1);
    // Just short of the timeout nothing has given up: still connected, not ready, no snapshot.
    vt.advance(DEFAULT_IB_TIMINGS.requestTimeoutMs - 1);
    expect(session.connection.isConnected()).toBe(true);
    expect(session.execution.isReady()).toBe(false);
    s.silent(false);
    // Past it: the request fails on the virtual clock, the connection is dropped and made again (backoff on the same
    // clock), and the second connection reconciles.
    vt.advance(2);
    await waitUntil('the dropped connection', () => !session!.connection.isConnected() || openOrderRequests > 1);
    await waitUntil('a reconnect and a reconciled snapshot', () => {
      vt.advance(1_000);
      return session!.execution.isReady();
    }, 10_000, 20);
    expect(openOrderRequests).toBeGreaterThanOrEqual(2);
    expect(snapshots).toHaveLength(1);
    expect(snapshots[0]!.openOrders).toEqual([]);
  }, 30_000);
});
