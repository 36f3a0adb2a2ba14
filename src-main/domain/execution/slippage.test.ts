// Slippage against the arrival mid, checked by hand across quote currencies (USD, JPY, GBP) and pip locations (−4, −2).
import { describe, expect, it } from 'vitest';
import { fxRates } from '../cfd/pip';
import { demoCfdSpec, pipSize } from '../cfd/specs';
import type { FillQuality } from '../../../src-shared/domain/execution';
import { slippageGroups, slippageOf, utcHour } from './slippage';

const rates = fxRates((s) => ({ USDJPY: 151.21, GBPUSD: 1.27, EURUSD: 1.08 } as Record<string, number>)[s]);
const pip = (symbol: string) => pipSize(demoCfdSpec(symbol)!).toNumber();

describe('slippage of a fill (positive = worse for the trader)', () => {
  it('EURUSD buy 100,000 filled 1.5 pips above the mid: 1.3888 bps, 15.00 USD; the spread was 1 pip', () => {
    // mid (1.08000 + 1.08010) / 2 = 1.08005; 1.08020 − 1.08005 = 0.00015 = 1.5 pips; 0.00015 / 1.08005 × 10⁴ = 1.38882…
    const s = slippageOf({ side: 'buy', quantity: 100_000, fillPrice: 1.0802, arrivalBid: 1.08, arrivalAsk: 1.0801, pipSize: pip('EURUSD'), toAccount: rates('USD', 'USD') });
    expect(s).toEqual({ arrivalMid: 1.08005, spread: 0.0001, slippage: 0.00015, slippagePips: 1.5, slippageBps: 1.3888, slippageCost: '15.00' });
  });

  it('USDJPY sell 50,000 filled 3 pips below the mid: 1.984 bps, 1,500 JPY = 9.92 USD', () => {
    // mid 151.210; a sell at 151.180 is 0.030 worse = 3 pips (pip 0.01); 0.03 / 151.21 × 10⁴ = 1.98399…; 1500 / 151.21 = 9.91998…
    const s = slippageOf({ side: 'sell', quantity: 50_000, fillPrice: 151.18, arrivalBid: 151.2, arrivalAsk: 151.22, pipSize: pip('USDJPY'), toAccount: rates('JPY', 'USD') });
    expect(s).toMatchObject({ arrivalMid: 151.21, spread: 0.02, slippagePips: 3, slippageBps: 1.984, slippageCost: '9.92' });
  });

  it('EURGBP buy 10,000 filled 1 pip below the mid is an improvement: −1 pip, −1.1763 bps, −1.00 GBP = −1.27 USD', () => {
    const s = slippageOf({ side: 'buy', quantity: 10_000, fillPrice: 0.85, arrivalBid: 0.85, arrivalAsk: 0.8502, pipSize: pip('EURGBP'), toAccount: rates('GBP', 'USD') });
    expect(s).toMatchObject({ arrivalMid: 0.8501, slippage: -0.0001, slippagePips: -1, slippageBps: -1.1763, slippageCost: '-1.27' });
  });

  it('XAUUSD buy 10 (pip 0.01): 30 pips, 1.4633 bps, 3.00 USD; no rate gives no cost', () => {
    const s = slippageOf({ side: 'buy', quantity: 10, fillPrice: 2050.5, arrivalBid: 2050, arrivalAsk: 2050.4, pipSize: pip('XAUUSD'), toAccount: rates('USD', 'USD') });
    expect(s).toMatchObject({ arrivalMid: 2050.2, slippagePips: 30, slippageBps: 1.4633, slippageCost: '3.00' });
    expect(slippageOf({ side: 'buy', quantity: 10, fillPrice: 2050.5, arrivalBid: 2050, arrivalAsk: 2050.4, pipSize: 0.01, toAccount: rates('CHF', 'USD') }).slippageCost).toBeNull();
  });
});

describe('slippage groups', () => {
  const fill = (over: Partial<FillQuality>): FillQuality => ({
    fillId: 'f', orderId: 'o', accountId: 'A', venue: 'paper', symbol: 'EURUSD', side: 'buy', quantity: 1000, sentAt: 0, time: 0,
    arrivalBid: 1.08, arrivalAsk: 1.0801, arrivalMid: 1.08005, spread: 0.0001, fillPrice: 1.0802, pipSize: 0.0001, slippage: 0.00015,
    slippagePips: 1.5, slippageBps: 1.3888, slippageCost: '1.50', currency: 'USD', ...over,
  });

  it('weights by quantity, sums costs per currency, and keys hours in UTC', () => {
    const fills = [fill({ quantity: 1000, slippagePips: 1, slippageBps: 1, slippageCost: '0.10' }), fill({ quantity: 3000, slippagePips: 3, slippageBps: 2, slippageCost: '0.90' }),
      fill({ venue: 'oanda', symbol: 'USDJPY', slippageCost: '5.00' })];
    const byVenue = slippageGroups(fills, (f) => f.venue);
    expect(byVenue.map((g) => g.key)).toEqual(['oanda', 'paper']);
    // (1 × 1000 + 3 × 3000) / 4000 = 2.5 pips; (1 × 1000 + 2 × 3000) / 4000 = 1.75 bps
    expect(byVenue[1]).toMatchObject({ fills: 2, avgSlippagePips: 2.5, avgSlippageBps: 1.75, cost: { USD: '1.00' } });
    expect(byVenue[1]!.avgSpreadBps).toBeCloseTo(0.9259, 4); // 0.0001 / 1.08005 × 10⁴
    expect(utcHour(Date.parse('2026-12-03T21:59:59Z'))).toBe('21');
  });
});
