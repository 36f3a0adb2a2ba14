// The one CSV reader against its rules: examples of each rule, then fast-check: generated valid files read exactly as
// csv-parse reads them, generated bars come back exactly, malformed rows are rejected with their row and a reason,
// and no text at all makes it throw anything but a CsvError.
import { parse } from 'csv-parse/sync';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { CsvError, dateSpan, guessMapping, numberSpan, parseBarsCsv, parseCsv, parseDate, readOhlcv } from './csv';

const OHLCV = { time: 0, timeFormat: 'date', open: 1, high: 2, low: 3, close: 4, volume: 5 } as const;
const utc = (iso: string) => Date.parse(`${iso}Z`) / 1000;

describe('the CSV reader', () => {
  it('reads a byte-order mark, CRLF, quoted fields, an empty date header, dates with and without a time', () => {
    const text = '\uFEFF,Open,High,Low,Close,Volume\r\n'
      + '2024-01-02,"1,000.5",1001,999,1000,"12"\r\n'
      + '\r\n'
      + ' "2024-01-02 15:30" , 1 , 2 , 0.5 , 1.5 ,\r\n'
      + '2024-01-03T09:30:15,1e2,2E2,50,.5e2,7\r\n'
      + '"2024-01-04",1,2,0.5,1.5,3';
    const { header, columns: c, rejected } = readOhlcv(text, 'f.csv', (h) => guessMapping(h));
    expect(header).toEqual(['', 'Open', 'High', 'Low', 'Close', 'Volume']);
    expect(rejected).toEqual([{ row: 1, reason: 'bad number in Open "1,000.5"' }]);
    expect(Array.from(c.row)).toEqual([2, 3, 4]);
    expect(Array.from(c.time)).toEqual([utc('2024-01-02T15:30:00'), utc('2024-01-03T09:30:15'), utc('2024-01-04T00:00:00')]);
    expect(Array.from(c.open)).toEqual([1, 100, 1]);
    expect(Array.from(c.close)).toEqual([1.5, 50, 1.5]);
    expect(Array.from(c.volume)).toEqual([0, 7, 3]);
  });

  it('rejects each bad row with its number and reason and reads on', () => {
    const text = [
      'Date,Open,High,Low,Close,Volume',
      '2024-01-02,1,2,0.5,1.5,10', // 1 ok
      '2024-02-30,1,2,0.5,1.5,10', // 2 no such day
      '2024-01-04 24:00,1,2,0.5,1.5,10', // 3 no such hour
      '2024-01-05,1,2,0.5,abc,10', // 4 not a number
      '2024-01-08,1,2', // 5 short
      '2024-01-09,1,2,0.5,1"5,10', // 6 stray quote
      '2024-01-10,"1"x,2,0.5,1.5,10', // 7 text after a quote
      '2024-01-11,0x10,2,0.5,1.5,10', // 8 hex
      '2024-01-12,1,2,0.5,Infinity,10', // 9
      '2024-01-15,1,2,0.5,1.5,10', // 10 ok
      '2024-01-16,1,2,0.5,"1.5', // 11 never closed
    ].join('\n');
    const { columns, rejected } = readOhlcv(text, 'bad.csv', OHLCV);
    expect(Array.from(columns.row)).toEqual([1, 10]);
    expect(rejected.map((r) => r.row)).toEqual([2, 3, 4, 5, 6, 7, 8, 9, 11]);
    expect(rejected.map((r) => r.reason)).toEqual([
      'bad date "2024-02-30"', 'bad date "2024-01-04 24:00"', 'bad number in Close "abc"', 'missing columns (3 of 6)',
      'a quote inside an unquoted field', 'text after a closing quote', 'bad number in Open "0x10"', 'bad number in Close "Infinity"',
      'a quoted field is not closed',
    ]);
  });

  it('checks the mapping against the header and needs a data row', () => {
    expect(() => readOhlcv('Date,Close\n2024-01-02,1', 'f', { time: 0, timeFormat: 'date', close: 9 })).toThrow(/^mapping\.close: column 10 does not exist \(the file has 2\)/);
    // A file without a date column: guessMapping takes the first, which is also Close.
    expect(() => readOhlcv('Close\n1\n2', 'f', (h) => guessMapping(h))).toThrow(/^mapping\.close: column 1 is already the date column/);
    expect(() => parseBarsCsv(new TextEncoder().encode('Open,High,Low,Close\n1,2,0.5,1.5\n'), 'f')).toThrow(/^mapping\.open: column 1 is already the date column/);
    expect(() => parseCsv('Date,Close\n', 'f')).toThrow(CsvError);
    expect(() => parseCsv('', 'f')).toThrow(/no data rows/);
  });

  it('close-only series: open, high and low follow close; decimal years', () => {
    const { columns: c } = readOhlcv('time,DAX,SMI\n1991.49615,1628.75,1678.1\n1991.5,1613.63,1688.5\n', 'eu', (h) => guessMapping(h, 'DAX'));
    expect(Array.from(c.close)).toEqual([1628.75, 1613.63]);
    expect(Array.from(c.open)).toEqual(Array.from(c.close));
    expect(Array.from(c.high)).toEqual(Array.from(c.close));
    expect(new Date(c.time[0]! * 1000).toISOString().slice(0, 10)).toBe('1991-07-01');
  });

  it('a backtest file must be all bars: the bad rows are listed', () => {
    expect(() => parseBarsCsv('\uFEFFDate,Open,High,Low,Close\n2020-01-01,1,2,0.5,1.5\n2020-01-02,1,2,0.5,-3\n2020-13-01,1,2,0.5,1\n2020-01-01,1,2,0.5,1\n', 'bad.csv'))
      .toThrow(/^bad\.csv: 3 bad rows \(rows count from 1 after the header\): row 2: non-positive.*; row 3: bad date "2020-13-01"; row 4: timestamp not after/);
    expect(() => parseBarsCsv('Date,Open,High,Close\n2020-01-01,1,2,1.5\n', 'nolow.csv')).toThrow(/missing column "Low"/);
    const d = parseBarsCsv('Date,Open,High,Low,Close\r\n2020-01-01,1,2,0.5,1.5\r\n2020-01-02,1.5,2,1,1.75\r\n');
    expect(Array.from(d.close)).toEqual([1.5, 1.75]);
    expect(Array.from(d.time)).toEqual([utc('2020-01-01T00:00:00'), utc('2020-01-02T00:00:00')]);
  });
});

