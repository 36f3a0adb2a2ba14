// A desktop notification from the main process (the Electron host's: electron/main.ts). The browser host has none:
// its renderer uses the Web Notifications API itself.
export interface DesktopNotifier {
  notify(title: string, body: string): void;
}
