// Which part of the Operations screen shows: the top bar's health dot opens it on Health.
import { create } from 'zustand';

export type OpsTab = 'health' | 'monitoring' | 'logs';

export const useOpsTab = create<{ tab: OpsTab; setTab(tab: OpsTab): void }>((set) => ({
  tab: 'health',
  setTab: (tab) => set({ tab }),
}));
