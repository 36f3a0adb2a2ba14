// The universe file readers on the fixtures: Wikipedia's constituents page, a constituents CSV, iShares' IWM holdings, symbol lists.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { parseConstituentsCsv, parseIsharesHoldings, parseSymbolList, parseWikipediaConstituents, UniverseFileError } from '../../src-main/domain/fundamentals/universe-files';

const fixture = (name: string) => readFileSync(join(__dirname, '../fixtures/universes', name), 'utf8');

describe('universe files', () => {
  it("reads Wikipedia's constituents table (not the changes table after it), entities decoded, footnotes dropped", () => {
    expect(parseWikipediaConstituents(fixture('wikipedia-sp500.html'))).toEqual([
      { symbol: 'MMM', name: '3M', sector: 'Industrials', industry: 'Industrial Conglomerates' },
      { symbol: 'T', name: 'AT&T', sector: 'Communication Services', industry: 'Integrated Telecommunication Services' },
      { symbol: 'BRK.B', name: 'Berkshire Hathaway', sector: 'Financials', industry: 'Multi-Sector Holdings' },
      { symbol: 'MSFT', name: 'Microsoft', sector: 'Information Technology', industry: 'Systems Software' },
      { symbol: 'JNJ', name: 'Johnson & Johnson', sector: 'Health Care', industry: 'Pharmaceuticals' },
    ]);
    expect(() => parseWikipediaConstituents('<html><p>moved</p></html>')).toThrow(UniverseFileError);
  });

  it('reads a constituents CSV by its column names', () => {
    expect(parseConstituentsCsv(fixture('sp500-constituents.csv')).map((m) => [m.symbol, m.sector, m.industry])).toEqual([
      ['MMM', 'Industrials', 'Industrial Conglomerates'],
      ['T', 'Communication Services', 'Integrated Telecommunication Services'],
      ['BRK.B', 'Financials', 'Multi-Sector Holdings'],
    ]);
    expect(() => parseConstituentsCsv('Name,Sector\nA,B\n')).toThrow(/no Symbol column/);
  });

  it("reads iShares' holdings CSV: the date from the preamble, equities only, once each, the disclaimer ignored", () => {
    const { members, asOf } = parseIsharesHoldings(fixture('ishares-iwm-holdings.csv'));
    expect(asOf).toBe('2026-11-28');
    expect(members).toEqual([
      { symbol: 'FN', name: 'FABRINET', sector: 'Information Technology', industry: null },
      { symbol: 'CRS', name: 'CARPENTER TECHNOLOGY CORP', sector: 'Materials', industry: null },
      { symbol: 'HIMS', name: 'HIMS HERS HEALTH INC CLASS A', sector: 'Health Care', industry: null },
      { symbol: 'MOG.A', name: 'MOOG INC CLASS A', sector: 'Industrials', industry: null },
    ]);
    expect(() => parseIsharesHoldings('Symbol,Name\nA,B\n')).toThrow(/no holdings table/);
  });

  it('reads plain lists of symbols and refuses what is not one', () => {
    expect(parseSymbolList('aapl, msft\nNVDA;brk.b  AAPL\n').map((m) => m.symbol)).toEqual(['AAPL', 'MSFT', 'NVDA', 'BRK.B']);
    expect(parseSymbolList('Ticker,Note\nKO,drinks\n').map((m) => m.symbol)).toEqual(['KO']);
    expect(() => parseSymbolList('AAPL, not*a*symbol')).toThrow(/not symbols: NOT\*A\*SYMBOL/);
  });
});
