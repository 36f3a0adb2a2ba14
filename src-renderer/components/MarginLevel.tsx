// The worst account's margin level in the top bar (the lowest level of every account with margin figures), warning
// when it is below the alert level, the margin call or the stop-out level. Hidden when no account trades on margin.
import { useEffect, useState } from 'react';
import { worstAccount, type MarginStatus } from '../../src-shared/domain/margin';
import { useTerminal } from '../stores/terminal';

const WORDS: Record<MarginStatus['state'], string> = {
  flat: 'no positions', ok: '', alert: 'below the alert level', 'margin-call': 'margin call', 'stop-out': 'stop-out',
};

export function MarginLevel() {
  const api = useTerminal((s) => s.api);
  const [list, setList] = useState<MarginStatus[]>([]);
  useEffect(() => {
    if (!api) return;
    void api.call('margin.status', {}).then(setList).catch(() => undefined);
    return api.on('margin', setList);
  }, [api]);
  const worst = worstAccount(list);
  if (!worst) return null;
  const bad = worst.state === 'alert' || worst.state === 'margin-call' || worst.state === 'stop-out';
  const level = worst.marginLevel === null ? '—' : `${worst.marginLevel} %`;
  const title = [
    `${worst.label}: equity ${worst.equity}, used margin ${worst.usedMargin}, free ${worst.freeMargin} ${worst.currency}`,
    `Alert below ${worst.alertLevel} %, margin call below ${worst.marginCallLevel} %, stop-out below ${worst.stopOutLevel} %`,
    ...(worst.toStopOut !== null ? [`${worst.toStopOut} ${worst.currency} from stop-out`] : []),
  ].join('\n');
  return (
    <div className={`conn margin ${bad ? 'bad' : 'ok'}`} role="status" aria-label="Margin level" title={title}>
      {bad && '⚠ '}Margin <b>{level}</b> <span className="dim">{worst.label}{WORDS[worst.state] ? ` · ${WORDS[worst.state]}` : ''}</span>
    </div>
  );
}
