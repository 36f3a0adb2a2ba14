// Connecting with real money: the user types LIVE first (the IB form and every venue's form).
import { useState } from 'react';

export function LiveConfirm({ endpoint, onConfirm, onCancel }: { endpoint: string; onConfirm: () => void; onCancel: () => void }) {
  const [typed, setTyped] = useState('');
  const ok = typed.trim() === 'LIVE';
  return (
    <div className="modal-backdrop">
      <form className="modal panel" role="dialog" aria-modal="true" aria-labelledby="live-title" aria-describedby="live-text"
        onSubmit={(e) => { e.preventDefault(); if (ok) onConfirm(); }}>
        <h2 id="live-title" className="live-title"><span className="badge live">LIVE</span> Trade with real money?</h2>
        <p id="live-text">
          Quant Claude will connect to <b>{endpoint}</b> in live mode. Orders you place, and orders placed by running strategies, go to the
          market with real money. Risk limits and the kill switch still apply.
        </p>
        <div className="field">
          <label htmlFor="live-confirm">Type LIVE to confirm</label>
          <input id="live-confirm" autoComplete="off" autoFocus value={typed} onChange={(e) => setTyped(e.target.value)} />
        </div>
        <div className="modal-buttons">
          <button type="button" onClick={onCancel}>Cancel</button>
          <button type="submit" className="danger" disabled={!ok}>Connect live</button>
        </div>
      </form>
    </div>
  );
}
