// `npm run oanda-sim` as a user runs it: prints where it listens, the account and token it made up, and takes faults
// on stdin.
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

describe('oanda-sim CLI', () => {
  it('makes up and prints an account and a token when none are given, serves them, and takes faults on stdin', async () => {
    child = spawn(process.execPath, ['--import', 'tsx', 'tools/oanda-sim/cli.ts', '--port', '0', '--tick-ms', '0'], { cwd: repoRoot, stdio: ['pipe', 'pipe', 'pipe'] });
    let out = '';
    child.stdout!.on('data', (d) => (out += d));
    child.stderr!.on('data', (d) => (out += d));
    const port = Number((await waitFor(() => out, /oanda-sim listening on 127\.0\.0\.1:(\d+)/))[1]);
    const account = (await waitFor(() => out, /account (\d{3}-\d{3}-\d+-\d{3})/))[1]!;
    const token = (await waitFor(() => out, /token ([0-9a-f]{32})/))[1]!;
    const summary = await fetch(`http://127.0.0.1:${port}/v3/accounts/${account}/summary`, { headers: { Authorization: `Bearer ${token}` } });
    expect(summary.status).toBe(200);
    expect(((await summary.json()) as { account: { NAV: string } }).account.NAV).toBe('100000.0000');
    expect((await fetch(`http://127.0.0.1:${port}/v3/accounts`, { headers: { Authorization: 'Bearer nope' } })).status).toBe(401);
    child.stdin!.write('shock EUR_USD -3\n');
    await waitFor(() => out, /EUR_USD shocked -3% to 1\.04/);
    child.stdin!.write('bogus\n');
    await waitFor(() => out, /error: unknown command "bogus"/);
  });

  it('does not print a token or account it was given', async () => {
    child = spawn(process.execPath, ['--import', 'tsx', 'tools/oanda-sim/cli.ts', '--port', '0', '--account', '101-004-1111111-001', '--token', 'secret-token'], { cwd: repoRoot, stdio: ['pipe', 'pipe', 'pipe'] });
    let out = '';
    child.stdout!.on('data', (d) => (out += d));
    await waitFor(() => out, /oanda-sim listening/);
    // Anything printed at start comes before the answer to a command.
    child.stdin!.write('clear\n');
    await waitFor(() => out, /faults cleared/);
    expect(out).not.toContain('secret-token');
    expect(out).not.toContain('1111111');
  });
});
