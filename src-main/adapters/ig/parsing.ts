// IG messages ↔ our types: epics and symbols, market details as CFD specs and instruments, our order ids as IG deal
// references, sizes (IG deals in contracts; our quantities are units of the underlying), and activities as executions.
import type { Instrument, OrderSide } from '../../../src-shared/domain/types';
import type { CfdCategory, CfdSpec } from '../../domain/cfd/specs';
import type { BrokerExecution } from '../../ports/broker';

export type Json = Record<string, unknown>;

/** Our symbols for IG's epics where the plain rule (the epic's third part) would not match the app's names. */
const ALIASES: Record<string, string> = { CFDGOLD: 'XAUUSD', SPTRD: 'US500', GOLD: 'XAUUSD', FT100: 'UK100', DAX: 'DE40' };

export function symbolOfEpic(epic: string): string {
  const part = epic.split('.')[2] ?? epic;
  return ALIASES[part] ?? part;
}

/** One market as IG describes it (GET /markets/{epic} or /markets?epics=), in the fields this venue needs. */
export interface IgMarketSpec {
  symbol: string;
  epic: string;
  name: string;
  type: string;
  currency: string;
  /** Units of the underlying in one IG contract. */
  contractSize: number;
  /** The smallest deal, in contracts (also taken as the size step: IG states no other). */
  minDealSize: number;
  /** Margin factor in percent (3.33: 30:1). */
  marginFactor: number;
  decimals: number;
  /** The pip in price terms (IG's onePipMeans: "0.0001 USD"). */
  pip: number;
}

export function marketSpecOf(m: Json): IgMarketSpec {
  const inst = m['instrument'] as Json;
  const rules = m['dealingRules'] as Json;
  const snap = (m['snapshot'] as Json | undefined) ?? {};
  const epic = String(inst['epic']);
  const currencies = (inst['currencies'] as { code: string; isDefault?: boolean }[] | undefined) ?? [];
  const pip = Number(String(inst['onePipMeans'] ?? '').split(' ')[0]);
  return {
    symbol: symbolOfEpic(epic), epic, name: String(inst['name'] ?? epic), type: String(inst['type'] ?? ''),
    currency: (currencies.find((c) => c.isDefault) ?? currencies[0])?.code ?? 'USD',
    contractSize: Number(inst['contractSize'] ?? 1) || 1,
    minDealSize: Number((rules['minDealSize'] as Json | undefined)?.['value'] ?? 1) || 1,
    marginFactor: Number(inst['marginFactor'] ?? 5),
    decimals: Number(snap['decimalPlacesFactor'] ?? 2),
    pip: pip > 0 ? pip : 1,
  };
}

const isMajorFx = (s: string) => ['EURUSD', 'GBPUSD', 'USDJPY', 'USDCHF', 'USDCAD', 'AUDUSD', 'NZDUSD'].includes(s);

/** IG's market as a CFD spec (sizes in units). Financing is not in IG's market details: the rates here are the
 * demo's fallbacks (IG charges its own: read from the transaction history, financing.ts). */
export function cfdSpecOf(m: IgMarketSpec): CfdSpec {
  const fx = m.type === 'CURRENCIES';
  const category: CfdCategory = fx ? (isMajorFx(m.symbol) ? 'major-fx' : 'minor-fx') : m.symbol === 'XAUUSD' ? 'gold' : m.type === 'INDICES' ? 'major-index' : m.type === 'COMMODITIES' ? 'commodity' : 'share';
  const step = m.minDealSize * m.contractSize;
  return {
    symbol: m.symbol, category, assetClass: assetClassOf(m), quoteCurrency: m.currency, contractSize: m.contractSize, minSize: step, sizeStep: step,
    maxLeverage: m.marginFactor > 0 ? Math.round(100 / m.marginFactor) : 1, financing: { long: '-0.0500', short: '0.0100' },
    financingConvention: fx ? 'fx' : 'cfd', tradingHours: fx ? 'fx-24x5' : 'cfd-23x5', pipLocation: Math.round(Math.log10(m.pip)),
  };
}

