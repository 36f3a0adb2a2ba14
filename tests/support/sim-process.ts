// Starts a simulator CLI (tools/<name>/cli.ts) as a real child process, as a user would run it, and waits for its
// "<name> listening on HOST:PORT" line: the TWS and OANDA simulators' test handles are built on it.
import { spawn, type ChildProcess } from 'node:child_process';
import { repoRoot } from './web-host';

export async function spawnSim(name: string, args: string[]): Promise<{ child: ChildProcess; port: number; output: () => string }> {
  const child: ChildProcess = spawn(process.execPath, ['--import', 'tsx', `tools/${name}/cli.ts`, ...args], { cwd: repoRoot, stdio: ['pipe', 'pipe', 'pipe'] });
  let out = '';
  child.stdout!.on('data', (d) => (out += d));
  child.stderr!.on('data', (d) => (out += d));
  const port = await new Promise<number>((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`${name} did not print its listening line in 20 s:\n${out}`)), 20_000);
    const check = () => {
      const m = out.match(new RegExp(`${name} listening on [\\d.]+:(\\d+)`));
      if (m) {
        clearTimeout(timer);
        resolve(Number(m[1]));
      }
    };
    child.stdout!.on('data', check);
    child.once('exit', (code) => {
      clearTimeout(timer);
      reject(new Error(`${name} exited with ${code}:\n${out}`));
    });
  });
  return { child, port, output: () => out };
}
