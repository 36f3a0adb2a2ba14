// What the venue simulators' command lines share (oanda-sim, ctrader-sim, ig-sim): faults typed on stdin, one a
// line, answered with the simulator's reply (or the parse error), and a clean stop on SIGINT/SIGTERM.
import { createInterface } from 'node:readline';
import { InvalidArgumentError } from 'commander';

export interface FaultableSimulator<F> {
  fault(f: F): unknown;
  close(): Promise<void>;
}

/** Reads fault commands from stdin until the process is told to stop; then closes the simulator and exits 0. */
export function serveFaultConsole<F>(sim: FaultableSimulator<F>, parseFault: (line: string) => F): void {
  const rl = createInterface({ input: process.stdin });
  rl.on('line', (line) => {
    const text = line.trim();
    if (!text) return;
    try {
      console.log(sim.fault(parseFault(text)));
    } catch (e) {
      console.log(`error: ${(e as Error).message}`);
    }
  });
  let stopping = false;
  const stop = (signal: string): void => {
    if (stopping) return;
    stopping = true;
    console.log(`${signal}: stopping`);
    rl.close();
    void sim.close().then(() => process.exit(0));
  };
  process.on('SIGINT', () => stop('SIGINT'));
  process.on('SIGTERM', () => stop('SIGTERM'));
}

/** The simulator's main, run with its failure printed and a non-zero exit. */
export function runSimMain(main: () => Promise<void>): void {
  void main().catch((err: unknown) => {
    console.error(err);
    process.exit(1);
  });
}

/** A commander parser for non-negative whole numbers that names the option it refuses. */
export const intOption = (name: string) => (v: string): number => {
  const n = Number(v);
  if (!Number.isInteger(n) || n < 0) throw new InvalidArgumentError(`${name} must be a non-negative integer, got "${v}"`);
  return n;
};
