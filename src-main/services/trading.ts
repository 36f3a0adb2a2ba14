// The trading service: the only path from an order to a broker. Every step is journaled in the audit log before it
// is acted on: intent → risk decision → (rejected | submitted → broker) → ack → fills → done; cancels likewise.
import type { PlaceOrderResult, RiskStatus } from '../../src-shared/api/contract';
import { bracketProblems, OrderRequest, type ValidOrderRequest } from '../../src-shared/api/order-request';
import { OPEN_ORDER_STATUSES, type Fill, type Order, type OrderSource } from '../../src-shared/domain/types';
import type { ReconciliationReport } from '../../src-shared/domain/broker';
import type { Broker, BrokerEvent, BrokerSnapshot } from '../ports/broker';
import type { Clock } from '../ports/clock';
import type { Disposable } from '../ports/disposable';
import { freshPrice, type MarketData } from '../ports/market-data';
import type { Store } from '../ports/store';
import type { Logger } from '../logging';
import type { OrderGate, OrderGateDecision } from '../ports/order-gate';
import { checkOrder, type RiskDecision, type RiskLimitsConfig } from '../domain/risk';
import { bookFill, type QuoteConversion } from '../domain/portfolio';
import { fxRates } from '../domain/cfd/pip';
import { dec, type Dec } from '../domain/money';
import { externalOrderId, reconcile } from '../domain/reconcile';
import type { AccountService } from './account';
import { HeldOrders } from './held-orders';
import { marketRates } from './cfd-margin';
import { pipSizeOf, slippageOf } from '../domain/execution/slippage';
import type { FillQuality } from '../../src-shared/domain/execution';
import { Emitter } from '../../src-shared/common/emitter';
import { serial } from '../../src-shared/common/serial';

const DAY = 86_400_000;
const nextTurn = () => new Promise<void>((resolve) => setImmediate(resolve));
const KILL_SWITCH_KEY = 'risk.kill_switch';
const keptKey = (symbol: string) => `reconcile.kept.${symbol}`;
const keptValue = (d: { ours: number; broker: number }) => `${d.ours}|${d.broker}`;
const INTERRUPTED = 'Interrupted by a restart before it was sent';
const lastRateKey = (accountId: string, currency: string) => `fx.last-rate.${accountId}.${currency}`;

/** How a fill of an instrument quoted in another currency was converted: the rate and where it came from. */
interface FillConversion {
  currency: string;
  rate: Dec;
  source: 'market' | 'fill-price' | 'last-known' | 'none';
  /** last-known: when that rate was seen. */
  since?: number;
}

/** What an entry asks of its protective legs beyond stop-loss and take-profit. */
type LegExtras = Pick<ValidOrderRequest, 'trailingStop' | 'stopBreakEvenAfter' | 'stopExitAt'>;

export type TradingEvent =
  | { kind: 'order'; order: Order }
  | { kind: 'fill'; fill: Fill }
  | { kind: 'risk'; status: RiskStatus }
  | { kind: 'portfolio' }
  | { kind: 'reconciliation'; report: ReconciliationReport };

export class OrderNotOpenError extends Error {}

/** The quote when an order was sent to the venue: its arrival price is the mid. */
interface Arrival {
  bid: number;
  ask: number;
  time: number;
}

export interface TradingServiceOptions {
  store: Store;
  broker: Broker;
  market: MarketData;
  clock: Clock;
  account: AccountService;
  limits: RiskLimitsConfig;
  /** The kill switch set in config.yaml; the UI toggle is stored in settings and either one blocks. */
  configKillSwitch: boolean;
  logger: Logger;
  /** Leveraged (CFD) accounts: n for n:1 on the symbol. The max position size then applies to the margin a position
   * ties up (notional ÷ leverage) rather than to its notional. */
  leverage?: (symbol: string) => number;
  /** Trading states and portfolio limits (services/portfolio-risk.ts), asked after the order checks pass. */
  gate?: OrderGate;
  /** Margin accounts (the CFD venues and the paper CFD account): instruments quoted in another currency are held on
   * margin and their P&L is converted at the rate of the fill (domain/portfolio.ts `bookFill`, `fillRate` below for a
   * fill without a market rate); the account service marks them with the same conversion. */
  conversion?: QuoteConversion;
}

/** Why the app closes a position itself (a stop-out), carried on the order for the blotter. */
export interface CloseReason {
  source: 'stop-out';
  note: string;
}

export class TradingService implements Disposable {
  private readonly events = new Emitter<TradingEvent>();
  private readonly brokerSub: Disposable;
  /** Broker events and order placement run one at a time, in arrival order. */
  /** Every step that reads or changes the book, one at a time. */
  private readonly steps = serial();
  private killSwitch = false;
  private lastReport: ReconciliationReport | null = null;
  private brokerPositions: BrokerSnapshot['positions'] = [];
  /** Orders of types the broker lacks, held here until they trigger. */
  private readonly held: HeldOrders;
  /** Arrival quotes of orders sent this run (after a restart they are read from the journal). */
  private readonly arrivals = new Map<string, Arrival>();

  constructor(private readonly o: TradingServiceOptions) {
    this.held = new HeldOrders({
      broker: o.broker, market: o.market, store: o.store, logger: o.logger, serial: (fn) => this.serial(fn), update: (order, entries) => this.update(order, entries),
    });
    this.brokerSub = o.broker.onEvent((e) => void this.serial(() => this.onBrokerEvent(e)));
    o.broker.setReconciler?.((snapshot) => this.serial(() => this.reconcile(snapshot)));
  }

  private serial<T>(fn: () => Promise<T>): Promise<T> {
    // Each step starts on a new turn of the event loop: the store is synchronous, so a chain of thousands of queued steps
    // would otherwise run as one microtask burst and starve every other client's request (a 10,000-order burst).
    const run = this.steps(async () => {
      await nextTurn();
      return fn();
    });
    run.catch((err: unknown) => this.o.logger.error({ err }, 'trading step failed'));
    return run;
  }

  on(listener: (e: TradingEvent) => void): Disposable {
    return this.events.on(listener);
  }

  private emit(e: TradingEvent): void {
    this.events.emit(e);
  }

  private audit(kind: string, orderId: string | null, payload: Record<string, unknown>): Promise<number> {
    return this.o.store.audit.append({ time: this.o.clock.now(), kind, orderId, payload });
  }

  private get accountId(): string {
    return this.o.account.accountId;
  }

