// The trading slice: orders and fills of every connected account (each carries its accountId), the default
// account's risk state, and the last reconciliation.
import type { StateCreator } from 'zustand';
import type { ReconciliationReport, RiskStatus } from '../../../src-shared/api/contract';
import type { Fill, Order } from '../../../src-shared/domain/types';
import type { TerminalState } from '../terminal';

export interface TradingSlice {
  orders: Order[];
  fills: Fill[];
  risk: RiskStatus | undefined;
  /** The last reconciliation after a (re)connect; `reconciliationSeen` is the time of the one the user dismissed. */
  reconciliation: ReconciliationReport | undefined;
  reconciliationSeen: number | undefined;
  tradingLoaded(orders: Order[], fills: Fill[], risk: RiskStatus): void;
  upsertOrder(o: Order): void;
  addFill(f: Fill): void;
  setRisk(risk: RiskStatus): void;
  setReconciliation(report: ReconciliationReport | undefined): void;
  dismissReconciliation(): void;
}

export const createTradingSlice: StateCreator<TerminalState, [], [], TradingSlice> = (set, get) => ({
  orders: [],
  fills: [],
  risk: undefined,
  reconciliation: undefined,
  reconciliationSeen: Number(sessionStorage.getItem('qc.reconciliationSeen')) || undefined,
  tradingLoaded: (orders, fills, risk) => set({ orders, fills, risk }),
  upsertOrder: (o) =>
    set((s) => {
      const i = s.orders.findIndex((x) => x.id === o.id);
      if (i === -1) return { orders: [o, ...s.orders] };
      const orders = s.orders.slice();
      orders[i] = o;
      return { orders };
    }),
  addFill: (f) => set((s) => (s.fills.some((x) => x.id === f.id) ? s : { fills: [f, ...s.fills] })),
  setRisk: (risk) => set({ risk }),
  setReconciliation: (reconciliation) => set({ reconciliation }),
  dismissReconciliation: () => {
    const time = get().reconciliation?.time;
    if (time === undefined) return;
    sessionStorage.setItem('qc.reconciliationSeen', String(time));
    set({ reconciliationSeen: time });
  },
});
