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

export class Account {
  cash: Decimal;
  realized = new Decimal(0);
  readonly positions = new Map<number, SimPosition>();

  constructor(readonly id: string, startingCash: Decimal.Value) {
    this.cash = new Decimal(startingCash);
  }

  /** Books a fill; returns the realized P&L it produced (undefined when it only opened or added). */
  applyFill(inst: Instrument, side: 'BUY' | 'SELL', qty: number, price: number, commission: Decimal): Decimal | undefined {
    const signed = side === 'BUY' ? qty : -qty;
    const mult = inst.multiplier;
    const notional = new Decimal(price).mul(qty).mul(mult);
    const pos = this.positions.get(inst.conId) ?? { inst, quantity: 0, avgCost: 0, realizedPnl: 0 };
    let realized: Decimal | undefined;
    let closeCommission = new Decimal(0);
    const closing = pos.quantity !== 0 && Math.sign(pos.quantity) !== Math.sign(signed);
    if (!closing) {
      const basis = new Decimal(pos.avgCost).mul(Math.abs(pos.quantity)).add(notional).add(commission);
      pos.quantity += signed;
      pos.avgCost = basis.div(Math.abs(pos.quantity)).toNumber();
    } else {
      const closed = Math.min(qty, Math.abs(pos.quantity));
      const opened = qty - closed;
      closeCommission = commission.mul(closed).div(qty);
      const exit = new Decimal(price).mul(closed).mul(mult);
      const entry = new Decimal(pos.avgCost).mul(closed);
      realized = pos.quantity > 0 ? exit.sub(entry).sub(closeCommission) : entry.sub(exit).sub(closeCommission);
      pos.quantity += signed;
      if (opened > 0) {
        const openCommission = commission.sub(closeCommission);
        pos.avgCost = new Decimal(price).mul(mult).add(openCommission.div(opened)).toNumber();
      } else if (pos.quantity === 0) {
        pos.avgCost = 0;
      }
      pos.realizedPnl = new Decimal(pos.realizedPnl).add(realized).toNumber();
      this.realized = this.realized.add(realized);
    }
    if (isMarginSettled(inst)) {
      // Only the realized P&L (already net of the closing commission) and the opening commission move cash.
      this.cash = this.cash.add(realized ?? 0).sub(commission.sub(closeCommission));
    } else {
      this.cash = side === 'BUY' ? this.cash.sub(notional).sub(commission) : this.cash.add(notional).sub(commission);
    }
    this.positions.set(inst.conId, pos);
    return realized;
  }

  /** Market value of a position (signed), in USD. */
  marketValue(p: SimPosition, price: number): Decimal {
    return new Decimal(price).mul(p.quantity).mul(p.inst.multiplier);
  }

  unrealized(p: SimPosition, price: number): Decimal {
    return this.marketValue(p, price).sub(new Decimal(p.avgCost).mul(p.quantity));
  }

  values(priceOf: PriceOf): AccountValues {
    let nlv = this.cash;
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
      nlv = isMarginSettled(p.inst) ? nlv.add(u) : nlv.add(mv);
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
      TotalCashValue: this.cash,
      SettledCash: this.cash,
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
    return new Decimal(price).mul(increase).mul(inst.multiplier).mul(rate);
  }
}