  /**
   * Restores the kill switch and closes what a crash left half-done, before any new order: intents of older versions
   * without an order row and orders still 'new' (never sent) get an explicit closing entry. Working orders are not
   * re-sent: a broker that keeps them (IB) is reconciled on connect; the paper broker reloads its book from the store
   * (restore). Bracket entries that filled before their protective legs were placed get them now.
   */
  async start(): Promise<void> {
    this.killSwitch = this.o.configKillSwitch || (await this.o.store.settings.get(KILL_SWITCH_KEY)) === 'on';
    for (const orderId of await this.o.store.audit.danglingIntents())
      await this.audit('order.abandoned', orderId, { reason: 'interrupted before the order was recorded (restart)' });
    const open = await this.o.store.orders.list({ accountId: this.accountId, openOnly: true, limit: 5000 });
    for (const order of open.reverse()) {
      if (order.status !== 'new') continue;
      // Interrupted between intent and risk decision: never sent, so it is closed rather than sent late.
      const closed: Order = { ...order, status: 'rejected', rejectReason: INTERRUPTED, updatedAt: this.o.clock.now() };
      await this.journal(closed, [['order.rejected', { by: 'restart', reason: INTERRUPTED }]]);
      this.emit({ kind: 'order', order: closed });
    }
    // Stops the app manages (break-even, time exit) are of a type the venue has: it must not work them itself too.
    if (this.o.broker.restore) await this.o.broker.restore(await this.held.managedIds(open.filter((o) => o.status !== 'new')));
    else if (!this.o.broker.capabilities.keepsOrders) {
      for (const order of open.filter((o) => o.status !== 'new')) {
        await this.audit('order.resubmitted', order.id, { status: order.status, filledQuantity: order.filledQuantity });
        this.o.broker.placeOrder(order);
      }
    }
    await this.held.restore(open.filter((o) => o.status !== 'new'));
    if (!this.o.broker.capabilities.nativeBrackets) await this.completeBrackets();
  }

  /** Places the protective legs of filled bracket entries that have none working, filled or refused (a crash between
   * the entry's fill and its legs). */
  private async completeBrackets(): Promise<void> {
    const recent = await this.o.store.orders.list({ accountId: this.accountId, limit: 5000 });
    for (const entry of recent) {
      if (entry.status !== 'filled' || entry.parentId !== null || (entry.stopLoss === null && entry.takeProfit === null)) continue;
      const legs = recent.filter((o) => o.parentId === entry.id && !(o.status === 'rejected' && o.rejectReason === INTERRUPTED));
      const filledLeg = legs.find((l) => l.status === 'filled');
      if (filledLeg) {
        // One cancels the other: a kill between a leg's fill and the cancel of its sibling is finished now.
        for (const sibling of legs.filter((l) => l.id !== filledLeg.id && OPEN_ORDER_STATUSES.includes(l.status))) {
          await this.audit('order.cancel-request', sibling.id, { by: 'oco', filled: filledLeg.id, after: 'restart' });
          this.o.broker.cancelOrder(sibling.id);
        }
        continue;
      }
      const missing = this.bracketRequests(entry, await this.legExtras(entry.id)).filter((r) => !legs.some((l) => l.type === r.type));
      for (const leg of missing) await this.place(leg, 'bracket', entry.id);
    }
  }

  /** Whether the kill switch (config or the UI toggle) is engaged: the trading state reads it as HALTED. */
  killSwitchEngaged(): boolean {
    return this.killSwitch;
  }

  async riskStatus(): Promise<RiskStatus> {
    return { killSwitch: this.killSwitch, limits: this.o.limits, tradesToday: await this.tradesToday() };
  }

  /** Fills made today plus working orders (each will trade at least once): a burst cannot outrun the limit. */
  private async tradesToday(open?: Order[]): Promise<number> {
    const now = this.o.clock.now();
    const day = Math.floor(now / DAY) * DAY;
    open ??= await this.o.store.orders.list({ accountId: this.accountId, openOnly: true, limit: 5000 });
    const working = open.filter((o) => o.status !== 'new' && o.filledQuantity === 0).length;
    return (await this.o.store.fills.countBetween(this.accountId, day, day + DAY)) + working;
  }

  /** Writes the order with its audit entries in one transaction. */
  private journal(order: Order, entries: [kind: string, payload: Record<string, unknown>][]): Promise<void> {
    const time = this.o.clock.now();
    return this.o.store.journalOrder({ order, audit: entries.map(([kind, payload]) => ({ time, kind, orderId: order.id, payload })) });
  }

  placeOrder(request: ValidOrderRequest, source: OrderSource = 'manual', parentId: string | null = null): Promise<PlaceOrderResult> {
    return this.serial(() => this.place(request, source, parentId));
  }

