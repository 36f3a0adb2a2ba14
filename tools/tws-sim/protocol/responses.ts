// Encodes the server's messages field by field, exactly as @stoqey/ib's decoder reads them for server versions 176..193.
import type { Field } from './wire';
import { Msg, V } from './ids';
import type { Instrument } from '../market/instruments';
import type { SimExecution, SimOrder, SimPosition } from '../trading/types';
import type { Bar, LiveBar } from '../market/bar';

/** One outgoing message: its name (for hooks and stats), its fields, and the order it concerns, if any. */
export interface OutMessage {
  name: keyof typeof Msg;
  fields: Field[];
  orderId?: number;
}

const out = (name: keyof typeof Msg, fields: Field[], orderId?: number): OutMessage => ({ name, fields: [Msg[name], ...fields], orderId });

export const nextValidId = (id: number): OutMessage => out('NEXT_VALID_ID', [1, id]);
export const managedAccounts = (accounts: string): OutMessage => out('MANAGED_ACCTS', [1, accounts]);
export const currentTime = (epochSeconds: number): OutMessage => out('CURRENT_TIME', [1, epochSeconds]);

/** ERR_MSG version 2; an empty advanced-reject JSON since server version 166. */
export const error = (id: number, code: number, message: string, orderId?: number): OutMessage =>
  out('ERR_MSG', [2, id, code, message, ''], orderId);

/** TICK_PRICE version 6: price with its size and the attribute bitmask (canAutoExecute=1). */
export const tickPrice = (reqId: number, tickType: number, price: number, size: number | undefined, attribMask = 0): OutMessage =>
  out('TICK_PRICE', [6, reqId, tickType, price, size, attribMask]);
export const tickSize = (reqId: number, tickType: number, size: number): OutMessage => out('TICK_SIZE', [6, reqId, tickType, size]);
export const tickString = (reqId: number, tickType: number, value: string): OutMessage => out('TICK_STRING', [6, reqId, tickType, value]);
export const tickReqParams = (reqId: number, minTick: number, bboExchange: string, snapshotPermissions: number): OutMessage =>
  out('TICK_REQ_PARAMS', [reqId, minTick, bboExchange, snapshotPermissions]);
export const tickSnapshotEnd = (reqId: number): OutMessage => out('TICK_SNAPSHOT_END', [1, reqId]);
export const marketDataType = (reqId: number, type: number): OutMessage => out('MARKET_DATA_TYPE', [1, reqId, type]);

/** CONTRACT_DATA without a version field (server version >= SIZE_RULES). */
export function contractData(sv: number, reqId: number, i: Instrument): OutMessage {
  const f: Field[] = [reqId, i.symbol, i.secType, i.expiry];
  if (sv >= V.LAST_TRADE_DATE) f.push(i.expiry);
  f.push(
    i.strike, i.right, i.exchange, i.currency, i.localSymbol, i.tradingClass /* marketName */, i.tradingClass, i.conId, i.minTick,
    i.multiplier === 1 && i.secType !== 'FUT' ? '' : i.multiplier, i.orderTypes, i.validExchanges, 1 /* priceMagnifier */, i.underConId,
    i.longName, i.primaryExch, i.expiry.slice(0, 6) /* contractMonth */, i.industry, i.category, '' /* subcategory */,
    i.timeZoneId, i.tradingHours, i.liquidHours, '' /* evRule */, '' /* evMultiplier */,
  );
  if (i.secType === 'STK') f.push(1, 'ISIN', isinFor(i));
  else f.push(0);
  f.push(
    1 /* aggGroup */, i.secType === 'OPT' || i.secType === 'CFD' ? symbolOfUnderlying(i) : '', i.secType === 'OPT' || i.secType === 'CFD' ? 'STK' : '',
    marketRuleFor(i), i.expiry /* realExpirationDate */, i.stockType,
    i.secType === 'CASH' ? 0.01 : 1 /* minSize */, i.secType === 'CASH' ? 0.01 : 1 /* sizeIncrement */, i.secType === 'CASH' ? 0.01 : 1,
  );
  // FUND fields only for secType FUND, which the catalog has none of.
  if (sv >= V.INELIGIBILITY_REASONS) f.push(0);
  return out('CONTRACT_DATA', f);
}

