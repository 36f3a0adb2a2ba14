// Storage port of operations (issue 18): versions of config.yaml and strategies' parameters, and the reporting hooks'
// durable outbox. Implemented by the SQLite and Postgres stores (`store.operations`).

/** One kept version of a configuration subject. */
export interface ConfigVersionRow {
  id: number;
  time: number;
  /** 'config.yaml' or 'strategy:<id>'. */
  subject: string;
  /** 'start' (first seen), 'file' (edited by hand), 'app', 'restore'. */
  source: string;
  /** sha256 of the text. */
  hash: string;
  text: string;
  /** Unified diff from the previous version (empty for the first). */
  diff: string;
}

/** One delivery of a reporting hook, kept until delivered. */
export interface HookDeliveryRow {
  id: number;
  hook: string;
  event: 'fill' | 'day-end';
  /** Unique per hook: the fill id or the day, so an event enqueued twice is delivered once. */
  key: string;
  /** JSON text of what the hook writes or posts. */
  payload: string;
  createdAt: number;
  attempts: number;
  nextAt: number;
  lastError: string | null;
  deliveredAt: number | null;
}

export interface OperationsStore {
  configVersions: {
    append(row: Omit<ConfigVersionRow, 'id'>): Promise<number>;
    /** Newest first. */
    list(opts: { subject?: string; limit?: number }): Promise<ConfigVersionRow[]>;
    get(id: number): Promise<ConfigVersionRow | undefined>;
    latest(subject: string): Promise<ConfigVersionRow | undefined>;
  };
  hookOutbox: {
    /** Adds the deliveries not queued already (same hook and key); returns how many were added. */
    enqueue(rows: Omit<HookDeliveryRow, 'id' | 'attempts' | 'lastError' | 'deliveredAt'>[]): Promise<number>;
    /** Undelivered rows due at `now`, oldest first. */
    due(now: number, limit: number): Promise<HookDeliveryRow[]>;
    delivered(id: number, time: number): Promise<void>;
    failed(id: number, error: string, nextAt: number): Promise<void>;
    /** Newest first. */
    list(limit: number): Promise<HookDeliveryRow[]>;
    /** Deletes the rows delivered before `time` (undelivered ones are never deleted); returns how many went. */
    prune(time: number): Promise<number>;
  };
}
