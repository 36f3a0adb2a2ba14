// `npm run cli -- portfolio import|lots|gains`: the public contract's shapes, on the real CLI process and a real
// SQLite file: the Flex fixture imported twice (nothing the second time), a CSV with a wash sale, each lot method.
import { execFile } from 'node:child_process';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { describe, expect, it } from 'vitest';
import { accountHash, ibAccountId } from '../../src-main/adapters/ib/session';
import { repoRoot } from '../support/web-host';

const run = promisify(execFile);
async function cli(...args: string[]) {
  try {
    const { stdout, stderr } = await run(process.execPath, ['--import', 'tsx', join(repoRoot, 'src-main/cli/main.ts'), ...args], { cwd: repoRoot });
    return { stdout, stderr, code: 0 };
  } catch (err) {
    const e = err as { stdout: string; stderr: string; code: number };
    return { stdout: e.stdout, stderr: e.stderr, code: e.code };
  }
}
const json = async (...args: string[]) => {
  const r = await cli(...args, '--json');
  expect(r.stderr).toBe('');
  expect(r.code).toBe(0);
  return JSON.parse(r.stdout) as unknown;
};

// IB accounts are kept under the one-way id the connected IB accounts have (never the account number).
const TAXABLE = ibAccountId(accountHash('U1234567'));
const IRA = ibAccountId(accountHash('U7654321'));

describe('cli portfolio', () => {
  it('imports the Flex fixture once; lots and gains in the documented shapes', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'qc-portfolio-'));
    const file = join(repoRoot, 'tests/fixtures/ib-flex-two-accounts.xml');
    expect(await json('portfolio', 'import', '--file', file, '--data-dir', dir)).toEqual({ imported: 14, duplicates: 0, rejected: [] });
    expect(await json('portfolio', 'import', '--file', file, '--format', 'ib-flex', '--data-dir', dir)).toEqual({ imported: 0, duplicates: 14, rejected: [] });
    expect(await json('portfolio', 'lots', '--data-dir', dir)).toEqual({
      lots: [
        { account: TAXABLE, symbol: 'AAPL', quantity: '50', acquired: '2024-01-03', costBasis: '7513.00', washAdjustment: '0.00' },
        { account: TAXABLE, symbol: 'NVDA', quantity: '100', acquired: '2024-05-01', costBasis: '9001.00', washAdjustment: '0.00' },
        { account: TAXABLE, symbol: 'SAP', quantity: '20', acquired: '2024-01-04', costBasis: '2811.25', washAdjustment: '0.00' },
        { account: IRA, symbol: 'AAPL', quantity: '30', acquired: '2024-02-20', costBasis: '4231.00', washAdjustment: '0.00' },
      ],
    });
    // The IRA purchase replaced 30 of the 50 shares sold at a 514 loss: 308.40 disallowed (for good), code W.
    expect(await json('portfolio', 'gains', '--year', '2024', '--data-dir', dir)).toEqual({
      rows: [{ account: TAXABLE, symbol: 'AAPL', quantity: '50', acquired: '2024-01-03', sold: '2024-02-01', proceeds: '6999.00', costBasis: '7513.00', adjustment: '308.40', code: 'W', gain: '-205.60', term: 'short' }],
      totals: { proceeds: '6999.00', costBasis: '7513.00', adjustment: '308.40', gain: '-205.60' },
    });
    expect(await json('portfolio', 'gains', '--year', '2023', '--data-dir', dir)).toEqual({ rows: [], totals: { proceeds: '0.00', costBasis: '0.00', adjustment: '0.00', gain: '0.00' } });
  });

  it('a CSV: rejected rows with reasons, a wash sale added to the replacement lot, --method', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'qc-portfolio-'));
    const file = join(dir, 'tx.csv');
    writeFileSync(file, [
      'date,account,type,symbol,quantity,price,fee,amount,currency',
      '2023-03-01,Brokerage,BUY,XYZ,10,100,,,USD',
      '2023-06-01,Brokerage,BUY,XYZ,10,80,,,USD',
      '2024-02-01,Brokerage,SELL,XYZ,10,90,,,USD',
      '2024-02-10,Brokerage,BUY,XYZ,10,85,,,USD',
      '2024-02-11,Brokerage,BUY,XYZ,ten,85,,,USD',
    ].join('\n'));
    expect(await json('portfolio', 'import', '--file', file, '--data-dir', dir)).toEqual({ imported: 4, duplicates: 0, rejected: [{ row: 5, reason: 'quantity "ten" is not a decimal number' }] });
    // FIFO sells the 2023-03-01 lot at a 100 loss, washed by the 2024-02-10 purchase: its basis 850 + 100.
    const fifo = await json('portfolio', 'lots', '--data-dir', dir) as { lots: { acquired: string; costBasis: string; washAdjustment: string }[] };
    expect(fifo.lots.map((l) => [l.acquired, l.costBasis, l.washAdjustment])).toEqual([['2023-06-01', '800.00', '0.00'], ['2024-02-10', '950.00', '100.00']]);
    const gains = await json('portfolio', 'gains', '--year', '2024', '--data-dir', dir) as { rows: { code: string; gain: string; term: string }[] };
    expect(gains.rows.map((r) => [r.code, r.gain, r.term])).toEqual([['W', '0.00', 'short']]);
    // LIFO sells the 2023-06-01 lot at a gain of 100 (900 − 800; held less than a year): no wash sale.
    const lifo = await json('portfolio', 'gains', '--year', '2024', '--method', 'lifo', '--data-dir', dir) as { rows: { code: string; gain: string; term: string }[] };
    expect(lifo.rows.map((r) => [r.code, r.gain, r.term])).toEqual([['', '100.00', 'short']]);
    const bad = await cli('portfolio', 'lots', '--method', 'average', '--data-dir', dir);
    expect(bad.code).not.toBe(0);
    expect(bad.stderr).toContain('fifo, lifo, hifo');
  });
});
