// Decodes the client's requests field by field, mirroring @stoqey/ib's encoder for server versions 176..193.
import { FieldReader } from './wire';
import { Req, V } from './ids';

/** A contract as a request carries it (only what the client filled in). */
export interface WireContract {
  conId: number;
  symbol: string;
  secType: string;
  lastTradeDateOrContractMonth: string;
  strike?: number;
  right: string;
  multiplier: string;
  exchange: string;
  primaryExch: string;
  currency: string;
  localSymbol: string;
  tradingClass: string;
}

/** The order fields the simulator acts on; everything else is read and dropped. */
export interface WireOrder {
  orderId: number;
  action: string;
  totalQuantity: number;
  orderType: string;
  lmtPrice?: number;
  auxPrice?: number;
  tif: string;
  ocaGroup: string;
  account: string;
  openClose: string;
  origin: number;
  orderRef: string;
  transmit: boolean;
  parentId: number;
  outsideRth: boolean;
  goodTillDate: string;
  ocaType: number;
  trailStopPrice?: number;
  trailingPercent?: number;
  whatIf: boolean;
  cashQty?: number;
}

export type Request =
  | { kind: 'startApi'; clientId: number; capabilities: string }
  | { kind: 'reqMktData'; reqId: number; contract: WireContract; genericTicks: string; snapshot: boolean }
  | { kind: 'cancelMktData'; reqId: number }
  | { kind: 'placeOrder'; contract: WireContract; order: WireOrder }
  | { kind: 'cancelOrder'; orderId: number }
  | { kind: 'globalCancel' }
  | { kind: 'reqOpenOrders' }
  | { kind: 'reqAllOpenOrders' }
  | { kind: 'reqAutoOpenOrders'; autoBind: boolean }
  | { kind: 'reqAccountUpdates'; subscribe: boolean; account: string }
  | { kind: 'reqExecutions'; reqId: number; filter: ExecFilter }
  | { kind: 'reqIds'; numIds: number }
  | { kind: 'reqContractDetails'; reqId: number; contract: WireContract }
  | { kind: 'reqManagedAccts' }
  | { kind: 'reqHistoricalData'; reqId: number; contract: WireContract; endDateTime: string; barSize: string; duration: string; useRth: boolean; whatToShow: string; formatDate: number; keepUpToDate: boolean }
  | { kind: 'cancelHistoricalData'; reqId: number }
  | { kind: 'reqRealTimeBars'; reqId: number; contract: WireContract; barSize: number; whatToShow: string; useRth: boolean }
  | { kind: 'cancelRealTimeBars'; reqId: number }
  | { kind: 'reqCurrentTime' }
  | { kind: 'reqMarketDataType'; marketDataType: number }
  | { kind: 'reqPositions' }
  | { kind: 'cancelPositions' }
  | { kind: 'reqAccountSummary'; reqId: number; group: string; tags: string }
  | { kind: 'cancelAccountSummary'; reqId: number }
  | { kind: 'reqCompletedOrders'; apiOnly: boolean }
  | { kind: 'reqMatchingSymbols'; reqId: number; pattern: string }
  | { kind: 'reqHeadTimestamp'; reqId: number; contract: WireContract; useRth: boolean; whatToShow: string; formatDate: number }
  | { kind: 'reqSecDefOptParams'; reqId: number; underlyingSymbol: string; futFopExchange: string; underlyingSecType: string; underlyingConId: number }
  | { kind: 'unsupported'; msgId: number };

export interface ExecFilter {
  clientId: number;
  account: string;
  time: string;
  symbol: string;
  secType: string;
  exchange: string;
  side: string;
}