  private async place(request: ValidOrderRequest, source: OrderSource, parentId: string | null, note?: string): Promise<PlaceOrderResult> {
    // Strategies call this directly too: the same schema as the transport boundary.
    const req = OrderRequest.parse(request);
    const now = this.o.clock.now();
    const order: Order = {
      id: crypto.randomUUID(), accountId: this.accountId, brokerOrderId: null, symbol: req.symbol, side: req.side, type: req.type,
      quantity: req.quantity, limitPrice: req.limitPrice ?? null, stopPrice: req.stopPrice ?? null, trailPercent: req.trailPercent ?? null, timeInForce: req.timeInForce,
      stopLoss: req.stopLoss ?? null, takeProfit: req.takeProfit ?? null, parentId, source, status: 'new', filledQuantity: 0,
      avgFillPrice: null, rejectReason: null, createdAt: now, updatedAt: now, ...(note !== undefined ? { note } : {}),
    };
    // The intent and its row commit together: a crash leaves either nothing or an order 'new' that start() closes.
    await this.journal(order, [['order.intent', { source, request: req, parentId, ...(note !== undefined ? { note } : {}) }]]);

    const notReady = this.o.broker.notReadyReason();
    if (notReady !== null) return this.refuse(order, [], { rule: 'not_connected', message: notReady }, { by: 'connection', message: notReady });

    // Protective legs are checked before the entry is sent: a leg on the wrong side or absurdly far would leave the
    // position unprotected after the fill.
    if (order.stopLoss !== null || order.takeProfit !== null || req.trailingStop !== undefined) {
      const ref = order.limitPrice ?? order.stopPrice ?? freshPrice(this.o.market, order.symbol);
      const problems = ref === undefined ? { _: `No fresh price for ${order.symbol}: the bracket cannot be checked` } : bracketProblems({ ...order, trailingStop: req.trailingStop }, ref);
      const [field, message] = Object.entries(problems)[0] ?? [];
      if (field !== undefined && message !== undefined)
        return this.refuse(order, [], { rule: 'invalid_bracket', message, field }, { by: 'validation', rule: 'invalid_bracket', field, message });
    }

    const decision = await this.decide(order, source === 'bracket' || source === 'flatten' || source === 'stop-out', req.confirmDuplicate === true);
    const { ok: _ok, ...refusal } = decision.ok ? { ok: true } : decision;
    const decisionEntry: [string, Record<string, unknown>] = ['risk.decision', decision.ok ? { ok: true } : { ok: false, ...refusal }];
    if (!decision.ok) return this.refuse(order, [decisionEntry], decision, { by: 'risk', ...refusal });

    const submitted: Order = { ...order, status: 'submitted', updatedAt: this.o.clock.now() };
    const arrival = this.arrivalNow(order.symbol);
    // The rate it was sent at: what its fill is booked at if the market has none by then (fillRate).
    const foreign = this.o.conversion?.(order.symbol);
    if (foreign?.rate !== undefined) await this.rememberRate(foreign.currency, foreign.rate);
    await this.journal(submitted, [decisionEntry, ['order.submitted', { broker: this.o.broker.name, ...(arrival ? { arrival } : {}) }]]);
    this.emit({ kind: 'order', order: submitted });
    if (!this.held.native(submitted.type) || HeldOrders.managed(req)) return { order: await this.held.hold(submitted, req), rejection: null };
    if (arrival) this.arrivals.set(submitted.id, arrival);
    const children = this.o.broker.capabilities.nativeBrackets ? await this.nativeBracketLegs(submitted, req) : [];
    this.o.broker.placeOrder(submitted, children);
    return { order: submitted, rejection: null };
  }

  /** The quote now, as the arrival of an order sent now; undefined without a two-sided quote. */
  private arrivalNow(symbol: string): Arrival | undefined {
    const q = this.o.market.lastQuote(symbol);
    if (!q || !(q.bid > 0) || !(q.ask >= q.bid)) return undefined;
    return { bid: q.bid, ask: q.ask, time: this.o.clock.now() };
  }

  /** The fill's execution quality against the arrival of its order (held orders: when they triggered), if known. */
  private async qualityOf(order: Order, fill: Fill, currency: string): Promise<FillQuality | undefined> {
    let arrival = this.arrivals.get(order.id);
    if (!arrival) {
      const entries = await this.o.store.audit.list({ orderId: order.id, limit: 100 });
      const a = entries.map((e) => e.payload['arrival'] as Arrival | undefined).find((x) => x && typeof x.bid === 'number' && typeof x.ask === 'number');
      if (a) arrival = a;
    }
    const instrument = this.o.market.instrument(order.symbol);
    if (!arrival || !instrument) return undefined;
    const s = slippageOf({
      side: fill.side, quantity: fill.quantity, fillPrice: fill.price, arrivalBid: arrival.bid, arrivalAsk: arrival.ask,
      pipSize: pipSizeOf(instrument), toAccount: marketRates(this.o.market)(instrument.currency, currency),
    });
    return {
      fillId: fill.id, orderId: order.id, accountId: order.accountId, venue: this.o.broker.name, symbol: order.symbol, side: fill.side, quantity: fill.quantity,
      sentAt: arrival.time, time: fill.time, arrivalBid: arrival.bid, arrivalAsk: arrival.ask, fillPrice: fill.price, pipSize: pipSizeOf(instrument), currency, ...s,
    };
  }

  private async refuse(order: Order, before: [string, Record<string, unknown>][], r: { rule: string; message: string; field?: string; fitQuantity?: number; confirm?: boolean }, payload: Record<string, unknown>): Promise<PlaceOrderResult> {
    const rejected: Order = { ...order, status: 'rejected', rejectReason: r.message, updatedAt: this.o.clock.now() };
    await this.journal(rejected, [...before, ['order.rejected', payload]]);
    this.emit({ kind: 'order', order: rejected });
    const extra = { ...(r.field ? { field: r.field } : {}), ...(r.fitQuantity !== undefined ? { fitQuantity: r.fitQuantity } : {}), ...(r.confirm ? { confirm: true } : {}) };
    return { order: rejected, rejection: { rule: r.rule, message: r.message, ...extra } };
  }

  /** Closes the position in `symbol`: cancels its working protective legs, then one reducing market order for the
   * whole quantity (through the risk gate as a reducing order: it passes the kill switch and the exposure limits).
   * With a reason (a stop-out), the order carries it as its source and note. */
  flatten(symbol: string, why?: CloseReason): Promise<PlaceOrderResult> {
    return this.serial(async () => {
      const position = await this.o.store.positions.get(this.accountId, symbol);
      if (!position || position.quantity === 0) throw new OrderNotOpenError(`No position in ${symbol} to flatten`);
      const open = await this.o.store.orders.list({ accountId: this.accountId, openOnly: true, limit: 5000 });
      for (const leg of open.filter((o) => o.symbol === symbol && o.source === 'bracket')) {
        await this.audit('order.cancel-request', leg.id, { by: why?.source ?? 'flatten' });
        if (this.o.broker.capabilities.keepsOrders || this.o.broker.workingOrderIds().includes(leg.id)) this.o.broker.cancelOrder(leg.id);
        else await this.update({ ...leg, status: 'cancelled' }, [['order.cancelled', { by: 'terminal' }]]);
      }
      const side = position.quantity > 0 ? 'sell' : 'buy';
      return this.place({ symbol, side, type: 'market', quantity: Math.abs(position.quantity), timeInForce: 'day' }, why?.source ?? 'flatten', null, why?.note);
    });
  }

