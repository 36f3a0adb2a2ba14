// A venue's settings form (VenueInfo.settingsFields) ↔ the settings sent to venues.connect, and the handler's
// "Invalid settings: field: message" back to errors by field. Validation itself is the venue's own schema, in main.
import type { VenueInfo } from '../../src-shared/api/contract';

export type Values = Record<string, string | boolean>;

/** Saved settings → form values (absent optional fields: empty). */
export function toValues(info: VenueInfo, saved: Record<string, unknown>): Values {
  const out: Values = {};
  for (const f of info.settingsFields) {
    const v = saved[f.key];
    out[f.key] = f.kind === 'checkbox' ? v === true : typeof v === 'string' || typeof v === 'number' ? String(v) : (f.options?.[0]?.value ?? '');
  }
  return out;
}

/** Form values → the settings sent: empty optional text left out so the venue's default applies. */
export function toSettings(info: VenueInfo, values: Values): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const f of info.settingsFields) {
    const v = values[f.key];
    if (f.kind === 'checkbox') out[f.key] = v === true;
    else if (typeof v === 'string' && (v.trim() !== '' || f.kind === 'text')) out[f.key] = v.trim();
  }
  return out;
}

/** "Invalid settings: base_url: Invalid URL; x: …" (the handler's BAD_REQUEST) → errors by field. */
export function settingsErrors(message: string, keys: string[]): Record<string, string> {
  const out: Record<string, string> = {};
  for (const part of message.replace(/^Invalid settings:\s*/, '').split('; ')) {
    const m = /^([\w.]+): (.*)$/.exec(part);
    if (m && keys.includes(m[1]!)) out[m[1]!] ??= m[2]!;
  }
  return out;
}
