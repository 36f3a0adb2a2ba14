// The app shell: navigation, account header, connection state, kill switch and theme toggle.
import { useEffect } from 'react';
import { money } from './lib/format';
import { Backtests } from './screens/Backtests';
import { Blotter } from './screens/Blotter';
import { ChartScreen } from './screens/ChartScreen';
import { DataSources } from './screens/DataSources';
import { Overview } from './screens/Overview';
import { useShallow } from 'zustand/react/shallow';
import { useTerminal, type Screen } from './stores/terminal';

const SCREENS: { id: Screen; label: string }[] = [
  { id: 'overview', label: 'Overview' },
  { id: 'chart', label: 'Chart' },
  { id: 'blotter', label: 'Orders & Positions' },
  { id: 'backtests', label: 'Backtests' },
  { id: 'data', label: 'Data sources' },
];

export function App() {
  const { screen, set, theme, api, account, connected, info, risk, error } = useTerminal(
    useShallow((s) => ({ screen: s.screen, set: s.set, theme: s.theme, api: s.api, account: s.account, connected: s.connected, info: s.info, risk: s.risk, error: s.error })),
  );

  useEffect(() => {
    document.documentElement.dataset['theme'] = theme;
  }, [theme]);

  const toggleTheme = () => {
    const next = theme === 'dark' ? 'light' : 'dark';
    // Set before the store changes: charts rebuilt by the theme change read the new CSS variables.
    document.documentElement.dataset['theme'] = next;
    localStorage.setItem('qc.theme', next);
    set({ theme: next });
    void api?.call('settings.theme.set', { theme: next });
  };
  const toggleKill = async () => {
    const engage = !risk?.killSwitch;
    if (engage && !confirm('Engage the kill switch? Working orders are cancelled and new orders are blocked.')) return;
    set({ risk: await api!.call('risk.killSwitch', { engaged: engage }) });
  };

  return (
    <div className="shell">
      <header className="topbar">
        <div className="brand">Quant Claude <span className="badge demo" title="Simulated prices">DEMO</span></div>
        <div className="broker">{info?.broker ?? ''}</div>
        <div className="nav-nav"><span className="dim">NAV</span> <b>{money(account?.nav)}</b></div>
        <div className="spacer" />
        {error && <div className="error-text" role="alert">{error}</div>}
        <div className={`conn ${connected ? 'ok' : 'bad'}`} role="status" aria-label="Connection">{connected ? 'Connected' : 'Reconnecting…'}</div>
        <button type="button" className={`kill ${risk?.killSwitch ? 'on' : ''}`} aria-pressed={risk?.killSwitch ?? false} onClick={() => void toggleKill()}>
          Kill switch {risk?.killSwitch ? 'ON' : 'off'}
        </button>
        <button type="button" className="icon" aria-label="Toggle theme" title="Toggle theme" onClick={toggleTheme}>{theme === 'dark' ? '☀' : '☾'}</button>
      </header>
      <nav className="sidenav" aria-label="Screens">
        {SCREENS.map((s) => (
          <button key={s.id} type="button" aria-current={screen === s.id ? 'page' : undefined} onClick={() => set({ screen: s.id })}>{s.label}</button>
        ))}
      </nav>
      <main className="content">
        {screen === 'overview' && <Overview />}
        {screen === 'chart' && <ChartScreen />}
        {screen === 'blotter' && <Blotter />}
        {screen === 'backtests' && <Backtests />}
        {screen === 'data' && <DataSources />}
      </main>
    </div>
  );
}
