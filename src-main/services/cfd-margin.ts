// The margin figures of a connected account, as the contract carries them: computed from positions and specs for CFD
// accounts (the paper CFD account), or taken from the broker's own account values where it reports them (IB's
// NetLiquidation and MaintMarginReq). Accounts with neither (the cash paper account) have no margin status.
import type { MarginStatus } from '../../src-shared/domain/margin';
import type { BrokerAccountValue } from '../../src-shared/domain/broker';
import { accountMargin, type AccountMargin, type CfdTerms } from '../domain/cfd/account';
import { amountString, levelString, marginFigures, type MarginFigures } from '../domain/cfd/margin';
import { fxRates, type RateLookup } from '../domain/cfd/pip';
import { dec } from '../domain/money';
import type { QuoteConversion } from '../domain/portfolio';
import type { MarketData } from '../ports/market-data';
import type { AccountService } from './account';

export function marketRates(market: MarketData): RateLookup {
  return fxRates((symbol) => market.lastQuote(symbol)?.last);
}

/** How the market's instruments convert into `accountCurrency` now (the paper CFD account's ledger, domain/portfolio.ts). */
export function quoteConversion(market: MarketData, accountCurrency: string): QuoteConversion {
  const rates = marketRates(market);
  return (symbol) => {
    const currency = market.instrument(symbol)?.currency;
    if (currency === undefined || currency === accountCurrency) return null;
    return { currency, rate: rates(currency, accountCurrency) };
  };
}

/** The CFD account's margin now: equity is the account's NAV (cash + positions marked to market). */
export async function cfdAccountMargin(account: AccountService, market: MarketData, terms: CfdTerms): Promise<{ margin: AccountMargin; currency: string }> {
  const { summary, positions } = await account.snapshot();
  const margin = accountMargin({
    equity: dec(summary.nav), accountCurrency: summary.currency, terms, rates: marketRates(market), instrument: (s) => market.instrument(s),
    positions: positions.map((p) => ({ symbol: p.symbol, quantity: p.quantity, avgPrice: p.avgPrice, price: p.marketPrice ?? undefined })),
  });
  return { margin, currency: summary.currency };
}

/**
 * Venues that report margin themselves, with their own levels. IB: equity NetLiquidation, used margin MaintMarginReq;
 * IB liquidates below maintenance (100 %). OANDA: its closeout NAV over its closeout margin used (NAV and marginUsed
 * when those are absent); OANDA calls margin when the NAV falls below the margin used (100 %) and closes out below half
 * of it (marginCloseoutPercent 100 % = a level of 50 %). cTrader: its equity and used margin.
 */
export function brokerMargin(values: readonly BrokerAccountValue[]): { figures: MarginFigures; currency: string; levels: { marginCall: number; stopOut: number } } | null {
  const pick = (key: string) => values.find((v) => v.key === key && /^-?\d+(\.\d+)?$/.test(v.value));
  const nav = pick('NetLiquidation');
  const used = pick('MaintMarginReq');
  if (nav && used) {
    const levels = { marginCall: 110, stopOut: 100 };
    return { figures: marginFigures(dec(nav.value), dec(used.value), levels), currency: nav.currency, levels };
  }
  const oandaNav = pick('marginCloseoutNAV') ?? pick('NAV');
  const oandaUsed = pick('marginCloseoutMarginUsed') ?? pick('marginUsed');
  if (oandaNav && oandaUsed && pick('marginCloseoutPercent')) {
    const levels = { marginCall: 100, stopOut: 50 };
    return { figures: marginFigures(dec(oandaNav.value), dec(oandaUsed.value), levels), currency: oandaNav.currency, levels };
  }
  // cTrader (adapters/ctrader/session.ts): equity over the positions' used margin. Open API does not send the broker's
  // call and stop-out levels; these are ESMA's retail rule (close-out below 50 %), which EU cTrader brokers apply.
  const ctEquity = pick('equity');
  const ctUsed = pick('usedMargin');
  if (ctEquity && ctUsed) {
    const levels = { marginCall: 100, stopOut: 50 };
    return { figures: marginFigures(dec(ctEquity.value), dec(ctUsed.value), levels), currency: ctEquity.currency, levels };
  }
  return null;
}

export function toMarginStatus(a: { accountId: string; venue: string; label: string; currency: string }, f: MarginFigures, levels: { alert: number; marginCall: number; stopOut: number }, source: 'app' | 'broker'): MarginStatus {
  const state = f.state === 'ok' && f.level !== null && f.level.lt(levels.alert) ? 'alert' : f.state;
  return {
    ...a, equity: amountString(f.equity)!, usedMargin: amountString(f.used)!, freeMargin: amountString(f.free)!, marginLevel: levelString(f.level),
    alertLevel: levels.alert, marginCallLevel: levels.marginCall, stopOutLevel: levels.stopOut, toMarginCall: amountString(f.toMarginCall), toStopOut: amountString(f.toStopOut), state, source,
  };
}