function symbolOfUnderlying(i: Instrument): string {
  return i.symbol;
}

function marketRuleFor(i: Instrument): string {
  const rule = i.secType === 'STK' || i.secType === 'CFD' ? 26 : i.secType === 'CASH' ? 239 : i.secType === 'OPT' ? 32 : 67;
  return i.validExchanges.split(',').map(() => String(rule)).join(',');
}

function isinFor(i: Instrument): string {
  return `US${String(i.conId).padStart(9, '0')}0`;
}

export const contractDataEnd = (reqId: number): OutMessage => out('CONTRACT_DATA_END', [1, reqId]);

/** The 11 contract fields of OPEN_ORDER / EXECUTION_DATA / PORTFOLIO_VALUE-style messages. */
function contractFields(i: Instrument, exchange = i.exchange): Field[] {
  return [i.conId, i.symbol, i.secType, i.expiry, i.strike, i.right, multiplierText(i), exchange, i.currency, i.localSymbol, i.tradingClass];
}

function multiplierText(i: Instrument): string {
  return i.multiplier === 1 && i.secType !== 'FUT' ? '' : String(i.multiplier);
}

/** Margin and commission figures of a what-if order (OrderState), as decimal strings. */
export interface WhatIfState {
  initMarginBefore: string;
  maintMarginBefore: string;
  equityWithLoanBefore: string;
  initMarginChange: string;
  maintMarginChange: string;
  equityWithLoanChange: string;
  initMarginAfter: string;
  maintMarginAfter: string;
  equityWithLoanAfter: string;
  commission: string;
}

