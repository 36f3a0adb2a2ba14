// Portfolio limits as a what-if on the holdings after the fill, on a portfolio small enough to check by hand.
import { describe, expect, it } from 'vitest';
import { buildModel, checkPortfolioOrder, largestConcentration, limitUsage, type PortfolioLimitsConfig } from './limits';
import type { AlignedReturns } from './returns';
import type { RiskProfile } from './profile';

// A's ten daily returns (sorted here for the reader): 5th percentile −0.041 (see var.test.ts). B never moves with A.
const A = [-0.05, -0.03, -0.01, 0, 0.01, 0.02, 0.03, 0.04, 0.05, 0.06];
const B = [0.01, -0.01, 0.01, -0.01, 0.01, -0.01, 0.01, -0.01, 0.01, -0.01];
const history: AlignedReturns = { symbols: ['A', 'B', 'A2'], returns: [Float64Array.from(A), Float64Array.from(B), Float64Array.from(A.map((x) => 2 * x))], days: [], unmodelled: [] };
const profiles: Record<string, RiskProfile> = { A: { sector: 'Tech', issuer: 'Acme' }, A2: { sector: 'Tech', issuer: 'Acme' }, B: { sector: 'Energy' } };
const off: PortfolioLimitsConfig = {
  maxPortfolioRisk: null, maxClusterConcentration: null, correlationThreshold: 0.7, correlationWindow: 60, maxIssuerConcentration: null,
  maxSectorConcentration: null, maxGrossExposure: null, maxNetExposure: null, targetVolatility: null,
};
const NAV = 100_000;
const model = (holdings: [string, number][], cfg = off) => buildModel(holdings.map(([symbol, value]) => ({ symbol, value })), NAV, history, (s) => profiles[s], cfg);
const position = { positionQuantity: 100, lotSize: 1 };

describe('VaR budget (risk.max_portfolio_risk)', () => {
  const cfg = { ...off, maxPortfolioRisk: 0.005 };
  // 10,000 of A on 100,000 NAV: weight 0.1, VaR = 0.1 · 0.041 = 0.0041 (headroom 0.0009).
  const m = model([['A', 10_000]]);
  it('reports usage and headroom', () => {
    expect(limitUsage(m, cfg)).toEqual([{ name: 'max_portfolio_risk', value: expect.closeTo(0.0041, 12) as number, limit: 0.005, headroom: expect.closeTo(0.0009, 12) as number }]);
  });
  it('refuses a buy that would breach it, with the size that fits', () => {
    // +50 at 100 → weight 0.15, VaR 0.00615 > 0.005. Fits while w·0.041 ≤ 0.005: w ≤ 0.1219512, i.e. 2,195.12 more, 21 shares
    // (21 → 0.121·0.041 = 0.004961; 22 → 0.122·0.041 = 0.005002).
    const d = checkPortfolioOrder(m, cfg, { symbol: 'A', quantity: 50, price: 100 }, position);
    expect(d).toMatchObject({ ok: false, rule: 'max_portfolio_risk', value: expect.closeTo(0.00615, 12) as number, limit: 0.005, headroom: expect.closeTo(0.0009, 12) as number, fitQuantity: 21 });
    if (!d.ok) expect(d.message).toMatch(/VaR \(1-day 95 %, historical\) would be 0\.6\d % of NAV, above the limit of 0\.50 %; headroom 0\.09 %.*at most 21 would fit/);
    expect(checkPortfolioOrder(m, cfg, { symbol: 'A', quantity: 21, price: 100 }, position)).toEqual({ ok: true });
  });
  it('lets a reducing order and a risk-lowering order pass even over budget', () => {
    const over = model([['A', 20_000]]); // VaR 0.0082 > 0.005
    expect(checkPortfolioOrder(over, cfg, { symbol: 'A', quantity: -50, price: 100 }, { positionQuantity: 200, lotSize: 1 })).toEqual({ ok: true });
    // Shorting A2 (= 2·A) against it lowers the VaR: passes.
    expect(checkPortfolioOrder(over, cfg, { symbol: 'A2', quantity: -50, price: 100 }, { positionQuantity: 0, lotSize: 1 })).toEqual({ ok: true });
  });
});

