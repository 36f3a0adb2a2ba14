// The one CSV reader: every OHLCV file (backtests, imports, previews) and any other table (transactions) is read here,
// with one set of rules. Pure: text in, values out; reading the file is the adapters' job, storing rejections the
// caller's.
//
// Rules (RFC 4180 plus what real exports do):
// - a byte-order mark at the start is dropped; records end with \n, \r\n or a lone \r; empty lines are skipped and
//   not counted; the first record is the header, data rows count from 1 after it;
// - fields may be quoted ("a, b" and "say ""hi"""), may span lines inside quotes; whitespace around a field is
//   dropped, inside quotes kept; a quote inside an unquoted field or text after a closing quote is an error of that
//   row only (the reader moves on to the next line), an unterminated quote an error of the last row;
// - a row may have more cells than the header; one with fewer than the mapping needs is rejected;
// - dates: YYYY-MM-DD, or YYYY-MM-DD HH:MM[:SS] (space or T), UTC; anything else (a 13th month, 30 February,
//   25:00) rejects the row; the date column's header may be empty (pandas' index column);
// - numbers: decimal, optionally signed, with a fraction and an exponent ("1e3", ".5"); not hex, not Infinity, not
//   empty. An empty volume cell reads as 0 (FX and index exports often leave it blank).
// A row that cannot be read is rejected with its number and the reason; reading never stops at a bad row.
// Input is text or the file's UTF-8 bytes (undecoded, as read from disk): both read the same, row for row. Over bytes,
// plain ASCII OHLCV rows are read straight from the bytes (about twice as fast as charCodeAt over the decoded text,
// and no decoding of the whole file); a row with a quote or a non-ASCII byte is decoded on its own and read by the
// general scanner, as the text would be.
import type { Rejection } from './validate';

export class CsvError extends Error {}

/** Which column holds what; indices from 0. `open`/`high`/`low` absent: a close-only series (they follow close). */
export interface ColumnMapping {
  time: number;
  timeFormat: 'date' | 'decimal-year';
  open?: number;
  high?: number;
  low?: number;
  close: number;
  volume?: number;
}

/** Bars read from a file, column by column, with each bar's data row number. */
export interface OhlcvColumns {
  row: Float64Array;
  time: Float64Array;
  open: Float64Array;
  high: Float64Array;
  low: Float64Array;
  close: Float64Array;
  volume: Float64Array;
}

const DAY = 86_400;
const QUOTE = 34;
const COMMA = 44;
const LF = 10;
const CR = 13;
const SPACE = 32;
const TAB = 9;

/** Ends of a field: more fields follow in the record, the record ended, the text ended. */
const MORE = 0;
const END = 1;
const EOF = 2;

/**
 * A cursor over CSV text that yields one field at a time as a span of the text (`a`..`b`) or, for a quoted field
 * with doubled quotes, as the unescaped `quoted` string. No string is made for an unquoted field: the OHLCV path
 * parses numbers and dates straight from the span, which is what makes a million rows take a fraction of a second
 * (csv-parse builds ≈ 7 strings and an array per row and took ≈ 6 s for 1M rows).
 */
class Scanner {
  pos: number;
  readonly len: number;
  a = 0;
  b = 0;
  quoted: string | undefined;
  /** Why the current field (and so its row) cannot be read; '' when it can. */
  error = '';

  constructor(readonly text: string, atStart = true) {
    this.pos = atStart && text.charCodeAt(0) === 0xfeff ? 1 : 0;
    this.len = text.length;
  }

  /** Skips empty lines; false at the end of the text. */
  startRecord(): boolean {
    const t = this.text;
    for (;;) {
      if (this.pos >= this.len) return false;
      const c = t.charCodeAt(this.pos);
      if (c === LF || c === CR) this.pos++;
      else return true;
    }
  }

