// What the Electron preload exposes on `window.quantApi` (contextBridge): the contract's calls and events, nothing more.
import type { ApiError } from './contract';

export interface PreloadApi {
  invoke(method: string, params: unknown): Promise<{ ok: true; result: unknown } | { ok: false; error: ApiError }>;
  onEvent(callback: (name: string, data: unknown) => void): () => void;
}
