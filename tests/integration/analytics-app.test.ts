// The analytics.* methods in the real app (createApp: store, failover manager, dispatcher with response validation):
// wired, answering for the empty ledger the app has until the ledger store is merged, and refusing bad requests.
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createApp, type App } from '../../src-main/app';
import { createLogger } from '../../src-main/logging';
import { ManualClock } from '../../src-main/ports/clock';

let app: App;

beforeAll(async () => {
  const dataDir = mkdtempSync(join(tmpdir(), 'qc-analytics-'));
  app = await createApp({ dataDir, transport: 'web', clock: new ManualClock(Date.UTC(2026, 0, 5, 15)), logger: createLogger({ dir: join(dataDir, 'logs') }) });
});
afterAll(async () => {
  await app?.dispose();
});

describe('analytics.* in the app', () => {
  it('the empty ledger: one total row of zeros dated by the app clock, no MWR; exposures empty', async () => {
    const r = await app.dispatch('analytics.summary', { period: 'YTD' });
    expect(r).toMatchObject({ ok: true, result: [{ accountId: null, from: '2026-01-05', to: '2026-01-05', startValue: 0, endValue: 0, netFlows: 0, twr: 0, mwr: null }] });
    const e = await app.dispatch('analytics.exposures', {});
    expect(e).toMatchObject({ ok: true, result: { date: '2026-01-05', nav: 0, concentration: { hhi: null, effectiveHoldings: null } } });
  });

  it('bad requests are named by field', async () => {
    expect(await app.dispatch('analytics.contribution', { period: 'custom' })).toMatchObject({ ok: false, error: { code: 'BAD_REQUEST', fields: { from: 'a custom period needs its first day' } } });
    expect(await app.dispatch('analytics.returns', { to: '5 Jan' })).toMatchObject({ ok: false, error: { code: 'BAD_REQUEST' } });
    expect(await app.dispatch('analytics.summary', { accountId: 'NOPE' })).toMatchObject({ ok: false, error: { code: 'NOT_FOUND' } });
  });
});
