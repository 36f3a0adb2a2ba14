// The money-weighted return: the internal rate of return of dated cash flows (actual/365, as a spreadsheet's XIRR).
// A robust solver: Newton first; when it fails or the root may not be unique, a scan for sign changes of the NPV and
// bisection-safeguarded Newton inside the one bracket. No root, or more than one, is no answer (null), never a guess.

export interface DatedFlow {
  /** Days since 1970-01-01 (UTC calendar days); only differences matter. */
  day: number;
  /** Investor's view: money put in is negative, money taken out (and the end value) positive. */
  amount: number;
}

/** Σ amount · (1 + rate)^(−(day − day₀)/365). */
export function npv(flows: readonly DatedFlow[], rate: number): number {
  const d0 = flows[0]?.day ?? 0;
  let s = 0;
  for (const f of flows) s += f.amount * Math.pow(1 + rate, -(f.day - d0) / 365);
  return s;
}

/** Flows as years from the first and amounts, in typed arrays: the solver evaluates the NPV many times. */
interface Prepared {
  t: Float64Array;
  a: Float64Array;
}

/** NPV and its derivative at `rate`: (1 + r)^(−t) as exp(−t·ln(1 + r)), one logarithm per evaluation. */
function npvAndSlope(p: Prepared, rate: number): [number, number] {
  let v = 0;
  let dv = 0;
  const lg = Math.log1p(rate);
  for (let i = 0; i < p.t.length; i++) {
    const disc = p.a[i]! * Math.exp(-p.t[i]! * lg);
    v += disc;
    dv -= p.t[i]! * disc;
  }
  return [v, dv / (1 + rate)];
}

/** How often the sign of the flows changes in date order (zero flows skipped): one change means at most one root. */
function signChanges(flows: readonly DatedFlow[]): number {
  let changes = 0;
  let last = 0;
  for (const f of flows) {
    const s = Math.sign(f.amount);
    if (s === 0) continue;
    if (last !== 0 && s !== last) changes++;
    last = s;
  }
  return changes;
}

/** Convergence on the growth factor 1 + r (relative): exact near −100 % as near 0. */
const TOL = 1e-13;

/** Newton from `guess`; the rate when it converges to a root within (−1, ∞), else undefined. */
function newton(flows: Prepared, guess: number, scale: number): number | undefined {
  let r = guess;
  for (let i = 0; i < 50; i++) {
    const [v, dv] = npvAndSlope(flows, r);
    if (!Number.isFinite(v) || !Number.isFinite(dv) || dv === 0) return undefined;
    const next = r - v / dv;
    if (!(next > -1)) return undefined;
    if (Math.abs(next - r) <= TOL * (1 + next)) {
      return Math.abs(npvAndSlope(flows, next)[0]) <= 1e-9 * scale ? next : undefined;
    }
    r = next;
  }
  return undefined;
}

/** A root known to lie in [lo, hi] (NPV changes sign): Newton steps kept inside the bracket, else bisection. */
function bracketed(flows: Prepared, lo: number, hi: number): number {
  let [flo] = npvAndSlope(flows, lo);
  let r = (lo + hi) / 2;
  for (let i = 0; i < 200; i++) {
    const [v, dv] = npvAndSlope(flows, r);
    if (v === 0) return r;
    if (Math.sign(v) === Math.sign(flo)) {
      lo = r;
      flo = v;
    } else hi = r;
    const step = dv !== 0 ? r - v / dv : NaN;
    const next = step > lo && step < hi ? step : (lo + hi) / 2;
    if (Math.abs(next - r) <= TOL * (1 + next) || hi - lo <= TOL * (1 + lo)) return next;
    r = next;
  }
  return r;
}

/**
 * The annual rate r with Σ amount_i · (1 + r)^(−(day_i − day_0)/365) = 0, or null when there is no such rate in
 * (−1, ∞) or more than one (the answer would be arbitrary). Flows need not be sorted; same-day flows may repeat.
 */
export function xirr(input: readonly DatedFlow[], guess = 0.1): number | null {
  const flows = input.filter((f) => f.amount !== 0).sort((a, b) => a.day - b.day);
  if (flows.length < 2) return null;
  const changes = signChanges(flows);
  if (changes === 0) return null;
  const d0 = flows[0]!.day;
  let scale = 0;
  for (const f of flows) scale = Math.max(scale, Math.abs(f.amount));
  const prepared: Prepared = { t: Float64Array.from(flows, (f) => (f.day - d0) / 365), a: Float64Array.from(flows, (f) => f.amount) };
  // One sign change (Descartes' rule on the discount factor): the root is unique, and Newton's answer is the answer.
  if (changes === 1) {
    const r = newton(prepared, guess, scale);
    if (r !== undefined) return r;
  }
  // Scan (1 + r) from 1e-6 to 1e6 on a log grid (ten points a decade) for sign changes of the NPV; exactly one
  // bracket → refine it. Two roots closer than a grid step would be missed: such flows are rare, and then one
  // of the roots would be an arbitrary answer anyway.
  const brackets: [number, number][] = [];
  let prevRate = -1 + 1e-6;
  let prev = npvAndSlope(prepared, prevRate)[0];
  for (let k = 1; k <= 120; k++) {
    const rate = -1 + Math.pow(10, -6 + (12 * k) / 120);
    const v = npvAndSlope(prepared, rate)[0];
    if (Number.isFinite(prev) && Number.isFinite(v) && Math.sign(v) !== Math.sign(prev)) brackets.push([prevRate, rate]);
    prevRate = rate;
    prev = v;
  }
  if (brackets.length !== 1) return null;
  // NPV is continuous on (−1, ∞): a sign change in the bracket holds a root, and the bracket shrinks around it.
  return bracketed(prepared, brackets[0]![0], brackets[0]![1]);
}
