// IB Flex Query (Activity) XML → ledger transactions, with IB's own field names. Pure.
//
// Read (docs/portfolio.md has the table):
// - <FlexStatement accountId>, <AccountInformation accountId acctAlias currency accountType>: one ledger account per
//   IB account, several per file (id: see FlexOptions; named by its alias, else the masked number); an accountType
//   naming an IRA makes it tax-advantaged;
// - <Trade> (levelOfDetail EXECUTION, or none): assetCategory STK → BUY/SELL from buySell (or the sign of quantity),
//   tradePrice, |ibCommission| as the fee when ibCommissionCurrency is the trade's currency (a separate FEE otherwise),
//   tradeDate/dateTime, fxRateToBase, ibExecID; assetCategory CASH (EUR.USD) → FX; sourceRef `trade:<tradeID>`;
// - <CashTransaction> (not the SUMMARY level): type Dividends / Payment In Lieu Of Dividends → DIVIDEND, Withholding
//   Tax → TAX (IB's negative amount is the tax; a positive one a refund), Broker/Bond Interest Received → INTEREST,
//   Broker/Bond Interest Paid, Other Fees, Commission Adjustments → FEE, Deposits & Withdrawals → DEPOSIT/WITHDRAWAL;
//   sourceRef `cash:<transactionID>`;
// - <CorporateAction> type FS (forward split) / RS (reverse split): the ratio from IB's description
//   ("SPLIT 4 FOR 1"), once per split (the row with the shares received); other types are rejected with the reason;
//   sourceRef `ca:<transactionID>`;
// - <ConversionRate reportDate fromCurrency toCurrency rate>: fills a transaction's fxRateToBase when IB left it out.
// Dates as IB writes them: yyyyMMdd, yyyy-MM-dd or MM/dd/yyyy; dateTime with ';', ',' or ' ' before the time.
import { LedgerAccount, Transaction } from '../../../src-shared/domain/ledger';
import { dec } from '../money';
import { transactionProblem } from './book';
import type { ImportRejection, ParsedImport } from './csv-import';
import { isCalendarDate } from '../../../src-shared/domain/dates';
import { readFlatXml, XmlError, type XmlElement } from './flat-xml';

export interface FlexRate {
  date: string;
  from: string;
  to: string;
  rate: string;
}

export interface ParsedFlex extends ParsedImport {
  /** The ledger ids of every statement account in the file (new or known). */
  statementAccounts: string[];
  rates: FlexRate[];
}

class RowError extends Error {}

/** IB's date formats → YYYY-MM-DD, or undefined. */
export function flexDate(s: string | undefined): string | undefined {
  if (!s) return undefined;
  const d = s.trim().split(/[;, ]/)[0]!;
  let iso: string | undefined;
  if (/^\d{8}$/.test(d)) iso = `${d.slice(0, 4)}-${d.slice(4, 6)}-${d.slice(6, 8)}`;
  else if (/^\d{4}-\d{2}-\d{2}$/.test(d)) iso = d;
  else if (/^\d{2}\/\d{2}\/\d{4}$/.test(d)) iso = `${d.slice(6, 10)}-${d.slice(0, 2)}-${d.slice(3, 5)}`;
  return iso && isCalendarDate(iso) ? iso : undefined;
}

/** The time part of IB's dateTime as HH:MM:SS, or undefined. */
function flexTime(s: string | undefined): string | undefined {
  const m = s ? /[;, ](\d{2}):?(\d{2}):?(\d{2})$/.exec(s.trim()) : null;
  return m ? `${m[1]}:${m[2]}:${m[3]}` : undefined;
}

const DECIMAL = /^-?\d+(\.\d+)?$/;

/** A masked IB account number for names ("U1••••567"): the number itself is not kept. */
export function maskedIbAccount(account: string): string {
  return account.length > 5 ? `${account.slice(0, 2)}••••${account.slice(-3)}` : '••••';
}

export interface FlexOptions {
  /**
   * The ledger account id of an IB account number. The app passes the id its connected IB accounts have (a one-way
   * hash, adapters/ib/session.ts), so a statement and the live fills of one account meet; default: the number itself.
   */
  accountId?: (ibAccount: string) => string;
}