  /** The risk gate over the account's exposure: position, working orders (read from the store now, so every order
   * placed earlier in the queue counts) and today's trades. */
  private async decide(order: Order, protective: boolean, confirmDuplicate = false): Promise<RiskDecision | OrderGateDecision> {
    const instrument = this.o.market.instrument(order.symbol);
    if (!instrument) return { ok: false, rule: 'invalid_order', message: `Unknown symbol ${order.symbol}` };
    const position = await this.o.store.positions.get(this.accountId, order.symbol);
    const open = (await this.o.store.orders.list({ accountId: this.accountId, openOnly: true, limit: 5000 })).filter((o) => o.id !== order.id);
    let workingBuyQuantity = 0;
    let workingSellQuantity = 0;
    for (const o of open) {
      // Protective legs only close what their entry opened (one cancels the other): they add no exposure.
      if (o.symbol !== order.symbol || o.status === 'new' || o.source === 'bracket') continue;
      if (o.side === 'buy') workingBuyQuantity += o.quantity - o.filledQuantity;
      else workingSellQuantity += o.quantity - o.filledQuantity;
    }
    const { summary } = await this.o.account.snapshot();
    const lastPrice = freshPrice(this.o.market, order.symbol);
    const fxToAccount = marketRates(this.o.market)(instrument.currency, summary.currency)?.toNumber() ?? NaN;
    const decision = checkOrder(order, {
      fxToAccount, quoteCurrency: instrument.currency, accountCurrency: summary.currency,
      limits: this.o.limits, killSwitch: this.killSwitch, brokerName: this.o.broker.name, lastPrice,
      positionQuantity: position?.quantity ?? 0, workingBuyQuantity, workingSellQuantity, nav: Number(summary.nav) * (this.o.leverage?.(order.symbol) ?? 1),
      tradesToday: await this.tradesToday(open), lotSize: instrument.lotSize, protective,
    });
    if (!decision.ok || !this.o.gate || lastPrice === undefined) return decision;
    // The trading state and the portfolio limits, as a what-if at the price the order gate valued it at. An order
    // already past 'new' in the store is a modification of a working one (order rate counts it; no duplicate check).
    const ref = order.type === 'limit' ? order.limitPrice : order.type === 'stop' ? order.stopPrice : null;
    const stored = await this.o.store.orders.get(order.id);
    return this.o.gate.check({
      kind: stored && stored.status !== 'new' ? 'modify' : 'new',
      accountId: this.accountId, symbol: order.symbol, side: order.side, quantity: order.quantity, price: ref != null ? Math.max(ref, lastPrice) : lastPrice,
      positionQuantity: position?.quantity ?? 0, workingBuyQuantity, workingSellQuantity, lotSize: instrument.lotSize, protective, confirmDuplicate,
    });
  }

  /** Protective legs sent with the entry (the broker links them: parent id, one cancels the other). */
  private async nativeBracketLegs(entry: Order, extras: LegExtras): Promise<Order[]> {
    const legs: Order[] = [];
    for (const req of this.bracketRequests(entry, extras).filter((r) => this.sentWithEntry(r))) {
      const leg: Order = {
        ...entry, id: crypto.randomUUID(), side: req.side, type: req.type, quantity: req.quantity, limitPrice: req.limitPrice ?? null, stopPrice: req.stopPrice ?? null, trailPercent: req.trailPercent ?? null,
        timeInForce: req.timeInForce, stopLoss: null, takeProfit: null, parentId: entry.id, source: 'bracket', status: 'submitted',
      };
      await this.journal(leg, [['order.intent', { source: 'bracket', request: req, parentId: entry.id }], ['order.submitted', { broker: this.o.broker.name, with: entry.id }]]);
      this.emit({ kind: 'order', order: leg });
      legs.push(leg);
    }
    return legs;
  }

  cancelOrder(orderId: string): Promise<Order> {
    return this.serial(async () => {
      const order = await this.o.store.orders.get(orderId);
      if (!order || order.accountId !== this.accountId) throw new OrderNotOpenError(`No order ${orderId}`);
      if (!OPEN_ORDER_STATUSES.includes(order.status)) throw new OrderNotOpenError(`Order ${orderId} is ${order.status}: nothing to cancel`);
      await this.audit('order.cancel-request', orderId, { status: order.status });
      if (this.held.release(orderId)) return this.update({ ...order, status: 'cancelled' }, [['order.cancelled', { by: 'terminal', held: true }]]);
      // A broker that keeps orders may hold it even when this session has not seen it yet (in flight, another client
      // id, before reconciliation): only the broker can say it is gone.
      if (!this.o.broker.capabilities.keepsOrders && !this.o.broker.workingOrderIds().includes(orderId)) {
        // The broker does not hold it (never acknowledged): the terminal closes it itself.
        return this.update({ ...order, status: 'cancelled' }, [['order.cancelled', { by: 'terminal' }]]);
      }
      this.o.broker.cancelOrder(orderId);
      return order;
    });
  }

