// The IG execution client: the Broker port over an IgConnection. Our order id travels as the IG dealReference (see
// parsing.ts), so a deal is found at IG by it: its confirm (GET /confirms/{ref}) and its entries in the activity
// history. A market order is a position deal (POST /positions/otc, forceOpen false: an opposite deal reduces the
// position, as our books net it); a limit or stop order is a working order (POST /workingorders/otc), whose fill is
// found in the activity history, polled while connected. On every (re)connect it fetches a snapshot (activity since the
// last one handled, working orders, positions) and hands it to the reconciler before any new order is sent; a deal
// without a clear answer drops the connection so that the reconciliation decides, never a blind re-send. Overnight
// funding is read from the transaction history (each row once, by IG's reference; a (re)connect
// catches up from the last one read; polled every few minutes: it comes once a day).
import { Emitter } from '../../../src-shared/common/emitter';
import type { Order } from '../../../src-shared/domain/types';
import { externalOrderId } from '../../domain/reconcile';
import type { Logger } from '../../logging';
import type { Broker, BrokerExecution, BrokerOrderReport, BrokerPosition, BrokerSnapshot } from '../../ports/broker';
import type { VenueFinancing } from '../../ports/broker-session';
import type { Clock } from '../../ports/clock';
import type { Disposable } from '../../ports/disposable';
import { realTimers, type Timers } from '../../ports/timers';
import { SnapshotAborted, VenueExecutionBase, type PlacedOrder } from '../venue-kit/execution';
import type { IgTimings } from './config';
import type { IgConnection } from './connection';
import { describeIgReason, IgHttpError } from './errors';
import { fundingOfTransaction } from './financing';
import { dealReferenceOf, directionOf, executionOfActivity, orderIdOfReference, sizeOf, symbolOfEpic, unitsOf, type Json } from './parsing';

/** Where the activity cursor and working orders' references are kept (the settings table), across restarts. */
export interface IgIdStore {
  get(key: string): Promise<string | undefined>;
  set(key: string, value: string): Promise<void>;
}

export interface IgExecutionOptions {
  conn: IgConnection;
  clock: Clock;
  logger: Logger;
  ids: IgIdStore;
  timings: IgTimings;
  timers?: Timers;
}

interface Placed extends PlacedOrder {
  ref: string;
  /** The working order's dealId (limit and stop orders), once IG confirmed it. */
  dealId: string | null;
  working: boolean;
  /** IG's outcome is known (a confirm or the activity history): no need to ask again after a reconnect. */
  confirmed: boolean;
}

/** Activity fetched on a first connect (nothing handled before): a day, enough to pick up today's deals. */
const FIRST_CATCH_UP_MS = 24 * 3_600_000;
/** The activity cursor is moved back by this much: IG's activity times are in seconds, and deals are deduplicated. */
const OVERLAP_MS = 60_000;

const isoSeconds = (ms: number) => new Date(ms).toISOString().slice(0, 19);

export class IgExecutionClient extends VenueExecutionBase<Placed> implements Broker {
  readonly name = 'ig';
  readonly capabilities = { nativeBrackets: false, keepsOrders: true, nativeOrderTypes: ['market', 'limit', 'stop'] as const };
  private readonly timers: Timers;
  private readonly byDealId = new Map<string, string>();
  private cursor = 0;
  private cancelActivity: (() => void) | undefined;
  private cancelFunding: (() => void) | undefined;
  private readonly financingEvents = new Emitter<VenueFinancing>();
  /** Funding rows emitted this session (by IG's reference); the app's financing book also books each id once. */
  private readonly fundingSeen = new Set<string>();
  /** The newest funding row's time read (ms), kept in the settings table: a (re)connect reads from a little before. */
  private fundingCursor = 0;
  private fundingBusy = false;

  constructor(private readonly o: IgExecutionOptions) {
    super({
      venue: 'IG', link: o.conn, clock: o.clock, logger: o.logger,
      notConnectedReason: () => {
        const message = o.conn.status().message;
        return `Not connected to IG${message ? ` (${message})` : ''}: the order was not sent`;
      },
    });
    this.timers = o.timers ?? realTimers;
  }

