// The margin monitor: every connected account's margin figures (services/cfd-margin.ts), pushed every second, and an
// alert when an account's margin level falls below the user's alert level (config risk.margin_alert_level), the
// venue's margin call or its stop-out level: once per crossing, again only after the level recovered above the alert
// level. The top bar shows the worst account (the lowest margin level).
import type { MarginStatus } from '../../src-shared/domain/margin';
import type { Logger } from '../logging';
import type { Disposable } from '../ports/disposable';
import { brokerMargin, cfdAccountMargin, toMarginStatus } from './cfd-margin';
import type { SessionManager, VenueAccount } from './sessions';

export interface MarginMonitorOptions {
  sessions: SessionManager;
  alertLevel: number;
  logger: Logger;
  onStatus?: (list: MarginStatus[]) => void;
  onAlert?: (status: MarginStatus) => void;
  intervalMs?: number;
}

export class MarginMonitor implements Disposable {
  private timer: ReturnType<typeof setInterval> | undefined;
  /** Accounts alerted and not yet recovered. */
  private readonly alerted = new Set<string>();

  constructor(private readonly o: MarginMonitorOptions) {}

  private async statusOf(a: VenueAccount): Promise<MarginStatus | null> {
    const ids = { accountId: a.accountId, venue: a.venue.id, label: a.venue.accountLabel(a.session) };
    if (a.venue.cfd) {
      const { margin, currency } = await cfdAccountMargin(a.account, a.market, a.venue.cfd.terms);
      const { marginCall, stopOut } = a.venue.cfd.terms.levels;
      return toMarginStatus({ ...ids, currency }, margin.figures, { alert: this.o.alertLevel, marginCall, stopOut }, 'app');
    }
    const reported = brokerMargin(a.session.accountValues());
    if (!reported) return null;
    return toMarginStatus({ ...ids, currency: reported.currency }, reported.figures, { alert: this.o.alertLevel, ...reported.levels }, 'broker');
  }

  /** Every connected account with margin figures (cash accounts have none). */
  async statuses(): Promise<MarginStatus[]> {
    const out: MarginStatus[] = [];
    for (const a of this.o.sessions.accounts()) {
      const s = await this.statusOf(a).catch((err: unknown) => {
        this.o.logger.warn({ err, venue: a.venue.id }, 'margin figures unavailable');
        return null;
      });
      if (s) out.push(s);
    }
    return out;
  }

  async check(): Promise<MarginStatus[]> {
    const list = await this.statuses();
    for (const s of list) {
      const below = s.state === 'alert' || s.state === 'margin-call' || s.state === 'stop-out';
      if (below && !this.alerted.has(s.accountId)) {
        this.alerted.add(s.accountId);
        this.o.logger.warn({ venue: s.venue, level: s.marginLevel, state: s.state }, 'margin alert');
        this.o.onAlert?.(s);
      } else if (!below) this.alerted.delete(s.accountId);
    }
    this.o.onStatus?.(list);
    return list;
  }

  start(): void {
    if (this.timer) return;
    this.timer = setInterval(() => void this.check().catch((err: unknown) => this.o.logger.warn({ err }, 'margin check failed')), this.o.intervalMs ?? 1000);
    this.timer.unref?.();
  }

  dispose(): void {
    if (this.timer) clearInterval(this.timer);
    this.timer = undefined;
  }
}
