// The simulator's security master: stocks, FX, CFDs, futures and options with IB-like conIds and details.
import type { WireContract } from '../protocol/requests';
import type { SymbolSample } from '../protocol/responses';

export type SecType = 'STK' | 'CASH' | 'CFD' | 'FUT' | 'OPT';

export interface Instrument {
  conId: number;
  symbol: string;
  secType: SecType;
  /** YYYYMMDD for futures and options, '' otherwise. */
  expiry: string;
  strike: number;
  right: '' | 'C' | 'P';
  multiplier: number;
  exchange: string;
  primaryExch: string;
  currency: string;
  localSymbol: string;
  tradingClass: string;
  longName: string;
  minTick: number;
  /** Key of the price series this instrument trades on (options derive theirs from the underlying). */
  priceKey: string;
  /** Starting price of the series (mid). */
  startPrice: number;
  underConId: number;
  timeZoneId: string;
  tradingHours: string;
  liquidHours: string;
  orderTypes: string;
  validExchanges: string;
  industry: string;
  category: string;
  stockType: string;
}

interface StockSeed {
  symbol: string;
  conId: number;
  primary: string;
  name: string;
  price: number;
  /** IB's industry (sector-like: Technology) and category (the industry: Computers), as TWS sends them. */
  industry: string;
  category: string;
}

// Real conIds where known, so logs look familiar to anyone who has used TWS.
const STOCKS: StockSeed[] = [
  { symbol: 'AAPL', conId: 265598, primary: 'NASDAQ', name: 'APPLE INC', price: 190, industry: 'Technology', category: 'Computers' },
  { symbol: 'MSFT', conId: 272093, primary: 'NASDAQ', name: 'MICROSOFT CORP', price: 420, industry: 'Technology', category: 'Software' },
  { symbol: 'SPY', conId: 756733, primary: 'ARCA', name: 'SPDR S&P 500 ETF TRUST', price: 520, industry: 'Funds', category: 'Equity Fund' },
  { symbol: 'IBM', conId: 8314, primary: 'NYSE', name: 'INTL BUSINESS MACHINES CORP', price: 185, industry: 'Technology', category: 'Computers' },
  { symbol: 'TSLA', conId: 76792991, primary: 'NASDAQ', name: 'TESLA INC', price: 175, industry: 'Consumer, Cyclical', category: 'Auto-Cars/Light Trucks' },
  { symbol: 'NVDA', conId: 4815747, primary: 'NASDAQ', name: 'NVIDIA CORP', price: 900, industry: 'Technology', category: 'Semiconductors' },
  { symbol: 'AMZN', conId: 3691937, primary: 'NASDAQ', name: 'AMAZON.COM INC', price: 180, industry: 'Communications', category: 'Internet' },
  { symbol: 'GOOGL', conId: 208813719, primary: 'NASDAQ', name: 'ALPHABET INC-CL A', price: 160, industry: 'Communications', category: 'Internet' },
];

const US_HOURS = '09:30-16:00';
const STK_ORDER_TYPES = 'ACTIVETIM,AD,ADJUST,ALERT,ALLOC,AVGCOST,BASKET,COND,CONDORDER,DAY,DEACT,DEACTDIS,DEACTEOD,GAT,GTC,GTD,GTT,HID,IOC,LIT,LMT,MIT,MKT,MOC,MTL,NONALGO,OCA,PEGBENCH,REL,RELPCTOFS,RTH,SCALE,SNAPMID,STP,STPLMT,TRAIL,TRAILLIT,TRAILLMT,TRAILMIT,WHATIF';

/** Third Friday of a month (UTC), the usual expiry of equity options and index futures. */
function thirdFriday(year: number, month: number): Date {
  const first = new Date(Date.UTC(year, month, 1));
  const offset = (5 - first.getUTCDay() + 7) % 7;
  return new Date(Date.UTC(year, month, 1 + offset + 14));
}

function ymd(d: Date): string {
  return d.toISOString().slice(0, 10).replaceAll('-', '');
}

const MONTH_CODES = 'FGHJKMNQUVXZ';

