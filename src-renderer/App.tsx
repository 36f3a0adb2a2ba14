// The app shell: navigation, account header, broker and transport state, kill switch and theme toggle.
import { useEffect } from 'react';
import { BrokerStatus } from './components/BrokerStatus';
import { HealthStatus } from './components/HealthStatus';
import { MarginLevel } from './components/MarginLevel';
import { TradingStateBadge } from './components/TradingState';
import { AlertToasts } from './components/AlertToasts';
import { ReconciliationBanner } from './components/ReconciliationBanner';
import { ScreenBoundary } from './components/ScreenBoundary';
import { money } from './lib/format';
import { useEscapeClosesDialogs } from './lib/keyboard';
import { Backtests } from './screens/Backtests';
import { Blotter } from './screens/Blotter';
import { ChartScreen } from './screens/ChartScreen';
import { DataSources } from './screens/DataSources';
import { Analytics } from './screens/Analytics';
import { Overview } from './screens/Overview';
import { Portfolio } from './screens/Portfolio';
import { Macro } from './screens/Macro';
import { Risk } from './screens/Risk';
import { Screening } from './screens/Screening';
import { FactorLab } from './screens/FactorLab';
import { Operations } from './screens/Operations';
import { Replay } from './screens/Replay';
import { Divergence } from './screens/Divergence';
import { Settings } from './screens/Settings';
import { Tax } from './screens/Tax';
import { useShallow } from 'zustand/react/shallow';
import { applyTheme, useTerminal, type Screen } from './stores/terminal';

/** `short` is the label of the phone's bottom tab bar. */
const SCREENS: { id: Screen; label: string; short: string }[] = [
  { id: 'overview', label: 'Overview', short: 'Overview' },
  { id: 'chart', label: 'Chart', short: 'Chart' },
  { id: 'blotter', label: 'Orders & Positions', short: 'Orders' },
  { id: 'portfolio', label: 'Portfolio', short: 'Portfolio' },
  { id: 'analytics', label: 'Analytics', short: 'Analytics' },
  { id: 'risk', label: 'Risk', short: 'Risk' },
  { id: 'screening', label: 'Screening', short: 'Screen' },
  { id: 'factorlab', label: 'Factor lab', short: 'Factors' },
  { id: 'replay', label: 'Replay', short: 'Replay' },
  { id: 'divergence', label: 'Divergence', short: 'Diverge' },
  { id: 'tax', label: 'Tax', short: 'Tax' },
  { id: 'backtests', label: 'Backtests', short: 'Backtests' },
  { id: 'macro', label: 'Macro', short: 'Macro' },
  { id: 'data', label: 'Data sources', short: 'Data' },
  { id: 'operations', label: 'Operations', short: 'Ops' },
  { id: 'settings', label: 'Settings', short: 'Settings' },
];

export function App() {
  const { screen, showScreen, setRisk, theme, api, account, connected, risk, error, mode } = useTerminal(
    useShallow((s) => ({ screen: s.screen, showScreen: s.showScreen, setRisk: s.setRisk, theme: s.theme, api: s.api, account: s.account, connected: s.connected, risk: s.risk, error: s.error, mode: s.broker?.mode })),
  );

  useEffect(() => {
    document.documentElement.dataset['theme'] = theme;
  }, [theme]);
  useEscapeClosesDialogs();

  const toggleTheme = () => applyTheme(theme === 'dark' ? 'light' : 'dark');
  const toggleKill = async () => {
    const engage = !risk?.killSwitch;
    if (engage && !confirm('Engage the kill switch? Working orders are cancelled and new orders are blocked.')) return;
    setRisk(await api!.call('risk.killSwitch', { engaged: engage }));
  };

  return (
    <div className={`shell ${mode === 'live' ? 'live-mode' : ''}`}>
      <header className="topbar">
        <div className="brand">
          Quant Claude
          {mode === 'demo' && <span className="badge demo" title="Paper broker on simulated prices">DEMO</span>}
          {mode === 'paper' && <span className="badge paper" title="Interactive Brokers paper account">PAPER</span>}
          {mode === 'live' && <span className="badge live" title="Interactive Brokers live account: real money">LIVE</span>}
        </div>
        <BrokerStatus />
        <div className="nav-nav"><span className="dim">NAV</span> <b>{money(account?.nav)}</b></div>
        <MarginLevel />
        <TradingStateBadge />
        <div className="spacer" />
        {error && <div className="error-text" role="alert">{error}</div>}
        <HealthStatus />
        {/* The link to Quant Claude itself (the web host's WebSocket): only shown when it is down. */}
        {!connected && <div className="conn bad" role="status" aria-label="Connection" title="The link to Quant Claude is down; the broker state shown may be stale">Reconnecting to Quant Claude…</div>}
        <button type="button" className={`kill ${risk?.killSwitch ? 'on' : ''}`} aria-pressed={risk?.killSwitch ?? false} onClick={() => void toggleKill()}>
          Kill switch {risk?.killSwitch ? 'ON' : 'off'}
        </button>
        <button type="button" className="icon" aria-label="Toggle theme" title="Toggle theme" onClick={toggleTheme}>{theme === 'dark' ? '☀' : '☾'}</button>
      </header>
      <nav className="sidenav" aria-label="Screens">
        {SCREENS.map((s) => (
          <button key={s.id} type="button" aria-current={screen === s.id ? 'page' : undefined} onClick={() => showScreen(s.id)}>
            <span className="label-long">{s.label}</span><span className="label-short" aria-hidden="true">{s.short}</span>
          </button>
        ))}
      </nav>
      <ReconciliationBanner />
      <main className="content">
        <ScreenBoundary key={screen} name={SCREENS.find((x) => x.id === screen)?.label ?? screen}>
          {screen === 'overview' && <Overview />}
          {screen === 'chart' && <ChartScreen />}
          {screen === 'blotter' && <Blotter />}
          {screen === 'portfolio' && <Portfolio />}
          {screen === 'analytics' && <Analytics />}
          {screen === 'risk' && <Risk />}
          {screen === 'screening' && <Screening />}
          {screen === 'factorlab' && <FactorLab />}
          {screen === 'replay' && <Replay />}
          {screen === 'divergence' && <Divergence />}
          {screen === 'tax' && <Tax />}
          {screen === 'backtests' && <Backtests />}
          {screen === 'macro' && <Macro />}
          {screen === 'data' && <DataSources />}
          {screen === 'operations' && <Operations />}
          {screen === 'settings' && <Settings />}
        </ScreenBoundary>
      </main>
      <AlertToasts />
    </div>
  );
}
