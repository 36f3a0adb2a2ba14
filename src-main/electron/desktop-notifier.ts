// Fired alerts as OS notifications through Electron's Notification (the port: ports/desktop-notifier.ts).
import { Notification } from 'electron';
import type { DesktopNotifier } from '../ports/desktop-notifier';

export const electronNotifier: DesktopNotifier = {
  notify(title, body) {
    if (Notification.isSupported()) new Notification({ title, body }).show();
  },
};
