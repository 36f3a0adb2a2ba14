// The account messages TWS sends: account summary rows and the reqAccountUpdates stream (values, portfolio, time).
import Decimal from 'decimal.js';
import * as R from '../protocol/responses';
import type { OutMessage } from '../protocol/responses';
import type { AccountValues } from './account';
import type { SimPosition } from './types';

/** The tags reqAccountSummary knows, in TWS's order ("All" selects them all). */
export const SUMMARY_TAGS = [
  'AccountType', 'NetLiquidation', 'TotalCashValue', 'SettledCash', 'AccruedCash', 'BuyingPower', 'EquityWithLoanValue',
  'PreviousDayEquityWithLoanValue', 'GrossPositionValue', 'RegTEquity', 'RegTMargin', 'SMA', 'InitMarginReq', 'MaintMarginReq',
  'AvailableFunds', 'ExcessLiquidity', 'Cushion', 'FullInitMarginReq', 'FullMaintMarginReq', 'FullAvailableFunds',
  'FullExcessLiquidity', 'LookAheadNextChange', 'LookAheadInitMarginReq', 'LookAheadMaintMarginReq', 'LookAheadAvailableFunds',
  'LookAheadExcessLiquidity', 'HighestSeverity', 'DayTradesRemaining', 'Leverage',
];

export function accountSummaryMessages(reqId: number, account: string, v: AccountValues, tags: readonly string[]): OutMessage[] {
  const want = new Set(tags.includes('All') ? SUMMARY_TAGS : tags);
  const out: OutMessage[] = [];
  for (const tag of SUMMARY_TAGS) {
    if (!want.has(tag)) continue;
    const [value, currency] = summaryValue(tag, v);
    out.push(R.accountSummary(reqId, account, tag, value, currency));
  }
  out.push(R.accountSummaryEnd(reqId));
  return out;
}

export interface PortfolioLine {
  position: SimPosition;
  price: number;
  marketValue: number;
  unrealized: number;
}

/** One round of reqAccountUpdates: key values, cash per currency, portfolio lines, the update time; the end marker once. */
export function accountUpdateMessages(
  account: string, v: AccountValues, cash: ReadonlyMap<string, Decimal>, portfolio: readonly PortfolioLine[], hhmm: string, initial: boolean,
): OutMessage[] {
  const out: OutMessage[] = [R.accountValue('AccountCode', account, '', account), R.accountValue('AccountType', 'INDIVIDUAL', '', account)];
  for (const tag of SUMMARY_TAGS) {
    const [value, currency] = summaryValue(tag, v);
    if (currency) out.push(R.accountValue(tag, value, currency, account));
  }
  for (const [ccy, amount] of cash) out.push(R.accountValue('CashBalance', amount.toFixed(2), ccy, account));
  out.push(
    R.accountValue('CashBalance', v.TotalCashValue.toFixed(2), 'BASE', account),
    R.accountValue('UnrealizedPnL', v.UnrealizedPnL.toFixed(2), 'USD', account),
    R.accountValue('RealizedPnL', v.RealizedPnL.toFixed(2), 'USD', account),
    R.accountValue('Currency', 'USD', 'USD', account),
  );
  for (const l of portfolio) out.push(R.portfolioValue(account, l.position, l.price, l.marketValue, l.unrealized));
  out.push(R.accountUpdateTime(hhmm));
  if (initial) out.push(R.accountDownloadEnd(account));
  return out;
}

function summaryValue(tag: string, v: AccountValues): [string, string] {
  const money = (d: Decimal): [string, string] => [d.toFixed(2), 'USD'];
  switch (tag) {
    case 'AccountType': return ['INDIVIDUAL', ''];
    case 'NetLiquidation': case 'EquityWithLoanValue': case 'PreviousDayEquityWithLoanValue': case 'RegTEquity':
      return money(v.NetLiquidation);
    case 'TotalCashValue': case 'SettledCash': return money(v.TotalCashValue);
    case 'AccruedCash': return money(new Decimal(0));
    case 'BuyingPower': return money(v.BuyingPower);
    case 'GrossPositionValue': return money(v.GrossPositionValue);
    case 'RegTMargin': case 'InitMarginReq': case 'FullInitMarginReq': case 'LookAheadInitMarginReq': return money(v.InitMarginReq);
    case 'MaintMarginReq': case 'FullMaintMarginReq': case 'LookAheadMaintMarginReq': return money(v.MaintMarginReq);
    case 'SMA': case 'AvailableFunds': case 'FullAvailableFunds': case 'LookAheadAvailableFunds': return money(v.AvailableFunds);
    case 'ExcessLiquidity': case 'FullExcessLiquidity': case 'LookAheadExcessLiquidity': return money(v.ExcessLiquidity);
    case 'Cushion': return [v.Cushion.toFixed(6), ''];
    case 'LookAheadNextChange': return ['0', ''];
    case 'HighestSeverity': return ['0', ''];
    case 'DayTradesRemaining': return ['-1', ''];
    case 'Leverage': return [v.NetLiquidation.isZero() ? '0' : v.GrossPositionValue.div(v.NetLiquidation).toFixed(2), ''];
    default: return ['', ''];
  }
}