  /**
   * Changes the price and/or the total quantity of a working order. `price` is the limit price of a limit order and the
   * stop level of the stop types; a market order has no price to change. Journaled before anything is acted on:
   * 'order.modify-intent' (from → to), the risk decision on the order as it would be (a modify that raises the size or
   * notional past a limit is refused with the reason: 'order.modify-rejected'), then 'order.modify-submitted' and the
   * venue's answer: 'order.modified' (the acknowledgement, with the values it now works) or 'order.modify-rejected'.
   * Orders the app holds (trailing, managed stops) change here at once. Resolves with the order as it stands then.
   */
  modifyOrder(orderId: string, change: { price?: number; quantity?: number; stopLoss?: number; takeProfit?: number }): Promise<PlaceOrderResult> {
    return this.serial(async () => {
      const order = await this.o.store.orders.get(orderId);
      if (!order || order.accountId !== this.accountId) throw new OrderNotOpenError(`No order ${orderId}`);
      if (!OPEN_ORDER_STATUSES.includes(order.status) || order.status === 'new') throw new OrderNotOpenError(`Order ${orderId} is ${order.status}: nothing to modify`);
      if (change.stopLoss !== undefined || change.takeProfit !== undefined) return this.modifyPendingLeg(order, change);
      const priceField = order.type === 'limit' ? 'limitPrice' : order.type === 'market' ? null : 'stopPrice';
      const next: Order = {
        ...order,
        ...(change.quantity !== undefined ? { quantity: change.quantity } : {}),
        ...(change.price !== undefined && priceField !== null ? { [priceField]: change.price } : {}),
      };
      const from = { quantity: order.quantity, limitPrice: order.limitPrice, stopPrice: order.stopPrice };
      const to = { quantity: next.quantity, limitPrice: next.limitPrice, stopPrice: next.stopPrice };
      await this.audit('order.modify-intent', orderId, { from, to, ...change });
      const refuse = async (r: { rule: string; message: string; field?: string }, before: [string, Record<string, unknown>][] = []): Promise<PlaceOrderResult> => {
        for (const [kind, payload] of before) await this.audit(kind, orderId, payload);
        await this.audit('order.modify-rejected', orderId, { by: r.rule === 'not_connected' ? 'connection' : 'risk', rule: r.rule, message: r.message });
        return { order, rejection: r };
      };
      if (change.price !== undefined && priceField === null) return refuse({ rule: 'invalid_order', message: 'A market order has no price to modify', field: 'price' });
      if (next.quantity <= order.filledQuantity) {
        return refuse({ rule: 'invalid_quantity', message: `The new quantity ${next.quantity} must be above the ${order.filledQuantity} already filled`, field: 'quantity' });
      }
      const held = this.held.has(orderId);
      // A trailing stop the venue works (IB's TRAIL) has no level of ours to move: the venue trails it by its percent.
      if (change.price !== undefined && order.type === 'trailing-stop' && !held) {
        return refuse({ rule: 'invalid_order', message: `${this.o.broker.name} trails this stop itself: its level cannot be moved (cancel it and place a new one)`, field: 'price' });
      }
      if (!held && !this.o.broker.modifyOrder) return refuse({ rule: 'not_supported', message: `${this.o.broker.name} cannot modify orders: cancel it and place a new one` });
      const notReady = held ? null : this.o.broker.notReadyReason();
      if (notReady !== null) return refuse({ rule: 'not_connected', message: notReady });
      // Checked as the order it would become, its unfilled part against the exposure of every other order.
      const decision = await this.decide({ ...next, quantity: next.quantity - next.filledQuantity }, order.source === 'bracket' || order.source === 'flatten' || order.source === 'stop-out');
      const decisionEntry: [string, Record<string, unknown>] = ['risk.decision', decision.ok ? { ok: true, modify: true } : { ok: false, modify: true, rule: decision.rule, message: decision.message }];
      if (!decision.ok) return refuse(decision, [decisionEntry]);
      await this.audit(decisionEntry[0], orderId, decisionEntry[1]);
      await this.audit('order.modify-submitted', orderId, { broker: this.o.broker.name, held });
      if (held) {
        const updated = await this.update(next, [['order.modified', { by: 'terminal', held: true, ...to }]]);
        this.held.modify(updated);
        return { order: updated, rejection: null };
      }
      // The order row has no trail percent (only the intent does): a venue's trailing stop is re-sent with it.
      const trailPercent = next.type === 'trailing-stop' && (next.trailPercent ?? null) === null ? await this.intentTrailPercent(orderId) : undefined;
      this.o.broker.modifyOrder!(trailPercent !== undefined ? { ...next, trailPercent } : next);
      return { order, rejection: null };
    });
  }

  /**
   * Moves a protective leg that waits for its entry's fill: the entry's stopLoss / takeProfit, which the app places
   * once the entry fills (on a venue without native brackets; one with them was sent its legs with the entry, and
   * those are modified as orders of their own). Checked as at placement (the right side of the entry, not absurdly
   * far); journaled like any modify. Nothing goes to the venue: the leg does not exist there yet.
   */
  private async modifyPendingLeg(order: Order, change: { price?: number; quantity?: number; stopLoss?: number; takeProfit?: number }): Promise<PlaceOrderResult> {
    const next: Order = {
      ...order, ...(change.stopLoss !== undefined ? { stopLoss: change.stopLoss } : {}), ...(change.takeProfit !== undefined ? { takeProfit: change.takeProfit } : {}),
    };
    const from = { stopLoss: order.stopLoss, takeProfit: order.takeProfit };
    const to = { stopLoss: next.stopLoss, takeProfit: next.takeProfit };
    await this.audit('order.modify-intent', order.id, { from, to, ...change, leg: true });
    const refuse = async (r: { rule: string; message: string; field?: string }): Promise<PlaceOrderResult> => {
      await this.audit('order.modify-rejected', order.id, { by: 'validation', rule: r.rule, message: r.message, ...(r.field ? { field: r.field } : {}) });
      return { order, rejection: r };
    };
    if (change.price !== undefined || change.quantity !== undefined) return refuse({ rule: 'invalid_order', message: "A waiting leg is moved on its own, not with the entry's price or quantity" });
    if (order.parentId !== null || order.source === 'bracket') return refuse({ rule: 'invalid_order', message: 'A protective leg has no legs of its own' });
    for (const field of ['stopLoss', 'takeProfit'] as const) {
      if (change[field] !== undefined && order[field] === null) {
        return refuse({ rule: 'invalid_order', message: `This order has no ${field === 'stopLoss' ? 'stop-loss' : 'take-profit'} waiting for its fill`, field });
      }
    }
    if (this.o.broker.capabilities.nativeBrackets) {
      return refuse({ rule: 'not_supported', message: `${this.o.broker.name} was sent the legs with the entry: move the leg's own order` });
    }
    const ref = order.limitPrice ?? order.stopPrice ?? freshPrice(this.o.market, order.symbol);
    const problems = ref === undefined ? { _: `No fresh price for ${order.symbol}: the leg cannot be checked` } : bracketProblems(next, ref);
    const [field, message] = Object.entries(problems)[0] ?? [];
    if (field !== undefined && message !== undefined) return refuse({ rule: 'invalid_bracket', message, field });
    await this.audit('order.modify-submitted', order.id, { broker: this.o.broker.name, held: true, leg: true });
    const updated = await this.update(next, [['order.modified', { by: 'terminal', held: true, leg: true, ...to }]]);
    return { order: updated, rejection: null };
  }

  private async intentTrailPercent(orderId: string): Promise<number | undefined> {
    const intent = (await this.o.store.audit.list({ orderId, limit: 100 })).find((e) => e.kind === 'order.intent');
    const pct = (intent?.payload['request'] as { trailPercent?: unknown } | undefined)?.trailPercent;
    return typeof pct === 'number' ? pct : undefined;
  }

  /** Engaging cancels every working order and blocks new ones until released. */
  setKillSwitch(engaged: boolean): Promise<RiskStatus> {
    return this.serial(async () => {
      await this.audit(engaged ? 'risk.kill-switch.engaged' : 'risk.kill-switch.released', null, {});
      await this.o.store.settings.set(KILL_SWITCH_KEY, engaged ? 'on' : 'off');
      this.killSwitch = engaged || this.o.configKillSwitch;
      if (engaged) {
        for (const order of await this.o.store.orders.list({ accountId: this.accountId, openOnly: true, limit: 5000 })) {
          await this.audit('order.cancel-request', order.id, { by: 'kill-switch' });
          if (this.o.broker.workingOrderIds().includes(order.id)) this.o.broker.cancelOrder(order.id);
          else {
            this.held.release(order.id);
            await this.update({ ...order, status: 'cancelled' }, [['order.cancelled', { by: 'terminal' }]]);
          }
        }
      }
      const status = await this.riskStatus();
      this.emit({ kind: 'risk', status });
      return status;
    });
  }

