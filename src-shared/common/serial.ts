// Runs async tasks one at a time, in the order they were given: each starts when the previous one has settled, and a
// failure rejects only its own caller. Replaces the hand-kept `chain = chain.then(…)` promise queues.

export interface Serial {
  <T>(task: () => Promise<T> | T): Promise<T>;
  /** Settles when every task given so far has settled. */
  idle(): Promise<void>;
}

export function serial(): Serial {
  let tail: Promise<unknown> = Promise.resolve();
  const run = <T>(task: () => Promise<T> | T): Promise<T> => {
    const result = tail.then(task);
    // The next task waits for this one whatever its outcome; the outcome itself goes to this task's caller.
    tail = result.catch(() => undefined);
    return result;
  };
  return Object.assign(run, { idle: () => tail.then(() => undefined) });
}
