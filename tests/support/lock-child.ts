// A process racing for a data folder's lock: prints "ready" once loaded, reads the common start time (epoch ms) from
// a line on stdin so that the racers collide whatever their start-up took, then prints "held <pid>" and holds the lock
// for argv[3] ms, or prints "refused …".
import { createInterface } from 'node:readline';
import { lockDataFolder } from '../../src-main/data-folder-lock';

const [dir, holdMs] = process.argv.slice(2);
const input = createInterface({ input: process.stdin });
input.once('line', (line) => {
  input.close();
  const startAt = Number(line);
  setTimeout(() => {
    while (Date.now() < startAt); // the last millisecond spun, not slept, for a tight collision
    try {
      const lock = lockDataFolder(dir!, { role: 'cli', detail: 'race' });
      process.stdout.write(`held ${process.pid}\n`);
      setTimeout(() => lock.release(), Number(holdMs));
    } catch (err) {
      process.stdout.write(`refused ${err instanceof Error ? err.message : String(err)}\n`);
    }
  }, Math.max(0, startAt - Date.now() - 5));
});
process.stdout.write('ready\n');