  /** Reads the next field; returns MORE, END or EOF. */
  field(): number {
    const t = this.text;
    const len = this.len;
    let i = this.pos;
    let c = 0;
    while (i < len && ((c = t.charCodeAt(i)) === SPACE || c === TAB)) i++;
    this.quoted = undefined;
    this.error = '';
    if (i < len && c === QUOTE) {
      const start = i + 1;
      let parts: string | undefined;
      let from = start;
      i = start;
      for (;;) {
        const q = t.indexOf('"', i);
        if (q === -1) {
          this.error = 'a quoted field is not closed';
          this.pos = len;
          this.a = this.b = start;
          return EOF;
        }
        if (t.charCodeAt(q + 1) === QUOTE) {
          parts = (parts ?? '') + t.slice(from, q + 1);
          i = from = q + 2;
          continue;
        }
        this.quoted = parts === undefined ? t.slice(start, q) : parts + t.slice(from, q);
        i = q + 1;
        break;
      }
      while (i < len && ((c = t.charCodeAt(i)) === SPACE || c === TAB)) i++;
      if (i >= len) return ((this.pos = len), EOF);
      c = t.charCodeAt(i);
      if (c === COMMA) return ((this.pos = i + 1), MORE);
      if (c === LF || c === CR) return this.endRecord(i);
      this.error = 'text after a closing quote';
      return this.skipLine(i);
    }
    const start = i;
    for (; i < len; i++) {
      c = t.charCodeAt(i);
      if (c === COMMA || c === LF || c === CR) break;
      if (c === QUOTE) {
        this.error = 'a quote inside an unquoted field';
        this.a = this.b = start;
        return this.skipLine(i);
      }
    }
    let end = i;
    while (end > start && ((c = t.charCodeAt(end - 1)) === SPACE || c === TAB)) end--;
    this.a = start;
    this.b = end;
    if (i >= len) return ((this.pos = len), EOF);
    if (t.charCodeAt(i) === COMMA) return ((this.pos = i + 1), MORE);
    return this.endRecord(i);
  }

  /** The current field as a string. */
  cell(): string {
    return this.quoted ?? this.text.slice(this.a, this.b);
  }

  /** After a bad field: on to the next line, so one broken row does not take the rest of the file with it. */
  skipRecord(ended: number): number {
    return ended === MORE ? this.skipLine(this.pos) : ended;
  }

  private skipLine(i: number): number {
    const t = this.text;
    while (i < this.len) {
      const c = t.charCodeAt(i);
      if (c === LF || c === CR) return this.endRecord(i);
      i++;
    }
    this.pos = this.len;
    return EOF;
  }

  private endRecord(i: number): number {
    this.pos = this.text.charCodeAt(i) === CR && this.text.charCodeAt(i + 1) === LF ? i + 2 : i + 1;
    return this.pos >= this.len ? EOF : END;
  }
}

/** Reads one record's cells; `undefined` cells never occur. The record's problem, if any, in `error`. */
function readRecord(s: Scanner): { cells: string[]; error: string; ended: number } {
  const cells: string[] = [];
  for (;;) {
    const ended = s.field();
    if (s.error) return { cells, error: s.error, ended: s.skipRecord(ended) };
    cells.push(s.cell());
    if (ended !== MORE) return { cells, error: '', ended };
  }
}

/**
 * A CSV file's text → header and data rows as strings (previews, files of other kinds such as transactions).
 * `limit` keeps only the first rows but still counts them all. Rows that cannot be read are in `rejected`.
 * CsvError when there is no header or no data row.
 */
export function parseCsv(input: string | Uint8Array, label: string, limit = Infinity): { header: string[]; rows: string[][]; rowCount: number; rejected: Rejection[] } {
  const s = new Scanner(typeof input === 'string' ? input : decode(input));
  const header = readHeader(s, label);
  const rows: string[][] = [];
  const rejected: Rejection[] = [];
  let row = 0;
  while (s.startRecord()) {
    row++;
    const r = readRecord(s);
    if (r.error) rejected.push({ row, reason: r.error });
    else if (rows.length < limit) rows.push(r.cells);
    if (r.ended === EOF) break;
  }
  if (row === 0) throw new CsvError(`${label}: no data rows`);
  return { header, rows, rowCount: row, rejected };
}

function readHeader(s: Scanner, label: string): string[] {
  if (!s.startRecord()) throw new CsvError(`${label}: no data rows`);
  const h = readRecord(s);
  if (h.error) throw new CsvError(`${label}: the header cannot be read (${h.error})`);
  if (h.ended === EOF) throw new CsvError(`${label}: no data rows`);
  return h.cells;
}

/** The header's column for each field: the date column is `date`, `time`, `datetime`, `timestamp` or empty. */
export function guessMapping(header: string[], column?: string): ColumnMapping {
  const lower = header.map((h) => h.trim().toLowerCase());
  const find = (name: string) => lower.indexOf(name);
  const time = Math.max(0, ['date', 'time', 'datetime', 'timestamp', ''].map(find).find((i) => i >= 0) ?? 0);
  const timeFormat = lower[time] === 'time' ? 'decimal-year' : 'date';
  const close = column !== undefined ? find(column.toLowerCase()) : find('close');
  if (column !== undefined && close < 0) throw new CsvError(`No column "${column}" (columns: ${header.join(', ')})`);
  if (close < 0) {
    const series = header.filter((_, i) => i !== time);
    throw new CsvError(`No Close column: choose the series with --column (one of ${series.join(', ')})`);
  }
  const opt = (name: string) => (find(name) >= 0 ? find(name) : undefined);
  return column !== undefined
    ? { time, timeFormat, close }
    : { time, timeFormat, open: opt('open'), high: opt('high'), low: opt('low'), close, volume: opt('volume') };
}

