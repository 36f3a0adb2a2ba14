// Row ↔ StoredProfile for the SQLite and Postgres instrument_profiles tables (typed columns; null = no value).
import { StoredProfile } from '../../src-shared/domain/profile';
import { storedJson } from './store-rows';

export interface ProfileRow {
  symbol: string; source: string; sector: string | null; industry: string | null; assetClass: string | null; country: string | null; updatedAt: number;
}

export function profileToRow(p: StoredProfile): ProfileRow {
  return { symbol: p.symbol, source: p.source, sector: p.sector ?? null, industry: p.industry ?? null, assetClass: p.assetClass ?? null, country: p.country ?? null, updatedAt: p.updatedAt };
}

export function rowToProfile(r: ProfileRow): StoredProfile {
  const { sector, industry, assetClass, country, ...rest } = r;
  const fields = Object.fromEntries(Object.entries({ sector, industry, assetClass, country }).filter(([, v]) => v !== null));
  return storedJson(StoredProfile, { ...rest, ...fields }, 'instrument_profiles');
}
