// Everything that holds a resource (socket, timer, file, worker) is disposable; the composition root disposes in reverse order.
export interface Disposable {
  dispose(): void | Promise<void>;
}

export function toDisposable(fn: () => void | Promise<void>): Disposable {
  return { dispose: fn };
}