/** Builds the catalog; expiries are the next ones after `now`, so the catalog never goes stale. */
export function buildCatalog(now: number): Instrument[] {
  const out: Instrument[] = [];
  const base = {
    strike: 0, right: '' as const, expiry: '', multiplier: 1, underConId: 0, timeZoneId: 'US/Eastern',
    tradingHours: '', liquidHours: '', category: '', stockType: '',
  };
  const sessions = (hours: string, days = 5): string => {
    // Days from today in TWS's "YYYYMMDD:HHMM-YYYYMMDD:HHMM;..." format.
    const parts: string[] = [];
    for (let i = 0; i < days; i++) {
      const d = ymd(new Date(now + i * 86_400_000));
      const [a, b] = hours.split('-');
      parts.push(`${d}:${a.replace(':', '')}-${d}:${b.replace(':', '')}`);
    }
    return parts.join(';');
  };
  for (const s of STOCKS) {
    out.push({
      ...base, conId: s.conId, symbol: s.symbol, secType: 'STK', exchange: 'SMART', primaryExch: s.primary, currency: 'USD',
      localSymbol: s.symbol, tradingClass: s.primary === 'ARCA' ? s.symbol : 'NMS', longName: s.name, minTick: 0.01,
      priceKey: s.symbol, startPrice: s.price, tradingHours: sessions('04:00-20:00'), liquidHours: sessions(US_HOURS),
      orderTypes: STK_ORDER_TYPES, validExchanges: `SMART,AMEX,NYSE,CBOE,ISE,CHX,ARCA,NASDAQ,DRCTEDGE,BEX,BATS,EDGEA,IEX,${s.primary}`,
      industry: s.industry, category: s.category, stockType: s.industry === 'Funds' ? 'ETF' : 'COMMON',
    });
  }
  const fx: Array<[string, string, number, number]> = [
    ['EUR', 'USD', 12087792, 1.085],
    ['GBP', 'USD', 12087797, 1.27],
    ['USD', 'JPY', 15016059, 151.5],
    ['AUD', 'USD', 14433401, 0.655],
  ];
  for (const [b, q, conId, price] of fx) {
    out.push({
      ...base, conId, symbol: b, secType: 'CASH', exchange: 'IDEALPRO', primaryExch: '', currency: q, localSymbol: `${b}.${q}`,
      tradingClass: `${b}.${q}`, longName: `${b} ${q}`, minTick: q === 'JPY' ? 0.005 : 0.00005, priceKey: `${b}.${q}`,
      startPrice: price, timeZoneId: 'US/Eastern', tradingHours: sessions('00:00-23:59'), liquidHours: sessions('00:00-23:59'),
      orderTypes: 'ACTIVETIM,AD,ADJUST,ALERT,ALGO,ALLOC,AVGCOST,BASKET,CASHQTY,COND,CONDORDER,DAY,DEACT,DEACTDIS,DEACTEOD,GAT,GTC,GTD,GTT,HID,IOC,LIT,LMT,MIT,MKT,NONALGO,OCA,REL,RELPCTOFS,SCALE,SCALERST,STP,STPLMT,TRAIL,TRAILLIT,TRAILLMT,TRAILMIT,WHATIF',
      validExchanges: 'IDEALPRO', industry: '', category: '', stockType: '',
    });
  }
  // CFDs on the same stock price series (IB's US share CFDs mirror the underlying's quote).
  for (const s of STOCKS.slice(0, 4)) {
    out.push({
      ...base, conId: 143_000_000 + s.conId % 1_000_000, symbol: s.symbol, secType: 'CFD', exchange: 'SMART', primaryExch: '',
      currency: 'USD', localSymbol: s.symbol, tradingClass: s.symbol, longName: s.name, minTick: 0.01, priceKey: s.symbol,
      startPrice: s.price, underConId: s.conId, tradingHours: sessions('04:00-20:00'), liquidHours: sessions(US_HOURS),
      orderTypes: 'ACTIVETIM,AD,ADJUST,ALERT,ALLOC,AVGCOST,BASKET,COND,CONDORDER,DAY,DEACT,DEACTDIS,DEACTEOD,GAT,GTC,GTD,GTT,HID,IOC,LIT,LMT,MIT,MKT,NONALGO,OCA,REL,STP,STPLMT,TRAIL,TRAILLIT,TRAILLMT,TRAILMIT,WHATIF',
      validExchanges: 'SMART,IBCFD', industry: s.industry, category: '', stockType: '',
    });
  }
  // Futures: the next two quarterly contracts of each root.
  const futs: Array<[string, string, number, number, number, string]> = [
    ['ES', 'CME', 50, 0.25, 5200, 'E-mini S&P 500'],
    ['NQ', 'CME', 20, 0.25, 18200, 'E-mini NASDAQ 100'],
    ['CL', 'NYMEX', 1000, 0.01, 78, 'Light Sweet Crude Oil'],
  ];
  const d = new Date(now);
  const quarterly: Date[] = [];
  for (let m = d.getUTCMonth(), y = d.getUTCFullYear(); quarterly.length < 2; m++) {
    if (m > 11) { m = 0; y++; }
    if (m % 3 !== 2) continue;
    const exp = thirdFriday(y, m);
    if (exp.getTime() > now) quarterly.push(exp);
  }
  futs.forEach(([root, exch, mult, tick, price, name], i) => {
    quarterly.forEach((exp, k) => {
      const code = `${root}${MONTH_CODES[exp.getUTCMonth()]}${exp.getUTCFullYear() % 10}`;
      out.push({
        ...base, conId: 495_512_000 + i * 10 + k, symbol: root, secType: 'FUT', expiry: ymd(exp), multiplier: mult,
        exchange: exch, primaryExch: '', currency: 'USD', localSymbol: code, tradingClass: root, longName: name, minTick: tick,
        priceKey: `${root}`, startPrice: price, timeZoneId: 'US/Central', tradingHours: sessions('17:00-16:00'), liquidHours: sessions('08:30-15:00'),
        orderTypes: 'ACTIVETIM,AD,ADJUST,ALERT,ALLOC,AVGCOST,BASKET,COND,CONDORDER,DAY,DEACT,DEACTDIS,DEACTEOD,GAT,GTC,GTD,GTT,HID,ICE,IOC,LIT,LMT,LTH,MIT,MKT,MTL,NGCOMB,NONALGO,OCA,SCALE,SCALERST,SNAPMID,STP,STPLMT,TRAIL,TRAILLIT,TRAILLMT,TRAILMIT,WHATIF',
        validExchanges: exch, industry: '', category: '', stockType: '',
      });
    });
  });
  // Options on AAPL and SPY: the next two monthly expiries, strikes around the starting price.
  const monthly: Date[] = [];
  for (let m = d.getUTCMonth(), y = d.getUTCFullYear(); monthly.length < 2; m++) {
    if (m > 11) { m = 0; y++; }
    const exp = thirdFriday(y, m);
    if (exp.getTime() > now) monthly.push(exp);
  }
  let optConId = 600_000_000;
  for (const s of STOCKS.filter((x) => x.symbol === 'AAPL' || x.symbol === 'SPY')) {
    const step = s.price >= 300 ? 5 : 2.5;
    const atm = Math.round(s.price / step) * step;
    for (const exp of monthly) {
      for (let k = -4; k <= 4; k++) {
        const strike = atm + k * step;
        for (const right of ['C', 'P'] as const) {
          const e = ymd(exp);
          const local = `${s.symbol.padEnd(6)}${e.slice(2)}${right}${String(Math.round(strike * 1000)).padStart(8, '0')}`;
          out.push({
            ...base, conId: optConId++, symbol: s.symbol, secType: 'OPT', expiry: e, strike, right, multiplier: 100,
            exchange: 'SMART', primaryExch: '', currency: 'USD', localSymbol: local, tradingClass: s.symbol, longName: s.name,
            minTick: 0.01, priceKey: s.symbol, startPrice: s.price, underConId: s.conId, tradingHours: sessions('09:30-16:00'),
            liquidHours: sessions(US_HOURS),
            orderTypes: 'ACTIVETIM,AD,ADJUST,ALERT,ALLOC,AVGCOST,BASKET,COND,CONDORDER,DAY,DEACT,DEACTDIS,DEACTEOD,GAT,GTC,GTD,GTT,HID,IOC,LIT,LMT,MIT,MKT,MTL,NONALGO,OCA,REL,STP,STPLMT,TRAIL,TRAILLIT,TRAILLMT,TRAILMIT,WHATIF',
            validExchanges: 'SMART,AMEX,CBOE,PHLX,PSE,ISE,BOX,BATS,NASDAQOM,CBOE2,NASDAQBX,MIAX,GEMINI,EDGX,MERCURY,PEARL,EMERALD,MEMX,IBUSOPT',
            industry: s.industry, category: '', stockType: '',
          });
        }
      }
    }
  }
  return out;
}