/** A full OHLCV file's mapping (backtests): the date first, Open, High, Low and Close required, Volume optional. */
export function ohlcvMapping(header: string[], label: string): ColumnMapping {
  const lower = header.map((h) => h.toLowerCase());
  const col = (name: string) => {
    const i = lower.indexOf(name);
    if (i === -1) throw new CsvError(`${label}: missing column "${name[0]!.toUpperCase()}${name.slice(1)}" (header: ${header.join(', ')})`);
    return i;
  };
  const volume = lower.indexOf('volume');
  return { time: 0, timeFormat: 'date', open: col('open'), high: col('high'), low: col('low'), close: col('close'), volume: volume === -1 ? undefined : volume };
}

// Roles of a column in the OHLCV scan.
const R_TIME = 1;
const R_OPEN = 2;
const R_HIGH = 3;
const R_LOW = 4;
const R_CLOSE = 5;
const R_VOLUME = 6;
const ROLE_NAMES = ['', 'date', 'Open', 'High', 'Low', 'Close', 'Volume'];

/**
 * OHLCV rows → bars in typed arrays, and the rows that cannot be read (missing columns, a bad date or number) with
 * their reasons. Nothing else is judged here (prices ≤ 0, high below low, order): that is validation, the caller's.
 * The mapping's columns must exist in the header (CsvError otherwise). `input`: text, or the file's UTF-8 bytes.
 */
export function readOhlcv(input: string | Uint8Array, label: string, mapping: ColumnMapping | ((header: string[]) => ColumnMapping)): {
  header: string[]; mapping: ColumnMapping; columns: OhlcvColumns; rejected: Rejection[];
} {
  // Text is encoded and read as bytes: one fast path (ByteRecord), and encoding is cheaper than reading a string by
  // charCodeAt (≈ 2× slower than indexing bytes).
  return readOhlcvBytes(typeof input === 'string' ? new TextEncoder().encode(input) : input, label, mapping);
}

/** The mapping checked against the header, as a role per column, and the bars collected from the rows. */
class Bars {
  readonly mapping: ColumnMapping;
  readonly roles: Uint8Array;
  readonly decimalYear: boolean;
  readonly rejected: Rejection[] = [];
  private readonly width: number;
  private readonly hasOpen: boolean;
  private readonly hasHigh: boolean;
  private readonly hasLow: boolean;
  private readonly hasVolume: boolean;
  private cap: number;
  private out: OhlcvColumns;
  private n = 0;

  constructor(header: string[], mapping: ColumnMapping | ((header: string[]) => ColumnMapping), rows: number) {
    const m = typeof mapping === 'function' ? mapping(header) : mapping;
    const roles = new Uint8Array(header.length);
    for (const [key, role] of [['time', R_TIME], ['open', R_OPEN], ['high', R_HIGH], ['low', R_LOW], ['close', R_CLOSE], ['volume', R_VOLUME]] as const) {
      const col = m[key];
      if (col === undefined) continue;
      if (!Number.isInteger(col) || col < 0 || col >= header.length) throw new CsvError(`mapping.${key}: column ${col + 1} does not exist (the file has ${header.length})`);
      // One column, one field: a field whose column another took would be read as nothing (and a file without a
      // date column must not pass for one whose dates are all the same).
      if (roles[col] !== 0) throw new CsvError(`mapping.${key}: column ${col + 1} is already the ${ROLE_NAMES[roles[col]!]} column`);
      roles[col] = role;
    }
    this.mapping = m;
    this.roles = roles;
    this.width = Math.max(m.time, m.close, m.open ?? 0, m.high ?? 0, m.low ?? 0, m.volume ?? 0) + 1;
    this.decimalYear = m.timeFormat === 'decimal-year';
    this.hasOpen = m.open !== undefined;
    this.hasHigh = m.high !== undefined;
    this.hasLow = m.low !== undefined;
    this.hasVolume = m.volume !== undefined;
    this.cap = rows;
    this.out = allocate(rows);
  }

