// The margin figures of a connected account, as the contract carries them: computed from positions and specs for CFD
// accounts (the paper CFD account), or taken from the broker's own account values where it reports them (IB's
// NetLiquidation and MaintMarginReq). Accounts with neither (the cash paper account) have no margin status.
import type { MarginStatus } from '../../src-shared/domain/margin';
import type { BrokerAccountValue } from '../../src-shared/domain/broker';
import { accountMargin, type AccountMargin, type CfdTerms } from '../domain/cfd/account';
import { amountString, levelString, marginFigures, type MarginFigures } from '../domain/cfd/margin';
import { fxRates, type RateLookup } from '../domain/cfd/pip';
import { dec } from '../domain/money';
import type { MarketData } from '../ports/market-data';
import type { AccountService } from './account';

export function marketRates(market: MarketData): RateLookup {
  return fxRates((symbol) => market.lastQuote(symbol)?.last);
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

/** IB reports margin itself: equity NetLiquidation, used margin MaintMarginReq; IB liquidates below maintenance (100 %). */
export function brokerMargin(values: readonly BrokerAccountValue[]): { figures: MarginFigures; currency: string } | null {
  const pick = (key: string) => values.find((v) => v.key === key && /^-?\d+(\.\d+)?$/.test(v.value));
  const nav = pick('NetLiquidation');
  const used = pick('MaintMarginReq');
  if (!nav || !used) return null;
  return { figures: marginFigures(dec(nav.value), dec(used.value), { marginCall: 110, stopOut: 100 }), currency: nav.currency };
}

export function toMarginStatus(a: { accountId: string; venue: string; label: string; currency: string }, f: MarginFigures, levels: { alert: number; marginCall: number; stopOut: number }, source: 'app' | 'broker'): MarginStatus {
  const state = f.state === 'ok' && f.level !== null && f.level.lt(levels.alert) ? 'alert' : f.state;
  return {
    ...a, equity: amountString(f.equity)!, usedMargin: amountString(f.used)!, freeMargin: amountString(f.free)!, marginLevel: levelString(f.level),
    alertLevel: levels.alert, marginCallLevel: levels.marginCall, stopOutLevel: levels.stopOut, toMarginCall: amountString(f.toMarginCall), toStopOut: amountString(f.toStopOut), state, source,
  };
}
