// `npm run ig-sim` as a user runs it: prints where it listens and the credentials it made up, speaks IG's REST shapes
// (v2 session tokens as headers, v3 OAuth tokens with refresh, `_method: DELETE`, confirms, allowances) and takes
// faults on stdin.
import { spawn } from 'node:child_process';
import { afterEach, describe, expect, it } from 'vitest';
import { repoRoot, stopChild } from '../../tests/support/web-host';

let child: ReturnType<typeof spawn> | undefined;
afterEach(async () => {
  if (child) await stopChild(child);
  child = undefined;
});

async function waitFor(out: () => string, re: RegExp): Promise<RegExpMatchArray> {
  for (let i = 0; i < 400; i++) {
    const m = out().match(re);
    if (m) return m;
    await new Promise((r) => setTimeout(r, 50));
  }
  throw new Error(`no ${re} in:\n${out()}`);
}

type J = Record<string, unknown>;

describe('ig-sim CLI', () => {
  it("makes up and prints its credentials, serves IG's session, dealing and confirm shapes, and takes faults on stdin", async () => {
    child = spawn(process.execPath, ['--import', 'tsx', 'tools/ig-sim/cli.ts', '--port', '0', '--tick-ms', '0', '--non-trading-per-minute', '8'], { cwd: repoRoot, stdio: ['pipe', 'pipe', 'pipe'] });
    let out = '';
    child.stdout!.on('data', (d) => (out += d));
    child.stderr!.on('data', (d) => (out += d));
    const base = `http://127.0.0.1:${(await waitFor(() => out, /ig-sim listening on 127\.0\.0\.1:(\d+)/))[1]}`;
    const apiKey = (await waitFor(() => out, /api-key ([0-9a-f]{40})/))[1]!;
    const identifier = (await waitFor(() => out, /identifier (\S+)/))[1]!;
    const password = (await waitFor(() => out, /password ([0-9a-f]{16})/))[1]!;
    const account = (await waitFor(() => out, /account (XQ\d+)/))[1]!;
    const json = { 'Content-Type': 'application/json; charset=UTF-8' };

    expect(await (await fetch(`${base}/session`, { method: 'POST', headers: { ...json, 'X-IG-API-KEY': apiKey, Version: '2' }, body: JSON.stringify({ identifier, password: 'wrong' }) })).json()).toEqual({ errorCode: 'error.security.invalid-details' });
    // Version 2: the tokens are headers; the body names the account.
    const v2 = await fetch(`${base}/session`, { method: 'POST', headers: { ...json, 'X-IG-API-KEY': apiKey, Version: '2' }, body: JSON.stringify({ identifier, password }) });
    expect(((await v2.json()) as J)['currentAccountId']).toBe(account);
    const auth = { 'X-IG-API-KEY': apiKey, CST: v2.headers.get('cst')!, 'X-SECURITY-TOKEN': v2.headers.get('x-security-token')! };
    // Version 3: OAuth tokens in the body, refreshed with the refresh token.
    const v3 = (await (await fetch(`${base}/session`, { method: 'POST', headers: { ...json, 'X-IG-API-KEY': apiKey, Version: '3' }, body: JSON.stringify({ identifier, password }) })).json()) as { oauthToken: { access_token: string; refresh_token: string; token_type: string; expires_in: string } };
    expect(v3.oauthToken).toMatchObject({ token_type: 'Bearer', expires_in: '60' });
    const bearer = { 'X-IG-API-KEY': apiKey, Authorization: `Bearer ${v3.oauthToken.access_token}`, 'IG-ACCOUNT-ID': account };
    expect((await fetch(`${base}/accounts`, { headers: bearer })).status).toBe(200);
    const refreshed = (await (await fetch(`${base}/session/refresh-token`, { method: 'POST', headers: { ...json, 'X-IG-API-KEY': apiKey }, body: JSON.stringify({ refresh_token: v3.oauthToken.refresh_token }) })).json()) as { access_token: string };
    expect(refreshed.access_token).not.toBe(v3.oauthToken.access_token);
    expect(((await (await fetch(`${base}/accounts`, { headers: bearer })).json()) as J)['errorCode']).toBe('error.security.client-token-invalid');

    const search = (await (await fetch(`${base}/markets?searchTerm=gold`, { headers: auth })).json()) as { markets: { epic: string }[] };
    expect(search.markets.map((m) => m.epic)).toEqual(['CS.D.CFDGOLD.CFD.IP']);
    // A deal with our reference, its confirm, and the position closed through IG's `_method: DELETE` tunnel.
    const deal = (await (await fetch(`${base}/positions/otc`, { method: 'POST', headers: { ...json, ...auth, Version: '2' }, body: JSON.stringify({ epic: 'CS.D.EURUSD.CFD.IP', expiry: '-', direction: 'BUY', size: 0.5, orderType: 'MARKET', currencyCode: 'USD', forceOpen: true, guaranteedStop: false, dealReference: 'QCtest1' }) })).json()) as J;
    expect(deal).toEqual({ dealReference: 'QCtest1' });
    const confirm = (await (await fetch(`${base}/confirms/QCtest1`, { headers: auth })).json()) as J;
    expect(confirm).toMatchObject({ dealStatus: 'ACCEPTED', reason: 'SUCCESS', status: 'OPEN', direction: 'BUY', size: 0.5, epic: 'CS.D.EURUSD.CFD.IP' });
    const closed = (await (await fetch(`${base}/positions/otc`, { method: 'POST', headers: { ...json, ...auth, _method: 'DELETE' }, body: JSON.stringify({ dealId: confirm['dealId'], direction: 'SELL', size: 0.5, orderType: 'MARKET' }) })).json()) as { dealReference: string };
    expect(await (await fetch(`${base}/confirms/${closed.dealReference}`, { headers: auth })).json()).toMatchObject({ dealStatus: 'ACCEPTED', status: 'FULLY_CLOSED', affectedDeals: [{ dealId: confirm['dealId'], status: 'FULLY_CLOSED' }] });
    expect(((await (await fetch(`${base}/positions`, { headers: { ...auth, Version: '2' } })).json()) as { positions: unknown[] }).positions).toEqual([]);
    expect((await fetch(`${base}/confirms/nope`, { headers: auth })).status).toBe(404);
    // The allowance (8 non-trading requests a minute here) is used up: IG answers 403 with its errorCode.
    let refused: J | null = null;
    for (let i = 0; i < 10 && !refused; i++) {
      const res = await fetch(`${base}/accounts`, { headers: auth });
      if (res.status === 403) refused = (await res.json()) as J;
    }
    expect(refused).toEqual({ errorCode: 'error.public-api.exceeded-account-allowance' });

    child.stdin!.write('shock CS.D.EURUSD.CFD.IP -3\n');
    await waitFor(() => out, /CS\.D\.EURUSD\.CFD\.IP shocked -3% to 1\.05/);
    child.stdin!.write('bogus\n');
    await waitFor(() => out, /error: unknown command "bogus"/);
  });

  it('does not print credentials or an account it was given', async () => {
    child = spawn(process.execPath, ['--import', 'tsx', 'tools/ig-sim/cli.ts', '--port', '0', '--api-key', 'given-key', '--identifier', 'given-user', '--password', 'given-pass', '--account', 'XQ99999'], { cwd: repoRoot, stdio: ['pipe', 'pipe', 'pipe'] });
    let out = '';
    child.stdout!.on('data', (d) => (out += d));
    await waitFor(() => out, /ig-sim listening/);
    child.stdin!.write('clear\n');
    await waitFor(() => out, /faults cleared/);
    for (const s of ['given-key', 'given-user', 'given-pass', 'XQ99999']) expect(out).not.toContain(s);
  });
});
