// Our symbols ↔ IB contracts: parsing a symbol into a contract query, and naming an IB contract with our symbol.
// Symbols (case-insensitive):
//   AAPL            stock on SMART in USD              AAPL@NASDAQ   stock with a primary exchange
//   EURUSD, EUR.USD FX pair on IDEALPRO (both ISO currencies)
//   AAPL.CFD        CFD on SMART in USD
//   ES.FUT          the front future of a root         ESM6.FUT      one future by its local symbol
//   aliases         config/defaults map names like US500 to any contract (an index CFD, a metal, a coin)
import { SecType, type Contract } from '@stoqey/ib';
import type { AssetClass, Instrument, SessionKind } from '../../../src-shared/domain/types';

/** A contract query as given to reqContractDetails (conId unknown yet). */
export interface ContractQuery {
  symbol: string;
  secType: SecType;
  exchange: string;
  currency: string;
  primaryExch?: string;
  localSymbol?: string;
  /** FUT root without a month: pick the nearest unexpired contract from the details. */
  frontMonth?: boolean;
}

/** A contract IB has confirmed (cached per symbol: conIds never change). */
export interface ResolvedContract {
  symbol: string;
  conId: number;
  secType: SecType;
  /** The contract to use in requests: conId plus the routing exchange. */
  contract: Contract;
  longName: string;
  minTick: number;
  currency: string;
  exchange: string;
  primaryExch: string;
  timeZoneId: string;
  tradingHours: string;
  liquidHours: string;
  /** IB's classification as its ContractDetails send it (industry "Technology", category "Computers"); '' when absent. */
  industry?: string;
  category?: string;
  /** STK only: COMMON, ETF, ADR, REIT...; '' when absent. */
  stockType?: string;
}

const ISO_CURRENCIES = new Set([
  'USD', 'EUR', 'GBP', 'JPY', 'CHF', 'AUD', 'NZD', 'CAD', 'SEK', 'NOK', 'DKK', 'HKD', 'SGD', 'CNH', 'MXN', 'ZAR', 'PLN',
  'CZK', 'HUF', 'TRY', 'ILS', 'KRW', 'INR', 'RUB',
]);

/** Names our other data sources use for instruments IB lists under another symbol. */
export const DEFAULT_IB_ALIASES: Readonly<Record<string, ContractQuery>> = {
  US500: { symbol: 'IBUS500', secType: SecType.CFD, exchange: 'SMART', currency: 'USD' },
  US100: { symbol: 'IBUST100', secType: SecType.CFD, exchange: 'SMART', currency: 'USD' },
  DE40: { symbol: 'IBDE40', secType: SecType.CFD, exchange: 'SMART', currency: 'EUR' },
  XAUUSD: { symbol: 'XAUUSD', secType: SecType.CMDTY, exchange: 'SMART', currency: 'USD' },
  XAGUSD: { symbol: 'XAGUSD', secType: SecType.CMDTY, exchange: 'SMART', currency: 'USD' },
  BTCUSD: { symbol: 'BTC', secType: SecType.CRYPTO, exchange: 'PAXOS', currency: 'USD' },
  ETHUSD: { symbol: 'ETH', secType: SecType.CRYPTO, exchange: 'PAXOS', currency: 'USD' },
};

export class SymbolError extends Error {
  constructor(readonly symbol: string, message: string) {
    super(message);
    this.name = 'SymbolError';
  }
}

/** The contract query a symbol stands for; throws SymbolError naming what is wrong. */
export function parseIbSymbol(raw: string, aliases: Readonly<Record<string, ContractQuery>> = DEFAULT_IB_ALIASES): ContractQuery {
  const symbol = raw.trim().toUpperCase();
  if (!symbol) throw new SymbolError(raw, 'symbol: empty');
  const alias = aliases[symbol];
  if (alias) return { ...alias };
  const fx = /^([A-Z]{3})\.?([A-Z]{3})$/.exec(symbol);
  if (fx && ISO_CURRENCIES.has(fx[1]) && ISO_CURRENCIES.has(fx[2]) && fx[1] !== fx[2]) {
    return { symbol: fx[1], secType: SecType.CASH, exchange: 'IDEALPRO', currency: fx[2] };
  }
  const cfd = /^([A-Z0-9.]+)\.CFD$/.exec(symbol);
  if (cfd) return { symbol: cfd[1], secType: SecType.CFD, exchange: 'SMART', currency: 'USD' };
  const fut = /^([A-Z0-9]+)\.FUT$/.exec(symbol);
  if (fut) {
    const month = /^([A-Z0-9]{1,4}?)([FGHJKMNQUVXZ])(\d{1,2})$/.exec(fut[1]);
    if (month) return { symbol: month[1], secType: SecType.FUT, exchange: '', currency: 'USD', localSymbol: fut[1] };
    return { symbol: fut[1], secType: SecType.FUT, exchange: '', currency: 'USD', frontMonth: true };
  }
  const stk = /^([A-Z0-9][A-Z0-9 .]{0,11})(?:@([A-Z0-9]+))?$/.exec(symbol);
  if (stk) {
    const q: ContractQuery = { symbol: stk[1], secType: SecType.STK, exchange: 'SMART', currency: 'USD' };
    if (stk[2]) q.primaryExch = stk[2];
    return q;
  }
  throw new SymbolError(raw, `symbol: "${raw}" is not a stock (AAPL), FX pair (EURUSD), CFD (AAPL.CFD) or future (ES.FUT)`);
}

