// One typed event: listeners added with on(), removed by disposing what on() returns, all called by emit(). Replaces
// the hand-built `Set` of listeners each class kept.

export interface Subscription {
  dispose(): void;
}

export class Emitter<T = void> {
  private readonly listeners = new Set<(value: T) => void>();

  /** @param onError where a listener's exception goes instead of the emitter's caller. */
  constructor(private readonly onError?: (err: unknown) => void) {}

  /** Calls `listener` on every emit until the returned subscription is disposed. */
  on(listener: (value: T) => void): Subscription {
    this.listeners.add(listener);
    return { dispose: () => void this.listeners.delete(listener) };
  }

  /**
   * Calls the listeners present when it starts, in the order they were added. One removed meanwhile (by an earlier
   * listener) is skipped; one added meanwhile waits for the next emit, so a listener that re-subscribes cannot loop.
   * A listener that throws stops the emit and the error reaches the caller, unless `onError` takes it.
   */
  emit(...[value]: [T] extends [void] ? [] | [T] : [T]): void {
    for (const l of [...this.listeners]) {
      if (!this.listeners.has(l)) continue;
      if (!this.onError) l(value as T);
      else {
        try {
          l(value as T);
        } catch (err) {
          this.onError(err);
        }
      }
    }
  }

  get size(): number {
    return this.listeners.size;
  }

  /** Removes every listener (on dispose of the owner). */
  clear(): void {
    this.listeners.clear();
  }
}
