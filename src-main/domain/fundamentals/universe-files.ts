// Reading lists of stocks (issue 16): the S&P 500 constituents as Wikipedia's "List of S&P 500 companies" table or a
// CSV with its columns (Symbol, Security, GICS Sector, GICS Sub-Industry), an ETF issuer's holdings CSV (iShares' IWM
// format: preamble lines, then Ticker,Name,Sector,Asset Class,…; equities only) and plain lists of symbols. Pure: text
// in, members (or a plain-words error) out.
import type { UniverseMember } from '../../../src-shared/domain/fundamentals';
import { CsvError, parseCsv } from '../data/csv';

export class UniverseFileError extends Error {}

const SYMBOL = /^[A-Z0-9.^=_/-]{1,32}$/;

/** Wikipedia and S&P spell class shares with a dot (BRK.B); Yahoo with a dash. We keep the dot, as the exchanges do. */
const normaliseSymbol = (s: string) => s.trim().toUpperCase().replace(/\s+/g, '');

function dedupe(members: UniverseMember[]): UniverseMember[] {
  const seen = new Set<string>();
  return members.filter((m) => !seen.has(m.symbol) && (seen.add(m.symbol), true));
}

function column(header: readonly string[], names: readonly string[]): number {
  const lower = header.map((h) => h.trim().toLowerCase());
  for (const n of names) {
    const i = lower.indexOf(n.toLowerCase());
    if (i >= 0) return i;
  }
  return -1;
}

/** A constituents CSV: Symbol, Security, GICS Sector, GICS Sub-Industry (other columns ignored; order free). */
export function parseConstituentsCsv(text: string, label = 'constituents CSV'): UniverseMember[] {
  const { header, rows } = readCsv(text, label);
  const sym = column(header, ['Symbol', 'Ticker']);
  const name = column(header, ['Security', 'Name', 'Company']);
  const sector = column(header, ['GICS Sector', 'Sector']);
  const industry = column(header, ['GICS Sub-Industry', 'GICS Sub Industry', 'Industry', 'Sub-Industry']);
  if (sym < 0) throw new UniverseFileError(`${label}: no Symbol column (found ${header.join(', ')})`);
  return dedupe(rows.flatMap((r) => {
    const symbol = normaliseSymbol(r[sym] ?? '');
    if (!SYMBOL.test(symbol)) return [];
    return [{ symbol, name: (name >= 0 ? r[name] : '')?.trim() ?? '', sector: cell(r, sector), industry: cell(r, industry) }];
  }));
}

const cell = (r: readonly string[], i: number) => {
  const v = i >= 0 ? r[i]?.trim() : undefined;
  return v ? v : null;
};

function readCsv(text: string, label: string) {
  try {
    return parseCsv(text, label);
  } catch (err) {
    if (err instanceof CsvError) throw new UniverseFileError(err.message, { cause: err });
    throw err;
  }
}

/**
 * iShares' holdings CSV (IWM for the Russell 2000): a preamble ("Fund Holdings as of", a date, blank lines), then a
 * table whose header starts with Ticker,Name,Sector,Asset Class; cash, futures and money-market lines are left out
 * (Asset Class other than Equity), as is the disclaimer after the table. Returns the members and the as-of date.
 */
export function parseIsharesHoldings(text: string, label = 'holdings CSV'): { members: UniverseMember[]; asOf: string | null } {
  const lines = text.replace(/^\uFEFF/, '').split(/\r\n|\n|\r/);
  const start = lines.findIndex((l) => /^"?Ticker"?\s*,/i.test(l.trim()));
  if (start < 0) throw new UniverseFileError(`${label}: no holdings table (a header line starting with Ticker,Name,Sector,Asset Class)`);
  const asOf = holdingsDate(lines.slice(0, start).join('\n'));
  // The table ends at the first blank line (the issuer's disclaimer follows).
  let end = start + 1;
  while (end < lines.length && lines[end]!.trim() !== '' && !/^"?\u00a0"?$/.test(lines[end]!.trim())) end++;
  const { header, rows } = readCsv(lines.slice(start, end).join('\n'), label);
  const ticker = column(header, ['Ticker']);
  const name = column(header, ['Name']);
  const sector = column(header, ['Sector']);
  const asset = column(header, ['Asset Class']);
  if (asset < 0) throw new UniverseFileError(`${label}: no Asset Class column`);
  const members = dedupe(rows.flatMap((r) => {
    if ((r[asset] ?? '').trim().toLowerCase() !== 'equity') return [];
    const symbol = normaliseSymbol(r[ticker] ?? '');
    if (!SYMBOL.test(symbol) || symbol === '-') return [];
    return [{ symbol, name: cell(r, name) ?? '', sector: cell(r, sector), industry: null }];
  }));
  if (members.length === 0) throw new UniverseFileError(`${label}: no equity holdings in the table`);
  return { members, asOf };
}

