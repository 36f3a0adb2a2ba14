// An account's kind at a glance: DEMO (paper on simulated prices), PAPER (a broker's paper account), LIVE (real money).
import type { ConnectionStatus } from '../../src-shared/api/contract';

const TITLE: Record<ConnectionStatus['mode'], string> = {
  demo: 'Paper broker on simulated prices',
  paper: 'A paper account at the broker',
  live: 'A live account: real money',
};

export function ModeBadge({ mode }: { mode: ConnectionStatus['mode'] }) {
  return <span className={`badge ${mode}`} title={TITLE[mode]}>{mode.toUpperCase()}</span>;
}
