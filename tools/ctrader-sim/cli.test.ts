// `npm run ctrader-sim` as a user runs it: prints where it listens and the credentials and account it made up (never
// those it was given), serves them over WebSocket, and takes faults on stdin.
import { spawn } from 'node:child_process';
import { afterEach, describe, expect, it } from 'vitest';
import WebSocket from 'ws';
import { PT, type Frame } from '../../src-main/adapters/ctrader/protocol';
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

function run(args: string[]): () => string {
  child = spawn(process.execPath, ['--import', 'tsx', 'tools/ctrader-sim/cli.ts', '--port', '0', '--tick-ms', '0', ...args], { cwd: repoRoot, stdio: ['pipe', 'pipe', 'pipe'] });
  let out = '';
  child.stdout!.on('data', (d) => (out += d));
  child.stderr!.on('data', (d) => (out += d));
  return () => out;
}

describe('ctrader-sim CLI', () => {
  it('makes up and prints a client id, secret, access token and account when none are given, serves them, and takes faults on stdin', async () => {
    const out = run([]);
    const port = Number((await waitFor(out, /ctrader-sim listening on 127\.0\.0\.1:(\d+)/))[1]);
    const clientId = (await waitFor(out, /client-id (\S+)/))[1]!;
    const clientSecret = (await waitFor(out, /client-secret ([0-9a-f]{32})/))[1]!;
    const accessToken = (await waitFor(out, /access-token ([0-9a-f]{40})/))[1]!;
    const account = Number((await waitFor(out, /account (\d+)/))[1]);
    const ws = new WebSocket(`ws://127.0.0.1:${port}`);
    const frames: Frame[] = [];
    ws.on('message', (d) => frames.push(JSON.parse(String(d)) as Frame));
    await new Promise((r) => ws.once('open', r));
    ws.send(JSON.stringify({ clientMsgId: '1', payloadType: PT.APPLICATION_AUTH_REQ, payload: { clientId, clientSecret } }));
    ws.send(JSON.stringify({ clientMsgId: '2', payloadType: PT.ACCOUNT_AUTH_REQ, payload: { ctidTraderAccountId: account, accessToken } }));
    await waitFor(() => JSON.stringify(frames), /"clientMsgId":"2"/);
    expect(frames.map((f) => f.payloadType)).toEqual([PT.APPLICATION_AUTH_RES, PT.ACCOUNT_AUTH_RES]);
    ws.close();
    child!.stdin!.write('shock EURUSD -3\n');
    await waitFor(out, /EURUSD mid 1\.05/);
    child!.stdin!.write('bogus\n');
    await waitFor(out, /error: unknown command "bogus"/);
  });

  it('does not print credentials or an account it was given', async () => {
    const out = run(['--client-id', 'given-id', '--client-secret', 'given-secret', '--access-token', 'given-token', '--account', '7654321']);
    await waitFor(out, /ctrader-sim listening/);
    child!.stdin!.write('clear\n');
    await waitFor(out, /faults cleared/);
    for (const s of ['given-id', 'given-secret', 'given-token', '7654321']) expect(out()).not.toContain(s);
  });
});