/** OPEN_ORDER without a version field (server version >= ORDER_CONTAINER); field order per @stoqey/ib's OrderDecoder. */
export function openOrder(sv: number, o: SimOrder, statusText: string, whatIf?: WhatIfState): OutMessage {
  const i = o.inst;
  const isTrail = o.orderType === 'TRAIL' || o.orderType === 'TRAIL LIMIT';
  const f: Field[] = [
    o.orderId, ...contractFields(i),
    o.action, o.totalQuantity, o.orderType, o.lmtPrice ?? '', o.auxPrice ?? '', o.tif, o.ocaGroup, o.account, o.openClose,
    o.origin, o.orderRef, o.clientId, o.permId, o.outsideRth, 0 /* hidden */, 0 /* discretionaryAmt */, '' /* goodAfterTime */,
    '' /* sharesAllocation */, '', '', '' /* faGroup, faMethod, faPercentage */,
  ];
  if (sv < V.FA_PROFILE_DESUPPORT) f.push('');
  f.push(
    '' /* modelCode */, o.goodTillDate, '' /* rule80A */, '' /* percentOffset */, '' /* settlingFirm */, 0 /* shortSaleSlot */,
    '' /* designatedLocation */, -1 /* exemptCode */, 0 /* auctionStrategy */, '', '', '' /* startingPrice, stockRefPrice, delta */,
    '', '' /* stockRangeLower/Upper */, '' /* displaySize */, 0 /* blockOrder */, 0 /* sweepToFill */, 0 /* allOrNone */,
    '' /* minQty */, o.ocaType, 0 /* eTradeOnly */, 0 /* firmQuoteOnly */, '' /* nbboPriceCap */, o.parentId, 0 /* triggerMethod */,
    '' /* volatility */, 0 /* volatilityType */, 'None' /* deltaNeutralOrderType */, '' /* deltaNeutralAuxPrice */,
  );
  // 'None' is what TWS sends for "no delta-neutral order"; the decoder then reads the delta-neutral block only if non-empty.
  f.push('', '', '', '', '', 0, 0, '');
  f.push(
    0 /* continuousUpdate */, 0 /* referencePriceType */, isTrail ? o.trailStopPrice : '', o.trailingPercent ?? '',
    '', '' /* basisPoints, basisPointsType */, '' /* comboLegsDescription */, 0, 0 /* comboLegs, orderComboLegs */,
    0 /* smartComboRoutingParams */, '', '', '' /* scaleInitLevelSize, scaleSubsLevelSize, scalePriceIncrement */,
    '' /* hedgeType */, 0 /* optOutSmartRouting */, '', '' /* clearingAccount, clearingIntent */, 0 /* notHeld */,
    0 /* deltaNeutralContract */, '' /* algoStrategy */, 0 /* solicited */,
    ...(whatIf
      ? [1, statusText, whatIf.initMarginBefore, whatIf.maintMarginBefore, whatIf.equityWithLoanBefore, whatIf.initMarginChange,
        whatIf.maintMarginChange, whatIf.equityWithLoanChange, whatIf.initMarginAfter, whatIf.maintMarginAfter,
        whatIf.equityWithLoanAfter, whatIf.commission, '', '', 'USD', '']
      : [0, statusText, '', '', '', '', '', '' /* margin before/change */, '', '', '' /* margin after */,
        '', '', '', '' /* commission, min, max, currency */, '' /* warningText */]),
    0, 0 /* randomizeSize, randomizePrice */, 0 /* conditions */,
    '' /* adjustedOrderType */, '' /* triggerPrice */, isTrail ? o.trailStopPrice : '' /* trailStopPrice */, '' /* lmtPriceOffset */,
    '', '', '' /* adjustedStopPrice, adjustedStopLimitPrice, adjustedTrailingAmount */, 0 /* adjustableTrailingUnit */,
    '', '', '' /* softDollarTier name, value, displayName */, '' /* cashQty */, 0 /* dontUseAutoPriceForHedge */,
    0 /* isOmsContainer */, 0 /* discretionaryUpToLimitPrice */, 0 /* usePriceMgmtAlgo */, '' /* duration */, '' /* postToAts */,
    0 /* autoCancelParent */, '', '', '', '', '' /* minTradeQty, minCompeteSize, competeAgainstBestOffset, midOffsets */,
  );
  if (sv >= V.CUSTOMER_ACCOUNT) f.push('');
  if (sv >= V.PROFESSIONAL_CUSTOMER) f.push(0);
  if (sv >= V.BOND_ACCRUED_INTEREST) f.push('');
  if (sv >= V.INCLUDE_OVERNIGHT) f.push(0);
  if (sv >= V.CME_TAGGING_FIELDS_IN_OPEN_ORDER) f.push('', '');
  return out('OPEN_ORDER', f, o.orderId);
}