  cancelOrder(orderId: string): void {
    if (this.cancelQueued(orderId)) return;
    const p = this.placed.get(orderId);
    if (!p || p.done) return;
    if (!this.ready || !this.o.conn.isConnected() || !p.dealId) {
      // Not connected, or IG's dealId not known yet (the confirm is on its way): cancelled once it is.
      this.pendingCancels.add(orderId);
      return;
    }
    const epoch = this.epoch;
    const dealId = p.dealId;
    this.o.conn.rest.request('DELETE', `/workingorders/otc/${encodeURIComponent(dealId)}`, 2, undefined, this.o.conn.signal).then(
      () => this.finish(orderId),
      (err: unknown) => {
        if (epoch !== this.epoch) {
          this.pendingCancels.add(orderId);
          return;
        }
        // Not found: it filled or was deleted already; the activity history tells which.
        if (err instanceof IgHttpError && err.status === 404) return void this.pollActivity(epoch);
        this.pendingCancels.add(orderId);
        this.o.logger.warn({ err: (err as Error).message }, 'IG: cancel failed; retried after reconnecting');
        this.o.conn.reset('a cancel got no clear answer');
      },
    );
  }

  // --- sending ---

  protected send(order: Order): void {
    const time = this.o.clock.now();
    const reject = (reason: string) => {
      this.placed.set(order.id, { quantity: order.quantity, filled: 0, done: true, ref: dealReferenceOf(order.id), dealId: null, working: false, confirmed: true });
      this.emit({ kind: 'reject', orderId: order.id, reason, time });
    };
    if (!this.o.conn.isConnected()) return this.enqueue(order);
    const spec = this.o.conn.specBySymbol(order.symbol);
    if (!spec) return reject(`IG: this connection has no market for ${order.symbol} (add its epic to the IG settings)`);
    if (order.type !== 'market' && order.type !== 'limit' && order.type !== 'stop') return reject(`IG takes market, limit and stop orders; a ${order.type} order is held by the app`);
    const size = sizeOf(order.quantity, spec);
    if (Math.abs(unitsOf(size, spec) - order.quantity) > 1e-9) return reject(`IG deals ${order.symbol} in contracts of ${spec.contractSize} units: ${order.quantity} is not a whole number of its smallest size (${spec.minDealSize})`);
    const ref = dealReferenceOf(order.id);
    const working = order.type !== 'market';
    const body: Json = {
      epic: spec.epic, expiry: '-', direction: directionOf(order.side), size, currencyCode: spec.currency, guaranteedStop: false,
      // forceOpen false: an opposite deal reduces the open position (netting, as our books keep it) instead of a hedge.
      forceOpen: false, dealReference: ref,
    };
    if (working) Object.assign(body, { type: order.type === 'limit' ? 'LIMIT' : 'STOP', level: order.type === 'limit' ? order.limitPrice : order.stopPrice, timeInForce: 'GOOD_TILL_CANCELLED' });
    else Object.assign(body, { orderType: 'MARKET', timeInForce: 'FILL_OR_KILL' });
    this.placed.set(order.id, { quantity: order.quantity, filled: 0, done: false, ref, dealId: null, working, confirmed: false });
    const epoch = this.epoch;
    this.o.conn.rest.request<{ dealReference: string }>('POST', working ? '/workingorders/otc' : '/positions/otc', 2, body, this.o.conn.signal).then(
      () => this.confirm(order.id, epoch, this.o.timings.confirmAttempts),
      (err: unknown) => {
        if (epoch !== this.epoch) return; // the reconnect's reconciliation decides
        if (err instanceof IgHttpError && err.status >= 400 && err.status < 500 && !err.uncertain) {
          const p = this.placed.get(order.id)!;
          p.done = true;
          p.confirmed = true;
          this.emit({ kind: 'reject', orderId: order.id, reason: err.message, time: this.o.clock.now() });
          return;
        }
        this.o.logger.warn({ err: (err as Error).message }, 'IG: a deal got no clear answer; reconciling');
        this.o.conn.reset('a deal got no clear answer');
      },
    );
  }

