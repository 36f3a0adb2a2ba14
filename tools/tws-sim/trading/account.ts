// The simulated account: cash, positions and the values TWS reports (net liquidation, margins, buying power).
import Decimal from 'decimal.js';
import type { Instrument } from '../market/instruments';
import type { SimPosition } from './types';

/** Initial and maintenance margin rates by security type (Reg T for stocks; simplified elsewhere). */
const MARGIN: Record<Instrument['secType'], { init: number; maint: number }> = {
  STK: { init: 0.5, maint: 0.25 },
  CFD: { init: 0.25, maint: 0.2 },
  CASH: { init: 0.03, maint: 0.025 },
  FUT: { init: 0.1, maint: 0.08 },
  OPT: { init: 1, maint: 1 },
};

/** Futures and CFDs settle their P&L into cash; the others pay their notional. */
const isMarginSettled = (i: Instrument): boolean => i.secType === 'FUT' || i.secType === 'CFD';

export type PriceOf = (inst: Instrument) => number;

export interface AccountValues {
  NetLiquidation: Decimal;
  TotalCashValue: Decimal;
  SettledCash: Decimal;
  EquityWithLoanValue: Decimal;
  GrossPositionValue: Decimal;
  InitMarginReq: Decimal;
  MaintMarginReq: Decimal;
  AvailableFunds: Decimal;
  ExcessLiquidity: Decimal;
  BuyingPower: Decimal;
  Cushion: Decimal;
  UnrealizedPnL: Decimal;
  RealizedPnL: Decimal;
}

/** Base-currency (USD) value of one unit of a currency, from the live FX quotes. */
export type RateOf = (currency: string) => number;

/**
 * Cash is kept per currency, as IB does: a forex trade moves two balances (buying EUR.USD adds EUR and spends USD) and
 * its "position" is those balances, so it adds nothing to net liquidation by itself. Commissions are charged in USD.
 */
export class Account {
  readonly cash = new Map<string, Decimal>();
  realized = new Decimal(0);
  readonly positions = new Map<number, SimPosition>();

  constructor(readonly id: string, startingCash: Decimal.Value, private readonly rateOf: RateOf = () => 1) {
    this.cash.set('USD', new Decimal(startingCash));
  }

  private addCash(currency: string, amount: Decimal.Value): void {
    this.cash.set(currency, (this.cash.get(currency) ?? new Decimal(0)).add(amount));
  }

  /** Total cash in the base currency. */
  cashValue(): Decimal {
    let total = new Decimal(0);
    for (const [ccy, amount] of this.cash) total = total.add(amount.mul(this.rateOf(ccy)));
    return total;
  }

  /** Books a fill (commission in USD); returns the realized P&L in USD (undefined when it only opened or added). */
  applyFill(inst: Instrument, side: 'BUY' | 'SELL', qty: number, price: number, commission: Decimal): Decimal | undefined {
    const signed = side === 'BUY' ? qty : -qty;
    const mult = inst.multiplier;
    const rate = new Decimal(this.rateOf(inst.currency));
    // Cost basis and P&L are in the instrument's currency; the USD commission is converted into it.
    const fee = commission.div(rate);
    const notional = new Decimal(price).mul(qty).mul(mult);
    const pos = this.positions.get(inst.conId) ?? { inst, quantity: 0, avgCost: 0, avgPrice: 0, realizedPnl: 0 };
    let realized: Decimal | undefined;
    /** Price P&L of the closed part, without any commission (what a margin-settled contract pays into cash). */
    let priceMove = new Decimal(0);
    const closing = pos.quantity !== 0 && Math.sign(pos.quantity) !== Math.sign(signed);
    if (!closing) {
      const held = Math.abs(pos.quantity);
      const basis = new Decimal(pos.avgCost).mul(held).add(notional).add(fee);
      pos.avgPrice = new Decimal(pos.avgPrice).mul(held).add(new Decimal(price).mul(qty)).div(held + qty).toNumber();
      pos.quantity += signed;
      pos.avgCost = basis.div(Math.abs(pos.quantity)).toNumber();
    } else {
      const closed = Math.min(qty, Math.abs(pos.quantity));
      const opened = qty - closed;
      const closeFee = fee.mul(closed).div(qty);
      const dir = pos.quantity > 0 ? 1 : -1;
      const exit = new Decimal(price).mul(closed).mul(mult);
      realized = exit.sub(new Decimal(pos.avgCost).mul(closed)).mul(dir).sub(closeFee);
      priceMove = exit.sub(new Decimal(pos.avgPrice).mul(closed).mul(mult)).mul(dir);
      pos.quantity += signed;
      if (opened > 0) {
        pos.avgCost = new Decimal(price).mul(mult).add(fee.sub(closeFee).div(opened)).toNumber();
        pos.avgPrice = price;
      } else if (pos.quantity === 0) {
        pos.avgCost = 0;
        pos.avgPrice = 0;
      }
    }
    this.addCash('USD', commission.neg());
    if (inst.secType === 'CASH') {
      this.addCash(inst.symbol, signed);
      this.addCash(inst.currency, new Decimal(price).mul(signed).neg());
    } else if (isMarginSettled(inst)) {
      this.addCash(inst.currency, priceMove);
    } else {
      this.addCash(inst.currency, side === 'BUY' ? notional.neg() : notional);
    }
    const realizedBase = realized?.mul(rate);
    if (realizedBase) {
      pos.realizedPnl = new Decimal(pos.realizedPnl).add(realizedBase).toNumber();
      this.realized = this.realized.add(realizedBase);
    }
    this.positions.set(inst.conId, pos);
    return realizedBase;
  }

