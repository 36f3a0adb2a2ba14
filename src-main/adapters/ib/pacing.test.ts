import { describe, expect, it } from 'vitest';
import { HistoricalPacer, type PacedRequest } from './pacing';
import { OutgoingRateLimiter } from './rate-limit';
import { VirtualTime } from '../../../tests/ib/virtual-time';

const flush = () => new Promise<void>((r) => setImmediate(r));

/** Runs virtual time until `done()` or nothing is pending any more. */
async function drive(vt: VirtualTime, done: () => boolean): Promise<void> {
  for (let i = 0; i < 100_000; i++) {
    await flush();
    if (done()) return;
    if (!vt.runNext()) {
      await flush();
      if (done() || vt.pendingCount() === 0) return;
    }
  }
  throw new Error('drive: gave up');
}

interface Sent {
  key: string;
  contractKey: string;
  at: number;
}

function fakeTws(vt: VirtualTime, answerMs = 50) {
  const sent: Sent[] = [];
  const aborted: string[] = [];
  const req = (key: string, contractKey: string, opts: { failPacingTimes?: number } = {}): PacedRequest<string> => {
    let fails = opts.failPacingTimes ?? 0;
    return {
      key,
      contractKey,
      run: (signal) => {
        sent.push({ key, contractKey, at: vt.now() });
        return new Promise((resolve, reject) => {
          const cancel = vt.after(answerMs, () => {
            if (fails-- > 0) reject(Object.assign(new Error('162 pacing violation'), { isPacing: true }));
            else resolve(`bars of ${key}`);
          });
          signal.addEventListener('abort', () => {
            aborted.push(key);
            cancel();
            reject(new Error('cancelled'));
          });
        });
      },
    };
  };
  return { sent, aborted, req };
}

function maxInWindow(times: number[], windowMs: number): number {
  let best = 0;
  for (const t of times) best = Math.max(best, times.filter((u) => u > t - windowMs && u <= t).length);
  return best;
}

