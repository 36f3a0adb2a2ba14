// The failover manager's background work (supervisor ticks, health rounds) never throws out of a timer: a failing step
// is logged and the loop goes on.
import { describe, expect, it } from 'vitest';
import { createDemoMarket } from '../../adapters/demo/market';
import { createDemoProvider } from '../../adapters/demo/provider';
import { parseConfig } from '../../config/config';
import { ManualClock } from '../../ports/clock';
import type { DataProvider } from '../../ports/data-provider';
import { ManualTimers } from '../../ports/timers';
import { createMarketDataService } from './service';

describe('market-data background tasks', () => {
  it('a throwing update listener and a health check that rejects are logged; the loops keep running', async () => {
    const clock = new ManualClock(Date.UTC(2026, 10, 24, 15));
    const timers = new ManualTimers(clock);
    const demo = createDemoMarket({ clock, seed: 1 });
    // A provider whose health probe throws synchronously inside an async function and whose subscription close rejects.
    const flaky: DataProvider = {
      ...createDemoProvider(demo),
      async healthCheck() {
        throw new Error('probe exploded');
      },
      subscribe: () => ({ dispose: () => Promise.reject(new Error('close failed')) }),
    };
    const logged: string[] = [];
    const manager = createMarketDataService({
      config: parseConfig(''), providers: [flaky], sessionPrimary: 'demo', catalog: demo, clock, timers,
      log: (_level, _obj, msg) => void logged.push(msg),
    });
    const rejections: unknown[] = [];
    const onRejection = (e: unknown) => void rejections.push(e);
    process.on('unhandledRejection', onRejection);
    try {
      let ticks = 0;
      manager.onUpdate(() => {
        ticks++;
        throw new Error('listener exploded');
      });
      manager.start();
      for (let i = 0; i < 40; i++) {
        expect(() => timers.advance(1000)).not.toThrow();
        demo.tick();
        await new Promise((r) => setImmediate(r));
      }
      expect(ticks).toBeGreaterThan(1); // still ticking after the first failure
      expect(logged).toContain('market-data background step failed');
      expect(manager.sources()[0]!.lastError?.message).toMatch(/probe exploded/); // where the user sees it
    } finally {
      manager.dispose();
      demo.dispose();
      await new Promise((r) => setTimeout(r, 20));
      process.off('unhandledRejection', onRejection);
    }
    expect(rejections).toEqual([]);
    expect(logged).toContain('quote subscription did not close cleanly');
  });
});
