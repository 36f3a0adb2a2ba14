// Starts the TWS simulator CLI (`npm run tws-sim`) as a real child process on a free port, as a user would run it.
import { spawnSim } from './sim-process';
import { stopChild } from './web-host';

export interface RunningSim {
  port: number;
  output: () => string;
  /** Writes one stdin command (`price AAPL 191.5`, `drop`, `farm usfarm broken`…). */
  command(line: string): void;
  stop(): Promise<void>;
}

export async function startTwsSim(args: string[] = []): Promise<RunningSim> {
  const { child, port, output } = await spawnSim('tws-sim', ['--port', '0', ...args]);
  return {
    port,
    output,
    command: (line) => void child.stdin!.write(`${line}\n`),
    stop: () => stopChild(child),
  };
}