  /** Data row `row` read with `columns` columns and values `v` by role, or why it could not be read. */
  add(row: number, columns: number, why: string, v: Float64Array): void {
    if (!why && columns < this.width) why = `missing columns (${columns} of ${this.width})`;
    if (why) {
      this.rejected.push({ row, reason: why });
      return;
    }
    if (this.n === this.cap) {
      this.cap *= 2;
      this.out = grow(this.out, this.cap);
    }
    const out = this.out;
    const n = this.n++;
    const close = v[R_CLOSE]!;
    const open = this.hasOpen ? v[R_OPEN]! : close;
    out.row[n] = row;
    out.time[n] = v[R_TIME]!;
    out.open[n] = open;
    out.high[n] = this.hasHigh ? v[R_HIGH]! : Math.max(open, close);
    out.low[n] = this.hasLow ? v[R_LOW]! : Math.min(open, close);
    out.close[n] = close;
    out.volume[n] = this.hasVolume ? v[R_VOLUME]! : 0;
  }

  columns(): OhlcvColumns {
    return this.n === this.cap ? this.out : grow(this.out, this.n);
  }
}

/** UTF-8 bytes → text as Node's Buffer#toString('utf8') gives it: a byte-order mark kept (the scanner drops it), bad bytes as U+FFFD. */
function decode(bytes: Uint8Array): string {
  return utf8.decode(bytes);
}

const utf8 = new TextDecoder('utf-8', { ignoreBOM: true });

/**
 * The record starting at byte `p`, as far as the general scanner could read it: up to the first line end outside
 * quotes (a quote toggles; a doubled quote toggles twice), or the end of the bytes. The scanner never reads past it:
 * without an error a record ends exactly there, and after an error it skips to the next line end, which is no later.
 */
function recordEnd(bytes: Uint8Array, p: number): number {
  const len = bytes.length;
  let inQuote = false;
  for (let i = p; i < len; i++) {
    const c = bytes[i]!;
    if (c === QUOTE) inQuote = !inQuote;
    else if (!inQuote && (c === LF || c === CR)) return i;
  }
  return len;
}

/**
 * Where in bytes[p, e) the scanner stopped when it stopped at `pos` of the decoded text: decoding maps every ASCII
 * byte to itself (a bad sequence never swallows one), and the scanner stops only just after a line end or at the end,
 * so counting line ends finds the byte.
 */
function byteAt(bytes: Uint8Array, p: number, e: number, text: string, pos: number): number {
  if (pos >= text.length) return e;
  let ends = 0;
  for (let k = 0; k < pos; k++) {
    const c = text.charCodeAt(k);
    if (c === LF || c === CR) ends++;
  }
  let i = p;
  for (; i < e && ends > 0; i++) {
    const c = bytes[i]!;
    if (c === LF || c === CR) ends--;
  }
  return i;
}

function readOhlcvBytes(bytes: Uint8Array, label: string, mapping: ColumnMapping | ((header: string[]) => ColumnMapping)): {
  header: string[]; mapping: ColumnMapping; columns: OhlcvColumns; rejected: Rejection[];
} {
  const len = bytes.length;
  let pos = bytes[0] === 0xef && bytes[1] === 0xbb && bytes[2] === 0xbf ? 3 : 0;
  while (pos < len && (bytes[pos] === LF || bytes[pos] === CR)) pos++;
  if (pos >= len) throw new CsvError(`${label}: no data rows`);
  // The header: decoded and read by the scanner, like any record that is not plain.
  let e = recordEnd(bytes, pos);
  const hs = new Scanner(decode(bytes.subarray(pos, e)), false);
  const h = readRecord(hs);
  if (h.error) throw new CsvError(`${label}: the header cannot be read (${h.error})`);
  // As readHeader: nothing after the header's line end is no data (blank lines after it are left to the count).
  if ((bytes[e] === CR && bytes[e + 1] === LF ? e + 2 : e + 1) >= len) throw new CsvError(`${label}: no data rows`);
  pos = e;
  const header = h.cells;
  const bars = new Bars(header, mapping, estimateRowsBytes(bytes));
  const fast = new ByteRecord(bytes, bars.roles, bars.decimalYear);
  const v = new Float64Array(7);
  let row = 0;
  for (;;) {
    // Empty lines are skipped and not counted.
    while (pos < len && (bytes[pos] === LF || bytes[pos] === CR)) pos++;
    if (pos >= len) break;
    row++;
    let j = pos < fast.end ? fast.read(pos, v) : -1;
    let why = '';
    if (j >= 0) pos = fast.next;
    else {
      // Not plain: this record alone is decoded and read by the general scanner.
      e = recordEnd(bytes, pos);
      const s = new Scanner(decode(bytes.subarray(pos, e)), false);
      v.fill(NaN);
      v[R_VOLUME] = 0;
      const r = slowRecord(s, bars.roles, header, bars.decimalYear, v);
      why = r.why;
      j = r.columns;
      pos = r.eof ? e : byteAt(bytes, pos, e, s.text, s.pos);
    }
    bars.add(row, j, why, v);
  }
  if (row === 0) throw new CsvError(`${label}: no data rows`);
  return { header, mapping: bars.mapping, columns: bars.columns(), rejected: bars.rejected };
}

