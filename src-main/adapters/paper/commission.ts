// IB-like commission schedules of the paper broker, as exact decimals rounded to cents (half up, see domain/money.ts).
import type { Instrument } from '../../../src-shared/domain/types';
import { cents, D, dec, moneyString, type Dec } from '../../domain/money';

/**
 * - stocks: $0.005 per share, minimum $1.00, maximum 1 % of the trade value (IB Pro fixed);
 * - FX: 0.2 bps of notional, minimum $2.00;
 * - index and commodity CFDs: 0.005 % of notional, minimum $1.00;
 * - crypto: 0.18 % of notional, minimum $1.75.
 */
export function commissionFor(instrument: Pick<Instrument, 'assetClass'>, quantity: number, price: number, toAccount: Dec = dec(1)): string {
  // The notional in the account currency (a USDJPY fill's yen converted at the fill's rate): the minimums are dollars.
  const notional = dec(quantity).times(dec(price)).times(toAccount).abs();
  let fee;
  switch (instrument.assetClass) {
    case 'stock':
      fee = D.min(D.max(dec(quantity).abs().times('0.005'), dec('1.00')), notional.times('0.01'));
      break;
    case 'fx':
      fee = D.max(notional.times('0.00002'), dec('2.00'));
      break;
    case 'index-cfd':
    case 'commodity-cfd':
      fee = D.max(notional.times('0.00005'), dec('1.00'));
      break;
    case 'crypto':
      fee = D.max(notional.times('0.0018'), dec('1.75'));
      break;
  }
  return moneyString(cents(fee));
}
