// A process racing for a data folder's lock: waits for the common start time (argv[4], epoch ms) so that the racers
// collide, then prints "held <pid>" and holds it for argv[3] ms, or prints "refused …".
import { lockDataFolder } from '../../src-main/data-folder-lock';

const [dir, holdMs, startAt] = process.argv.slice(2);
setTimeout(() => {
  while (Date.now() < Number(startAt)); // the last millisecond spun, not slept, for a tight collision
  try {
    const lock = lockDataFolder(dir!, { role: 'cli', detail: 'race' });
    process.stdout.write(`held ${process.pid}\n`);
    setTimeout(() => lock.release(), Number(holdMs));
  } catch (err) {
    process.stdout.write(`refused ${err instanceof Error ? err.message : String(err)}\n`);
  }
}, Math.max(0, Number(startAt) - Date.now() - 5));