/** A record through the general scanner: its values into `v` (by role), the number of columns, or why it is bad. */
function slowRecord(s: Scanner, roles: Uint8Array, header: string[], decimalYear: boolean, v: Float64Array): { why: string; columns: number; eof: boolean } {
  let j = 0;
  let ended = MORE;
  while (ended === MORE) {
    ended = s.field();
    if (s.error) return { why: s.error, columns: j, eof: s.skipRecord(ended) === EOF };
    const role = j < roles.length ? roles[j]! : 0;
    j++;
    if (role === 0) continue;
    const q = s.quoted;
    const src = q === undefined ? s.text : q.trim();
    const a = q === undefined ? s.a : 0;
    const b = q === undefined ? s.b : src.length;
    if (role === R_TIME) {
      const time = decimalYear ? decimalYearSpan(src, a, b) : dateSpan(src, a, b);
      if (Number.isNaN(time)) return { why: `bad date "${src.slice(a, b)}"`, columns: j, eof: s.skipRecord(ended) === EOF };
      v[R_TIME] = time;
      continue;
    }
    const x = role === R_VOLUME && a === b ? 0 : numberSpan(src, a, b);
    if (Number.isNaN(x)) return { why: `bad number in ${header[j - 1] || ROLE_NAMES[role]} "${src.slice(a, b)}"`, columns: j, eof: s.skipRecord(ended) === EOF };
    v[role] = x;
  }
  return { why: '', columns: j, eof: ended === EOF };
}

/**
 * The fast path: a record of plain fields (no quote, numbers of at most 15 digits without exponent, a valid date),
 * over the UTF-8 bytes. This loop runs once per row of files of millions of rows, which is why it is hand-written
 * over bytes rather than with a general parser: it makes no string and touches each byte once. It gives up (−1) on
 * anything else (a byte of a multi-byte character is neither a digit, a separator nor a quote, so a non-ASCII date or
 * number gives up; in a column the mapping does not use it is skipped), and the caller decodes the record and reads
 * it again with the scanner.
 */
class ByteRecord {
  /** Where the next record starts, after a successful read. */
  next = 0;
  /** Just past the last line end: a record that starts before it ends at a line end, so no loop below needs a bound. */
  readonly end: number;

  constructor(private readonly text: Uint8Array, private readonly roles: Uint8Array, private readonly decimalYear: boolean) {
    let e = text.length;
    while (e > 0 && text[e - 1] !== LF && text[e - 1] !== CR) e--;
    this.end = e;
  }

  private dayAt = -1;
  private daySeconds = 0;

  /** dateSpan, with the day kept: an intraday file repeats each day for hundreds of rows. */
  private date(a: number, b: number): number {
    const t = this.text;
    const n = b - a;
    if (n !== 10 && n !== 16 && n !== 19) return NaN;
    const d = this.dayAt;
    let same = d >= 0;
    for (let k = 0; same && k < 10; k++) same = t[a + k] === t[d + k];
    if (!same) {
      this.daySeconds = dayBytes(t, a);
      this.dayAt = Number.isNaN(this.daySeconds) ? -1 : a;
    }
    return n === 10 ? this.daySeconds : this.daySeconds + timeBytes(t, a, n);
  }

