// The Settings form ↔ the contract's IbSettings: parsing text fields and plain-word reasons per field.
import { IbSettings } from '../../src-shared/api/contract';

export type Mode = IbSettings['mode'];

export const PORT_PRESETS: { label: string; port: number; mode: Mode }[] = [
  { label: 'TWS paper', port: 7497, mode: 'paper' },
  { label: 'TWS live', port: 7496, mode: 'live' },
  { label: 'Gateway paper', port: 4002, mode: 'paper' },
  { label: 'Gateway live', port: 4001, mode: 'live' },
];

/** Plain words per field; the schema decides which fields are wrong, these say how to put them right. */
const FIELD_HINTS: Record<string, string> = {
  host: 'Host is required: the machine running TWS or IB Gateway, e.g. 127.0.0.1',
  port: 'Port must be a whole number from 1 to 65535',
  clientId: 'Client id must be a whole number from 0 to 2147483647, unique per connection to TWS',
  account: 'Account must be at most 32 characters (or empty for the first account TWS reports)',
};

export interface SettingsForm { host: string; port: string; clientId: string; account: string; mode: Mode; autoConnect: boolean }

export const toForm = (s: IbSettings): SettingsForm => ({
  host: s.host, port: String(s.port), clientId: String(s.clientId), account: s.account, mode: s.mode, autoConnect: s.autoConnect,
});

/** Whole numbers only: "7497.5" or "12abc" must not slip through as a number. */
const int = (text: string): number => (/^\s*-?\d+\s*$/.test(text) ? Number(text) : NaN);

export function validateSettings(form: SettingsForm): { settings?: IbSettings; errors: Record<string, string> } {
  const parsed = IbSettings.safeParse({ ...form, host: form.host.trim(), account: form.account.trim(), port: int(form.port), clientId: int(form.clientId) });
  if (parsed.success) return { settings: parsed.data, errors: {} };
  const errors: Record<string, string> = {};
  for (const issue of parsed.error.issues) {
    const key = String(issue.path[0] ?? '_');
    errors[key] ??= FIELD_HINTS[key] ?? issue.message;
  }
  return { errors };
}