describe('HistoricalPacer', () => {
  it('runs 100 bulk requests within 60 per ten minutes and 5 per contract per two seconds', async () => {
    const vt = new VirtualTime();
    const tws = fakeTws(vt);
    const pacer = new HistoricalPacer({ clock: vt.clock, timers: vt });
    const t0 = vt.now();
    const results = Array.from({ length: 100 }, (_, i) =>
      pacer.schedule(tws.req(`AAPL-${i}`, `C${i % 4}`), { priority: 'bulk' }),
    );
    let settled = 0;
    for (const r of results) void r.then(() => settled++);
    await drive(vt, () => settled === 100);
    expect(settled).toBe(100);
    expect(await results[99]).toBe('bars of AAPL-99');
    const times = tws.sent.map((s) => s.at);
    expect(maxInWindow(times, 600_000)).toBeLessThanOrEqual(55); // bulk leaves the UI reserve of 5
    for (const c of ['C0', 'C1', 'C2', 'C3']) {
      expect(maxInWindow(tws.sent.filter((s) => s.contractKey === c).map((s) => s.at), 2000)).toBeLessThanOrEqual(5);
    }
    // 100 requests at 55 per (10 min + margin): the last batch starts after the first window.
    expect(vt.now() - t0).toBeGreaterThan(600_000);
    expect(vt.now() - t0).toBeLessThan(1_300_000);
    expect(pacer.stats()).toMatchObject({ sent: 100, queued: 0, inFlight: 0, pacingViolations: 0 });
  });

  it('shares identical requests in flight, serves a recent answer, and spaces repeats by 15 s', async () => {
    const vt = new VirtualTime();
    const tws = fakeTws(vt);
    const pacer = new HistoricalPacer({ clock: vt.clock, timers: vt });
    const a = pacer.schedule(tws.req('EURUSD-1d', 'EURUSD'));
    const b = pacer.schedule(tws.req('EURUSD-1d', 'EURUSD'));
    let done = 0;
    void Promise.all([a, b]).then(() => (done = 1));
    await drive(vt, () => done === 1);
    expect(await a).toBe('bars of EURUSD-1d');
    expect(await b).toBe('bars of EURUSD-1d');
    expect(tws.sent.length).toBe(1);
    vt.advance(5_000);
    expect(await pacer.schedule(tws.req('EURUSD-1d', 'EURUSD'))).toBe('bars of EURUSD-1d');
    expect(tws.sent.length).toBe(1);
    expect(pacer.stats()).toMatchObject({ shared: 1, servedRecent: 1 });
    // After the recent answer expires a repeat goes to TWS, but never within 15 s of the previous one.
    vt.advance(10_000);
    let again: string | undefined;
    void pacer.schedule(tws.req('EURUSD-1d', 'EURUSD')).then((x) => (again = x));
    await drive(vt, () => again !== undefined);
    expect(tws.sent.length).toBe(2);
    expect(tws.sent[1].at - tws.sent[0].at).toBeGreaterThanOrEqual(15_000);
  });

  it('serves UI requests before queued bulk downloads', async () => {
    const vt = new VirtualTime();
    const tws = fakeTws(vt);
    const pacer = new HistoricalPacer({ clock: vt.clock, timers: vt });
    for (let i = 0; i < 80; i++) void pacer.schedule(tws.req(`bulk-${i}`, `B${i % 10}`), { priority: 'bulk' });
    await flush();
    expect(tws.sent.length).toBe(40); // bulk may hold 40 requests open (5 more are kept for the UI)
    const ui = pacer.schedule(tws.req('ui-chart', 'AAPL'), { priority: 'ui' });
    await flush();
    expect(tws.sent.at(-1)?.key).toBe('ui-chart'); // went at once, on the reserve
    await drive(vt, () => tws.sent.length === 81);
    expect(await ui).toBe('bars of ui-chart');
  });

  it('drops a cancelled queued request and cancels an in-flight one at TWS', async () => {
    const vt = new VirtualTime();
    const tws = fakeTws(vt, 1000);
    const pacer = new HistoricalPacer({ clock: vt.clock, timers: vt, maxPerContractPerTwoSeconds: 1 });
    const first = new AbortController();
    const second = new AbortController();
    const p1 = pacer.schedule(tws.req('k1', 'X'), { signal: first.signal });
    const p2 = pacer.schedule(tws.req('k2', 'X'), { signal: second.signal });
    await flush();
    expect(tws.sent.map((s) => s.key)).toEqual(['k1']);
    second.abort();
    await expect(p2).rejects.toThrow(/abort/i);
    first.abort();
    await expect(p1).rejects.toThrow(/abort/i);
    expect(tws.aborted).toEqual(['k1']);
    await drive(vt, () => false);
    expect(tws.sent.map((s) => s.key)).toEqual(['k1']);
    expect(pacer.stats()).toMatchObject({ cancelled: 2, queued: 0, inFlight: 0 });
  });

  it('keeps an in-flight request while another caller still wants it', async () => {
    const vt = new VirtualTime();
    const tws = fakeTws(vt, 1000);
    const pacer = new HistoricalPacer({ clock: vt.clock, timers: vt });
    const ac = new AbortController();
    const p1 = pacer.schedule(tws.req('k', 'X'), { signal: ac.signal });
    const p2 = pacer.schedule(tws.req('k', 'X'));
    ac.abort();
    await expect(p1).rejects.toThrow();
    let v: string | undefined;
    void p2.then((x) => (v = x));
    await drive(vt, () => v !== undefined);
    expect(v).toBe('bars of k');
    expect(tws.aborted).toEqual([]);
  });

  it('after a pacing violation pauses, then retries the request', async () => {
    const vt = new VirtualTime();
    const tws = fakeTws(vt);
    const pacer = new HistoricalPacer({ clock: vt.clock, timers: vt });
    const p = pacer.schedule(tws.req('k', 'X', { failPacingTimes: 1 }));
    let v: string | undefined;
    void p.then((x) => (v = x));
    await flush();
    vt.advance(50); // the violation arrives
    await flush();
    expect(pacer.stats().pausedUntil).toBe(vt.now() + 15_000);
    const other = pacer.schedule(tws.req('other', 'Y'));
    await flush();
    expect(tws.sent.length).toBe(1); // paused: nothing goes out
    await drive(vt, () => v !== undefined);
    await other;
    expect(v).toBe('bars of k');
    // The pause holds everything; then the retry waits out the identical-request gap, so 'other' goes first.
    expect(tws.sent.map((s) => s.key)).toEqual(['k', 'other', 'k']);
    expect(tws.sent[1].at - tws.sent[0].at).toBeGreaterThanOrEqual(15_000);
    expect(tws.sent[2].at - tws.sent[0].at).toBeGreaterThanOrEqual(15_000);
    expect(pacer.stats()).toMatchObject({ pacingViolations: 1, retries: 1, pausedUntil: null });
  });

  it('gives up after repeated violations with the pacing error', async () => {
    const vt = new VirtualTime();
    const tws = fakeTws(vt);
    const pacer = new HistoricalPacer({ clock: vt.clock, timers: vt, maxRetries: 2 });
    const p = pacer.schedule(tws.req('k', 'X', { failPacingTimes: 10 }));
    let err: unknown;
    p.catch((e: unknown) => (err = e));
    await drive(vt, () => err !== undefined);
    expect(String(err)).toMatch(/pacing/);
    expect(tws.sent.length).toBe(3);
    // Back-off doubles: 15 s, then 30 s.
    expect(tws.sent[2].at - tws.sent[1].at).toBeGreaterThanOrEqual(30_000);
  });

  it('dispatches only what the outgoing limiter would send at once', async () => {
    const vt = new VirtualTime();
    const tws = fakeTws(vt);
    const limiter = new OutgoingRateLimiter(() => true, { clock: vt.clock, timers: vt, perSecond: 10 });
    for (let i = 0; i < 25; i++) limiter.submit([[1, i]]); // a burst of subscriptions: 10 out, 15 queued
    const pacer = new HistoricalPacer({ clock: vt.clock, timers: vt, outgoing: limiter });
    let done = 0;
    for (let i = 0; i < 8; i++) void pacer.schedule(tws.req(`k${i}`, `C${i}`), { priority: 'bulk' }).then(() => done++);
    await flush();
    expect(tws.sent.length).toBe(0); // the queue must drain first
    await drive(vt, () => done === 8);
    // The subscriptions drain at 10/s (t=1 s: 10, t=2 s: 5); history goes once nothing is queued, within the rate.
    expect(Math.min(...tws.sent.map((s) => s.at))).toBeGreaterThanOrEqual(Date.UTC(2026, 0, 5, 15, 0) + 2000);
  });
});
