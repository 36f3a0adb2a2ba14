// Pushed events: parsed with the contract's schemas, then handed to listeners; malformed ones never reach the UI.
import { events as eventSchemas, type EventName } from '../../src-shared/api/contract';

type Listener = (data: unknown) => void;

export interface EventHub {
  on(name: string, listener: Listener): () => void;
  /** Validates `raw` against the event's schema and notifies the listeners of that event. */
  emit(name: string, raw: unknown): void;
}

export function createEventHub(log: (message: string, detail?: unknown) => void = console.error): EventHub {
  const listeners = new Map<string, Set<Listener>>();
  return {
    on(name, listener) {
      const set = listeners.get(name) ?? new Set<Listener>();
      set.add(listener);
      listeners.set(name, set);
      return () => void set.delete(listener);
    },
    emit(name, raw) {
      if (!Object.prototype.hasOwnProperty.call(eventSchemas, name)) return log(`Quant Claude API: unknown event "${name}"`);
      const parsed = eventSchemas[name as EventName].safeParse(raw);
      if (!parsed.success) return log(`Quant Claude API: malformed "${name}" event rejected`, parsed.error.issues);
      for (const listener of listeners.get(name) ?? []) {
        // One faulty screen must not stop the others from seeing the event.
        try {
          listener(parsed.data);
        } catch (err) {
          log(`Quant Claude API: a "${name}" listener threw`, err);
        }
      }
    },
  };
}
