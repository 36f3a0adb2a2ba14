// Fills of a connected account become ledger transactions by themselves, through the real app (paper venue, demo
// market, SQLite file): once each, across a restart, and a fill the ledger missed is recovered from the fills journal.
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import type { Transaction } from '../../src-shared/domain/ledger';
import { createApp, PAPER_ACCOUNT_ID, type App } from '../../src-main/app';
import { createLogger } from '../../src-main/logging';

async function call<T>(app: App, method: string, params: unknown): Promise<T> {
  const r = await app.dispatch(method, params);
  if (!r.ok) throw new Error(`${method}: ${r.error.message}`);
  return r.result as T;
}

/** Asks again until `ok` holds (the fill is written in the background); gives up after `tries`. */
async function until<T>(read: () => Promise<T>, ok: (v: T) => boolean, tries = 200): Promise<T> {
  for (let i = 0; ; i++) {
    const v = await read();
    if (ok(v) || i >= tries) return v;
    await new Promise((r) => setTimeout(r, 25));
  }
}

describe('fills → ledger', () => {
  it('a paper fill is one BUY transaction; a restart adds nothing; a missed one is recovered', async () => {
    const dataDir = mkdtempSync(join(tmpdir(), 'qc-ledger-fills-'));
    const start = () => createApp({ dataDir, transport: 'web', logger: createLogger({ dir: join(dataDir, 'logs') }) });
    let app = await start();
    const fills = () => call<Transaction[]>(app, 'portfolio.transactions.list', { accountId: PAPER_ACCOUNT_ID });
    try {
      const placed = await call<{ rejection: unknown }>(app, 'orders.place', { symbol: 'BTCUSD', side: 'buy', type: 'market', quantity: 0.01, timeInForce: 'day' });
      expect(placed.rejection).toBeNull();
      const txs = await until(fills, (t) => t.length > 0);
      expect(txs).toEqual([expect.objectContaining({ type: 'BUY', symbol: 'BTCUSD', quantity: '0.01', source: 'fill', currency: 'USD' })]);
      const [journal] = await call<{ id: string; price: number }[]>(app, 'fills.list', { accountId: PAPER_ACCOUNT_ID });
      expect(txs[0]).toMatchObject({ sourceRef: journal!.id, execId: journal!.id, price: String(journal!.price) });
      expect((await call<{ id: string; kind: string }[]>(app, 'portfolio.accounts.list', {})).map((a) => [a.id, a.kind])).toEqual([[PAPER_ACCOUNT_ID, 'paper']]);

      // Lost from the ledger (say, written by a version before it): the next start takes it back from the fills journal.
      await call(app, 'portfolio.transactions.delete', { id: txs[0]!.id });
      await app.dispose();
      app = await start();
      const again = await until(fills, (t) => t.length > 0);
      expect(again.map((t) => t.sourceRef)).toEqual([journal!.id]);
      // A start with the fill in both: its sync writes nothing (disposing waits for the ledger's queued writes).
      await app.dispose();
      app = await start();
      await app.dispose();
      app = await start();
      expect((await fills()).map((t) => t.sourceRef)).toEqual([journal!.id]);
    } finally {
      await app.dispose();
    }
  }, 60_000);
});