export function parseIbFlex(text: string, known: readonly LedgerAccount[], opts: FlexOptions = {}): ParsedFlex {
  const ledgerId = opts.accountId ?? ((a: string) => a);
  let elements: XmlElement[];
  try {
    elements = readFlatXml(text);
  } catch (err) {
    if (err instanceof XmlError) return { accounts: [], transactions: [], rejected: [{ row: 0, reason: `not a readable Flex XML file: ${err.message}` }], statementAccounts: [], rates: [] };
    throw err;
  }
  if (elements[0]!.name !== 'FlexQueryResponse') {
    return { accounts: [], transactions: [], rejected: [{ row: 0, reason: `not a Flex Query statement: the root element is <${elements[0]!.name}>, not <FlexQueryResponse>` }], statementAccounts: [], rates: [] };
  }

  // Accounts: from the statements and their AccountInformation.
  const info = new Map<string, { alias?: string; currency?: string; type?: string }>();
  for (const e of elements) {
    if (e.name === 'FlexStatement' && e.attrs['accountId']) info.set(e.attrs['accountId'], info.get(e.attrs['accountId']) ?? {});
    if (e.name === 'AccountInformation' && e.attrs['accountId']) {
      info.set(e.attrs['accountId'], { alias: e.attrs['acctAlias'] || undefined, currency: e.attrs['currency'] || undefined, type: e.attrs['accountType'] || undefined });
    }
  }
  const byId = new Map(known.map((a) => [a.id, a]));
  const created: LedgerAccount[] = [];
  for (const [number, i] of info) {
    const id = ledgerId(number);
    if (byId.has(id)) continue;
    const account = LedgerAccount.parse({
      id, name: i.alias ?? `IB ${maskedIbAccount(number)}`, kind: 'statement', baseCurrency: /^[A-Z]{3}$/.test(i.currency ?? '') ? i.currency : 'USD',
      taxType: /\b(IRA|Roth)\b/i.test(i.type ?? '') ? 'tax-advantaged' : 'taxable', lotMethod: 'fifo',
    });
    byId.set(id, account);
    created.push(account);
  }

  const rates: FlexRate[] = [];
  for (const e of elements) {
    if (e.name !== 'ConversionRate') continue;
    const date = flexDate(e.attrs['reportDate']);
    const rate = e.attrs['rate'];
    if (date && e.attrs['fromCurrency'] && e.attrs['toCurrency'] && rate && DECIMAL.test(rate) && Number(rate) > 0) {
      rates.push({ date, from: e.attrs['fromCurrency'], to: e.attrs['toCurrency'], rate });
    }
  }

  const transactions: Transaction[] = [];
  const rejected: ImportRejection[] = [];
  const splitsSeen = new Set<string>();
  for (const e of elements) {
    if (!['Trade', 'CashTransaction', 'CorporateAction'].includes(e.name)) continue;
    try {
      const rows = e.name === 'Trade' ? trade(e) : e.name === 'CashTransaction' ? cash(e) : corporateAction(e, splitsSeen);
      for (const row of rows) {
        const account = info.has(row.accountId) ? byId.get(ledgerId(row.accountId)) : undefined;
        if (!account) throw new RowError(`account ${maskedIbAccount(row.accountId)} has no FlexStatement in the file`);
        row.accountId = account.id;
        row.id = `ib-flex:${account.id}:${row.sourceRef}`;
        if (row.fxRateToBase === undefined && row.currency !== account.baseCurrency) {
          const r = rates.find((x) => x.date === row.date && x.from === row.currency && x.to === account.baseCurrency);
          if (r) row.fxRateToBase = r.rate;
        }
        const parsed = Transaction.safeParse(row);
        if (!parsed.success) throw new RowError(parsed.error.issues.map((i) => `${i.path.join('.')}: ${i.message}`).join('; '));
        const problem = transactionProblem(parsed.data);
        if (problem) throw new RowError(problem);
        transactions.push(parsed.data);
      }
    } catch (err) {
      if (!(err instanceof RowError)) throw err;
      rejected.push({ row: e.line, reason: `<${e.name}>: ${err.message}` });
    }
  }
  return { accounts: created, transactions, rejected, statementAccounts: [...info.keys()].map(ledgerId), rates };
}

