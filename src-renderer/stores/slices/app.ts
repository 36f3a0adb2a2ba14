// The app slice: the API client, the link to main, the screen, the theme and the last load error.
import type { StateCreator } from 'zustand';
import type { ApiClient, AppInfo, Theme } from '../../../src-shared/api/contract';
import type { TerminalState } from '../terminal';

export type Screen = 'overview' | 'chart' | 'blotter' | 'portfolio' | 'analytics' | 'risk' | 'replay' | 'divergence' | 'screening' | 'factorlab' | 'tax' | 'backtests' | 'macro' | 'data' | 'operations' | 'settings';

export interface AppSlice {
  api: ApiClient | undefined;
  /** The transport's link to main (the web host's WebSocket may reconnect). */
  connected: boolean;
  info: AppInfo | undefined;
  theme: Theme;
  screen: Screen;
  error: string | undefined;
  attach(api: ApiClient): void;
  setConnected(connected: boolean): void;
  showScreen(screen: Screen): void;
  setTheme(theme: Theme): void;
  loaded(info: AppInfo, theme: Theme): void;
  failed(error: string | undefined): void;
}

export const createAppSlice: StateCreator<TerminalState, [], [], AppSlice> = (set) => ({
  api: undefined,
  connected: false,
  info: undefined,
  theme: (localStorage.getItem('qc.theme') as Theme | null) ?? 'dark',
  screen: 'chart',
  error: undefined,
  attach: (api) => set({ api }),
  setConnected: (connected) => set({ connected }),
  showScreen: (screen) => set({ screen }),
  setTheme: (theme) => {
    localStorage.setItem('qc.theme', theme);
    set({ theme });
  },
  loaded: (info, theme) => {
    localStorage.setItem('qc.theme', theme);
    set({ info, theme, error: undefined });
  },
  failed: (error) => set({ error }),
});