  /** GET /confirms/{dealReference}: IG's outcome of a deal; it may lag the deal a little (404 until then). */
  private confirm(orderId: string, epoch: number, attemptsLeft: number): void {
    const p = this.placed.get(orderId);
    if (!p || epoch !== this.epoch) return;
    this.o.conn.rest.request<Json>('GET', `/confirms/${encodeURIComponent(p.ref)}`, 1, undefined, this.o.conn.signal).then(
      (c) => {
        if (epoch === this.epoch) this.onConfirm(orderId, c);
      },
      (err: unknown) => {
        if (epoch !== this.epoch) return;
        if (err instanceof IgHttpError && err.status === 404 && attemptsLeft > 1) {
          this.timers.after(this.o.timings.confirmRetryMs, () => this.confirm(orderId, epoch, attemptsLeft - 1));
          return;
        }
        this.o.logger.warn({ err: (err as Error).message }, 'IG: no deal confirmation; reconciling');
        this.o.conn.reset('a deal confirmation did not come');
      },
    );
  }

  private onConfirm(orderId: string, c: Json): void {
    const p = this.placed.get(orderId);
    if (!p) return;
    p.confirmed = true;
    if (c['dealStatus'] !== 'ACCEPTED') return this.finish(orderId, describeIgReason(c['reason'] as string | undefined));
    const dealId = String(c['dealId']);
    if (p.working) {
      p.dealId = dealId;
      this.byDealId.set(dealId, orderId);
      this.rememberWorkingOrder(dealId, p.ref);
      this.ack(orderId, dealId);
      if (this.pendingCancels.delete(orderId)) this.cancelOrder(orderId);
      return;
    }
    this.ack(orderId, dealId);
    const spec = this.o.conn.specs().get(String(c['epic']));
    const time = this.o.clock.now();
    this.fill(orderId, {
      execId: `IG-${dealId}`, brokerOrderId: p.ref, permId: p.ref, clientOrderId: orderId, symbol: symbolOfEpic(String(c['epic'])),
      side: c['direction'] === 'SELL' ? 'sell' : 'buy', quantity: spec ? unitsOf(Number(c['size']), spec) : Number(c['size']), price: Number(c['level']), commission: '0.0000', time,
    });
  }

  /** A fill also settles IG's outcome of the deal: no need to ask for its confirm after a reconnect. */
  protected override fill(orderId: string, e: BrokerExecution): void {
    const p = this.placed.get(orderId);
    if (p && !this.seen.has(e.execId)) p.confirmed = true;
    super.fill(orderId, e, p?.dealId ?? undefined);
  }

  // --- the activity history: fills of working orders, deletions made elsewhere ---

  private key(what: string): string | null {
    const h = this.o.conn.accountHash();
    return h ? `ig.${what}.${h}` : null;
  }

  private rememberWorkingOrder(dealId: string, ref: string): void {
    const key = this.key(`working-order.${dealId}`);
    if (key) this.o.ids.set(key, ref).catch((err: unknown) => this.o.logger.error({ err }, 'IG: saving a working order reference failed'));
  }

  private async fetchActivity(fromMs: number, epoch: number): Promise<Json[]> {
    if (epoch !== this.epoch) throw new SnapshotAborted();
    const res = await this.o.conn.rest.request<{ activities: Json[] }>('GET', `/history/activity?from=${isoSeconds(fromMs)}&detailed=true&pageSize=500`, 3, undefined, this.o.conn.signal);
    return res.activities ?? [];
  }

  private moveCursor(activities: Json[]): void {
    for (const a of activities) {
      const t = Date.parse(String(a['date']).endsWith('Z') ? String(a['date']) : `${String(a['date'])}Z`);
      if (Number.isFinite(t) && t > this.cursor) this.cursor = t;
    }
    const key = this.key('activity-since');
    if (key) this.o.ids.set(key, String(this.cursor)).catch((err: unknown) => this.o.logger.error({ err }, 'IG: saving the activity cursor failed'));
  }