/** Decodes one frame (already split into fields) sent after the handshake. */
export function decodeRequest(fields: readonly string[], serverVersion: number): Request {
  const r = new FieldReader(fields);
  const msgId = r.int('msgId');
  switch (msgId) {
    case Req.START_API: {
      r.int('version');
      const clientId = r.int('clientId');
      const capabilities = r.remaining ? r.str('optionalCapabilities') : '';
      return { kind: 'startApi', clientId, capabilities };
    }
    case Req.MKT_DATA: {
      r.int('version');
      const reqId = r.int('reqId');
      const contract = readContract(r);
      if (contract.secType.toUpperCase() === 'BAG') skipComboLegs(r, 4);
      if (r.bool('hasDeltaNeutralContract')) r.skip(3, 'deltaNeutralContract');
      const genericTicks = r.str('genericTickList');
      const snapshot = r.bool('snapshot');
      r.bool('regulatorySnapshot');
      r.str('mktDataOptions');
      return { kind: 'reqMktData', reqId, contract, genericTicks, snapshot };
    }
    case Req.CANCEL_MKT_DATA:
      r.int('version');
      return { kind: 'cancelMktData', reqId: r.int('reqId') };
    case Req.PLACE_ORDER:
      return decodePlaceOrder(r, serverVersion);
    case Req.CANCEL_ORDER: {
      if (serverVersion < V.CME_TAGGING_FIELDS) r.int('version');
      return { kind: 'cancelOrder', orderId: r.int('orderId') };
    }
    case Req.GLOBAL_CANCEL:
      return { kind: 'globalCancel' };
    case Req.OPEN_ORDERS:
      return { kind: 'reqOpenOrders' };
    case Req.ALL_OPEN_ORDERS:
      return { kind: 'reqAllOpenOrders' };
    case Req.AUTO_OPEN_ORDERS:
      r.int('version');
      return { kind: 'reqAutoOpenOrders', autoBind: r.bool('autoBind') };
    case Req.ACCOUNT_DATA: {
      r.int('version');
      const subscribe = r.bool('subscribe');
      return { kind: 'reqAccountUpdates', subscribe, account: r.remaining ? r.str('acctCode') : '' };
    }
    case Req.EXECUTIONS: {
      r.int('version');
      const reqId = r.int('reqId');
      const filter: ExecFilter = {
        clientId: r.int('clientId'),
        account: r.str('acctCode'),
        time: r.str('time'),
        symbol: r.str('symbol'),
        secType: r.str('secType'),
        exchange: r.str('exchange'),
        side: r.str('side'),
      };
      return { kind: 'reqExecutions', reqId, filter };
    }
    case Req.IDS:
      r.int('version');
      return { kind: 'reqIds', numIds: r.int('numIds') };
    case Req.CONTRACT_DATA: {
      r.int('version');
      const reqId = r.int('reqId');
      const contract = readContract(r);
      return { kind: 'reqContractDetails', reqId, contract };
    }
    case Req.MANAGED_ACCTS:
      return { kind: 'reqManagedAccts' };
    case Req.HISTORICAL_DATA: {
      const reqId = r.int('reqId');
      const contract = readContract(r);
      r.bool('includeExpired');
      const endDateTime = r.str('endDateTime');
      const barSize = r.str('barSizeSetting');
      const duration = r.str('durationStr');
      const useRth = r.bool('useRTH');
      const whatToShow = r.str('whatToShow');
      const formatDate = r.int('formatDate');
      if (contract.secType.toUpperCase() === 'BAG') skipComboLegs(r, 4);
      const keepUpToDate = r.bool('keepUpToDate');
      return { kind: 'reqHistoricalData', reqId, contract, endDateTime, barSize, duration, useRth, whatToShow, formatDate, keepUpToDate };
    }
    case Req.CANCEL_HISTORICAL_DATA:
      r.int('version');
      return { kind: 'cancelHistoricalData', reqId: r.int('reqId') };
    case Req.REAL_TIME_BARS: {
      r.int('version');
      const reqId = r.int('reqId');
      const contract = readContract(r);
      return { kind: 'reqRealTimeBars', reqId, contract, barSize: r.int('barSize'), whatToShow: r.str('whatToShow'), useRth: r.bool('useRTH') };
    }
    case Req.CANCEL_REAL_TIME_BARS:
      r.int('version');
      return { kind: 'cancelRealTimeBars', reqId: r.int('reqId') };
    case Req.CURRENT_TIME:
      return { kind: 'reqCurrentTime' };
    case Req.MARKET_DATA_TYPE:
      r.int('version');
      return { kind: 'reqMarketDataType', marketDataType: r.int('marketDataType') };
    case Req.POSITIONS:
      return { kind: 'reqPositions' };
    case Req.CANCEL_POSITIONS:
      return { kind: 'cancelPositions' };
    case Req.ACCOUNT_SUMMARY: {
      r.int('version');
      const reqId = r.int('reqId');
      return { kind: 'reqAccountSummary', reqId, group: r.str('group'), tags: r.str('tags') };
    }
    case Req.CANCEL_ACCOUNT_SUMMARY:
      r.int('version');
      return { kind: 'cancelAccountSummary', reqId: r.int('reqId') };
    case Req.MATCHING_SYMBOLS:
      return { kind: 'reqMatchingSymbols', reqId: r.int('reqId'), pattern: r.str('pattern') };
    case Req.HEAD_TIMESTAMP: {
      const reqId = r.int('reqId');
      const contract = readContract(r);
      r.bool('includeExpired');
      return { kind: 'reqHeadTimestamp', reqId, contract, useRth: r.bool('useRTH'), whatToShow: r.str('whatToShow'), formatDate: r.int('formatDate') };
    }
    case Req.SEC_DEF_OPT_PARAMS:
      return {
        kind: 'reqSecDefOptParams', reqId: r.int('reqId'), underlyingSymbol: r.str('underlyingSymbol'),
        futFopExchange: r.str('futFopExchange'), underlyingSecType: r.str('underlyingSecType'), underlyingConId: r.int('underlyingConId'),
      };
    case Req.COMPLETED_ORDERS:
      return { kind: 'reqCompletedOrders', apiOnly: r.bool('apiOnly') };
    default:
      return { kind: 'unsupported', msgId };
  }
}

