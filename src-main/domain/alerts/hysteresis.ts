// When an alert fires (issue 17 item 5): once per crossing, with hysteresis. A rule watches one value (a price, a
// percent move, a drawdown, the VaR budget's use, a margin level) against a level in one direction; it fires when the
// value reaches the level while armed, and re-arms only once the value has come back past the level by the band, so a
// price hovering at the level fires once, not on every tick. Pure: the caller keeps each rule's state.

export type AlertDirection = 'above' | 'below';
export type ArmState = 'armed' | 'fired';

export interface Threshold {
  level: number;
  direction: AlertDirection;
  /** The re-arm band in the value's own unit (≥ 0): 'above' re-arms below level − band, 'below' above level + band. */
  band: number;
}

/**
 * The next state for an observed value, and whether this observation fires. A rule starts armed: one created with the
 * value already past its level fires at the first observation (the trader is told it is past, once).
 */
export function step(t: Threshold, state: ArmState, value: number): { state: ArmState; fired: boolean } {
  if (!Number.isFinite(value)) return { state, fired: false };
  const reached = t.direction === 'above' ? value >= t.level : value <= t.level;
  if (state === 'armed') return reached ? { state: 'fired', fired: true } : { state, fired: false };
  const back = t.direction === 'above' ? value < t.level - t.band : value > t.level + t.band;
  return { state: back ? 'armed' : 'fired', fired: false };
}
