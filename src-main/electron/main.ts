// Electron entry: one window on the hardened session, the API contract over IPC, the same composition root as the web host.
import { app, BrowserWindow, dialog, ipcMain, session, type IpcMainInvokeEvent } from 'electron';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { createApp, type App } from '../app';
import { electronNativeBinding } from '../native-binding';
import { IPC_EVENT, IPC_INVOKE } from './ipc-channels';
import { safeStorageSecrets } from './safe-storage-secrets';
import { hardenSession, hardenWebContents, isTrustedRendererUrl, secureWindowOptions } from './security';

const here = dirname(fileURLToPath(import.meta.url));
const devServerUrl = process.env['ELECTRON_RENDERER_URL'];
let quant: App | undefined;
let window: BrowserWindow | undefined;

function checkSender(event: IpcMainInvokeEvent): boolean {
  const url = event.senderFrame?.url ?? '';
  return window !== undefined && event.sender === window.webContents && isTrustedRendererUrl(url, devServerUrl);
}

async function start(): Promise<void> {
  hardenSession(session.defaultSession);
  app.on('web-contents-created', (_e, contents) => hardenWebContents(contents, devServerUrl));

  // Packaged apps carry better-sqlite3 rebuilt for Electron by electron-builder; from source we load our second build.
  const nativeBinding = app.isPackaged ? undefined : electronNativeBinding(app.getAppPath(), undefined, process.versions.electron);
  if (!app.isPackaged && !nativeBinding) {
    dialog.showErrorBox('Quant Claude', 'The Electron build of the SQLite driver is missing. Run `npm run setup` while online, or use `npm run web`.');
    app.exit(1);
    return;
  }
  quant = await createApp({ dataDir: app.getPath('userData'), transport: 'electron', nativeBinding, secrets: safeStorageSecrets });

  ipcMain.handle(IPC_INVOKE, async (event, method: unknown, params: unknown) => {
    if (!checkSender(event)) return { ok: false, error: { code: 'BAD_REQUEST', message: 'Untrusted sender' } };
    if (typeof method !== 'string') return { ok: false, error: { code: 'BAD_REQUEST', message: 'Method must be a string' } };
    return quant!.dispatch(method, params);
  });

  window = new BrowserWindow(secureWindowOptions(join(here, '../preload/index.cjs')));
  const events = quant.hub.subscribe((name, data) => {
    if (window && !window.isDestroyed()) window.webContents.send(IPC_EVENT, name, data);
  });
  window.once('ready-to-show', () => window?.show());
  window.on('closed', () => {
    events.dispose();
    window = undefined;
  });
  if (devServerUrl) await window.loadURL(devServerUrl);
  else await window.loadFile(join(here, '../renderer/index.html'));
}

app.on('window-all-closed', () => app.quit());
app.on('before-quit', (event) => {
  if (!quant) return;
  event.preventDefault();
  const q = quant;
  quant = undefined;
  void q.dispose().finally(() => app.quit());
});

app.whenReady().then(start).catch((err: unknown) => {
  const message = err instanceof Error ? err.message : String(err);
  dialog.showErrorBox('Quant Claude could not start', message);
  app.exit(1);
});