describe('concentration and exposure caps', () => {
  it('caps a correlated cluster (A and A2 move together)', () => {
    const cfg = { ...off, maxClusterConcentration: 0.25 };
    const m = model([['A', 10_000], ['A2', 10_000], ['B', 50_000]]);
    // Cluster A+A2 = 20 % of NAV; +100 A2 at 100 → 30 %.
    const d = checkPortfolioOrder(m, cfg, { symbol: 'A2', quantity: 100, price: 100 }, { positionQuantity: 100, lotSize: 1 });
    expect(d).toMatchObject({ ok: false, rule: 'max_cluster_concentration', value: expect.closeTo(0.3, 12) as number, headroom: expect.closeTo(0.05, 12) as number });
    if (!d.ok) expect(d.message).toContain('(A+A2)');
    // B is in no cluster: no limit applies to it.
    expect(checkPortfolioOrder(m, cfg, { symbol: 'B', quantity: 100, price: 100 }, { positionQuantity: 500, lotSize: 1 })).toEqual({ ok: true });
  });
  it('caps an issuer and a sector', () => {
    const m = model([['A', 10_000], ['A2', 5_000]]);
    // Acme (A + A2) = 15 % → 20 % with +50 A at 100.
    expect(checkPortfolioOrder(m, { ...off, maxIssuerConcentration: 0.18 }, { symbol: 'A', quantity: 50, price: 100 }, position)).toMatchObject({ ok: false, rule: 'max_issuer_concentration', value: expect.closeTo(0.2, 12) as number });
    expect(checkPortfolioOrder(m, { ...off, maxSectorConcentration: 0.2 }, { symbol: 'A', quantity: 50, price: 100 }, position)).toEqual({ ok: true });
    expect(checkPortfolioOrder(m, { ...off, maxSectorConcentration: 0.19 }, { symbol: 'A', quantity: 50, price: 100 }, position)).toMatchObject({ ok: false, rule: 'max_sector_concentration' });
  });
  it('caps gross and net exposure', () => {
    const m = model([['A', 60_000], ['B', -30_000]]); // gross 0.9, net 0.3
    expect(checkPortfolioOrder(m, { ...off, maxGrossExposure: 1 }, { symbol: 'B', quantity: -200, price: 100 }, { positionQuantity: -300, lotSize: 1 })).toMatchObject({ ok: false, rule: 'max_gross_exposure', value: expect.closeTo(1.1, 12) as number, headroom: expect.closeTo(0.1, 12) as number });
    // Selling B short lowers the net exposure: the net cap does not refuse it.
    expect(checkPortfolioOrder(m, { ...off, maxNetExposure: 0.2 }, { symbol: 'B', quantity: -200, price: 100 }, { positionQuantity: -300, lotSize: 1 })).toEqual({ ok: true });
    expect(checkPortfolioOrder(m, { ...off, maxNetExposure: 0.35 }, { symbol: 'A', quantity: 100, price: 100 }, { positionQuantity: 600, lotSize: 1 })).toMatchObject({ ok: false, rule: 'max_net_exposure', value: expect.closeTo(0.4, 12) as number });
  });
  it('caps leverage at the volatility target', () => {
    // B alone: ±1 % a day, annual vol 0.01·√(10/9)·√252 = 0.167332 at weight 1. 50,000 of B (gross 0.5) has vol 0.083666;
    // target 0.1 → cap = 0.1 · 0.5 / 0.083666 = 0.597614; +1,000 B at 100 → gross 1.5 > its cap.
    const m = model([['B', 50_000]]);
    const cfg = { ...off, targetVolatility: 0.1 };
    expect(limitUsage(m, cfg)[0]).toMatchObject({ name: 'vol_targeted_leverage', value: 0.5, limit: expect.closeTo(0.597614, 5) as number });
    expect(checkPortfolioOrder(m, cfg, { symbol: 'B', quantity: 1000, price: 100 }, { positionQuantity: 500, lotSize: 1 })).toMatchObject({ ok: false, rule: 'vol_targeted_leverage' });
    expect(checkPortfolioOrder(m, cfg, { symbol: 'B', quantity: 50, price: 100 }, { positionQuantity: 500, lotSize: 1 })).toEqual({ ok: true });
  });
});

describe('largest concentration (the concentration alerts)', () => {
  it('is the largest cluster, issuer or sector share with no cap configured', () => {
    // A 20,000 and A2 −5,000 (Acme, Tech; A2 = 2·A, correlation 1: one cluster) and B 30,000 (Energy).
    // Cluster A+A2: (20,000 + 5,000) / 100,000 = 0.25; issuer Acme 0.25; sector Tech 0.25; Energy and B 0.30: the largest.
    const m = model([['A', 20_000], ['A2', -5_000], ['B', 30_000]]);
    expect(largestConcentration(m, off)).toMatchObject({ value: expect.closeTo(0.3, 12) as number, subject: expect.stringMatching(/^(B|Energy)$/) as string });
    expect(limitUsage(m, off)).toEqual([]); // caps stay off: the alert figure does not make one
    expect(largestConcentration(model([]), off)).toBeNull();
  });
});