// ---- properties ----

/** A cell's text, written as a CSV writer would: quoted when it must be, sometimes when it need not be. */
function writeCell(cell: string, quoteAnyway: boolean): string {
  return quoteAnyway || /[",\r\n]/.test(cell) || cell !== cell.trim() ? `"${cell.replace(/"/g, '""')}"` : cell;
}

const cellText = fc.string({ unit: fc.constantFrom('a', 'B', '1', '.', ',', '"', ' ', '\n', '\r\n', 'é', '-', '\t'), maxLength: 8 });

describe('the CSV reader, generated files', () => {
  it('reads every valid file exactly as csv-parse does (BOM, CRLF, quotes, uneven rows, empty lines)', () => {
    fc.assert(fc.property(
      fc.array(fc.array(fc.tuple(cellText, fc.boolean()), { minLength: 1, maxLength: 5 }), { minLength: 2, maxLength: 12 }),
      fc.constantFrom('\n', '\r\n'), fc.boolean(), fc.boolean(), fc.boolean(),
      (records, eol, bom, trailing, blankLine) => {
        // A record that writes as an empty line is no record at all, for both readers.
        const lines = records.map((cells) => cells.map(([c, q]) => writeCell(c, q)).join(',')).filter((l) => l.trim() !== '');
        fc.pre(lines.length >= 2);
        if (blankLine) lines.splice(1, 0, '');
        const text = (bom ? '\uFEFF' : '') + lines.join(eol) + (trailing ? eol : '');
        const theirs = parse(text, { bom: true, relax_column_count: true, skip_empty_lines: true, trim: true }) as string[][];
        const ours = parseCsv(text, 'gen');
        expect(ours.rejected).toEqual([]);
        expect([ours.header, ...ours.rows]).toEqual(theirs);
        expect(ours.rowCount).toBe(theirs.length - 1);
      },
    ), { numRuns: 400 });
  });

  const bar = fc.record({
    day: fc.integer({ min: 0, max: 60_000 }), // 1970 … 2134
    second: fc.option(fc.integer({ min: 0, max: 86_399 }), { nil: undefined }),
    withSeconds: fc.boolean(),
    prices: fc.array(fc.double({ min: 1e-6, max: 1e9, noNaN: true }), { minLength: 5, maxLength: 5 }),
    style: fc.array(fc.constantFrom('plain', 'fixed', 'exp', 'quoted', 'spaced'), { minLength: 5, maxLength: 5 }),
  });

  it('reads generated bars exactly, in every way of writing numbers and dates', () => {
    fc.assert(fc.property(fc.array(bar, { minLength: 1, maxLength: 30 }), fc.constantFrom('\n', '\r\n'), (bars, eol) => {
      const expected = bars.map((b) => {
        const second = b.second === undefined ? 0 : b.withSeconds ? b.second : b.second - (b.second % 60);
        return { time: b.day * 86_400 + second, values: b.prices.map((p, k) => Number(numberText(p, b.style[k]!).replace(/"/g, '').trim())) };
      });
      const lines = ['Date,Open,High,Low,Close,Volume', ...bars.map((b, i) => {
        const iso = new Date(expected[i]!.time * 1000).toISOString();
        const date = b.second === undefined ? iso.slice(0, 10) : `${iso.slice(0, 10)} ${iso.slice(11, b.withSeconds ? 19 : 16)}`;
        return [date, ...b.prices.map((p, k) => numberText(p, b.style[k]!))].join(',');
      })];
      const { columns: c, rejected } = readOhlcv(lines.join(eol), 'gen', OHLCV);
      expect(rejected).toEqual([]);
      expect(Array.from(c.time)).toEqual(expected.map((e) => e.time));
      for (const [k, key] of (['open', 'high', 'low', 'close', 'volume'] as const).entries()) expect(Array.from(c[key])).toEqual(expected.map((e) => e.values[k]));
    }), { numRuns: 300 });
  });

  it('rejects every malformed row with its number and a reason, and keeps the others', () => {
    const broken = fc.constantFrom('', 'x', '1x', '--1', '1.2.3', '0x1F', 'NaN', '1"', ' "1" x', '1e', '+', '.', 'Infinity', ',');
    fc.assert(fc.property(fc.array(fc.tuple(bar, fc.option(fc.tuple(fc.integer({ min: 0, max: 4 }), broken), { nil: undefined })), { minLength: 1, maxLength: 30 }), (rows) => {
      const lines = ['Date,Open,High,Low,Close,Volume'];
      const bad: number[] = [];
      rows.forEach(([b, breakIt], i) => {
        const cells = [new Date(b.day * 86_400_000).toISOString().slice(0, 10), ...b.prices.map((p) => String(p))];
        if (breakIt) {
          const [k, text] = breakIt;
          // Column k + 1 (a price; 0 = the date) gets a malformed value. An empty volume is allowed (0).
          cells[k === 0 ? 0 : k] = k === 0 ? text.replace(/^$/, '2024-1-1') : text;
          bad.push(i + 1);
        }
        lines.push(cells.join(','));
      });
      // (A quote left open takes the lines after it into its row: the example above has one, at the end.)
      const { columns, rejected } = readOhlcv(lines.join('\n'), 'gen', OHLCV);
      expect(rejected.map((r) => r.row)).toEqual(bad);
      for (const r of rejected) expect(r.reason).toMatch(/^(bad date|bad number in \w+|missing columns|a quote|a quoted field|text after)/);
      const good = rows.map((_, i) => i + 1).filter((r) => !bad.includes(r));
      expect(Array.from(columns.row)).toEqual(good);
    }), { numRuns: 300 });
  });

  it('never throws on any text but a CsvError', () => {
    const anyText = fc.string({ unit: fc.constantFrom('2024-01-02', '1', '.', ',', '"', ' ', '\n', '\r', 'e', '-', 'Date', 'Close', '\uFEFF'), maxLength: 60 });
    fc.assert(fc.property(anyText, (text) => {
      for (const read of [() => parseCsv(text, 'x'), () => readOhlcv(text, 'x', (h) => guessMapping(h)), () => parseBarsCsv(text, 'x')]) {
        try {
          read();
        } catch (err) {
          expect(err).toBeInstanceOf(CsvError);
        }
      }
    }), { numRuns: 2000 });
  });

  it('reads numbers as Number() does and dates as Date.UTC does', () => {
    fc.assert(fc.property(fc.double({ noNaN: true, noDefaultInfinity: true }), (x) => {
      for (const s of [String(x), x.toFixed(4), x.toExponential(6), x.toPrecision(15)]) expect(numberSpan(s, 0, s.length)).toBe(Number(s));
    }), { numRuns: 2000 });
    fc.assert(fc.property(fc.date({ min: new Date('1000-01-01'), max: new Date('9999-12-31'), noInvalidDate: true }), (d) => {
      const iso = d.toISOString();
      expect(parseDate(iso.slice(0, 19))).toBe(Math.floor(d.getTime() / 1000));
      expect(dateSpan(iso, 0, 10)).toBe(Date.UTC(d.getUTCFullYear(), d.getUTCMonth(), d.getUTCDate()) / 1000);
    }), { numRuns: 2000 });
  });
});

describe('the CSV reader over bytes', () => {
  // The reference: the text as Node decodes the file's bytes (what the adapters passed before they passed the bytes).
  const utf8 = (bytes: Uint8Array) => Buffer.from(bytes).toString('utf8');
  const enc = (text: string) => new TextEncoder().encode(text);
  const cat = (...parts: (string | number[])[]) => Uint8Array.from(parts.flatMap((p) => (typeof p === 'string' ? [...enc(p)] : p)));
  const BOM = [0xef, 0xbb, 0xbf];

  /** What a read gives, or the CsvError it throws, in a form toEqual compares (columns as arrays). */
  function outcome(read: () => unknown): unknown {
    try {
      const r = read() as Record<string, unknown>;
      return JSON.parse(JSON.stringify(r, (_, v: unknown) => (v instanceof Float64Array ? Array.from(v, (x) => (Number.isNaN(x) ? 'NaN' : x)) : v)));
    } catch (err) {
      if (!(err instanceof CsvError)) throw err;
      return { error: err.message };
    }
  }

  /** Every reader gives the same for the bytes as for their text. */
  function sameForBytesAndText(bytes: Uint8Array): void {
    const text = utf8(bytes);
    expect(outcome(() => readOhlcv(bytes, 'f', (h) => guessMapping(h)))).toEqual(outcome(() => readOhlcv(text, 'f', (h) => guessMapping(h))));
    expect(outcome(() => readOhlcv(bytes, 'f', OHLCV))).toEqual(outcome(() => readOhlcv(text, 'f', OHLCV)));
    expect(outcome(() => parseBarsCsv(bytes, 'f'))).toEqual(outcome(() => parseBarsCsv(text, 'f')));
    expect(outcome(() => parseCsv(bytes, 'f'))).toEqual(outcome(() => parseCsv(text, 'f')));
  }

  it('reads a BOM, CRLF, a non-ASCII byte in a field and a multi-byte character in a quoted field as the text', () => {
    const bytes = cat(BOM, 'Date,Open,High,Low,Close,Volume,Note\r\n',
      '2024-01-02,1,2,0.5,1.5,10,plain\r\n', // 1
      '2024-01-03,1,2,0.5,1.5,10,"café, “cité”\r\nsuite 😀"\r\n', // 2: quoted, multi-byte, a line end inside
      '2024-01-04,1,2,0.5,1.5,1é,x\r\n', // 3: a non-ASCII byte in a number
      '2024-01-0é,1,2,0.5,1.5,1,x\r\n', // 4: … in the date
      '2024-01-05,1,2,0.5,1.5,1,', [0xff, 0xc3], '\r\n', // 5: bad UTF-8 in a column not read
      '2024-01-06,1,2,0.5,1.5,1,"', [0xe2, 0x82], '"\r\n', // 6: a character cut short, quoted
      '\uFEFF2024-01-08,1,2,0.5,1.5,1,x\r\n', // 7: a BOM not at the start is text
      '2024-01-09,"1.5",2,0.5,1.5,1,"ok"'); // 8: quoted numbers, no line end after the last row
    const r = readOhlcv(bytes, 'f', OHLCV);
    expect(r.header).toEqual(['Date', 'Open', 'High', 'Low', 'Close', 'Volume', 'Note']);
    expect(Array.from(r.columns.row)).toEqual([1, 2, 5, 6, 8]);
    expect(r.rejected).toEqual([
      { row: 3, reason: 'bad number in Volume "1é"' },
      { row: 4, reason: 'bad date "2024-01-0é"' },
      { row: 7, reason: 'bad date "\uFEFF2024-01-08"' },
    ]);
    expect(parseCsv(bytes, 'f').rows[1]![6]).toBe('café, “cité”\r\nsuite 😀');
    sameForBytesAndText(bytes);
    sameForBytesAndText(Uint8Array.from([...bytes].map((b) => (b === 13 ? 10 : b)))); // LF only
  });

  const piece = fc.constantFrom<string | number[]>(
    'Date,Open,High,Low,Close,Volume\n', '2024-01-02', '2024-02-30', '2024-01-02 10:30:00', '2024-01-02T10:30', '1', '1.5', '-2', '1e3',
    '.', ',', ',1,2,0.5,1.5,10', '"', '""', ' ', '\t', '\n', '\r', '\r\n', 'e', 'x', 'Date', 'Close', 'time', '1991.5',
    BOM, 'é', '€', '😀', '“', [0xff], [0xc3], [0x80], [0xe2, 0x82], [0xf0, 0x9f],
  );

  it('any bytes read as their text: same columns, rejections and errors (fast-check)', () => {
    fc.assert(fc.property(fc.array(piece, { maxLength: 60 }), (parts) => sameForBytesAndText(cat(...parts))), { numRuns: 3000 });
  });

  it('generated OHLCV files with damaged rows read as their text (fast-check)', () => {
    const cell = fc.oneof(
      fc.constantFrom('1', '2.5', '0.5', ' 3 ', '"4"', '', '1é', '"1,5"', '"é\n"', '"😀"', '1"2', '"1"x', '1e2', '"2024-01-05"'),
      fc.double({ min: 1e-6, max: 1e9, noNaN: true }).map(String),
    );
    const row = fc.tuple(fc.integer({ min: 0, max: 40_000 }), fc.option(fc.integer({ min: 0, max: 86_399 }), { nil: undefined }), fc.array(cell, { minLength: 0, maxLength: 7 }));
    fc.assert(fc.property(fc.boolean(), fc.constantFrom('\n', '\r\n', '\r'), fc.boolean(), fc.array(row, { maxLength: 20 }), (bom, eol, trailing, rows) => {
      const lines = ['Date,Open,High,Low,Close,Volume,Note', ...rows.map(([day, second, cells]) => {
        const iso = new Date((day * 86_400 + (second ?? 0)) * 1000).toISOString();
        return [second === undefined ? iso.slice(0, 10) : `${iso.slice(0, 10)} ${iso.slice(11, 19)}`, ...cells].join(',');
      })];
      sameForBytesAndText(cat(bom ? BOM : [], lines.join(eol) + (trailing ? eol : '')));
    }), { numRuns: 1000 });
  });
});

/** A price written one of several ways. */
function numberText(p: number, style: string): string {
  switch (style) {
    case 'fixed': return p.toFixed(4);
    case 'exp': return p.toExponential(8);
    case 'quoted': return `"${p.toFixed(2)}"`;
    case 'spaced': return ` ${p.toPrecision(10)} `;
    default: return String(p);
  }
}