/** Finds every instrument a (possibly partial) request contract designates, as TWS does for reqContractDetails. */
export function matchContracts(catalog: readonly Instrument[], c: WireContract): Instrument[] {
  if (c.conId > 0) return catalog.filter((i) => i.conId === c.conId);
  const secType = c.secType.toUpperCase();
  const local = c.localSymbol.trim();
  return catalog.filter((i) => {
    if (secType && i.secType !== secType) return false;
    if (local) {
      if (i.localSymbol.replace(/\s+/g, ' ') !== local.replace(/\s+/g, ' ')) return false;
    } else if (i.symbol !== c.symbol.toUpperCase()) return false;
    if (c.currency && i.currency !== c.currency.toUpperCase()) return false;
    if (c.exchange && !exchangeMatches(i, c.exchange.toUpperCase())) return false;
    const exp = c.lastTradeDateOrContractMonth;
    if (exp && !i.expiry.startsWith(exp)) return false;
    if (c.strike !== undefined && c.strike !== 0 && i.strike !== c.strike) return false;
    if (c.right && i.right !== normaliseRight(c.right)) return false;
    if (c.multiplier && Number(c.multiplier) !== i.multiplier) return false;
    if (c.tradingClass && i.tradingClass !== c.tradingClass) return false;
    return true;
  });
}

