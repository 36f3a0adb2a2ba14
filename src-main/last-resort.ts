// The last-resort handler of both entries (web host, Electron main): no background task may end the process. A stray
// rejection or an exception thrown from a callback is recorded in the log and the health state, and the process goes on.
import type { Disposable } from './ports/disposable';
import type { Health } from './health';
import type { Logger } from './logging';

export interface LastResortOptions {
  health: Health;
  /** The app's logger once it exists; before that, stderr. */
  logger: () => Logger | undefined;
  proc?: NodeJS.Process;
}

export function installLastResort(o: LastResortOptions): Disposable {
  const proc = o.proc ?? process;
  const record = (kind: 'unhandledRejection' | 'uncaughtException') => (err: unknown) => {
    // Nothing here may throw: an exception inside this handler would end the process after all.
    try {
      o.health.recordFailure(kind, err);
      const logger = o.logger();
      if (logger) logger.error({ err, kind }, 'background failure (recorded in app.health; the process keeps serving)');
      else proc.stderr.write(`Quant Claude: ${kind}: ${err instanceof Error ? err.message : String(err)}\n`);
    } catch {
      // nowhere to report
    }
  };
  const onRejection = record('unhandledRejection');
  const onException = record('uncaughtException');
  proc.on('unhandledRejection', onRejection);
  proc.on('uncaughtException', onException);
  return {
    dispose: () => {
      proc.off('unhandledRejection', onRejection);
      proc.off('uncaughtException', onException);
    },
  };
}
