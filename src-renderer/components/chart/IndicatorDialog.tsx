// The chart's indicators: add, change parameters, remove. Changes apply when a parameter is valid; Esc or Close closes.
import { useEffect, useRef, useState } from 'react';
import { INDICATOR_KINDS, INDICATORS, newIndicator, paramError, type IndicatorConfig, type IndicatorKind } from './indicators';

export function IndicatorDialog({ list, onChange, onClose }: { list: IndicatorConfig[]; onChange(list: IndicatorConfig[]): void; onClose(): void }) {
  const [adding, setAdding] = useState<IndicatorKind>('sma');
  // Esc closes it wherever the focus is (the latest onClose is read through a ref: the listener is added once).
  const close = useRef(onClose);
  useEffect(() => {
    close.current = onClose;
  }, [onClose]);
  useEffect(() => {
    const onKey = (e: KeyboardEvent) => e.key === 'Escape' && close.current();
    window.addEventListener('keydown', onKey);
    return () => window.removeEventListener('keydown', onKey);
  }, []);
  const add = () => {
    const n = list.reduce((m, c) => Math.max(m, Number(c.id.replace(/\D/g, '')) || 0), 0) + 1;
    onChange([...list, newIndicator(adding, `i${n}`)]);
  };
  return (
    <div className="chart-dialog panel" role="dialog" aria-label="Indicators">
      <div className="chart-dialog-head">
        <b>Indicators</b>
        <button type="button" className="small" onClick={onClose}>Close</button>
      </div>
      {list.length === 0 && <p className="dim">None on this chart.</p>}
      {list.map((c) => <IndicatorRow key={c.id} config={c} onChange={(next) => onChange(list.map((x) => (x.id === c.id ? next : x)))} onRemove={() => onChange(list.filter((x) => x.id !== c.id))} />)}
      <div className="chart-dialog-add">
        <select aria-label="Indicator to add" value={adding} onChange={(e) => setAdding(e.target.value as IndicatorKind)}>
          {INDICATOR_KINDS.map((k) => <option key={k} value={k}>{INDICATORS[k].label}{INDICATORS[k].overlay ? '' : ' (pane)'}</option>)}
        </select>
        <button type="button" className="small" onClick={add}>Add</button>
      </div>
    </div>
  );
}

function IndicatorRow({ config, onChange, onRemove }: { config: IndicatorConfig; onChange(c: IndicatorConfig): void; onRemove(): void }) {
  const def = INDICATORS[config.kind];
  // The text as typed: an invalid value is shown with its reason and not applied.
  const [texts, setTexts] = useState(config.params.map(String));
  return (
    <div className="chart-dialog-row" role="group" aria-label={`${def.label} ${config.params.join(' ')}`}>
      <span className="chart-dialog-name">{def.label}</span>
      {def.params.map((p, i) => {
        const error = paramError(config.kind, i, Number(texts[i]));
        return (
          <label key={p.name} className="chart-dialog-param">
            <span className="dim">{p.name}</span>
            <input aria-label={`${def.label} ${p.name}`} inputMode="decimal" value={texts[i]} aria-invalid={error !== undefined} title={error}
              onChange={(e) => {
                const next = texts.slice();
                next[i] = e.target.value;
                setTexts(next);
                const v = Number(e.target.value);
                if (e.target.value.trim() !== '' && paramError(config.kind, i, v) === undefined) onChange({ ...config, params: config.params.map((x, j) => (j === i ? v : x)) });
              }} />
          </label>
        );
      })}
      <button type="button" className="small" aria-label={`Remove ${def.label}`} onClick={onRemove}>Remove</button>
    </div>
  );
}