const MONTHS = ['jan', 'feb', 'mar', 'apr', 'may', 'jun', 'jul', 'aug', 'sep', 'oct', 'nov', 'dec'];

/** "Fund Holdings as of","Nov 28, 2026" (or an ISO date) → 2026-11-28. */
function holdingsDate(preamble: string): string | null {
  const iso = /(\d{4})-(\d{2})-(\d{2})/.exec(preamble);
  if (iso) return iso[0];
  const m = /([A-Za-z]{3})[a-z]*\.? (\d{1,2}), (\d{4})/.exec(preamble);
  if (!m) return null;
  const month = MONTHS.indexOf(m[1]!.toLowerCase());
  return month < 0 ? null : `${m[3]}-${String(month + 1).padStart(2, '0')}-${m[2]!.padStart(2, '0')}`;
}

const ENTITIES: Record<string, string> = { amp: '&', lt: '<', gt: '>', quot: '"', apos: "'", nbsp: ' ' };
const decodeEntities = (s: string) =>
  s.replace(/&(#x[0-9a-f]+|#\d+|[a-z]+);/gi, (all, e: string) =>
    e[0] === '#' ? String.fromCodePoint(e[1] === 'x' || e[1] === 'X' ? parseInt(e.slice(2), 16) : parseInt(e.slice(1), 10)) : ENTITIES[e.toLowerCase()] ?? all);
/** A cell's text: footnote markers (<sup>[1]</sup>) dropped, tags stripped, entities decoded, blanks collapsed. */
const text = (html: string) => decodeEntities(html.replace(/<sup[\s\S]*?<\/sup>/gi, '').replace(/<[^>]*>/g, '')).replace(/\s+/g, ' ').trim();

/**
 * Wikipedia's "List of S&P 500 companies" page: the constituents table (id="constituents", or the first table whose
 * header has Symbol and GICS Sector). Cells are read by position from the header row.
 */
export function parseWikipediaConstituents(html: string, label = 'Wikipedia page'): UniverseMember[] {
  const tables = html.match(/<table[\s\S]*?<\/table>/gi) ?? [];
  const table = tables.find((t) => /id=["']?constituents/i.test(t)) ?? tables.find((t) => /Symbol/i.test(t) && /GICS/i.test(t));
  if (!table) throw new UniverseFileError(`${label}: no constituents table (Symbol, Security, GICS Sector, GICS Sub-Industry)`);
  const rows = (table.match(/<tr[\s\S]*?<\/tr>/gi) ?? []).map((tr) => (tr.match(/<t[hd][^>]*>[\s\S]*?(?=<t[hd][\s>]|<\/tr>)/gi) ?? []).map(text));
  const headerAt = rows.findIndex((r) => r.some((c) => /^symbol$/i.test(c)));
  if (headerAt < 0) throw new UniverseFileError(`${label}: the constituents table has no Symbol header`);
  const csvLike = [rows[headerAt]!, ...rows.slice(headerAt + 1)].map((r) => r.map((c) => `"${c.replace(/"/g, '""')}"`).join(',')).join('\n');
  return parseConstituentsCsv(csvLike, label);
}

/** A plain list of symbols: one per line, or separated by commas, semicolons or blanks; a CSV with a Symbol/Ticker column. */
export function parseSymbolList(input: string, label = 'list'): UniverseMember[] {
  const first = input.replace(/^\uFEFF/, '').split(/\r\n|\n|\r/, 1)[0] ?? '';
  if (/(^|,)\s*"?(symbol|ticker)"?\s*(,|$)/i.test(first)) return parseConstituentsCsv(input, label);
  const symbols = input.split(/[\s,;]+/).map(normaliseSymbol).filter((s) => s.length > 0);
  const bad = symbols.filter((s) => !SYMBOL.test(s));
  if (bad.length > 0) throw new UniverseFileError(`${label}: not symbols: ${bad.slice(0, 5).join(', ')}${bad.length > 5 ? ` and ${bad.length - 5} more` : ''}`);
  if (symbols.length === 0) throw new UniverseFileError(`${label}: no symbols`);
  return dedupe(symbols.map((symbol) => ({ symbol, name: '', sector: null, industry: null })));
}
