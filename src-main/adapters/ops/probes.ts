// The data folder's file-system facts for the health report: free disk space and the newest backup file.
import { readdir, stat, statfs } from 'node:fs/promises';
import { join } from 'node:path';
import type { OpsProbes } from '../../ports/ops-probes';

/** `<dataDir>/backups/qc-<daily|weekly|manual>-<YYYY-MM-DDTHH-MM-SSZ>.sqlite` (agreed with the backup service). */
export const BACKUP_FILE = /^qc-(daily|weekly|manual)-\d{4}-\d{2}-\d{2}T\d{2}-\d{2}-\d{2}Z\.sqlite$/;

export function folderProbes(dataDir: string): OpsProbes {
  return {
    async disk() {
      try {
        const s = await statfs(dataDir);
        return { free: s.bavail * s.bsize, total: s.blocks * s.bsize };
      } catch (err) {
        return { error: `Cannot read the disk space of ${dataDir}: ${err instanceof Error ? err.message : String(err)}` };
      }
    },
    async newestBackup() {
      const dir = join(dataDir, 'backups');
      const names = await readdir(dir).catch(() => [] as string[]);
      let newest: { file: string; mtime: number } | null = null;
      for (const name of names.filter((n) => BACKUP_FILE.test(n))) {
        const s = await stat(join(dir, name)).catch(() => undefined);
        if (s?.isFile() && (!newest || s.mtimeMs > newest.mtime)) newest = { file: name, mtime: s.mtimeMs };
      }
      return newest;
    },
  };
}
