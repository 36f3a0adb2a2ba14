// Specs and risk-based sizing for an account: the venue's CFD specs where it has them (else the demo specs by symbol,
// else a fallback by asset class), the account's equity, and FX rates from its market for the currency conversion.
import type { CfdSpecInfo, SizingRequest, SizingResult } from '../../src-shared/domain/margin';
import { specOf, type CfdTerms } from '../domain/cfd/account';
import { kellyFraction, riskSize } from '../domain/cfd/sizing';
import { demoCfdSpec, leverage, marginRate } from '../domain/cfd/specs';
import { cents, dec } from '../domain/money';
import { marketRates } from './cfd-margin';
import type { VenueAccount } from './sessions';

/** Accounts that are not CFD accounts: the demo specs (pip locations, sizes) at the venue's own leverage. */
const CASH_TERMS: CfdTerms = { regime: 'professional', levels: { marginCall: 100, stopOut: 50 }, spec: demoCfdSpec };

const termsOf = (a: VenueAccount): CfdTerms => a.venue.cfd?.terms ?? CASH_TERMS;

export function cfdSpecs(a: VenueAccount): CfdSpecInfo[] {
  const terms = termsOf(a);
  return a.market.instruments().filter((i) => a.venue.capabilities.assetClasses.includes(i.assetClass)).map((i) => {
    const s = specOf(terms, i);
    return {
      symbol: s.symbol, category: s.category, quoteCurrency: s.quoteCurrency, contractSize: s.contractSize, minSize: s.minSize, sizeStep: s.sizeStep,
      leverage: leverage(s, terms.regime), maxLeverage: s.maxLeverage, marginRatePct: marginRate(s, terms.regime).times(100).toDecimalPlaces(4).toFixed(4),
      financingLong: s.financing.long, financingShort: s.financing.short, financingConvention: s.financingConvention, tradingHours: s.tradingHours, pipLocation: s.pipLocation,
    };
  });
}

export async function computeSize(a: VenueAccount, r: SizingRequest): Promise<SizingResult> {
  const inst = a.market.instrument(r.symbol);
  if (!inst) return { ok: false, problem: `Unknown symbol ${r.symbol}` };
  const spec = specOf(termsOf(a), inst);
  const { summary } = await a.account.snapshot();
  const result = riskSize({
    equity: dec(summary.nav), risk: r.riskPercent !== undefined ? { percent: r.riskPercent } : { amount: r.riskAmount! }, stopDistance: r.stopDistance,
    quoteCurrency: spec.quoteCurrency, accountCurrency: summary.currency, rates: marketRates(a.market), pipLocation: spec.pipLocation,
    contractSize: spec.contractSize, minSize: spec.minSize, sizeStep: spec.sizeStep,
  });
  if (!result.ok) return result;
  return {
    ok: true, units: result.units, lots: result.lots, currency: summary.currency, riskAmount: cents(result.riskAmount).toFixed(2), actualRisk: cents(result.actualRisk).toFixed(2),
    stopPips: result.stopPips.toDecimalPlaces(1).toString(), pipValue: cents(result.pipValue).toFixed(2),
  };
}

export function kellyFromTrades(trades: readonly { pnl: number }[]): ReturnType<typeof kellyFraction> {
  return kellyFraction(trades.map((t) => t.pnl));
}