  /** Writes the order's new state with the audit entries that explain it, in one transaction. */
  private async update(order: Order, entries: [kind: string, payload: Record<string, unknown>][]): Promise<Order> {
    const updated = { ...order, updatedAt: this.o.clock.now() };
    await this.journal(updated, entries);
    this.emit({ kind: 'order', order: updated });
    return updated;
  }

  private async onBrokerEvent(e: BrokerEvent): Promise<void> {
    if (e.kind === 'external') {
      const id = e.report.clientOrderId ?? externalOrderId(e.report);
      if (await this.o.store.orders.get(id)) return;
      await this.adopt({
        id, accountId: this.accountId, brokerOrderId: e.report.brokerOrderId, symbol: e.report.symbol, side: e.report.side, type: e.report.type,
        quantity: e.report.quantity, limitPrice: e.report.limitPrice, stopPrice: e.report.stopPrice, timeInForce: e.report.timeInForce, stopLoss: null,
        takeProfit: null, parentId: null, source: 'external', status: 'working', filledQuantity: 0, avgFillPrice: null, rejectReason: null, createdAt: e.time, updatedAt: e.time,
      });
      return;
    }
    let order = await this.o.store.orders.get(e.orderId);
    if (!order && e.kind === 'fill' && e.execution) {
      // An execution of an order placed outside the terminal that we have not seen: adopt it, then book the fill.
      const x = e.execution;
      order = await this.adopt({
        id: e.orderId, accountId: this.accountId, brokerOrderId: x.brokerOrderId, symbol: x.symbol, side: x.side, type: 'market', quantity: x.quantity,
        limitPrice: null, stopPrice: null, timeInForce: 'day', stopLoss: null, takeProfit: null, parentId: null, source: 'external', status: 'working',
        filledQuantity: 0, avgFillPrice: null, rejectReason: null, createdAt: e.time, updatedAt: e.time,
      });
    }
    if (!order) {
      await this.audit(`broker.${e.kind}.unknown-order`, e.orderId, { ...e });
      return;
    }
    switch (e.kind) {
      case 'ack':
        await this.update({ ...order, status: order.status === 'submitted' ? 'working' : order.status, brokerOrderId: e.brokerOrderId }, [['order.ack', { brokerOrderId: e.brokerOrderId }]]);
        return;
      case 'reject':
        await this.update({ ...order, status: 'rejected', rejectReason: e.reason }, [['order.rejected', { by: 'broker', reason: e.reason }]]);
        return;
      case 'cancelled':
        await this.update({ ...order, status: 'cancelled' }, [['order.cancelled', { by: 'broker' }]]);
        return;
      case 'modified': {
        // A late answer for an order that finished meanwhile changes nothing but the journal.
        const open = OPEN_ORDER_STATUSES.includes(order.status);
        const values = { quantity: e.quantity, limitPrice: e.limitPrice, stopPrice: e.stopPrice };
        if (!open) await this.audit('order.modified', order.id, { by: 'broker', ...values, ignored: order.status });
        else await this.update({ ...order, ...values }, [['order.modified', { by: 'broker', ...values }]]);
        return;
      }
      case 'modify-rejected':
        await this.audit('order.modify-rejected', order.id, { by: 'broker', reason: e.reason });
        this.emit({ kind: 'order', order });
        return;
      case 'fill':
        return this.onFill(order, e);
    }
  }

  private async onFill(order: Order, e: Extract<BrokerEvent, { kind: 'fill' }>): Promise<void> {
    const fill: Fill = { id: e.execId, orderId: order.id, accountId: order.accountId, symbol: order.symbol, side: order.side, quantity: e.quantity, price: e.price, commission: e.commission, time: e.time };
    const account = await this.o.store.accounts.get(order.accountId);
    if (!account) throw new Error(`fill for an unknown account (order ${order.id})`);
    const current = await this.o.store.positions.get(order.accountId, order.symbol);
    const foreign = this.o.conversion?.(order.symbol) ?? null;
    const conversion = foreign ? await this.fillRate(fill, foreign, account.currency) : undefined;
    const { position, realizedDelta, cash } = bookFill(account.cash, current, fill, conversion?.rate);
    const filledQuantity = order.filledQuantity + e.quantity;
    const avgFillPrice = ((order.avgFillPrice ?? 0) * order.filledQuantity + e.price * e.quantity) / filledQuantity;
    const done = filledQuantity >= order.quantity - 1e-12;
    // A late fill of an order already cancelled (the rest was cancelled) keeps it cancelled.
    const status = done ? 'filled' : order.status === 'cancelled' || order.status === 'rejected' ? order.status : 'partially-filled';
    const updated: Order = { ...order, filledQuantity, avgFillPrice, status, updatedAt: this.o.clock.now() };
    // Fill, order, position, cash, the audit entry and the fill's execution quality commit together; a repeated
    // execution id changes nothing.
    const quality = await this.qualityOf(order, fill, account.currency);
    if (done) this.arrivals.delete(order.id);
    const applied = await this.o.store.applyFill({
      fill, order: updated, position, cash, ...(quality ? { quality } : {}),
      audit: {
        time: this.o.clock.now(), kind: 'order.fill', orderId: order.id,
        payload: {
          execId: fill.id, quantity: fill.quantity, price: fill.price, commission: fill.commission,
          // The rate the fill was booked at (exact), so that session replay books it as here.
          ...(conversion ? { quoteCurrency: conversion.currency, toAccount: conversion.rate.toString(), rateSource: conversion.source } : {}),
        },
      },
    });
    if (!applied) return;
    if (conversion) await this.afterConverted(order, fill, conversion, realizedDelta, account.currency);
    this.emit({ kind: 'fill', fill });
    this.emit({ kind: 'order', order: updated });
    this.emit({ kind: 'portfolio' });
    if (!done) return;
    await this.o.account.recordEquity().catch(() => undefined);
    if (this.o.broker.capabilities.nativeBrackets) {
      // The broker cancels its own siblings (OCA); legs the app holds (a trailing stop, managed stops) are ours to end,
      // and ours to place once the entry filled.
      if (order.parentId) await this.cancelSiblings(order, true);
      else if (order.source !== 'bracket' && order.source !== 'external') {
        const extras = await this.legExtras(order.id);
        for (const leg of this.bracketRequests(updated, extras).filter((r) => !this.sentWithEntry(r))) await this.place(leg, 'bracket', order.id);
      }
      return;
    }
    if (order.parentId) await this.cancelSiblings(order);
    else if (order.source !== 'bracket' && order.source !== 'external') {
      const extras = await this.legExtras(order.id);
      if (order.stopLoss !== null || order.takeProfit !== null || extras.trailingStop !== undefined) await this.submitBracket(updated, extras);
    }
  }

