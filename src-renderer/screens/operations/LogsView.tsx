// The log viewer: the newest lines of the data folder's log files (logs.read), filtered by level and text, newest
// first; "Tail" re-reads every 2 s.
import { useEffect, useState } from 'react';
import type { LogLevel, LogLine } from '../../../src-shared/api/ops';
import { useTerminal } from '../../stores/terminal';

const LEVELS: LogLevel[] = ['trace', 'debug', 'info', 'warn', 'error', 'fatal'];

export function LogsView() {
  const api = useTerminal((s) => s.api);
  const [level, setLevel] = useState<LogLevel>('info');
  const [text, setText] = useState('');
  const [tail, setTail] = useState(true);
  const [lines, setLines] = useState<LogLine[]>([]);
  const [files, setFiles] = useState<string[]>([]);
  const [error, setError] = useState<string>();
  useEffect(() => {
    if (!api) return;
    let live = true;
    const load = () => void api.call('logs.read', { level, text, limit: 300 }).then((r) => {
      if (!live) return;
      setLines(r.lines);
      setFiles(r.files);
      setError(undefined);
    }).catch((e: unknown) => live && setError(e instanceof Error ? e.message : String(e)));
    load();
    const t = tail ? setInterval(load, 2000) : undefined;
    return () => {
      live = false;
      if (t) clearInterval(t);
    };
  }, [api, level, text, tail]);
  return (
    <section className="panel ops-logs" aria-label="Logs">
      <div className="toolbar">
        <label>Level <select aria-label="Log level" value={level} onChange={(e) => setLevel(e.target.value as LogLevel)}>{LEVELS.map((l) => <option key={l} value={l}>{l} and above</option>)}</select></label>
        <label>Text <input aria-label="Text filter" type="search" value={text} placeholder="filter" onChange={(e) => setText(e.target.value)} /></label>
        <label><input type="checkbox" checked={tail} onChange={(e) => setTail(e.target.checked)} /> Tail</label>
        <span className="dim">{lines.length} lines · {files.length} file{files.length === 1 ? '' : 's'}{files[0] ? ` (${files.join(', ')})` : ''}</span>
      </div>
      {error && <div className="error-text" role="alert">{error}</div>}
      <table aria-label="Log lines">
        <thead><tr><th>Time</th><th>Level</th><th>Message</th><th>Fields</th></tr></thead>
        <tbody>
          {lines.length === 0 && <tr><td colSpan={4} className="empty">No line matches</td></tr>}
          {lines.map((l, i) => (
            <tr key={`${l.time}-${i}`} className={`log-${l.level}`}>
              <td className="dim">{new Date(l.time).toLocaleTimeString()}</td>
              <td><span className={`log-level ${l.level}`}>{l.level}</span></td>
              <td>{l.msg}</td>
              <td className="reason mono">{Object.keys(l.fields).length ? JSON.stringify(l.fields) : ''}</td>
            </tr>
          ))}
        </tbody>
      </table>
    </section>
  );
}
