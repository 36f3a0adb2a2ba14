// Preload (sandboxed, CJS): exposes the API contract's two calls to the renderer, nothing else.
import { contextBridge, ipcRenderer, type IpcRendererEvent } from 'electron';
import { IPC_EVENT, IPC_INVOKE } from './ipc-channels';

contextBridge.exposeInMainWorld('quantApi', {
  invoke: (method: string, params: unknown) => ipcRenderer.invoke(IPC_INVOKE, method, params),
  onEvent: (callback: (name: string, data: unknown) => void) => {
    const handler = (_e: IpcRendererEvent, name: string, data: unknown) => callback(name, data);
    ipcRenderer.on(IPC_EVENT, handler);
    return () => void ipcRenderer.removeListener(IPC_EVENT, handler);
  },
});