  /**
   * The rate a fill of an instrument quoted in another currency is booked at (one unit of its quote currency in the
   * account currency). A real fill is always booked, so without a market rate: the fill's own price when the
   * instrument is that currency pair (USDJPY's price is the JPY→USD rate, inverted), else the last rate this account
   * booked or sent an order at (`fx.last-rate.<account>.<currency>`), else none (rate 0: its P&L is left out and said).
   */
  private async fillRate(fill: Fill, foreign: { currency: string; rate: Dec | undefined }, accountCurrency: string): Promise<FillConversion> {
    const { currency } = foreign;
    if (foreign.rate !== undefined) return { currency, rate: foreign.rate, source: 'market' };
    const own = fxRates((s) => (s === fill.symbol ? fill.price : undefined))(currency, accountCurrency);
    if (own !== undefined) return { currency, rate: own, source: 'fill-price' };
    const last = await this.lastRate(currency);
    if (last) return { currency, rate: last.rate, source: 'last-known', since: last.time };
    return { currency, rate: dec(0), source: 'none' };
  }

  private async lastRate(currency: string): Promise<{ rate: Dec; time: number } | undefined> {
    const raw = await this.o.store.settings.get(lastRateKey(this.accountId, currency));
    const [rate, time] = raw?.split('|') ?? [];
    return rate && time && Number(rate) > 0 ? { rate: dec(rate), time: Number(time) } : undefined;
  }

  private async rememberRate(currency: string, rate: Dec): Promise<void> {
    await this.o.store.settings.set(lastRateKey(this.accountId, currency), `${rate.toString()}|${this.o.clock.now()}`);
  }

  /** After a converted fill: a rate seen now is remembered; a fill booked without one is journaled as such. */
  private async afterConverted(order: Order, fill: Fill, c: FillConversion, realizedDelta: string, accountCurrency: string): Promise<void> {
    if (c.source === 'market' || c.source === 'fill-price') return this.rememberRate(c.currency, c.rate);
    const message = c.source === 'last-known'
      ? `No ${c.currency}/${accountCurrency} rate in the market at the fill of ${fill.symbol}: its P&L was converted at the last known rate ${c.rate.toString()} (of ${new Date(c.since!).toISOString()})`
      : `No ${c.currency}/${accountCurrency} rate in the market at the fill of ${fill.symbol}, and none known before: the fill is booked, its P&L in ${c.currency} is not (the venue's statement is the reference)`;
    await this.audit('order.fill.rate-missing', order.id, { execId: fill.id, symbol: fill.symbol, currency: c.currency, rateSource: c.source, toAccount: c.rate.toString(), realizedDelta, message });
    this.o.logger.error({ execId: fill.id, symbol: fill.symbol, currency: c.currency, rateSource: c.source }, message);
  }

  /**
   * A stop (stop-loss), a limit (take-profit) and a trailing stop on the other side, one cancelling the others. The
   * stop legs carry the entry's break-even and time exit (then the app holds them).
   */
  private bracketRequests(entry: Order, extras: LegExtras = {}): ValidOrderRequest[] {
    const side = entry.side === 'buy' ? 'sell' : 'buy';
    const legs: ValidOrderRequest[] = [];
    const managed = {
      ...(extras.stopBreakEvenAfter !== undefined ? { breakEvenAfter: extras.stopBreakEvenAfter } : {}),
      ...(extras.stopExitAt !== undefined ? { exitAt: extras.stopExitAt } : {}),
    };
    if (entry.stopLoss !== null) legs.push({ symbol: entry.symbol, side, type: 'stop', quantity: entry.quantity, stopPrice: entry.stopLoss, timeInForce: 'gtc', ...managed });
    if (entry.takeProfit !== null) legs.push({ symbol: entry.symbol, side, type: 'limit', quantity: entry.quantity, limitPrice: entry.takeProfit, timeInForce: 'gtc' });
    const t = extras.trailingStop;
    if (t !== undefined && (t.percent !== undefined || t.distance !== undefined)) {
      legs.push({
        symbol: entry.symbol, side, type: 'trailing-stop', quantity: entry.quantity, timeInForce: 'gtc', ...managed,
        ...(t.percent !== undefined ? { trailPercent: t.percent } : { trailAmount: t.distance }),
      });
    }
    return legs;
  }

  /** Whether a protective leg travels with the entry to a venue with native brackets (else the app holds it after the fill). */
  private sentWithEntry(leg: ValidOrderRequest): boolean {
    return this.held.native(leg.type) && !HeldOrders.managed(leg) && leg.trailAmount === undefined;
  }

  /** The entry's trailing stop and stop management, from its journaled intent (they have no column of their own). */
  private async legExtras(entryId: string): Promise<LegExtras> {
    const intent = (await this.o.store.audit.list({ orderId: entryId, limit: 100 })).find((e) => e.kind === 'order.intent');
    const r = (intent?.payload['request'] ?? {}) as LegExtras;
    return { trailingStop: r.trailingStop, stopBreakEvenAfter: r.stopBreakEvenAfter, stopExitAt: r.stopExitAt };
  }

  /** Protective legs after the entry filled (brokers without native brackets). */
  private async submitBracket(entry: Order, extras: LegExtras): Promise<void> {
    for (const leg of this.bracketRequests(entry, extras)) await this.place(leg, 'bracket', entry.id);
  }

  /** `heldOnly`: the broker ends its own siblings (native brackets); only those the app holds are cancelled here. */
  private async cancelSiblings(child: Order, heldOnly = false): Promise<void> {
    const open = await this.o.store.orders.list({ accountId: this.accountId, openOnly: true, limit: 5000 });
    for (const sibling of open.filter((o) => o.parentId === child.parentId && o.id !== child.id)) {
      if (heldOnly && !this.held.has(sibling.id)) continue;
      await this.audit('order.cancel-request', sibling.id, { by: 'oco', filled: child.id });
      if (this.held.release(sibling.id)) await this.update({ ...sibling, status: 'cancelled' }, [['order.cancelled', { by: 'oco', held: true }]]);
      else this.o.broker.cancelOrder(sibling.id);
    }
  }

