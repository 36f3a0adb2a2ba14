// The CLI as a user runs it: a real process, a real client connecting, a clean exit on SIGTERM.
import { spawn } from 'node:child_process';
import { createInterface } from 'node:readline';
import { describe, expect, it } from 'vitest';
import { EventName } from '@stoqey/ib';
import { connectClient } from './test-client';

describe('tws-sim CLI', () => {
  it('prints the listening line, a line per connect and disconnect, takes stdin commands, and exits 0 on SIGTERM', async () => {
    const child = spawn(process.execPath, ['--import', 'tsx', 'tools/tws-sim/cli.ts', '--port', '0', '--tick-ms', '0', '--account', 'DU7654321'], {
      cwd: new URL('../..', import.meta.url).pathname,
      stdio: ['pipe', 'pipe', 'inherit'],
    });
    const lines: string[] = [];
    const waiters: Array<{ re: RegExp; resolve: (l: string) => void }> = [];
    createInterface({ input: child.stdout! }).on('line', (l) => {
      lines.push(l);
      for (const w of waiters.splice(0)) if (w.re.test(l)) w.resolve(l); else waiters.push(w);
    });
    const line = (re: RegExp): Promise<string> => {
      const hit = lines.find((l) => re.test(l));
      return hit ? Promise.resolve(hit) : new Promise((resolve) => waiters.push({ re, resolve }));
    };
    try {
      const listening = await line(/^tws-sim listening on 127\.0\.0\.1:(\d+)/);
      const port = Number(/:(\d+)/.exec(listening)![1]);
      const c = await connectClient(port, 12);
      expect(c.events(EventName.managedAccounts)).toEqual([['DU7654321']]);
      await line(/^connect #1 from 127\.0\.0\.1:\d+: started the API with clientId 12$/);
      child.stdin!.write('price AAPL 201\n');
      await line(/^AAPL .*"last":201/);
      const gone = c.waitFor(EventName.disconnected);
      child.stdin!.write('drop\n');
      await gone;
      await line(/^disconnect #1 \(clientId 12\)/);
      c.close();
      const exit = new Promise<number | null>((resolve) => child.once('exit', (code) => resolve(code)));
      child.kill('SIGTERM');
      expect(await exit).toBe(0);
      expect(lines.filter((l) => /^connect #/.test(l))).toHaveLength(1);
      expect(lines.join('\n')).not.toContain('DU7654321');
    } finally {
      child.kill('SIGKILL');
    }
  });
});
