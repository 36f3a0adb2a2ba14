// Removes secrets from text that leaves the main process (API responses, pushed events): the configured API keys
// wherever they appear, and the usual credential shapes (apikey=…, token=…, "password":"…", Bearer …) in URLs and
// echoed request bodies. Upstream errors often quote the request URL, key included.

const REDACTED = '[redacted]';
const QUERY = /\b(api[_-]?key|apikey|access[_-]?token|auth[_-]?token|token|secret|password|key)=([^\s"'&,;<>)]+)/gi;
const JSON_FIELD = /"(api[_-]?key|apikey|access[_-]?token|auth[_-]?token|token|secret|password)"\s*:\s*"[^"]*"/gi;
const AUTH_HEADER = /\b(Bearer|Basic)\s+[A-Za-z0-9._~+/=-]{8,}/g;
/** Shorter values are not treated as secrets (they would match ordinary text). */
const MIN_SECRET_LENGTH = 6;

/** `text` with every known secret and credential-shaped value replaced by "[redacted]". */
export function scrubText(text: string, secrets: readonly string[] = []): string {
  let out = text;
  for (const s of secrets) {
    if (s.length < MIN_SECRET_LENGTH) continue;
    for (const form of new Set([s, encodeURIComponent(s)])) if (out.includes(form)) out = out.split(form).join(REDACTED);
  }
  return out.replace(QUERY, `$1=${REDACTED}`).replace(JSON_FIELD, `"$1":"${REDACTED}"`).replace(AUTH_HEADER, `$1 ${REDACTED}`);
}

/** A copy of `value` with every string in it scrubbed; parts without a change are shared, not copied. */
export function scrubDeep<T>(value: T, secrets: readonly string[] = []): T {
  const walk = (v: unknown): unknown => {
    if (typeof v === 'string') return scrubText(v, secrets);
    if (v === null || typeof v !== 'object' || ArrayBuffer.isView(v)) return v;
    if (Array.isArray(v)) {
      let changed: unknown[] | undefined;
      for (let i = 0; i < v.length; i++) {
        const x = v[i] as unknown;
        // Arrays of numbers (bars, equity curves) are the bulk of large payloads: nothing to scrub.
        if (typeof x === 'number') continue;
        const y = walk(x);
        if (y !== x) (changed ??= v.slice())[i] = y;
      }
      return changed ?? v;
    }
    let changed: Record<string, unknown> | undefined;
    for (const [k, x] of Object.entries(v)) {
      const y = walk(x);
      if (y !== x) (changed ??= { ...(v as Record<string, unknown>) })[k] = y;
    }
    return changed ?? v;
  };
  return walk(value) as T;
}