  private async adopt(order: Order): Promise<Order> {
    await this.journal(order, [['order.adopted', { source: 'external', brokerOrderId: order.brokerOrderId, symbol: order.symbol, side: order.side, quantity: order.quantity }]]);
    this.emit({ kind: 'order', order });
    return order;
  }

  /**
   * Brings our books in line with the broker's snapshot (on every connect and reconnect, before new orders flow):
   * adopts external orders, books missed fills once (fill id = execution id), closes orders that finished while away,
   * re-sends orders the broker never received. Every step is journaled before it is applied.
   */
  private async reconcile(snapshot: BrokerSnapshot): Promise<void> {
    // Orders the app holds never went to the broker: they are not its to confirm or to have forgotten.
    const openOrders = (await this.o.store.orders.list({ accountId: this.accountId, openOnly: true, limit: 5000 })).filter((o) => !this.held.has(o.id));
    const openIds = new Set(openOrders.map((o) => o.id));
    const refIds = new Set<string>();
    for (const r of [...snapshot.openOrders, ...snapshot.completedOrders, ...snapshot.executions]) refIds.add(r.clientOrderId ?? externalOrderId(r));
    const referencedOrders: Order[] = [];
    const knownExecIds = new Set<string>();
    for (const id of refIds) {
      const o = openIds.has(id) ? undefined : await this.o.store.orders.get(id);
      if (o && o.accountId === this.accountId) referencedOrders.push(o);
      if (o || openIds.has(id)) for (const f of await this.o.store.fills.listForOrder(id)) knownExecIds.add(f.id);
    }
    const plan = reconcile({
      accountId: this.accountId, openOrders, referencedOrders: referencedOrders, knownExecIds,
      positions: await this.o.store.positions.list(this.accountId), snapshot,
    });
    await this.audit('reconcile.start', null, {
      brokerOpenOrders: snapshot.openOrders.length, brokerExecutions: snapshot.executions.length, adopt: plan.adopt.length, acks: plan.acks.length,
      fills: plan.fills.length, close: plan.close.length, resend: plan.resend.length,
    });
    for (const order of plan.adopt) await this.adopt(order);
    for (const a of plan.acks) await this.onBrokerEvent({ kind: 'ack', orderId: a.orderId, brokerOrderId: a.brokerOrderId, time: snapshot.time });
    for (const f of plan.fills) {
      const x = f.execution;
      await this.onBrokerEvent({ kind: 'fill', orderId: f.orderId, execId: x.execId, quantity: x.quantity, price: x.price, commission: x.commission, time: x.time });
    }
    for (const c of plan.close) {
      const order = await this.o.store.orders.get(c.orderId);
      if (!order || !OPEN_ORDER_STATUSES.includes(order.status)) continue;
      await this.update({ ...order, status: c.status, rejectReason: c.status === 'rejected' ? c.reason : order.rejectReason },
        [[c.status === 'rejected' ? 'order.rejected' : 'order.cancelled', { by: 'reconciliation', reason: c.reason }]]);
    }
    for (const r of plan.resend) {
      for (const o of [r.order, ...r.children]) await this.audit('order.resubmitted', o.id, { by: 'reconciliation', reason: 'not found at the broker' });
      this.o.broker.placeOrder(r.order, r.children);
    }
    // Differences the user chose to keep (same quantities on both sides as when they decided) stop nagging.
    const diffs: ReconciliationReport['positionDiffs'] = [];
    for (const d of plan.report.positionDiffs) if ((await this.o.store.settings.get(keptKey(d.symbol))) !== keptValue(d)) diffs.push(d);
    const report = { ...plan.report, positionDiffs: diffs, clean: plan.report.clean || (diffs.length === 0 && plan.report.missedFills.length + plan.report.closedOrders.length + plan.report.externalOrders.length === 0) };
    await this.audit('reconcile.done', null, { clean: report.clean, positionDiffs: plan.report.positionDiffs, kept: plan.report.positionDiffs.length - diffs.length });
    this.lastReport = report;
    this.brokerPositions = snapshot.positions;
    this.emit({ kind: 'reconciliation', report });
  }

  /**
   * Resolves one position difference of the last reconciliation: 'broker' sets our position to the broker's (an
   * adjustment journaled with the reason; cash untouched: the missing trades are unknown, the broker's statement is
   * the reference for cash), 'ours' keeps ours (journaled with the reason; the same difference is not reported again).
   */
  resolvePositionDiff(symbol: string, action: 'broker' | 'ours', reason: string): Promise<ReconciliationReport> {
    return this.serial(async () => {
      const diff = this.lastReport?.positionDiffs.find((d) => d.symbol === symbol);
      if (!this.lastReport || !diff) throw new OrderNotOpenError(`No position difference in ${symbol} to resolve`);
      if (action === 'broker') {
        const current = await this.o.store.positions.get(this.accountId, symbol);
        const theirs = this.brokerPositions.find((p) => p.symbol === symbol);
        await this.o.store.adjustPosition({
          position: { accountId: this.accountId, symbol, quantity: diff.broker, avgPrice: diff.broker === 0 ? 0 : (theirs?.avgPrice ?? current?.avgPrice ?? 0), realizedPnl: current?.realizedPnl ?? '0.00' },
          audit: { time: this.o.clock.now(), kind: 'position.adjusted', orderId: null, payload: { by: 'reconciliation', symbol, from: diff.ours, to: diff.broker, reason, cash: 'unchanged' } },
        });
        this.emit({ kind: 'portfolio' });
      } else {
        await this.audit('reconcile.kept', null, { symbol, ours: diff.ours, broker: diff.broker, reason });
        await this.o.store.settings.set(keptKey(symbol), keptValue(diff));
      }
      const positionDiffs = this.lastReport.positionDiffs.filter((d) => d.symbol !== symbol);
      const r = this.lastReport;
      this.lastReport = { ...r, positionDiffs, clean: positionDiffs.length === 0 && r.missedFills.length + r.closedOrders.length + r.externalOrders.length === 0 };
      this.emit({ kind: 'reconciliation', report: this.lastReport });
      return this.lastReport;
    });
  }

  /** Resolves when every queued step has run (tests, shutdown). */
  idle(): Promise<void> {
    return this.steps.idle();
  }

  dispose(): void {
    this.held.dispose();
    this.brokerSub.dispose();
    this.events.clear();
  }
}
