// Starts the TWS simulator CLI (`npm run tws-sim`) as a real child process on a free port, as a user would run it.
import { spawn, type ChildProcess } from 'node:child_process';
import { repoRoot, stopChild } from './web-host';

export interface RunningSim {
  port: number;
  output: () => string;
  /** Writes one stdin command (`price AAPL 191.5`, `drop`, `farm usfarm broken`…). */
  command(line: string): void;
  stop(): Promise<void>;
}

export async function startTwsSim(args: string[] = []): Promise<RunningSim> {
  const child: ChildProcess = spawn(process.execPath, ['--import', 'tsx', 'tools/tws-sim/cli.ts', '--port', '0', ...args], {
    cwd: repoRoot,
    stdio: ['pipe', 'pipe', 'pipe'],
  });
  let out = '';
  child.stdout!.on('data', (d) => (out += d));
  child.stderr!.on('data', (d) => (out += d));
  const port = await new Promise<number>((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`tws-sim did not print its listening line in 20 s:\n${out}`)), 20_000);
    const check = () => {
      const m = out.match(/tws-sim listening on [\d.]+:(\d+)/);
      if (m) {
        clearTimeout(timer);
        resolve(Number(m[1]));
      }
    };
    child.stdout!.on('data', check);
    child.once('exit', (code) => {
      clearTimeout(timer);
      reject(new Error(`tws-sim exited with ${code}:\n${out}`));
    });
  });
  return {
    port,
    output: () => out,
    command: (line) => void child.stdin!.write(`${line}\n`),
    stop: () => stopChild(child),
  };
}
