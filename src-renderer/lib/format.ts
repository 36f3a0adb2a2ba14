// Display formatting. Money arrives as decimal strings; numbers are formatted for display only, never computed on.
const usd = new Intl.NumberFormat('en-US', { style: 'currency', currency: 'USD' });
const signedUsd = new Intl.NumberFormat('en-US', { style: 'currency', currency: 'USD', signDisplay: 'exceptZero' });

export function money(v: string | null | undefined, signed = false): string {
  if (v === null || v === undefined || v === '') return '—';
  const n = Number(v);
  return Number.isFinite(n) ? (signed ? signedUsd : usd).format(n) : '—';
}

/** Money in a broker-reported currency (an ISO code; anything else is shown after the number). */
export function moneyIn(v: string | null | undefined, currency = 'USD'): string {
  if (v === null || v === undefined || v === '') return '—';
  const n = Number(v);
  if (!Number.isFinite(n)) return v;
  try {
    return new Intl.NumberFormat('en-US', { style: 'currency', currency }).format(n);
  } catch {
    return `${n.toLocaleString('en-US', { maximumFractionDigits: 2 })} ${currency}`;
  }
}

export function priceDecimals(tickSize: number): number {
  return Math.max(0, Math.round(-Math.log10(tickSize)));
}

export function price(v: number | null | undefined, tickSize = 0.01): string {
  if (v === null || v === undefined || !Number.isFinite(v)) return '—';
  return v.toLocaleString('en-US', { minimumFractionDigits: priceDecimals(tickSize), maximumFractionDigits: priceDecimals(tickSize) });
}

export function qty(v: number): string {
  return v.toLocaleString('en-US', { maximumFractionDigits: 8 });
}

export function pnlClass(v: string | null | undefined): string {
  const n = Number(v ?? 0);
  return n > 0 ? 'pos' : n < 0 ? 'neg' : '';
}

export function time(ms: number): string {
  return new Date(ms).toLocaleString('en-GB', { hour12: false });
}