  /**
   * The record at `i` (before `end`): values into `v` by role; the number of columns, or −1 to leave the record to
   * the scanner. Every loop stops at the record's line end at the latest, so none checks the length.
   */
  read(i: number, v: Float64Array): number {
    const t = this.text;
    const roles = this.roles;
    let j = 0;
    let c = t[i]!;
    for (;;) {
      const role = j < roles.length ? roles[j]! : 0;
      j++;
      while (c === SPACE || c === TAB) c = t[++i]!;
      if (role === R_TIME && !this.decimalYear) {
        // The date's length from where a separator follows it (date() checks every other byte), else by scanning.
        const c10 = t[i + 10];
        let b = c10 === COMMA || c10 === LF || c10 === CR ? i + 10 : -1;
        if (b < 0 && (c10 === SPACE || c10 === 84)) {
          const c19 = t[i + 19];
          const c16 = t[i + 16];
          if (c19 === COMMA || c19 === LF || c19 === CR) b = i + 19;
          else if (c16 === COMMA || c16 === LF || c16 === CR) b = i + 16;
        }
        if (b < 0) {
          const a = i;
          for (; c !== COMMA && c !== LF && c !== CR; c = t[++i]!) if (c === QUOTE) return -1;
          b = i;
          for (let e = t[b - 1]!; b > a && (e === SPACE || e === TAB); e = t[--b - 1]!);
          const time = this.date(a, b);
          if (Number.isNaN(time)) return -1;
          v[R_TIME] = time;
        } else {
          const time = this.date(i, b);
          if (Number.isNaN(time)) return -1;
          v[R_TIME] = time;
          c = t[(i = b)]!;
        }
      } else if (role === 0 || role === R_TIME) {
        const a = i;
        for (; c !== COMMA && c !== LF && c !== CR; c = t[++i]!) if (c === QUOTE) return -1;
        if (role === R_TIME) {
          let b = i;
          for (let e = t[b - 1]!; b > a && (e === SPACE || e === TAB); e = t[--b - 1]!);
          const time = decimalYearBytes(t, a, b);
          if (Number.isNaN(time)) return -1;
          v[R_TIME] = time;
        }
      } else {
        let sign = 1;
        if (c === 45) {
          sign = -1;
          c = t[++i]!;
        } else if (c === 43) c = t[++i]!;
        // Integer digits, then fraction digits: one comparison per byte in each loop.
        let m = 0;
        const from = i;
        for (let d = c - 48; d >= 0 && d <= 9; d = (c = t[++i]!) - 48) m = m * 10 + d;
        let digits = i - from;
        let fracDigits = 0;
        let dot = false;
        if (c === 46) {
          dot = true;
          const at = i + 1;
          for (let d = (c = t[++i]!) - 48; d >= 0 && d <= 9; d = (c = t[++i]!) - 48) m = m * 10 + d;
          fracDigits = i - at;
          digits += fracDigits;
        }
        while (c === SPACE || c === TAB) c = t[++i]!;
        if (c !== COMMA && c !== LF && c !== CR) return -1;
        if (digits === 0) {
          // An empty volume is 0; anything else without digits ("", ".", "-") is the scanner's to word.
          if (role !== R_VOLUME || dot || sign !== 1) return -1;
          v[R_VOLUME] = 0;
        } else if (digits > 15) return -1;
        else v[role] = fracDigits === 0 ? sign * m : (sign * m) / POW10[fracDigits]!;
      }
      if (c === COMMA) {
        c = t[++i]!;
        continue;
      }
      this.next = c === CR && t[i + 1] === LF ? i + 2 : i + 1;
      return j;
    }
  }
}

/** Data rows at most: the line count (a lone-\r file has one line here, and grows). */
function estimateRowsBytes(bytes: Uint8Array): number {
  let lines = 0;
  for (let i = bytes.indexOf(LF); i !== -1; i = bytes.indexOf(LF, i + 1)) lines++;
  return Math.max(1, bytes[bytes.length - 1] === LF ? lines - 1 : lines);
}

function allocate(n: number): OhlcvColumns {
  return { row: new Float64Array(n), time: new Float64Array(n), open: new Float64Array(n), high: new Float64Array(n), low: new Float64Array(n), close: new Float64Array(n), volume: new Float64Array(n) };
}

function grow(c: OhlcvColumns, n: number): OhlcvColumns {
  const next = allocate(n);
  const k = Math.min(n, c.row.length);
  for (const key of ['row', 'time', 'open', 'high', 'low', 'close', 'volume'] as const) next[key].set(c[key].subarray(0, k));
  return next;
}

const POW10 = Array.from({ length: 23 }, (_, i) => 10 ** i);
const NUMBER_RE = /^[+-]?(?:\d+\.?\d*|\.\d+)(?:[eE][+-]?\d+)?$/;

/**
 * The decimal number in text[a, b), NaN when it is not one. Up to 15 digits and no exponent (nearly every price and
 * volume) are read here: the digits as an exact integer, divided once by an exact power of ten, which rounds
 * correctly and so equals Number(text); anything longer goes through Number() after the syntax check.
 */