function assetClassOf(m: IgMarketSpec): Instrument['assetClass'] {
  return m.type === 'CURRENCIES' ? 'fx' : m.type === 'INDICES' ? 'index-cfd' : m.type === 'SHARES' ? 'stock' : 'commodity-cfd';
}

export function instrumentOf(m: IgMarketSpec): Instrument {
  return {
    symbol: m.symbol, name: m.name, assetClass: assetClassOf(m), currency: m.currency.length === 3 ? m.currency : 'USD', exchange: 'IG',
    tickSize: Number((10 ** -m.decimals).toFixed(m.decimals)), lotSize: m.minDealSize * m.contractSize, session: m.type === 'CURRENCIES' ? 'fx-24x5' : 'cfd-23x5',
  };
}

/** Our quantity (units) as an IG size (contracts), to IG's precision. */
export function sizeOf(units: number, m: IgMarketSpec): number {
  const decimals = Math.max(0, -Math.floor(Math.log10(m.minDealSize)) + 2);
  return Number((units / m.contractSize).toFixed(decimals));
}

export function unitsOf(size: number, m: Pick<IgMarketSpec, 'contractSize'>): number {
  return Number((size * m.contractSize).toFixed(8));
}

export const directionOf = (side: OrderSide): 'BUY' | 'SELL' => (side === 'buy' ? 'BUY' : 'SELL');

/**
 * Our order id (a UUID) as an IG dealReference: IG takes up to 30 of [A-Za-z0-9_-], so the UUID's 16 bytes travel as
 * base64url behind a "QC" prefix (24 characters) and come back unchanged. Other ids are hashed one way.
 */
export function dealReferenceOf(orderId: string): string {
  const hex = orderId.replace(/-/g, '');
  if (/^[0-9a-f]{32}$/i.test(hex)) return `QC${Buffer.from(hex, 'hex').toString('base64url')}`;
  let h = 0;
  for (const c of orderId) h = (h * 31 + c.charCodeAt(0)) >>> 0;
  return `QH${orderId.replace(/[^A-Za-z0-9]/g, '').slice(0, 18)}${h.toString(36)}`.slice(0, 30);
}

/** Our order id from a deal reference we made, or null for another's (IG's own, or a deal made elsewhere). */
export function orderIdOfReference(ref: string | null | undefined): string | null {
  if (!ref || !ref.startsWith('QC') || ref.length !== 24) return null;
  const hex = Buffer.from(ref.slice(2), 'base64url').toString('hex');
  if (hex.length !== 32) return null;
  return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-${hex.slice(12, 16)}-${hex.slice(16, 20)}-${hex.slice(20)}`;
}

/** A deal IG made (an activity of type POSITION, ACCEPTED) as an execution; its dealId is the execution id. */
export function executionOfActivity(a: Json, specs: ReadonlyMap<string, IgMarketSpec>, now: number): BrokerExecution | null {
  const d = a['details'] as Json | null | undefined;
  if (a['type'] !== 'POSITION' || a['status'] !== 'ACCEPTED' || !d || !a['dealId']) return null;
  const epic = String(a['epic']);
  const spec = specs.get(epic);
  const ref = (d['dealReference'] as string | undefined) ?? null;
  const size = Number(d['size']);
  const level = Number(d['level']);
  if (!(size > 0) || !(level > 0)) return null;
  const time = Date.parse(String(a['date']).endsWith('Z') ? String(a['date']) : `${String(a['date'])}Z`);
  return {
    execId: `IG-${String(a['dealId'])}`, brokerOrderId: ref ?? String(a['dealId']), permId: ref, clientOrderId: orderIdOfReference(ref),
    symbol: symbolOfEpic(epic), side: d['direction'] === 'SELL' ? 'sell' : 'buy', quantity: spec ? unitsOf(size, spec) : size, price: level,
    // IG's CFD deals carry their cost in the spread (no commission on FX and index CFDs).
    commission: '0.0000', time: Number.isFinite(time) ? time : now,
  };
}