/** COMPLETED_ORDER (no order id, no version); field order per @stoqey/ib's decodeMsg_COMPLETED_ORDER. */
export function completedOrder(sv: number, o: SimOrder, completedTime: string): OutMessage {
  const isTrail = o.orderType === 'TRAIL';
  const f: Field[] = [
    ...contractFields(o.inst),
    o.action, o.totalQuantity, o.orderType, o.lmtPrice ?? '', o.auxPrice ?? '', o.tif, o.ocaGroup, o.account, o.openClose,
    o.origin, o.orderRef, o.permId, o.outsideRth, 0 /* hidden */, 0 /* discretionaryAmt */, '' /* goodAfterTime */,
    '', '', '' /* faGroup, faMethod, faPercentage */, '' /* modelCode */, o.goodTillDate, '' /* rule80A */, '' /* percentOffset */,
    '' /* settlingFirm */, 0, '', -1 /* shortSaleSlot, designatedLocation, exemptCode */, '', '', '' /* box */, '', '' /* stock range */,
    '' /* displaySize */, 0 /* sweepToFill */, 0 /* allOrNone */, '' /* minQty */, o.ocaType, 0 /* triggerMethod */,
    '', 0, '', '' /* volatility, volatilityType, deltaNeutralOrderType (empty: no delta-neutral block), deltaNeutralAuxPrice */,
    0, 0 /* continuousUpdate, referencePriceType */, isTrail ? o.trailStopPrice : '', o.trailingPercent ?? '',
    '', 0, 0 /* comboLegsDescription, comboLegs, orderComboLegs */, 0 /* smartComboRoutingParams */, '', '', '' /* scale */,
    '' /* hedgeType */, '', '' /* clearing */, 0 /* notHeld */, 0 /* deltaNeutralContract */, '' /* algoStrategy */, 0 /* solicited */,
    o.status, 0, 0 /* randomizeSize, randomizePrice */, 0 /* conditions */, isTrail ? o.trailStopPrice : '', '' /* lmtPriceOffset */,
    '' /* cashQty */, 0 /* dontUseAutoPriceForHedge */, 0 /* isOmsContainer */, '' /* autoCancelDate */, o.filled,
    0 /* refFuturesConId */, 0 /* autoCancelParent */, '' /* shareholder */, 0 /* imbalanceOnly */, 0 /* routeMarketableToBbo */,
    0 /* parentPermId */, completedTime, o.status, '', '', '', '', '' /* PEG BEST/MID attributes */,
  ];
  if (sv >= V.CUSTOMER_ACCOUNT) f.push('');
  if (sv >= V.PROFESSIONAL_CUSTOMER) f.push(0);
  return out('COMPLETED_ORDER', f, o.orderId);
}

export const openOrderEnd = (): OutMessage => out('OPEN_ORDER_END', [1]);

/** ORDER_STATUS without a version field (server version >= MARKET_CAP_PRICE). */
export const orderStatus = (o: SimOrder, status: string): OutMessage =>
  out('ORDER_STATUS', [
    o.orderId, status, o.filled, o.totalQuantity - o.filled, o.avgFillPrice, o.permId, o.parentId, o.lastFillPrice, o.clientId,
    o.held ? 'child' : '', 0,
  ], o.orderId);

/** EXECUTION_DATA without a version field (server version >= LAST_LIQUIDITY). */
export function execDetails(sv: number, reqId: number, e: SimExecution, timeText: string): OutMessage {
  const f: Field[] = [
    reqId, e.orderId, ...contractFields(e.inst, e.exchange),
    e.execId, timeText, e.account, e.exchange, e.side, e.shares, e.price, e.permId, e.clientId, 0 /* liquidation */,
    e.cumQty, e.avgPrice, e.orderRef, '' /* evRule */, '' /* evMultiplier */, '' /* modelCode */, e.liquidity,
  ];
  if (sv >= V.PENDING_PRICE_REVISION) f.push(0);
  return out('EXECUTION_DATA', f, e.orderId);
}

export const execDetailsEnd = (reqId: number): OutMessage => out('EXECUTION_DATA_END', [1, reqId]);

/** COMMISSION_REPORT version 1; yield fields are unset (Double.MAX_VALUE) for non-bonds, as TWS sends them. */
export const commissionReport = (e: SimExecution, currency: string, orderId: number): OutMessage =>
  out('COMMISSION_REPORT', [1, e.execId, e.commission, currency, e.realizedPnl ?? String(Number.MAX_VALUE), String(Number.MAX_VALUE), ''], orderId);

/** POSITION version 3. */
export const position = (account: string, p: SimPosition): OutMessage =>
  out('POSITION', [3, account, p.inst.conId, p.inst.symbol, p.inst.secType, p.inst.expiry, p.inst.strike, p.inst.right,
    multiplierText(p.inst), p.inst.exchange === 'SMART' ? '' : p.inst.exchange, p.inst.currency, p.inst.localSymbol, p.inst.tradingClass,
    p.quantity, p.avgCost]);
export const positionEnd = (): OutMessage => out('POSITION_END', [1]);

