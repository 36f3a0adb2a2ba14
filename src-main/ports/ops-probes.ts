// What the health report reads from the data folder's file system (adapters/ops/probes.ts on the real disk).
export interface OpsProbes {
  /** Free and total bytes of the data folder's disk, or why they cannot be read. */
  disk(): Promise<{ free: number; total: number } | { error: string }>;
  /** The newest backup file and its mtime (UTC ms), null when there is none. */
  newestBackup(): Promise<{ file: string; mtime: number } | null>;
}