export function numberSpan(text: string, a: number, b: number): number {
  let i = a;
  let c = text.charCodeAt(i);
  let sign = 1;
  if (c === 45) {
    sign = -1;
    i++;
  } else if (c === 43) i++;
  let m = 0;
  let digits = 0;
  let frac = -1;
  for (; i < b; i++) {
    c = text.charCodeAt(i);
    if (c >= 48 && c <= 57) {
      m = m * 10 + (c - 48);
      digits++;
    } else if (c === 46 && frac === -1) frac = digits;
    else break;
  }
  if (i === b && digits > 0 && digits <= 15) return frac === -1 || frac === digits ? sign * m : (sign * m) / POW10[digits - frac]!;
  const s = text.slice(a, b);
  return NUMBER_RE.test(s) ? Number(s) : NaN;
}

const digit = (text: string, i: number) => {
  const c = text.charCodeAt(i) - 48;
  return c >= 0 && c <= 9 ? c : -100_000;
};

/** Days from 1970-01-01 to a proleptic Gregorian date (Howard Hinnant's days_from_civil). */
function daysFromCivil(y: number, m: number, d: number): number {
  y -= m <= 2 ? 1 : 0;
  const era = Math.floor(y / 400);
  const yoe = y - era * 400;
  const doy = Math.floor((153 * (m + (m > 2 ? -3 : 9)) + 2) / 5) + d - 1;
  const doe = yoe * 365 + Math.floor(yoe / 4) - Math.floor(yoe / 100) + doy;
  return era * 146097 + doe - 719468;
}

const DAYS_IN_MONTH = [31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31];

/** 'YYYY-MM-DD' or 'YYYY-MM-DD HH:MM[:SS]' (or T) in text[a, b) as UTC seconds; NaN when malformed. */
export function dateSpan(text: string, a: number, b: number): number {
  const n = b - a;
  if (n !== 10 && n !== 16 && n !== 19) return NaN;
  const day = daySpan(text, a);
  return n === 10 ? day : day + timeSpan(text, a, n);
}

/** The day of 'YYYY-MM-DD' at text[a] as UTC seconds; NaN when malformed. */
function daySpan(text: string, a: number): number {
  if (text.charCodeAt(a + 4) !== 45 || text.charCodeAt(a + 7) !== 45) return NaN;
  const y = digit(text, a) * 1000 + digit(text, a + 1) * 100 + digit(text, a + 2) * 10 + digit(text, a + 3);
  const mo = digit(text, a + 5) * 10 + digit(text, a + 6);
  const d = digit(text, a + 8) * 10 + digit(text, a + 9);
  if (y < 0 || mo < 1 || mo > 12 || d < 1) return NaN;
  const leap = mo === 2 && y % 4 === 0 && (y % 100 !== 0 || y % 400 === 0);
  if (d > DAYS_IN_MONTH[mo - 1]! + (leap ? 1 : 0)) return NaN;
  return daysFromCivil(y, mo, d) * DAY;
}

/** The time of day after a date at text[a] (' HH:MM' or ' HH:MM:SS', or T; `n` = 16 or 19) in seconds; NaN when malformed. */
function timeSpan(text: string, a: number, n: number): number {
  const sep = text.charCodeAt(a + 10);
  if ((sep !== SPACE && sep !== 84) || text.charCodeAt(a + 13) !== 58) return NaN;
  const h = digit(text, a + 11) * 10 + digit(text, a + 12);
  const mi = digit(text, a + 14) * 10 + digit(text, a + 15);
  let sec = 0;
  if (n === 19) {
    if (text.charCodeAt(a + 16) !== 58) return NaN;
    sec = digit(text, a + 17) * 10 + digit(text, a + 18);
  }
  if (h < 0 || h > 23 || mi < 0 || mi > 59 || sec < 0 || sec > 59) return NaN;
  return h * 3600 + mi * 60 + sec;
}

const digitByte = (bytes: Uint8Array, i: number) => {
  const c = bytes[i]! - 48;
  return c >= 0 && c <= 9 ? c : -100_000;
};

/** daySpan over bytes. */
function dayBytes(t: Uint8Array, a: number): number {
  if (t[a + 4] !== 45 || t[a + 7] !== 45) return NaN;
  const y = digitByte(t, a) * 1000 + digitByte(t, a + 1) * 100 + digitByte(t, a + 2) * 10 + digitByte(t, a + 3);
  const mo = digitByte(t, a + 5) * 10 + digitByte(t, a + 6);
  const d = digitByte(t, a + 8) * 10 + digitByte(t, a + 9);
  if (y < 0 || mo < 1 || mo > 12 || d < 1) return NaN;
  const leap = mo === 2 && y % 4 === 0 && (y % 100 !== 0 || y % 400 === 0);
  if (d > DAYS_IN_MONTH[mo - 1]! + (leap ? 1 : 0)) return NaN;
  return daysFromCivil(y, mo, d) * DAY;
}