export const accountSummary = (reqId: number, account: string, tag: string, value: string, currency: string): OutMessage =>
  out('ACCOUNT_SUMMARY', [1, reqId, account, tag, value, currency]);
export const accountSummaryEnd = (reqId: number): OutMessage => out('ACCOUNT_SUMMARY_END', [1, reqId]);

export const accountValue = (key: string, value: string, currency: string, account: string): OutMessage =>
  out('ACCT_VALUE', [2, key, value, currency, account]);

/** PORTFOLIO_VALUE version 8. */
export const portfolioValue = (account: string, p: SimPosition, marketPrice: number, marketValue: number, unrealized: number): OutMessage =>
  out('PORTFOLIO_VALUE', [8, p.inst.conId, p.inst.symbol, p.inst.secType, p.inst.expiry, p.inst.strike, p.inst.right,
    multiplierText(p.inst), p.inst.primaryExch, p.inst.currency, p.inst.localSymbol, p.inst.tradingClass, p.quantity, marketPrice,
    marketValue, p.avgCost, unrealized, p.realizedPnl, account]);
export const accountUpdateTime = (hhmm: string): OutMessage => out('ACCT_UPDATE_TIME', [1, hhmm]);
export const accountDownloadEnd = (account: string): OutMessage => out('ACCT_DOWNLOAD_END', [1, account]);


/** HISTORICAL_DATA without a version field (server version >= SYNT_REALTIME_BARS): no hasGaps. */
export function historicalData(reqId: number, start: string, end: string, bars: readonly Bar[]): OutMessage {
  const f: Field[] = [reqId, start, end, bars.length];
  for (const b of bars) f.push(b.date, b.open, b.high, b.low, b.close, b.volume, b.wap, b.count);
  return out('HISTORICAL_DATA', f);
}

/** REAL_TIME_BARS version 3: one 5-second bar. */
export const realTimeBar = (reqId: number, b: LiveBar): OutMessage =>
  out('REAL_TIME_BARS', [3, reqId, b.time, b.open, b.high, b.low, b.close, b.volume, b.wap, b.count]);

/** HISTORICAL_DATA_UPDATE: the current bar of a keepUpToDate request (note: open, close, high, low order). */
export const historicalDataUpdate = (reqId: number, date: string, b: LiveBar): OutMessage =>
  out('HISTORICAL_DATA_UPDATE', [reqId, b.count, date, b.open, b.close, b.high, b.low, b.wap, b.volume]);

export const completedOrdersEnd = (): OutMessage => out('COMPLETED_ORDERS_END', []);

export interface SymbolSample {
  conId: number;
  symbol: string;
  secType: string;
  primaryExch: string;
  currency: string;
  derivativeSecTypes: string[];
  description: string;
}

/** SYMBOL_SAMPLES, with description and issuerId since server version BOND_ISSUERID (176). */
export function symbolSamples(reqId: number, samples: readonly SymbolSample[]): OutMessage {
  const f: Field[] = [reqId, samples.length];
  for (const x of samples) f.push(x.conId, x.symbol, x.secType, x.primaryExch, x.currency, x.derivativeSecTypes.length, ...x.derivativeSecTypes, x.description, '');
  return out('SYMBOL_SAMPLES', f);
}

export const headTimestamp = (reqId: number, value: string): OutMessage => out('HEAD_TIMESTAMP', [reqId, value]);

export const secDefOptParameter = (reqId: number, exchange: string, underlyingConId: number, tradingClass: string, multiplier: number, expirations: readonly string[], strikes: readonly number[]): OutMessage =>
  out('SECURITY_DEFINITION_OPTION_PARAMETER', [reqId, exchange, underlyingConId, tradingClass, multiplier, expirations.length, ...expirations, strikes.length, ...strikes]);
export const secDefOptParameterEnd = (reqId: number): OutMessage => out('SECURITY_DEFINITION_OPTION_PARAMETER_END', [reqId]);
