// Where the reporting hooks' reports go (issue 18): implemented by adapters/reporting/deliver.ts (a POST or a folder).
import type { AuditEntry, Fill, Order } from '../../src-shared/domain/types';
import type { ReportingHook } from '../config/config';

/** One account's day as the hooks deliver it: its orders, fills and audit entries up to `generatedAt`. */
export interface DayReport {
  /** Unique per hook and event (`fill:<id>`, `day-end:<day>:<account>`): a receiver can drop a repeat. */
  key: string;
  event: 'fill' | 'day-end';
  /** UTC day, YYYY-MM-DD. */
  day: string;
  accountId: string;
  generatedAt: number;
  /** The fill that triggered a `fill` report. */
  fillId: string | null;
  orders: Order[];
  fills: Fill[];
  audit: AuditEntry[];
}

/** Delivers one report to one hook; throws with a short reason when it did not arrive. */
export type ReportSink = (hook: ReportingHook, report: DayReport) => Promise<void>;