/** The contract to send to reqContractDetails for a query. */
export function queryContract(q: ContractQuery): Contract {
  const c: Contract = { symbol: q.symbol, secType: q.secType, currency: q.currency };
  if (q.exchange) c.exchange = q.exchange;
  if (q.primaryExch) c.primaryExch = q.primaryExch;
  if (q.localSymbol) c.localSymbol = q.localSymbol;
  return c;
}

/** Our symbol for an IB contract (the inverse of parseIbSymbol for the forms it knows). */
export function ourSymbol(c: Contract): string {
  const sym = (c.symbol ?? '').toUpperCase();
  switch (c.secType) {
    case SecType.CASH:
      return `${sym}${(c.currency ?? '').toUpperCase()}`;
    case SecType.CFD:
      return `${sym}.CFD`;
    case SecType.FUT:
      return `${(c.localSymbol || sym).toUpperCase()}.FUT`;
    default:
      return sym;
  }
}

/** IB's "YYYYMMDD" expiry (or "YYYYMMDD HH:MM...") as UTC ms at the end of that day, or NaN. */
export function expiryMs(lastTradeDate: string | undefined): number {
  const m = /^(\d{4})(\d{2})(\d{2})/.exec(lastTradeDate ?? '');
  return m ? Date.UTC(+m[1], +m[2] - 1, +m[3], 23, 59, 59) : NaN;
}

export function assetClassOf(secType: SecType | undefined): AssetClass {
  switch (secType) {
    case SecType.CASH:
      return 'fx';
    case SecType.CFD:
    case SecType.FUT:
    case SecType.IND:
      return 'index-cfd';
    case SecType.CMDTY:
      return 'commodity-cfd';
    case SecType.CRYPTO:
      return 'crypto';
    default:
      return 'stock';
  }
}

export function sessionKindOf(secType: SecType | undefined): SessionKind {
  switch (secType) {
    case SecType.STK:
    case SecType.OPT:
      return 'us-equity';
    case SecType.CASH:
      return 'fx-24x5';
    case SecType.CRYPTO:
      return 'crypto-24x7';
    default:
      return 'cfd-23x5';
  }
}

/** Our Instrument for a resolved contract. */
export function toInstrument(r: ResolvedContract): Instrument {
  return {
    symbol: r.symbol,
    name: r.longName || r.symbol,
    assetClass: assetClassOf(r.secType),
    currency: r.currency.length === 3 ? r.currency : 'USD',
    exchange: r.primaryExch || r.exchange,
    tickSize: r.minTick > 0 ? r.minTick : 0.01,
    lotSize: 1,
    session: sessionKindOf(r.secType),
  };
}

/** The IB quote type a search result stands for, in the failover manager's (Yahoo-like) words. */
export function matchType(secType: SecType | undefined): string {
  switch (secType) {
    case SecType.STK:
      return 'EQUITY';
    case SecType.CASH:
      return 'CURRENCY';
    case SecType.FUT:
      return 'FUTURE';
    case SecType.IND:
      return 'INDEX';
    case SecType.CRYPTO:
      return 'CRYPTOCURRENCY';
    default:
      return String(secType ?? 'UNKNOWN');
  }
}

const IB_ASSET_CLASS: Partial<Record<string, string>> = { STK: 'Equity', CASH: 'FX', CFD: 'CFD', FUT: 'Future', IND: 'Index', OPT: 'Option', CRYPTO: 'Crypto', BOND: 'Bond', FUND: 'Fund', CMDTY: 'Commodity' };

/**
 * A resolved contract's classification as an instrument profile: IB's industry is sector-like ("Technology") and its
 * category names the industry ("Computers"); a stock of type ETF is an ETF. IB sends no country.
 */
export function contractProfile(r: Pick<ResolvedContract, 'secType' | 'industry' | 'category' | 'stockType'>): { sector?: string; industry?: string; assetClass?: string } {
  const out: { sector?: string; industry?: string; assetClass?: string } = {};
  const assetClass = r.secType === 'STK' && r.stockType === 'ETF' ? 'ETF' : IB_ASSET_CLASS[r.secType];
  if (r.industry?.trim()) out.sector = r.industry.trim();
  if (r.category?.trim()) out.industry = r.category.trim();
  if (assetClass) out.assetClass = assetClass;
  return out;
}
