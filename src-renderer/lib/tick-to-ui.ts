// Tick-to-UI latency, reported to main (metrics.tickToUi → qc_tick_to_ui_seconds): a quote's time to the frame that
// applied it. Measured on the frame that takes the batch of quotes; a few per frame are enough for percentiles.
import type { ApiClient } from '../../src-shared/api/contract';

const PER_FRAME = 5;
/** Often enough that each 15 s sample in main has the reports of its interval. */
const REPORT_EVERY_MS = 5_000;
const MAX_PENDING = 4000;

/** Clocks closer than this are taken as one: the renderer and main run on the same machine. */
const SAME_CLOCK_MS = 60_000;

export function tickToUiReporter(api: ApiClient): { observe(quoteTimes: number[]): void; setAppClock(appNow: number, localAt: number): void; dispose(): void } {
  let pending: number[] = [];
  // Quote times are on the app's clock; one far from this page's (a test clock started in the past) is corrected for.
  let offset = 0;
  const timer = setInterval(() => {
    if (!pending.length) return;
    const samples = pending;
    pending = [];
    void api.call('metrics.tickToUi', { samples }).catch(() => undefined);
  }, REPORT_EVERY_MS);
  return {
    /** `appNow` is the app clock when `localAt` was this page's clock (the middle of the call that read it). */
    setAppClock(appNow, localAt) {
      const diff = appNow - localAt;
      offset = Math.abs(diff) > SAME_CLOCK_MS ? diff : 0;
    },
    observe(quoteTimes) {
      const now = Date.now() + offset;
      for (const t of quoteTimes.slice(0, PER_FRAME)) {
        const ms = now - t;
        // A quote stamped in the future (another clock) or hours old (a closed market's last price) says nothing here.
        if (ms >= 0 && ms < 60_000 && pending.length < MAX_PENDING) pending.push(ms);
      }
    },
    dispose: () => clearInterval(timer),
  };
}
