import fc from 'fast-check';
import { parse } from 'csv-parse/sync';
import { describe, expect, it } from 'vitest';
import { toCsv } from '../../src-renderer/lib/csv-export';

describe('toCsv', () => {
  it('quotes what needs it and nothing else', () => {
    expect(toCsv(['a', 'b'], [['x,y', 'say "hi"'], [1.5, null], ['line\nbreak', ' pad']])).toBe('a,b\r\n"x,y","say ""hi"""\r\n1.5,\r\n"line\nbreak"," pad"\r\n');
  });

  it('any text reads back the same through csv-parse', () => {
    fc.assert(fc.property(fc.array(fc.array(fc.string(), { minLength: 2, maxLength: 2 }), { maxLength: 20 }), (rows) => {
      const back = parse(toCsv(['h1', 'h2'], rows), { columns: true, relax_column_count: false }) as Record<string, string>[];
      expect(back.map((r) => [r['h1'], r['h2']])).toEqual(rows);
    }), { numRuns: 500 });
  });
});