/** Common fields of a data element: its account (own attribute, else the statement's), date, currency. */
function base(e: XmlElement, dateFields: string[]) {
  const a = e.attrs;
  const accountId = a['accountId'] || e.parents.find((p) => p['accountId'])?.['accountId'];
  if (!accountId) throw new RowError('no accountId');
  let date: string | undefined;
  for (const f of dateFields) if ((date = flexDate(a[f]))) break;
  if (!date) throw new RowError(`no readable date (${dateFields.join(', ')})`);
  const currency = a['currency'] ?? '';
  if (!/^[A-Z]{3}$/.test(currency)) throw new RowError(`currency "${currency}" is not a three-letter code`);
  const fx = a['fxRateToBase'];
  return { accountId, date, currency, fxRateToBase: fx && DECIMAL.test(fx) && Number(fx) > 0 ? fx : undefined };
}

const num = (e: XmlElement, field: string): string => {
  const v = (e.attrs[field] ?? '').trim();
  if (!DECIMAL.test(v)) throw new RowError(`${field} "${v}" is not a number`);
  return v;
};
const abs = (v: string) => dec(v).abs().toFixed();

function trade(e: XmlElement): Transaction[] {
  const a = e.attrs;
  const level = a['levelOfDetail'];
  if (level && level !== 'EXECUTION') return []; // ORDER, SYMBOL_SUMMARY and CLOSED_LOT rows repeat the executions
  if (/\(Ca\.\)/.test(a['buySell'] ?? '')) throw new RowError(`a cancellation (buySell "${a['buySell']}"): delete the cancelled trade by hand`);
  const ref = a['tradeID'] || a['transactionID'];
  if (!ref) throw new RowError('no tradeID: it could not be re-imported without duplicates');
  const b = base(e, ['tradeDate', 'dateTime', 'reportDate']);
  const time = flexTime(a['dateTime']);
  const quantity = num(e, 'quantity');
  const side = (a['buySell'] ?? '').toUpperCase().startsWith('SELL') ? 'SELL' : (a['buySell'] ?? '').toUpperCase().startsWith('BUY') ? 'BUY' : dec(quantity).lt(0) ? 'SELL' : 'BUY';
  const commission = a['ibCommission'] ? num(e, 'ibCommission') : '0';
  const commissionCurrency = a['ibCommissionCurrency'] || b.currency;
  const sourceRef = `trade:${ref}`;
  const id = `ib-flex:${b.accountId}:${sourceRef}`;
  const extraFee: Transaction[] = commissionCurrency !== b.currency && !dec(commission).isZero()
    ? [{ id: `${id}:fee`, accountId: b.accountId, date: b.date, type: 'FEE', symbol: a['symbol'], amount: abs(commission), currency: commissionCurrency, fee: '0', source: 'ib-flex', sourceRef: `${sourceRef}:fee`, note: 'commission' }]
    : [];
  const fee = extraFee.length ? '0' : abs(commission);
  const common = {
    id, accountId: b.accountId, date: b.date, time: time ? `${b.date}T${time}` : undefined, currency: b.currency, fxRateToBase: b.fxRateToBase,
    source: 'ib-flex' as const, sourceRef, execId: a['ibExecID'] || undefined,
  };
  const category = a['assetCategory'] ?? 'STK';
  if (category === 'CASH') {
    // EUR.USD bought: EUR (the pair's first currency) comes in, USD (the trade's currency) goes out.
    const [first, second] = (a['symbol'] ?? '').split('.');
    if (!first || second !== b.currency) throw new RowError(`FX symbol "${a['symbol']}" is not <currency>.${b.currency}`);
    const units = abs(quantity);
    const value = dec(units).times(dec(num(e, 'tradePrice'))).toDecimalPlaces(2).toFixed();
    return [side === 'BUY'
      ? { ...common, type: 'FX', amount: value, toCurrency: first, toAmount: units, fee }
      : { ...common, type: 'FX', currency: first, amount: units, toCurrency: b.currency, toAmount: value, fee: '0' },
    ...(side === 'SELL' && fee !== '0' ? [{ ...common, id: `${id}:fee`, sourceRef: `${sourceRef}:fee`, type: 'FEE' as const, amount: fee, fee: '0', execId: undefined }] : []), ...extraFee];
  }
  if (category !== 'STK') throw new RowError(`assetCategory ${category} is not tracked (stocks and ETFs, STK, and FX, CASH)`);
  if (a['multiplier'] && dec(a['multiplier']).gt(1)) throw new RowError(`multiplier ${a['multiplier']} on a stock`);
  if (!a['symbol']) throw new RowError('no symbol');
  return [{ ...common, type: side, symbol: a['symbol'], quantity: abs(quantity), price: abs(num(e, 'tradePrice')), fee }, ...extraFee];
}

