// Broker-side wire types: connection state, reconciliation, broker-reported values, accounts and venues. Ports,
// adapters, the contract and the renderer share them (src-shared runs anywhere).
import { z } from 'zod';
import { AccountSummary, AssetClass, OrderSide, OrderType, Position } from './types';

/** Interactive Brokers connection settings (Settings → Connections). Live trading needs an explicit confirmation. */
export const IbSettings = z.object({
  host: z.string().min(1).max(253).default('127.0.0.1'),
  /** TWS paper 7497, TWS live 7496, Gateway live 4001, Gateway paper 4002. */
  port: z.number().int().min(1).max(65535).default(7497),
  clientId: z.number().int().min(0).max(2_147_483_647).default(1),
  /** The managed account to trade; empty: the first one TWS reports. */
  account: z.string().max(32).default(''),
  mode: z.enum(['paper', 'live']).default('paper'),
  /** Connect at start-up. */
  autoConnect: z.boolean().default(false),
});
export type IbSettings = z.infer<typeof IbSettings>;

export const ConnectionState = z.enum(['disconnected', 'connecting', 'connected', 'degraded']);
export type ConnectionState = z.infer<typeof ConnectionState>;

export const ConnectionStatus = z.object({
  /** The venue id (paper, ib, …). */
  broker: z.string(),
  /** connected: orders and data flow; degraded: orders flow, market data impaired (data farm down, stale feed). */
  state: ConnectionState,
  mode: z.enum(['demo', 'paper', 'live']),
  /** For display: host:port and client id (IB), or "demo market". */
  endpoint: z.string(),
  clientId: z.number().int().nullable(),
  /** The account masked for display (DU••••567); the full id never leaves main. */
  accountLabel: z.string().nullable(),
  serverVersion: z.number().int().nullable(),
  /** Why it is not connected / degraded, for the user (IB error codes mapped to plain words). */
  message: z.string().nullable(),
  /** UTC ms of the last message from the broker (the watchdog's input). */
  lastMessageAt: z.number().nullable(),
  /** UTC ms of the next reconnect attempt while disconnected. */
  nextRetryAt: z.number().nullable(),
  dataFarms: z.array(z.object({ name: z.string(), ok: z.boolean() })),
  /** Orders accepted while not ready, waiting (visibly) for the connection. */
  queuedOrders: z.number().int(),
  /** True only after reconciliation finished on this connection: before that no new order is sent. */
  ready: z.boolean(),
});
export type ConnectionStatus = z.infer<typeof ConnectionStatus>;

export const ReconciliationReport = z.object({
  /** The account reconciled (set where the report leaves main; the trading service knows only its own). */
  accountId: z.string().optional(),
  time: z.number(),
  missedFills: z.array(z.object({ orderId: z.string(), execId: z.string(), symbol: z.string(), side: OrderSide, quantity: z.number(), price: z.number() })),
  closedOrders: z.array(z.object({ orderId: z.string(), symbol: z.string(), status: z.string() })),
  externalOrders: z.array(z.object({ orderId: z.string(), brokerOrderId: z.string(), symbol: z.string(), side: OrderSide, quantity: z.number() })),
  positionDiffs: z.array(z.object({ symbol: z.string(), ours: z.number(), broker: z.number() })),
  /** True when nothing differed. */
  clean: z.boolean(),
});
export type ReconciliationReport = z.infer<typeof ReconciliationReport>;

export const BrokerAccountValue = z.object({ key: z.string(), value: z.string(), currency: z.string() });
export type BrokerAccountValue = z.infer<typeof BrokerAccountValue>;

/** What a venue can do: the order ticket and the live runner read it (a venue without native stops gets them managed). */
export const VenueCapabilities = z.object({
  assetClasses: z.array(AssetClass),
  /** Order types the venue takes natively. */
  orderTypes: z.array(OrderType),
  /** streaming: quotes are pushed; polling: they are fetched on a timer. */
  quotes: z.enum(['streaming', 'polling']),
});
export type VenueCapabilities = z.infer<typeof VenueCapabilities>;

/** One field of a venue's settings form (Settings → Connections renders the form from these). */
export const VenueSettingsField = z.object({
  /** The settings key (`account_id`). */
  key: z.string(),
  label: z.string(),
  kind: z.enum(['text', 'url', 'select', 'checkbox']),
  /** select: the values, with their labels. */
  options: z.array(z.object({ value: z.string(), label: z.string() })).optional(),
  placeholder: z.string().optional(),
  hint: z.string().optional(),
  /** This option value means real money (the form asks for the LIVE confirmation). */
  liveValue: z.string().optional(),
});
export type VenueSettingsField = z.infer<typeof VenueSettingsField>;

export const VenueInfo = z.object({
  id: z.string(),
  label: z.string(),
  capabilities: VenueCapabilities,
  /** Always connected (the paper account); the others connect on request. */
  alwaysOn: z.boolean(),
  /** The settings form's fields, in order; empty: nothing to set. */
  settingsFields: z.array(VenueSettingsField).default([]),
  /** The venue's credential (an API token) kept in the secrets store: its label, or null when it has none. */
  secret: z.object({ label: z.string(), hint: z.string().optional() }).nullable().default(null),
});
export type VenueInfo = z.infer<typeof VenueInfo>;

/** One connected account: which venue, whether it trades real money, its connection. The id is ours (IB: a hash). */
export const AccountInfo = z.object({
  accountId: z.string(),
  venue: z.string(),
  /** For display: "Paper", "IB DU••••567". */
  label: z.string(),
  live: z.boolean(),
  /** The account served when a request names none. */
  default: z.boolean(),
  /** Its venue is always connected (paper): it cannot be disconnected. */
  alwaysOn: z.boolean(),
  /** It trades on the default account's market: its prices are the `quote` events (else `account.quote` names it). */
  onDefaultMarket: z.boolean(),
  status: ConnectionStatus,
});
export type AccountInfo = z.infer<typeof AccountInfo>;

/** One account's totals and positions, pushed about every second while it is connected. */
export const AccountUpdate = z.object({ accountId: z.string(), summary: AccountSummary, positions: z.array(Position) });
export type AccountUpdate = z.infer<typeof AccountUpdate>;

/** The sum over accounts of one currency (NAV, cash, P&L, exposure). */
export const AccountTotal = AccountSummary.omit({ accountId: true, broker: true }).extend({ accounts: z.number().int() });
export type AccountTotal = z.infer<typeof AccountTotal>;