  /** Market value of a position (signed), in the base currency. */
  marketValue(p: SimPosition, price: number): Decimal {
    return new Decimal(price).mul(p.quantity).mul(p.inst.multiplier).mul(this.rateOf(p.inst.currency));
  }

  unrealized(p: SimPosition, price: number): Decimal {
    return this.marketValue(p, price).sub(new Decimal(p.avgCost).mul(p.quantity).mul(this.rateOf(p.inst.currency)));
  }

  values(priceOf: PriceOf): AccountValues {
    const cash = this.cashValue();
    let nlv = cash;
    let gross = new Decimal(0);
    let init = new Decimal(0);
    let maint = new Decimal(0);
    let unreal = new Decimal(0);
    for (const p of this.positions.values()) {
      if (p.quantity === 0) continue;
      const price = priceOf(p.inst);
      const mv = this.marketValue(p, price);
      const u = this.unrealized(p, price);
      unreal = unreal.add(u);
      // The opening commission already left the cash: a margin-settled position adds only its price move.
      if (isMarginSettled(p.inst)) nlv = nlv.add(mv.sub(new Decimal(p.avgPrice).mul(p.quantity).mul(p.inst.multiplier).mul(this.rateOf(p.inst.currency))));
      else if (p.inst.secType !== 'CASH') nlv = nlv.add(mv);
      if (p.inst.secType === 'STK' || p.inst.secType === 'OPT') gross = gross.add(mv.abs());
      const m = MARGIN[p.inst.secType];
      // A long option's margin is its premium, already paid: it ties up no further funds.
      if (!(p.inst.secType === 'OPT' && p.quantity > 0)) {
        init = init.add(mv.abs().mul(m.init));
        maint = maint.add(mv.abs().mul(m.maint));
      }
    }
    const available = nlv.sub(init);
    const excess = nlv.sub(maint);
    return {
      NetLiquidation: nlv,
      TotalCashValue: cash,
      SettledCash: cash,
      EquityWithLoanValue: nlv,
      GrossPositionValue: gross,
      InitMarginReq: init,
      MaintMarginReq: maint,
      AvailableFunds: available,
      ExcessLiquidity: excess,
      BuyingPower: Decimal.max(available, 0).div(MARGIN.STK.init),
      Cushion: nlv.isZero() ? new Decimal(0) : excess.div(nlv),
      UnrealizedPnL: unreal,
      RealizedPnL: this.realized,
    };
  }

  /** Initial margin an order would add, for the buying-power check (orders that reduce a position need none). */
  marginFor(inst: Instrument, side: 'BUY' | 'SELL', qty: number, price: number): Decimal {
    const pos = this.positions.get(inst.conId)?.quantity ?? 0;
    const signed = side === 'BUY' ? qty : -qty;
    const increase = Math.max(0, Math.abs(pos + signed) - Math.abs(pos));
    const rate = inst.secType === 'OPT' && side === 'BUY' ? 1 : MARGIN[inst.secType].init;
    return new Decimal(price).mul(increase).mul(inst.multiplier).mul(rate).mul(this.rateOf(inst.currency));
  }
}
