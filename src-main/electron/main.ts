// Electron entry: one window on the hardened session, the API contract over IPC, the same composition root as the web host.
import { app, BrowserWindow, dialog, ipcMain, session, type IpcMainInvokeEvent } from 'electron';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { createApp, type App } from '../app';
import { Health } from '../health';
import { installLastResort } from '../last-resort';
import { electronNativeBinding } from '../native-binding';
import { IPC_EVENT, IPC_INVOKE } from './ipc-channels';
import { safeStorageSecrets } from './safe-storage-secrets';
import { electronNotifier } from './desktop-notifier';
import { hardenSession, hardenWebContents, isTrustedRendererUrl, secureWindowOptions } from './security';

const here = dirname(fileURLToPath(import.meta.url));
const devServerUrl = process.env['ELECTRON_RENDERER_URL'];
let quant: App | undefined;
let window: BrowserWindow | undefined;
const health = new Health();
// No background task ends the app: stray rejections and exceptions go to the log and app.health.
installLastResort({ health, logger: () => quant?.logger });

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
  // createApp also locks the data folder: a web host or a writing CLI command on it is refused, and vice versa.
  quant = await createApp({ dataDir: app.getPath('userData'), transport: 'electron', nativeBinding, secrets: safeStorageSecrets, health, notifier: electronNotifier });

  ipcMain.handle(IPC_INVOKE, async (event, method: unknown, params: unknown) => {
    if (!checkSender(event)) return { ok: false, error: { code: 'BAD_REQUEST', message: 'Untrusted sender' } };
    if (typeof method !== 'string') return { ok: false, error: { code: 'BAD_REQUEST', message: 'Method must be a string' } };
    return quant!.dispatch(method, params);
  });

  const options = secureWindowOptions(join(here, '../preload/index.cjs'));
  // The security switches restated as literals: a static audit (electronegativity, tests/lint/electronegativity.test.ts)
  // reads the constructor's argument, not what a function returns; security.test.ts checks that both agree.
  window = new BrowserWindow({ ...options, webPreferences: { ...options.webPreferences, contextIsolation: true, sandbox: true, nodeIntegration: false, disableBlinkFeatures: 'Auxclick' } });
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

// One desktop instance: a second one hands over to the first (which shows its window) and quits before opening anything.
if (!app.requestSingleInstanceLock()) {
  app.quit();
} else {
  app.on('second-instance', () => {
    if (!window || window.isDestroyed()) return;
    if (window.isMinimized()) window.restore();
    window.show();
    window.focus();
  });
  app.whenReady().then(start).catch((err: unknown) => {
    const message = err instanceof Error ? err.message : String(err);
    dialog.showErrorBox('Quant Claude could not start', message);
    app.exit(1);
  });
}

app.on('window-all-closed', () => app.quit());
app.on('before-quit', (event) => {
  if (!quant) return;
  event.preventDefault();
  const q = quant;
  quant = undefined;
  // A stop that hangs (a full disk, a stuck socket) must not keep the app alive: quit after 5 s regardless.
  const deadline = setTimeout(() => app.exit(1), 5000);
  void q.dispose().finally(() => {
    clearTimeout(deadline);
    app.quit();
  });
});