function cash(e: XmlElement): Transaction[] {
  const a = e.attrs;
  if (a['levelOfDetail'] === 'SUMMARY') return [];
  if (!a['transactionID']) throw new RowError('no transactionID: it could not be re-imported without duplicates');
  const b = base(e, ['dateTime', 'settleDate', 'reportDate']);
  const amount = num(e, 'amount');
  const kind = (a['type'] ?? '').trim();
  const sourceRef = `cash:${a['transactionID']}`;
  const common = { id: `ib-flex:${b.accountId}:${sourceRef}`, accountId: b.accountId, date: b.date, currency: b.currency, fxRateToBase: b.fxRateToBase, fee: '0', source: 'ib-flex' as const, sourceRef, symbol: a['symbol'] || undefined, note: a['description'] || undefined };
  const neg = dec(amount).neg().toFixed();
  switch (kind) {
    case 'Dividends':
    case 'Payment In Lieu Of Dividends':
      return [{ ...common, type: 'DIVIDEND', amount }];
    case 'Withholding Tax':
      return [{ ...common, type: 'TAX', amount: neg }];
    case 'Broker Interest Received':
    case 'Bond Interest Received':
      return [{ ...common, type: 'INTEREST', amount }];
    case 'Broker Interest Paid':
    case 'Bond Interest Paid':
    case 'Other Fees':
    case 'Commission Adjustments':
      return [{ ...common, type: 'FEE', amount: neg }];
    case 'Deposits & Withdrawals':
    case 'Deposits/Withdrawals':
      return [dec(amount).gte(0) ? { ...common, symbol: undefined, type: 'DEPOSIT', amount } : { ...common, symbol: undefined, type: 'WITHDRAWAL', amount: neg }];
    default:
      throw new RowError(`cash transaction type "${kind}" is not read`);
  }
}

function corporateAction(e: XmlElement, seen: Set<string>): Transaction[] {
  const a = e.attrs;
  const type = a['type'] ?? '';
  if (type !== 'FS' && type !== 'RS') throw new RowError(`corporate action type "${type}" (${a['description'] ?? a['actionDescription'] ?? ''}) is not applied: enter it by hand`);
  // A reverse split comes as two rows (old shares out, new shares in): the split is taken once, from the one received.
  if (a['quantity'] && DECIMAL.test(a['quantity']) && dec(a['quantity']).lt(0)) return [];
  const description = a['actionDescription'] ?? a['description'] ?? '';
  const m = /SPLIT\s+(\d+(?:\.\d+)?)\s+FOR\s+(\d+(?:\.\d+)?)/i.exec(description);
  if (!m) throw new RowError(`no "SPLIT n FOR m" in the description "${description}"`);
  if (!a['transactionID']) throw new RowError('no transactionID: it could not be re-imported without duplicates');
  const b = base(e, ['reportDate', 'dateTime']);
  const symbol = a['symbol'];
  if (!symbol) throw new RowError('no symbol');
  const ratio = dec(m[1]!).div(dec(m[2]!)).toFixed();
  const once = `${b.accountId}|${symbol}|${b.date}|${ratio}`;
  if (seen.has(once)) return [];
  seen.add(once);
  const sourceRef = `ca:${a['transactionID']}`;
  return [{ id: `ib-flex:${b.accountId}:${sourceRef}`, accountId: b.accountId, date: b.date, type: 'SPLIT', symbol, ratio, currency: b.currency, fee: '0', source: 'ib-flex', sourceRef, note: description }];
}
