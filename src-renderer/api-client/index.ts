// The renderer's only door to main: picks the transport once (Electron preload, else the web host's WebSocket).
import type { ApiClient } from '../../src-shared/api/contract';
import type { PreloadApi } from '../../src-shared/api/preload';
import { createIpcClient } from './ipc-client';
import { createWebSocketClient } from './websocket-client';

declare global {
  interface Window {
    quantApi?: PreloadApi;
  }
}

const TOKEN_KEY = 'qc.token';

/** The web host's token arrives once in the page URL (`?token=`); it is kept for this tab so a reload without it still works. */
export function webToken(): string {
  const fromUrl = new URL(location.href).searchParams.get('token');
  if (fromUrl) sessionStorage.setItem(TOKEN_KEY, fromUrl);
  return fromUrl ?? sessionStorage.getItem(TOKEN_KEY) ?? '';
}

export function createApiClient(): ApiClient {
  if (window.quantApi) return createIpcClient(window.quantApi);
  const proto = location.protocol === 'https:' ? 'wss' : 'ws';
  return createWebSocketClient({ url: () => `${proto}://${location.host}/api?token=${encodeURIComponent(webToken())}` });
}
