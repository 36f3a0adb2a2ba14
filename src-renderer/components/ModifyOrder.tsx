// Modify a working order from the blotter: a small inline dialog for the new price and quantity, then a confirmation
// that spells the change out before orders.modify is sent. A refusal (risk gate, venue) is shown in the dialog.
import { useEffect, useRef, useState, type CSSProperties } from 'react';
import type { Order } from '../../src-shared/domain/types';
import { useTerminal } from '../stores/terminal';
import { price, priceDecimals, qty } from '../lib/format';

/** The price a modify changes: a limit's limit, a stop's stop level; a market order has none. */
function currentPrice(o: Order): number | null {
  return o.type === 'limit' ? o.limitPrice : o.type === 'market' ? null : o.stopPrice;
}

export function ModifyOrder({ order, tick }: { order: Order; tick: number }) {
  const api = useTerminal((s) => s.api);
  const [open, setOpen] = useState(false);
  // Fixed under the button: the blotter's tables scroll, and a dialog inside them would be cut off.
  const button = useRef<HTMLButtonElement>(null);
  const [at, setAt] = useState<CSSProperties>({});
  const [confirming, setConfirming] = useState(false);
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<string | null>(null);
  const was = currentPrice(order);
  const [priceText, setPriceText] = useState('');
  const [qtyText, setQtyText] = useState('');
  const reset = () => {
    setPriceText(was === null ? '' : was.toFixed(priceDecimals(tick)));
    setQtyText(String(order.quantity));
    setConfirming(false);
    setError(null);
  };
  useEffect(() => {
    if (!open) return;
    const onKey = (e: KeyboardEvent) => e.key === 'Escape' && setOpen(false);
    window.addEventListener('keydown', onKey);
    return () => window.removeEventListener('keydown', onKey);
  }, [open]);

  const newPrice = priceText.trim() === '' ? null : Number(priceText);
  const newQty = Number(qtyText);
  const change: { price?: number; quantity?: number } = {};
  if (was !== null && newPrice !== null && newPrice !== was) change.price = newPrice;
  if (newQty !== order.quantity) change.quantity = newQty;
  const problem = (was !== null && (newPrice === null || !(newPrice > 0))) ? 'Enter a price above 0'
    : !(newQty > order.filledQuantity) ? `Enter a quantity above the ${qty(order.filledQuantity)} filled`
      : Object.keys(change).length === 0 ? 'Nothing changed' : null;
  const label = `${order.side.toUpperCase()} ${order.symbol}`;

  const send = () => {
    setBusy(true);
    api!.call('orders.modify', { orderId: order.id, ...change }).then((r) => {
      setBusy(false);
      if (r.rejection) {
        setConfirming(false);
        setError(`Refused: ${r.rejection.message}`);
      } else setOpen(false);
    }, (e: unknown) => {
      setBusy(false);
      setConfirming(false);
      setError(e instanceof Error ? e.message : String(e));
    });
  };

  return (
    <span className="modify-order">
      <button type="button" className="small" aria-label={`Modify order ${order.symbol} ${order.side} ${qty(order.quantity)}`} aria-expanded={open}
        ref={button} onClick={() => {
          reset();
          const r = button.current?.getBoundingClientRect();
          if (r) setAt({ top: r.bottom + 4, left: Math.max(8, Math.min(r.left, window.innerWidth - 260)) });
          setOpen(!open);
        }}>Modify</button>
      {open && (
        <form className="modify-dialog panel" style={at} role="dialog" aria-label={`Modify ${label}`} onSubmit={(e) => { e.preventDefault(); if (!problem) setConfirming(true); }}>
          {!confirming ? (
            <>
              {was !== null && (
                <label>{order.type === 'limit' ? 'Limit' : 'Stop'} price
                  <input type="number" inputMode="decimal" step={tick} value={priceText} onChange={(e) => setPriceText(e.target.value)} autoFocus />
                </label>
              )}
              <label>Quantity
                <input type="number" inputMode="decimal" value={qtyText} onChange={(e) => setQtyText(e.target.value)} autoFocus={was === null} />
              </label>
              {problem && priceText + qtyText !== '' && <p className="dim">{problem}</p>}
              {error && <p className="error-text" role="alert">{error}</p>}
              <div className="row-actions">
                <button type="submit" className="small" disabled={problem !== null}>Review</button>
                <button type="button" className="small" onClick={() => setOpen(false)}>Close</button>
              </div>
            </>
          ) : (
            <>
              <p>
                {label}: {change.quantity !== undefined ? <>qty {qty(order.quantity)} → <b>{qty(change.quantity)}</b></> : <>qty {qty(order.quantity)}</>}
                {change.price !== undefined && <>, price {price(was, tick)} → <b>{price(change.price, tick)}</b></>}. Send the modify?
              </p>
              <div className="row-actions">
                <button type="button" className="small" disabled={busy} onClick={send}>Confirm modify</button>
                <button type="button" className="small" onClick={() => setConfirming(false)}>Back</button>
              </div>
            </>
          )}
        </form>
      )}
    </span>
  );
}
