// Hand-checked cross-sections: z-scores, direction, sector neutrality, the composite with missing data, rank.
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { scoreCrossSection, type CrossSectionInput } from './cross-section';

const row = (symbol: string, sector: string | null, values: Record<string, number | null>): CrossSectionInput => ({ symbol, sector, values });
const noClip = { winsorize: [0, 1] as const };

describe('scoreCrossSection', () => {
  it('z-scores one factor and ranks by it; direction −1 reverses the order', () => {
    // [1,2,3,4]: mean 2.5, σ = √1.25 = 1.1180 → z = ∓1.3416, ∓0.4472.
    const rows = [row('A', 'X', { a: 1 }), row('B', 'X', { a: 2 }), row('C', 'X', { a: 3 }), row('D', 'X', { a: 4 })];
    const up = scoreCrossSection(rows, [{ name: 'a', weight: 1, direction: 1 }], noClip);
    expect(up.map((r) => r.symbol)).toEqual(['D', 'C', 'B', 'A']);
    expect(up[0]!.composite).toBeCloseTo(1.5 / Math.sqrt(1.25), 12);
    expect(up[3]!.factors['a']).toEqual({ value: 1, z: expect.closeTo(-1.5 / Math.sqrt(1.25), 12) as number, percentile: 0 });
    expect(up.map((r) => r.rank)).toEqual([1, 2, 3, 4]);
    expect(up.map((r) => r.percentile)).toEqual([1, 2 / 3, 1 / 3, 0]);
    const down = scoreCrossSection(rows, [{ name: 'a', weight: 1, direction: -1 }], noClip);
    expect(down.map((r) => r.symbol)).toEqual(['A', 'B', 'C', 'D']);
    expect(down[0]!.factors['a']!.value).toBe(1);
  });

  it('sector-neutral z-scores compare a stock with its own sector only', () => {
    // Whole universe [1,2,10,20]: D > C > B > A. Within sector: Tech [1,2] → −1, +1; Energy [10,20] → −1, +1.
    // B and D tie at +1 (symbol breaks the tie), then A and C at −1.
    const rows = [row('A', 'Tech', { a: 1 }), row('B', 'Tech', { a: 2 }), row('C', 'Energy', { a: 10 }), row('D', 'Energy', { a: 20 })];
    const w = [{ name: 'a', weight: 1, direction: 1 as const }];
    expect(scoreCrossSection(rows, w, noClip).map((r) => r.symbol)).toEqual(['D', 'C', 'B', 'A']);
    const neutral = scoreCrossSection(rows, w, { ...noClip, sectorNeutral: true });
    expect(neutral.map((r) => [r.symbol, r.composite])).toEqual([['B', 1], ['D', 1], ['A', -1], ['C', -1]]);
  });

  it('renormalises the weights over the factors a stock has, and flags the missing ones', () => {
    // a = [1,3,3]: mean 7/3, deviations −4/3, 2/3, 2/3, σ² = (16+4+4)/27 = 8/9 → z = −√2, √2/2, √2/2.
    // b = [1,3] (R has none): z = −1, +1.
    // Weights a 1, b 3: P = (−√2 − 3)/4 = −1.1036; Q = (√2/2 + 3)/4 = 0.9268; R = √2/2 = 0.7071 (over a alone; counting
    // its missing b as 0 would give 0.1768).
    const rows = [row('P', null, { a: 1, b: 1 }), row('Q', null, { a: 3, b: 3 }), row('R', null, { a: 3, b: null }), row('S', null, {})];
    const out = scoreCrossSection(rows, [{ name: 'a', weight: 1, direction: 1 }, { name: 'b', weight: 3, direction: 1 }], noClip);
    expect(out.map((r) => r.symbol)).toEqual(['Q', 'R', 'P', 'S']);
    expect(out[0]!.composite).toBeCloseTo((Math.SQRT2 / 2 + 3) / 4, 12);
    expect(out[1]!.composite).toBeCloseTo(Math.SQRT2 / 2, 12);
    expect(out[1]!.missing).toEqual(['b']);
    expect(out[1]!.factors['b']).toEqual({ value: null, z: null, percentile: null });
    expect(out[2]!.composite).toBeCloseTo((-Math.SQRT2 - 3) / 4, 12);
    // No factor at all: no composite, ranked last, both flagged.
    expect(out[3]).toMatchObject({ symbol: 'S', composite: null, rank: 4, percentile: null, missing: ['a', 'b'] });
  });

  it('winsorises before z-scoring, so one outlier does not flatten everyone else', () => {
    // 1..99 and 1e6: clipped at p99 = 99 + 0.01·(1e6 − 99) = 10,098.01; without clipping, 1..99 would sit within 0.02σ
    // of each other.
    const rows = Array.from({ length: 100 }, (_, i) => row(`S${i}`, null, { a: i === 99 ? 1e6 : i + 1 }));
    const out = scoreCrossSection(rows, [{ name: 'a', weight: 1, direction: 1 }]);
    const z = (s: string) => out.find((r) => r.symbol === s)!.factors['a']!.z!;
    const raw = scoreCrossSection(rows, [{ name: 'a', weight: 1, direction: 1 }], noClip);
    const zr = (s: string) => raw.find((r) => r.symbol === s)!.factors['a']!.z!;
    expect(z('S98') - z('S0')).toBeGreaterThan(5 * (zr('S98') - zr('S0')));
    expect(out.find((r) => r.symbol === 'S99')!.factors['a']!.value).toBe(1e6); // the raw value is reported as given
  });

  it('refuses weights that are not positive', () => {
    expect(() => scoreCrossSection([], [{ name: 'a', weight: 0, direction: 1 }])).toThrow(/positive/);
  });

  it('properties: ranks are 1..n, ranked stocks precede unranked ones, composites descend', () => {
    const value = fc.option(fc.integer({ min: -1000, max: 1000 }), { nil: null });
    fc.assert(fc.property(fc.array(fc.tuple(value, value, fc.constantFrom('X', 'Y', null)), { maxLength: 40 }), fc.boolean(), (xs, neutral) => {
      const rows = xs.map(([a, b, s], i) => row(`S${i}`, s, { a, b }));
      const out = scoreCrossSection(rows, [{ name: 'a', weight: 2, direction: 1 }, { name: 'b', weight: 1, direction: -1 }], { sectorNeutral: neutral });
      expect(out.map((r) => r.rank)).toEqual(rows.map((_, i) => i + 1));
      for (let i = 1; i < out.length; i++) {
        const [p, c] = [out[i - 1]!.composite, out[i]!.composite];
        if (c !== null) expect(p).not.toBeNull();
        if (p !== null && c !== null) expect(p).toBeGreaterThanOrEqual(c);
      }
      for (const r of out) expect(r.composite === null).toBe(r.missing.length === 2);
    }));
  });
});
