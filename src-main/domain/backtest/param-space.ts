// Parameter search spaces as users write them: `start:end:step` (inclusive), `a,b,c`, or one value.
export function parseRange(name: string, spec: string): (number | string)[] {
  if (spec.includes(':')) {
    const [a, b, step] = spec.split(':').map(Number);
    if (![a, b, step].every(Number.isFinite) || step! <= 0 || b! < a!) throw new RangeError(`${name}=${spec}: expected start:end:step with step > 0 and end ≥ start`);
    if ((b! - a!) / step! > 100_000) throw new RangeError(`${name}=${spec}: more than 100,000 values`);
    const out: number[] = [];
    for (let v = a!; v <= b! + 1e-9; v += step!) out.push(Number(v.toFixed(10)));
    return out;
  }
  return spec.split(',').map((v) => v.trim()).filter(Boolean).map((v) => (Number.isFinite(Number(v)) ? Number(v) : v));
}

export function parseSpace(space: Record<string, string>): Record<string, (number | string)[]> {
  return Object.fromEntries(Object.entries(space).map(([k, v]) => [k, parseRange(k, v)]));
}

/** Combinations a strategy cannot take (an SMA cross with fast ≥ slow, a breakout whose exit exceeds its entry). */
export function validFor(strategy: string): ((p: Record<string, number | string>) => boolean) | undefined {
  if (strategy === 'sma-cross') return (p) => Number(p['fast'] ?? 10) < Number(p['slow'] ?? 30);
  return undefined;
}