  private pollActivity(epoch: number): void {
    if (epoch !== this.epoch || !this.ready) return;
    this.fetchActivity(this.cursor - OVERLAP_MS, epoch).then((list) => {
      if (epoch !== this.epoch) return;
      for (const a of list) this.onActivity(a);
      this.moveCursor(list);
    }, (err: unknown) => {
      if (!(err instanceof SnapshotAborted)) this.o.logger.warn({ err: (err as Error).message }, 'IG: reading the activity history failed; trying again');
    });
  }

  private scheduleActivity(epoch: number): void {
    this.cancelActivity?.();
    this.cancelActivity = this.timers.after(this.o.timings.activityPollMs, () => {
      this.pollActivity(epoch);
      if (epoch === this.epoch) this.scheduleActivity(epoch);
    });
  }

  private onActivity(a: Json): void {
    const e = executionOfActivity(a, this.o.conn.specs(), this.o.clock.now());
    if (e) {
      if (this.seen.has(e.execId)) return;
      const mine = e.clientOrderId && this.placed.has(e.clientOrderId) ? e.clientOrderId : null;
      this.fill(mine ?? externalOrderId({ permId: e.permId, brokerOrderId: e.brokerOrderId }), e);
      return;
    }
    const d = a['details'] as Json | null;
    const actions = (d?.['actions'] as { actionType: string; affectedDealId: string }[] | undefined) ?? [];
    for (const act of actions) {
      if (act.actionType !== 'WORKING_ORDER_DELETED') continue;
      const orderId = this.byDealId.get(act.affectedDealId);
      if (orderId) this.finish(orderId);
    }
  }

  // --- connect, snapshot, reconcile ---

  protected override afterDrop(): void {
    this.cancelActivity?.();
    this.cancelFunding?.();
  }

  protected override afterReady(epoch: number): void {
    this.scheduleActivity(epoch);
    this.pollFunding(epoch); // funding charged while we were away, at once
    this.scheduleFunding(epoch);
  }

  private scheduleFunding(epoch: number): void {
    this.cancelFunding?.();
    this.cancelFunding = this.timers.after(this.o.timings.fundingPollMs, () => {
      this.pollFunding(epoch);
      if (epoch === this.epoch) this.scheduleFunding(epoch);
    });
  }

  // --- overnight funding, from the transaction history ---

  /** Overnight funding IG charged or paid, each row once, also those charged while we were away. */
  onFinancing(listener: (f: VenueFinancing) => void): Disposable {
    return this.financingEvents.on(listener);
  }

  private pollFunding(epoch: number): void {
    if (epoch !== this.epoch || this.fundingBusy) return;
    this.fundingBusy = true;
    this.readFunding(epoch).catch((err: unknown) => {
      if (!(err instanceof SnapshotAborted)) this.o.logger.warn({ err: (err as Error).message }, 'IG: reading the transaction history failed; trying again');
    }).finally(() => {
      this.fundingBusy = false;
    });
  }

  private async readFunding(epoch: number): Promise<void> {
    const key = this.key('funding-since');
    if (!key) return;
    const stored = Number(await this.o.ids.get(key) ?? NaN);
    if (Number.isFinite(stored) && stored > this.fundingCursor) this.fundingCursor = stored;
    const started = this.o.clock.now();
    const from = this.fundingCursor > 0 ? this.fundingCursor - OVERLAP_MS : started - FIRST_CATCH_UP_MS;
    let newest = this.fundingCursor;
    // Paged as IG pages it (50 a page): every page of the window, then the cursor moves.
    for (let page = 1, pages = 1; page <= pages; page++) {
      if (epoch !== this.epoch) throw new SnapshotAborted();
      const res = await this.o.conn.rest.request<{ transactions?: Json[]; metadata?: { pageData?: { totalPages?: number } } }>(
        'GET', `/history/transactions?type=ALL&from=${isoSeconds(from)}&pageSize=50&pageNumber=${page}`, 2, undefined, this.o.conn.signal);
      pages = Number(res.metadata?.pageData?.totalPages ?? 1) || 1;
      for (const row of res.transactions ?? []) {
        const f = fundingOfTransaction(row, this.o.conn.specs().values(), this.o.conn.accountCurrency());
        if (!f) continue;
        if (f.kind === 'unbookable') {
          if (!this.fundingSeen.has(f.reference)) this.o.logger.error({ reference: f.reference, reason: f.reason }, 'IG: a funding row was not booked');
          this.fundingSeen.add(f.reference);
          continue;
        }
        if (f.charge.time > newest) newest = f.charge.time;
        if (this.fundingSeen.has(f.charge.id)) continue;
        this.fundingSeen.add(f.charge.id);
        this.financingEvents.emit(f.charge);
      }
    }
    if (epoch !== this.epoch) return;
    // Rows are read again from a minute before the cursor (times in seconds; each booked once by its reference).
    this.fundingCursor = Math.max(newest, started - OVERLAP_MS);
    await this.o.ids.set(key, String(this.fundingCursor));
  }

