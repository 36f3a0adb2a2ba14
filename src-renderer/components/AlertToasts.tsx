// Fired alerts (issue 17 item 5) as in-app toasts, and in the browser host as Web Notifications (the Electron host
// shows them from main with Electron's Notification). Each toast stays 10 s or until dismissed.
import { useEffect, useState } from 'react';
import type { AlertEvent } from '../../src-shared/api/alerts';
import { useTerminal } from '../stores/terminal';

const SHOW_MS = 10_000;

/** Web Notifications in the browser host only, once the user granted them (asked when an alert is created). */
export function webNotificationsWanted(transport: string | undefined): boolean {
  return transport === 'web' && typeof Notification !== 'undefined';
}

export function AlertToasts() {
  const api = useTerminal((s) => s.api);
  const transport = useTerminal((s) => s.info?.transport);
  const [toasts, setToasts] = useState<AlertEvent[]>([]);
  useEffect(() => {
    if (!api) return;
    return api.on('alerts.fired', (e) => {
      setToasts((list) => [e, ...list].slice(0, 5));
      setTimeout(() => setToasts((list) => list.filter((t) => t.id !== e.id)), SHOW_MS);
      if (webNotificationsWanted(transport) && Notification.permission === 'granted') new Notification(e.title, { body: e.message, tag: e.id });
    });
  }, [api, transport]);
  if (toasts.length === 0) return null;
  return (
    <div className="toasts" role="region" aria-label="Alert toasts">
      {toasts.map((t) => (
        <div key={t.id} className="toast" role="alert">
          <b>{t.title}</b>
          <div>{t.message}</div>
          <button type="button" className="icon" aria-label="Dismiss" onClick={() => setToasts((list) => list.filter((x) => x.id !== t.id))}>×</button>
        </div>
      ))}
    </div>
  );
}