/** timeSpan over bytes. */
function timeBytes(t: Uint8Array, a: number, n: number): number {
  const sep = t[a + 10];
  if ((sep !== SPACE && sep !== 84) || t[a + 13] !== 58) return NaN;
  const h = digitByte(t, a + 11) * 10 + digitByte(t, a + 12);
  const mi = digitByte(t, a + 14) * 10 + digitByte(t, a + 15);
  let sec = 0;
  if (n === 19) {
    if (t[a + 16] !== 58) return NaN;
    sec = digitByte(t, a + 17) * 10 + digitByte(t, a + 18);
  }
  if (h < 0 || h > 23 || mi < 0 || mi > 59 || sec < 0 || sec > 59) return NaN;
  return h * 3600 + mi * 60 + sec;
}

/** decimalYearSpan over bytes: the span as text when it is ASCII (files in decimal years are small); NaN otherwise, for the scanner to word. */
function decimalYearBytes(t: Uint8Array, a: number, b: number): number {
  let text = '';
  for (let i = a; i < b; i++) {
    if (t[i]! >= 0x80) return NaN;
    text += String.fromCharCode(t[i]!);
  }
  return decimalYearSpan(text, 0, text.length);
}

/** A date cell as UTC seconds; NaN when malformed. */
export function parseDate(text: string): number {
  const s = text.trim();
  return dateSpan(s, 0, s.length);
}

function decimalYearSpan(text: string, a: number, b: number): number {
  if (a === b) return NaN;
  const v = numberSpan(text, a, b);
  return Number.isFinite(v) && v >= 1000 && v < 10_000 ? decimalYearToTime(v) : NaN;
}

/**
 * Decimal years with `perYear` business days (R's ts(frequency = 260)): the fraction counts business days from
 * 1 January, so 1991.49615 with 260 a year is the 129th business day of 1991.
 */
export function decimalYearToTime(value: number, perYear = 260): number {
  const year = Math.floor(value + 1e-9);
  const index = Math.round((value - year) * perYear);
  let t = Date.UTC(year, 0, 1) / 1000;
  let count = 0;
  for (;;) {
    const wd = new Date(t * 1000).getUTCDay();
    if (wd !== 0 && wd !== 6) {
      if (count === index) return t;
      count++;
    }
    t += DAY;
  }
}

/**
 * An OHLCV file for a backtest: every row must be a bar (dates rising, prices positive, high and low around open and
 * close), since a backtest over a file with holes would mislead; CsvError lists the rows that are not.
 */
export function parseBarsCsv(input: string | Uint8Array, label = 'CSV'): { time: Float64Array; open: Float64Array; high: Float64Array; low: Float64Array; close: Float64Array; volume: Float64Array } {
  const { columns: c, rejected } = readOhlcv(input, label, (header) => ohlcvMapping(header, label));
  const problems = rejected.map((r) => ({ row: r.row, reason: r.reason }));
  const n = c.row.length;
  let lastTime = -Infinity;
  let bad = false;
  for (let k = 0; k < n; k++) {
    const o = c.open[k]!, h = c.high[k]!, l = c.low[k]!, cl = c.close[k]!, v = c.volume[k]!;
    let why = '';
    if (!(o > 0 && h > 0 && l > 0 && cl > 0) || !Number.isFinite(o + h + l + cl)) why = 'non-positive or non-numeric price';
    else if (!Number.isFinite(v) || v < 0) why = 'bad volume';
    else if (l > Math.min(o, cl) || h < Math.max(o, cl)) why = 'high/low inconsistent with open/close';
    else if (c.time[k]! <= lastTime) why = 'timestamp not after the previous row';
    if (why) {
      problems.push({ row: c.row[k]!, reason: why });
      bad = true;
    } else lastTime = c.time[k]!;
  }
  if (problems.length) {
    if (bad && rejected.length) problems.sort((x, y) => x.row - y.row);
    const list = problems.slice(0, 5).map((p) => `row ${p.row}: ${p.reason}`).join('; ');
    throw new CsvError(`${label}: ${problems.length} bad row${problems.length > 1 ? 's' : ''} (rows count from 1 after the header): ${list}${problems.length > 5 ? '; …' : ''}`);
  }
  return { time: c.time, open: c.open, high: c.high, low: c.low, close: c.close, volume: c.volume };
}