  override dispose(): void {
    super.dispose();
    this.financingEvents.clear();
  }

  protected async fetchSnapshot(epoch: number): Promise<BrokerSnapshot> {
    const conn = this.o.conn;
    const get = async <T>(path: string, version: number): Promise<T> => {
      if (epoch !== this.epoch) throw new SnapshotAborted();
      return conn.rest.request<T>('GET', path, version, undefined, conn.signal);
    };
    const now = this.o.clock.now();
    const stored = Number(await this.o.ids.get(this.key('activity-since')!) ?? NaN);
    if (Number.isFinite(stored) && stored > this.cursor) this.cursor = stored;
    const from = this.cursor > 0 ? this.cursor - OVERLAP_MS : now - FIRST_CATCH_UP_MS;
    const activities = await this.fetchActivity(from, epoch);
    const working = (await get<{ workingOrders: { workingOrderData: Json }[] }>('/workingorders', 2)).workingOrders;
    const positions = (await get<{ positions: { position: Json; market: Json }[] }>('/positions', 2)).positions;
    // Deals we sent without learning IG's outcome: their confirm says whether IG has them (404: never arrived).
    const inFlight = new Map<string, Json>();
    for (const [orderId, p] of this.placed) {
      if (p.done || p.confirmed) continue;
      try {
        inFlight.set(orderId, await get<Json>(`/confirms/${encodeURIComponent(p.ref)}`, 1));
      } catch (err) {
        if (!(err instanceof IgHttpError && err.status === 404)) throw err;
      }
    }
    const specs = conn.specs();

    // Working orders: which of ours (their reference from the activity, our memory or the settings table).
    const refByDealId = new Map<string, string>();
    for (const a of activities) {
      const d = a['details'] as Json | null;
      for (const act of (d?.['actions'] as { actionType: string; affectedDealId: string }[] | undefined) ?? []) {
        if (act.actionType === 'WORKING_ORDER_CREATED' && typeof d?.['dealReference'] === 'string') refByDealId.set(act.affectedDealId, d['dealReference']);
      }
    }
    for (const [dealId, orderId] of this.byDealId) refByDealId.set(dealId, this.placed.get(orderId)?.ref ?? '');
    const openOrders: BrokerOrderReport[] = [];
    for (const { workingOrderData: w } of working) {
      const dealId = String(w['dealId']);
      const ref = refByDealId.get(dealId) || (await this.o.ids.get(this.key(`working-order.${dealId}`)!)) || null;
      const spec = specs.get(String(w['epic']));
      const quantity = spec ? unitsOf(Number(w['orderSize']), spec) : Number(w['orderSize']);
      const type = w['orderType'] === 'STOP' ? 'stop' : 'limit';
      const level = Number(w['orderLevel']);
      const clientOrderId = orderIdOfReference(ref);
      openOrders.push({
        brokerOrderId: dealId, permId: ref ?? dealId, clientOrderId, symbol: symbolOfEpic(String(w['epic'])), side: w['direction'] === 'SELL' ? 'sell' : 'buy', type, quantity,
        limitPrice: type === 'limit' ? level : null, stopPrice: type === 'stop' ? level : null, timeInForce: 'gtc', parentBrokerOrderId: null, status: 'working', filledQuantity: 0,
      });
      const id = clientOrderId ?? externalOrderId({ permId: ref ?? dealId, brokerOrderId: dealId });
      const p = this.placed.get(id) ?? { quantity, filled: 0, done: false, ref: ref ?? dealId, dealId, working: true, confirmed: true };
      Object.assign(p, { dealId, working: true, confirmed: true, done: false });
      this.placed.set(id, p);
      this.byDealId.set(dealId, id);
      this.acked.add(id); // the reconciliation acknowledges it
    }

    const executions: BrokerExecution[] = [];
    const completedOrders: BrokerOrderReport[] = [];
    const report = (ref: string, d: Json, epic: string, status: BrokerOrderReport['status']): BrokerOrderReport | null => {
      const clientOrderId = orderIdOfReference(ref);
      if (!clientOrderId) return null;
      const spec = specs.get(epic);
      const size = Number(d['size'] ?? 0);
      return {
        brokerOrderId: ref, permId: ref, clientOrderId, symbol: symbolOfEpic(epic), side: d['direction'] === 'SELL' ? 'sell' : 'buy', type: 'market',
        quantity: spec ? unitsOf(size, spec) : size, limitPrice: null, stopPrice: null, timeInForce: 'gtc', parentBrokerOrderId: null, status, filledQuantity: 0,
      };
    };
    for (const a of activities) {
      const e = executionOfActivity(a, specs, now);
      if (e) {
        if (!executions.some((x) => x.execId === e.execId)) executions.push(e);
        continue;
      }
      const d = a['details'] as Json | null;
      if (!d) continue;
      if (a['status'] === 'REJECTED' && typeof d['dealReference'] === 'string') {
        const r = report(d['dealReference'], d, String(a['epic']), 'rejected');
        if (r) completedOrders.push(r);
      }
      for (const act of (d['actions'] as { actionType: string; affectedDealId: string }[] | undefined) ?? []) {
        const ref = refByDealId.get(act.affectedDealId);
        if (act.actionType === 'WORKING_ORDER_DELETED' && ref) {
          const r = report(ref, d, String(a['epic']), 'cancelled');
          if (r) completedOrders.push(r);
        }
      }
    }
    for (const [orderId, c] of inFlight) {
      const p = this.placed.get(orderId)!;
      if (c['dealStatus'] === 'REJECTED') {
        const r = report(p.ref, c, String(c['epic']), 'rejected');
        if (r) completedOrders.push(r);
        p.done = true;
      }
      p.confirmed = true;
      if (c['dealStatus'] === 'ACCEPTED' && p.working && c['dealId']) {
        p.dealId = String(c['dealId']);
        this.byDealId.set(p.dealId, orderId);
      }
    }
    // Everything in the snapshot is booked by the reconciliation: the activity poll's copies are duplicates.
    for (const e of executions) {
      const p = e.clientOrderId ? this.placed.get(e.clientOrderId) : undefined;
      if (p && !this.seen.has(e.execId)) p.confirmed = true;
      this.noteSnapshotFill(e);
    }
    for (const c of completedOrders) {
      const p = c.clientOrderId ? this.placed.get(c.clientOrderId) : undefined;
      if (p) p.done = true;
    }
    const net = new Map<string, { quantity: number; cost: number }>();
    for (const { position: p, market: m } of positions) {
      const epic = String(m['epic']);
      const spec = specs.get(epic);
      const units = (p['direction'] === 'SELL' ? -1 : 1) * (spec ? unitsOf(Number(p['size']), spec) : Number(p['size']));
      const x = net.get(epic) ?? { quantity: 0, cost: 0 };
      x.quantity += units;
      x.cost += units * Number(p['level']);
      net.set(epic, x);
    }
    const brokerPositions: BrokerPosition[] = [...net].filter(([, x]) => Math.abs(x.quantity) > 1e-9)
      .map(([epic, x]) => ({ symbol: symbolOfEpic(epic), quantity: Number(x.quantity.toFixed(8)), avgPrice: x.cost / x.quantity }));
    this.moveCursor(activities);
    if (this.cursor === 0) this.cursor = now - OVERLAP_MS;
    return { time: now, openOrders, completedOrders, executions, positions: brokerPositions };
  }
}
