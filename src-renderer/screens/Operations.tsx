// Operations (issue 18): the health report, charts of the app's metrics, and the log viewer.
import { HealthView } from './operations/HealthView';
import { LogsView } from './operations/LogsView';
import { MonitoringView } from './operations/MonitoringView';
import { useOpsTab, type OpsTab } from './operations/tab';

const TABS: { id: OpsTab; label: string }[] = [{ id: 'health', label: 'Health' }, { id: 'monitoring', label: 'Monitoring' }, { id: 'logs', label: 'Logs' }];

export function Operations() {
  const { tab, setTab } = useOpsTab();
  return (
    <div className="operations">
      <div className="ops-tabs" role="tablist" aria-label="Operations">
        {TABS.map((t) => <button key={t.id} type="button" role="tab" aria-selected={tab === t.id} onClick={() => setTab(t.id)}>{t.label}</button>)}
      </div>
      {tab === 'health' && <HealthView />}
      {tab === 'monitoring' && <MonitoringView />}
      {tab === 'logs' && <LogsView />}
    </div>
  );
}
