// Hand-checked sequences for the alert hysteresis: each value below is walked by hand in the comments.
import { describe, expect, it } from 'vitest';
import { step, type ArmState, type Threshold } from './hysteresis';

/** Feeds the values in order from 'armed'; returns the indexes that fired and the final state. */
function run(t: Threshold, values: number[]): { fired: number[]; state: ArmState } {
  let state: ArmState = 'armed';
  const fired: number[] = [];
  values.forEach((v, i) => {
    const r = step(t, state, v);
    state = r.state;
    if (r.fired) fired.push(i);
  });
  return { fired, state };
}

describe('alert hysteresis', () => {
  it('fires once when a price crosses above the level and hovers around it', () => {
    // Level 100, band 0.5: 99 armed · 100 reaches (fires, #1) · 99.8, 100.2, 99.6 stay within 0.5 of the level (no
    // re-arm) · 100.4 no fire · 99.4 < 99.5 re-arms · 100.1 fires again (#6).
    expect(run({ level: 100, direction: 'above', band: 0.5 }, [99, 100, 99.8, 100.2, 99.6, 99.4, 100.1])).toEqual({ fired: [1, 6], state: 'fired' });
    expect(run({ level: 100, direction: 'above', band: 0.5 }, [99, 100, 99.8, 100.2, 99.6, 100.4])).toEqual({ fired: [1], state: 'fired' });
  });

  it('re-arms only strictly past the band', () => {
    // 99.5 is exactly level − band: not past it, stays fired; 99.49 is past.
    const t: Threshold = { level: 100, direction: 'above', band: 0.5 };
    expect(step(t, 'fired', 99.5)).toEqual({ state: 'fired', fired: false });
    expect(step(t, 'fired', 99.49)).toEqual({ state: 'armed', fired: false });
  });

  it('fires on a fall below the level (margin level, a price falling)', () => {
    // Margin level alert below 150 %, band 10: 200 · 160 · 150 fires (#2) · 155, 159 within the band · 161 re-arms ·
    // 149 fires (#6) · 120 still below, nothing more.
    expect(run({ level: 150, direction: 'below', band: 10 }, [200, 160, 150, 155, 159, 161, 149, 120])).toEqual({ fired: [2, 6], state: 'fired' });
  });

  it('with no band, every new crossing fires, but staying past the level does not', () => {
    // Drawdown above 0.1: 0.05 · 0.1 fires (#1) · 0.12 stays · 0.099 re-arms · 0.1 fires (#4).
    expect(run({ level: 0.1, direction: 'above', band: 0 }, [0.05, 0.1, 0.12, 0.099, 0.1])).toEqual({ fired: [1, 4], state: 'fired' });
  });

  it('a rule created past its level fires at the first value, once', () => {
    expect(run({ level: 1, direction: 'above', band: 0.1 }, [3, 4, 5])).toEqual({ fired: [0], state: 'fired' });
  });

  it('ignores a value that is not a number (no quote yet, no margin)', () => {
    expect(step({ level: 1, direction: 'above', band: 0 }, 'armed', NaN)).toEqual({ state: 'armed', fired: false });
    expect(run({ level: 1, direction: 'below', band: 0 }, [NaN, Infinity, 2, 0.5])).toEqual({ fired: [3], state: 'fired' });
  });
});
