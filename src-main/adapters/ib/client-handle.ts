// The seam between the IB connection manager (owns the socket) and the clients that use it (data, execution).
import type { IBApi } from '@stoqey/ib';
import type { Disposable } from '../../ports/disposable';

/**
 * An IBApi the connection manager keeps connected. Clients register requests on `api` and listen to its events
 * themselves; they never connect or disconnect it.
 *
 * Contract for the implementer (connection manager):
 * - `api` is the same object for the whole life of the handle (reconnects reuse it), so listeners stay attached.
 * - `onConnected` fires once the session is usable (after nextValidId), on the first connect and after every
 *   reconnect. Clients re-issue their subscriptions there: TWS forgets every request of a dropped socket.
 * - `onDisconnected` fires when the socket closes (the manager then reconnects on its own schedule).
 * - `nextReqId` hands out request ids unique across all clients on this connection and disjoint from order ids
 *   (TWS reports request and order errors through the same id field).
 * - The outgoing path is already paced below 50 msg/s (`installRateLimit` from rate-limit.ts) before `api` is shared;
 *   its `onDropped` option reports messages lost to a closed socket (an order that never reached TWS).
 * - TWS messages arrive on `api`: with a request id as `error` (err, code, reqId), without one (id -1: 1100/1101/1102,
 *   farm notices 2104...) as `info` (message, code); @stoqey/ib 1.6 splits them so. Clients read them with
 *   `classifyIbError` (errors.ts): 1101 = connectivity restored with data lost (resubscribe), 1102 = data kept.
 */
export interface IbClientHandle {
  readonly api: IBApi;
  /** Whether the session is usable now (connected and nextValidId received). */
  isConnected(): boolean;
  onConnected(listener: () => void): Disposable;
  onDisconnected(listener: (reason: string) => void): Disposable;
  nextReqId(): number;
}
