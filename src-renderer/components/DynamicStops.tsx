// Dynamic stops inside the order ticket: a trailing stop-loss leg (a percent of the price or a distance) and, for the
// entry's stop legs, break-even after a profit and a time exit. The fields become the order request's trailingStop,
// stopBreakEvenAfter and stopExitAt (src-shared/api/order-request.ts); the ticket validates and sends them.
import { useEffect, useState } from 'react';
import type { VenueInfo } from '../../src-shared/api/contract';
import type { OrderRequest } from '../../src-shared/api/order-request';
import { useTerminal } from '../stores/terminal';

export type DynamicStopFields = Pick<OrderRequest, 'trailingStop' | 'stopBreakEvenAfter' | 'stopExitAt'>;

/** Empty → undefined; anything else → a number, NaN when it is not one (the schema names the field). */
const num = (text: string): number | undefined => (text.trim() === '' ? undefined : Number(text.trim()));

export function DynamicStops({ venue, errors, onChange }: { venue: string | undefined; errors: Record<string, string>; onChange: (f: DynamicStopFields) => void }) {
  const api = useTerminal((s) => s.api);
  const [venues, setVenues] = useState<VenueInfo[]>([]);
  const [trailBy, setTrailBy] = useState<'none' | 'percent' | 'distance'>('none');
  const [trail, setTrail] = useState('');
  const [breakEven, setBreakEven] = useState('');
  const [exitAt, setExitAt] = useState('');
  useEffect(() => {
    if (api) api.call('venues.list', {}).then(setVenues, () => setVenues([]));
  }, [api]);

  function emit(next: { trailBy?: typeof trailBy; trail?: string; breakEven?: string; exitAt?: string }) {
    const by = next.trailBy ?? trailBy;
    const t = num(next.trail ?? trail);
    const e = (next.exitAt ?? exitAt).trim();
    onChange({
      trailingStop: by === 'none' ? undefined : by === 'percent' ? { percent: t ?? NaN } : { distance: t ?? NaN },
      stopBreakEvenAfter: num(next.breakEven ?? breakEven),
      // datetime-local is the user's local time; the request carries UTC ms.
      stopExitAt: e === '' ? undefined : new Date(e).getTime(),
    });
  }

  // Native only where the venue takes a trailing stop with the entry itself and the trail is a percent (IB); elsewhere
  // (OANDA's on-fill trailing stop is not reported back as it moves, the paper broker has none) the app holds it.
  const native = trailBy === 'percent' && breakEven.trim() === '' && exitAt.trim() === '' && (venues.find((v) => v.id === venue)?.capabilities.orderTypes.includes('trailing-stop') ?? false);
  const trailError = errors['trailingStop.percent'] ?? errors['trailingStop.distance'] ?? errors['trailingStop'];
  const invalid = (key: string) => (errors[key] ? { 'aria-invalid': true, 'aria-describedby': `ticket-${key}-error` } : {});
  const fieldError = (key: string, text: string | undefined) => text && <div id={`ticket-${key}-error`} className="field-error" role="alert">{text}</div>;
  const used = trailBy !== 'none' || breakEven !== '' || exitAt !== '';

  return (
    <details className="risk-sizing dynamic-stops" open={used || trailError !== undefined || undefined}>
      <summary>Trailing &amp; dynamic stops{used && <span className="dim"> · {[trailBy !== 'none' && 'trailing', breakEven && 'break-even', exitAt && 'time exit'].filter(Boolean).join(', ')}</span>}</summary>
      <div className="row2">
        <div className="field">
          <label htmlFor="ticket-trailBy">Trailing stop</label>
          <select id="ticket-trailBy" value={trailBy} onChange={(e) => { const v = e.target.value as typeof trailBy; setTrailBy(v); emit({ trailBy: v }); }}>
            <option value="none">None</option>
            <option value="percent">Percent of price</option>
            <option value="distance">Distance in price</option>
          </select>
        </div>
        <div className="field">
          <label htmlFor="ticket-trailingStop">{trailBy === 'distance' ? 'Trail distance' : 'Trail percent'}</label>
          <input id="ticket-trailingStop" inputMode="decimal" autoComplete="off" disabled={trailBy === 'none'} value={trail}
            placeholder={trailBy === 'distance' ? 'e.g. 0.0020' : 'e.g. 0.5'} {...invalid('trailingStop')}
            onChange={(e) => { setTrail(e.target.value); emit({ trail: e.target.value }); }} />
          {fieldError('trailingStop', trailError)}
        </div>
      </div>
      <div className="dynamic-more">
        <div className="field">
          <label htmlFor="ticket-stopBreakEvenAfter">Break-even after a profit of</label>
          <input id="ticket-stopBreakEvenAfter" inputMode="decimal" autoComplete="off" placeholder="price distance, e.g. 0.0030" value={breakEven} {...invalid('stopBreakEvenAfter')}
            onChange={(e) => { setBreakEven(e.target.value); emit({ breakEven: e.target.value }); }} />
          {fieldError('stopBreakEvenAfter', errors['stopBreakEvenAfter'])}
        </div>
        <div className="field">
          <label htmlFor="ticket-stopExitAt">Time exit</label>
          <input id="ticket-stopExitAt" type="datetime-local" value={exitAt} {...invalid('stopExitAt')}
            onChange={(e) => { setExitAt(e.target.value); emit({ exitAt: e.target.value }); }} />
          {fieldError('stopExitAt', errors['stopExitAt'])}
        </div>
      </div>
      {used && (
        <div className="dim small" role="note">
          {native ? 'Sent to the venue with the entry.' : 'Held by Quant Claude once the entry fills: it moves with the quotes while the app runs, journaled like any order.'}
          {(breakEven !== '' || exitAt !== '') && ' Break-even and the time exit apply to the stop-loss and the trailing stop.'}
        </div>
      )}
    </details>
  );
}
