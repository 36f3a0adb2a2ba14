// A request from the chart to fill in the order ticket (right-click "limit/stop at this price"). The ticket takes it
// and shows it; it never sends an order by itself.
import { create } from 'zustand';

export interface TicketPrefill {
  symbol: string;
  type: 'limit' | 'stop';
  price: number;
  /** Bumped per request, so asking twice for the same price fills the ticket again. */
  seq: number;
}

export const useTicketPrefill = create<{ prefill: TicketPrefill | undefined; request(p: Omit<TicketPrefill, 'seq'>): void }>()((set, get) => ({
  prefill: undefined,
  request: (p) => set({ prefill: { ...p, seq: (get().prefill?.seq ?? 0) + 1 } }),
}));