/** The 12 contract fields most requests share (conId first, tradingClass last). */
function readContract(r: FieldReader): WireContract {
  return {
    conId: r.int('conId'),
    symbol: r.str('symbol'),
    secType: r.str('secType'),
    lastTradeDateOrContractMonth: r.str('lastTradeDateOrContractMonth'),
    strike: r.numOpt('strike'),
    right: r.str('right'),
    multiplier: r.str('multiplier'),
    exchange: r.str('exchange'),
    primaryExch: r.str('primaryExch'),
    currency: r.str('currency'),
    localSymbol: r.str('localSymbol'),
    tradingClass: r.str('tradingClass'),
  };
}

function skipComboLegs(r: FieldReader, fieldsPerLeg: number): void {
  const n = r.int('comboLegsCount');
  r.skip(n * fieldsPerLeg, 'comboLeg');
}

/** placeOrder, in the exact order of @stoqey/ib's Encoder.placeOrder for server version >= ORDER_CONTAINER. */
function decodePlaceOrder(r: FieldReader, sv: number): Request {
  const orderId = r.int('orderId');
  const contract = readContract(r);
  r.str('secIdType');
  r.str('secId');
  const action = r.str('action');
  const totalQuantity = r.numOpt('totalQuantity') ?? 0;
  const orderType = r.str('orderType');
  const lmtPrice = r.numOpt('lmtPrice');
  const auxPrice = r.numOpt('auxPrice');
  const tif = r.str('tif');
  const ocaGroup = r.str('ocaGroup');
  const account = r.str('account');
  const openClose = r.str('openClose');
  const origin = r.int('origin');
  const orderRef = r.str('orderRef');
  // TWS holds an order whose transmit flag is absent or 0 untransmitted, silently (a classic @stoqey/ib pitfall).
  const transmit = r.str('transmit') === '1';
  const parentId = r.int('parentId');
  r.bool('blockOrder');
  r.bool('sweepToFill');
  r.intOpt('displaySize');
  r.int('triggerMethod');
  const outsideRth = r.bool('outsideRth');
  r.bool('hidden');
  const isBag = contract.secType.toUpperCase() === 'BAG';
  if (isBag) {
    skipComboLegs(r, 8);
    const n = r.int('orderComboLegsCount');
    r.skip(n, 'orderComboLeg.price');
    const p = r.int('smartComboRoutingParamsCount');
    r.skip(2 * p, 'smartComboRoutingParam');
  }
  r.str('sharesAllocation');
  r.numOpt('discretionaryAmt');
  r.str('goodAfterTime');
  const goodTillDate = r.str('goodTillDate');
  r.skip(3, 'faGroup/faMethod/faPercentage');
  if (sv < V.FA_PROFILE_DESUPPORT) r.str('faProfile');
  r.str('modelCode');
  r.intOpt('shortSaleSlot');
  r.str('designatedLocation');
  r.intOpt('exemptCode');
  const ocaType = r.intOpt('ocaType') ?? 0;
  r.str('rule80A');
  r.str('settlingFirm');
  r.bool('allOrNone');
  r.intOpt('minQty');
  r.numOpt('percentOffset');
  r.bool('eTradeOnly');
  r.bool('firmQuoteOnly');
  r.numOpt('nbboPriceCap');
  r.intOpt('auctionStrategy');
  r.skip(5, 'startingPrice/stockRefPrice/delta/stockRangeLower/stockRangeUpper');
  r.bool('overridePercentageConstraints');
  r.numOpt('volatility');
  r.intOpt('volatilityType');
  const dnType = r.str('deltaNeutralOrderType');
  r.numOpt('deltaNeutralAuxPrice');
  if (dnType) r.skip(8, 'deltaNeutral*');
  r.intOpt('continuousUpdate');
  r.intOpt('referencePriceType');
  const trailStopPrice = r.numOpt('trailStopPrice');
  const trailingPercent = r.numOpt('trailingPercent');
  r.intOpt('scaleInitLevelSize');
  r.intOpt('scaleSubsLevelSize');
  const scalePriceIncrement = r.str('scalePriceIncrement');
  if (scalePriceIncrement !== '') r.skip(7, 'scale*');
  r.skip(3, 'scaleTable/activeStartTime/activeStopTime');
  if (r.str('hedgeType')) r.str('hedgeParam');
  r.bool('optOutSmartRouting');
  r.skip(2, 'clearingAccount/clearingIntent');
  r.bool('notHeld');
  if (r.bool('hasDeltaNeutralContract')) r.skip(3, 'deltaNeutralContract');
  if (r.str('algoStrategy')) {
    const n = r.int('algoParamsCount');
    r.skip(2 * n, 'algoParam');
  }
  r.str('algoId');
  const whatIf = r.bool('whatIf');
  r.str('orderMiscOptions');
  r.bool('solicited');
  r.bool('randomizeSize');
  r.bool('randomizePrice');
  if (orderType === 'PEG BENCH' || orderType === 'PEGBENCH') r.skip(5, 'pegBench*');
  const nConditions = r.int('conditionsCount');
  for (let i = 0; i < nConditions; i++) skipCondition(r);
  if (nConditions > 0) r.skip(2, 'conditionsIgnoreRth/conditionsCancelOrder');
  r.skip(7, 'adjusted*');
  r.str('extOperator');
  r.skip(2, 'softDollarTier');
  const cashQty = r.numOpt('cashQty');
  r.skip(4, 'mifid2*');
  r.bool('dontUseAutoPriceForHedge');
  r.bool('isOmsContainer');
  r.bool('discretionaryUpToLimitPrice');
  r.str('usePriceMgmtAlgo');
  r.str('duration');
  r.str('postToAts');
  r.str('autoCancelParent');
  r.str('advancedErrorOverride');
  r.str('manualOrderTime');
  if (contract.exchange === 'IBKRATS') r.str('minTradeQty');
  if (orderType === 'PEG BEST' || orderType === 'PEGBEST') {
    r.str('minCompeteSize');
    const offset = r.str('competeAgainstBestOffset');
    if (offset === 'Infinity') r.skip(2, 'midOffsets');
  } else if (orderType === 'PEG MID' || orderType === 'PEGMID') {
    r.skip(2, 'midOffsets');
  }
  if (sv >= V.CUSTOMER_ACCOUNT) r.str('customerAccount');
  if (sv >= V.PROFESSIONAL_CUSTOMER) r.str('professionalCustomer');
  if (sv >= V.RFQ_FIELDS && sv < V.UNDO_RFQ_FIELDS) r.skip(2, 'rfq*');
  if (sv >= V.INCLUDE_OVERNIGHT) r.str('includeOvernight');
  if (sv >= V.CME_TAGGING_FIELDS) r.str('manualOrderIndicator');
  if (r.remaining !== 0) throw new Error(`placeOrder: ${r.remaining} unexpected trailing fields`);
  const order: WireOrder = {
    orderId, action, totalQuantity, orderType, lmtPrice, auxPrice, tif, ocaGroup, account, openClose, origin, orderRef,
    transmit, parentId, outsideRth, goodTillDate, ocaType, trailStopPrice, trailingPercent, whatIf, cashQty,
  };
  return { kind: 'placeOrder', contract, order };
}

function skipCondition(r: FieldReader): void {
  const type = r.int('condition.type');
  r.str('condition.conjunction');
  // Field counts per OrderConditionType (1 price, 3 time, 4 margin, 5 execution, 6 volume, 7 percent change).
  const counts: Record<number, number> = { 1: 5, 3: 2, 4: 2, 5: 3, 6: 4, 7: 4 };
  const n = counts[type];
  if (n === undefined) throw new Error(`placeOrder: unknown condition type ${type}`);
  r.skip(n, 'condition');
}
