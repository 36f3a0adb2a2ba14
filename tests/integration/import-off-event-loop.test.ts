// A large data.import on the REAL web host (child process) runs its parsing in a worker thread: another client's
// requests keep being answered while it runs, and the import's result is complete.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import WebSocket from 'ws';
import { syntheticCsv } from '../support/synthetic-csv';
import { startHost, type RunningHost } from '../support/web-host';

let host: RunningHost;
beforeAll(async () => {
  host = await startHost();
});
afterAll(() => host?.stop());

async function client(): Promise<{ call: (method: string, params: unknown) => Promise<{ result?: unknown; error?: { message: string } }>; close: () => void }> {
  const ws = new WebSocket(`ws://127.0.0.1:${host.port}/api?token=${host.token}`);
  await new Promise((r, j) => (ws.once('open', r), ws.once('error', j)));
  let next = 1;
  const pending = new Map<number, (f: { result?: unknown; error?: { message: string } }) => void>();
  ws.on('message', (m) => {
    const f = JSON.parse(String(m)) as { id?: number };
    if (f.id !== undefined) pending.get(f.id)?.(f as never);
  });
  return {
    call: (method, params) => new Promise((r) => {
      const id = next++;
      pending.set(id, r);
      ws.send(JSON.stringify({ id, method, params }));
    }),
    close: () => ws.terminate(),
  };
}

describe('large import off the event loop', () => {
  it('a 12 MB import: app.info round trips of another client are answered while it runs; every row is imported', async () => {
    const { text, rows } = syntheticCsv(12 * 1024 * 1024);
    const importer = await client();
    const other = await client();
    // Warm the worker and the handlers so the count below is about the big file only.
    await importer.call('data.csvPreview', { text: 'Date,Close\n2024-01-02,1', rows: 1 });

    let importDone = false;
    const imported = importer.call('data.import', {
      symbol: 'SYNTH', timeframe: '1m', name: 'synthetic.csv', text, mapping: { time: 0, timeFormat: 'date', open: 1, high: 2, low: 3, close: 4, volume: 5 },
    }).then((r) => ((importDone = true), r));
    // Wait until the host has the frame: its first answer would otherwise race the import's arrival.
    let roundTrips = 0;
    while (!importDone) {
      const r = await other.call('app.info', {});
      expect(r.result).toMatchObject({ name: 'Quant Claude' });
      if (!importDone) roundTrips++;
    }
    const report = (await imported).result as { accepted: number; rejected: unknown[] };
    console.log(`import of ${rows} rows (${(text.length / 1048576).toFixed(1)} MB): ${roundTrips} app.info round trips of another client answered meanwhile`);
    expect(report.accepted).toBe(rows);
    expect(report.rejected).toEqual([]);
    // Parsing in the main thread answered at most a couple (between the store's awaits); the worker leaves it free.
    expect(roundTrips).toBeGreaterThanOrEqual(20);
    importer.close();
    other.close();
  });
});
