// The broker session in the top bar: which broker, its state, why it is not connected, the next retry, data farms and
// queued orders. The transport's own "Reconnecting…" (the link to Quant Claude) is shown apart from this.
import { useEffect, useState } from 'react';
import type { ConnectionStatus } from '../../src-shared/api/contract';
import { useTerminal } from '../stores/terminal';

const STATE_LABEL: Record<ConnectionStatus['state'], string> = {
  connected: 'Connected', degraded: 'Degraded', disconnected: 'Disconnected', connecting: 'Connecting',
};

/** Re-renders every second while `active`, for countdowns. */
function useNow(active: boolean): number {
  const [now, setNow] = useState(() => Date.now());
  useEffect(() => {
    if (!active) return;
    const t = setInterval(() => setNow(Date.now()), 1000);
    return () => clearInterval(t);
  }, [active]);
  return now;
}

const BROKER_NAMES: Record<string, string> = { ib: 'IB', paper: 'Paper', oanda: 'OANDA', ctrader: 'cTrader', ig: 'IG' };

export function brokerName(s: ConnectionStatus): string {
  return BROKER_NAMES[s.broker] ?? s.broker;
}

export function BrokerStatus() {
  const status = useTerminal((s) => s.broker);
  const linkUp = useTerminal((s) => s.connected);
  const now = useNow(status?.nextRetryAt != null);
  if (!status) return null;
  const retryIn = status.nextRetryAt != null ? Math.max(0, Math.ceil((status.nextRetryAt - now) / 1000)) : undefined;
  const farmsDown = status.dataFarms.filter((f) => !f.ok);
  // The retry first: a long message is cut at the end (it is in the tooltip in full).
  const detail = [
    retryIn !== undefined && `retry in ${retryIn} s`,
    status.state !== 'connected' && (status.message ?? (farmsDown.length > 0 && `${farmsDown.map((f) => f.name).join(', ')} down`)),
    status.state === 'connected' && !status.ready && 'reconciling…',
  ].filter(Boolean).join(' · ');
  const tooltip = [
    `${status.endpoint}${status.clientId !== null ? ` · client ${status.clientId}` : ''}${status.accountLabel ? ` · ${status.accountLabel}` : ''}`,
    status.serverVersion !== null && `server version ${status.serverVersion}`,
    status.message,
    status.dataFarms.length > 0 && `Data farms: ${status.dataFarms.map((f) => `${f.name} ${f.ok ? 'OK' : 'down'}`).join(', ')}`,
  ].filter(Boolean).join('\n');
  return (
    <div className={`broker-status state-${status.state} ${linkUp ? '' : 'stale'}`} role="status" aria-label="Broker connection" title={tooltip}>
      <span className="broker-name">{brokerName(status)}</span>
      <span className="broker-state">{STATE_LABEL[status.state]}</span>
      {status.accountLabel && <span className="dim">{status.accountLabel}</span>}
      {detail && <span className="broker-detail">{detail}</span>}
      {status.dataFarms.length > 0 && (
        <span className="farms" aria-label={farmsDown.length ? `${farmsDown.length} data farm(s) down` : 'Data farms OK'}>
          {status.dataFarms.map((f) => <span key={f.name} className={`farm ${f.ok ? 'ok' : 'bad'}`} title={`${f.name}: ${f.ok ? 'OK' : 'down'}`} />)}
        </span>
      )}
      {status.queuedOrders > 0 && <span className="queued">{status.queuedOrders} queued</span>}
    </div>
  );
}