function exchangeMatches(i: Instrument, exchange: string): boolean {
  if (exchange === i.exchange) return true;
  return i.validExchanges.split(',').includes(exchange);
}

function normaliseRight(r: string): string {
  const u = r.toUpperCase();
  return u === 'CALL' ? 'C' : u === 'PUT' ? 'P' : u;
}

/** Resolves the single instrument an order or market data request designates, or undefined (ambiguous or unknown). */
export function resolveContract(catalog: readonly Instrument[], c: WireContract): Instrument | undefined {
  const found = matchContracts(catalog, c);
  return found.length === 1 ? found[0] : undefined;
}

/** reqMatchingSymbols: stocks and FX whose symbol starts with, or whose name contains, the pattern (at most 16, as TWS). */
export function matchingSymbols(catalog: readonly Instrument[], pattern: string): SymbolSample[] {
  const p = pattern.trim().toUpperCase();
  if (!p) return [];
  const bases = catalog.filter((i) => i.secType === 'STK' || i.secType === 'CASH');
  const hits = bases.filter((i) => i.symbol.startsWith(p) || i.localSymbol.startsWith(p) || i.longName.toUpperCase().includes(p));
  // Symbol matches first, then name matches, as TWS ranks them.
  hits.sort((a, b) => Number(!a.symbol.startsWith(p)) - Number(!b.symbol.startsWith(p)) || a.symbol.localeCompare(b.symbol));
  return hits.slice(0, 16).map((i) => ({
    conId: i.conId, symbol: i.symbol, secType: i.secType, primaryExch: i.primaryExch || i.exchange,
    currency: i.currency, description: i.longName,
    derivativeSecTypes: [...new Set(catalog.filter((d) => d.underConId === i.conId).map((d) => d.secType))],
  }));
}
