// Which account a live strategy trades: the paper account, or the connected broker account; one that trades real money
// needs the trader to tick a confirmation first (the main process refuses it without).
import { useState, type ReactElement } from 'react';
import { useTerminal } from '../stores/terminal';

interface Choice {
  /** undefined: the paper account (the default in main). */
  accountId: string | undefined;
  label: string;
  live: boolean;
}

export interface LiveAccountSelection {
  picker: ReactElement;
  /** The request fields for strategies.start, or why it cannot be sent yet. */
  fields(): { ok: true; fields: { accountId?: string; confirmLive?: true } } | { ok: false; error: string };
  /** "paper", or the account's label. */
  target: string;
}

export function useLiveAccount(): LiveAccountSelection {
  const accounts = useTerminal((s) => s.accounts);
  const [selected, setSelected] = useState<string>('paper');
  const [confirmed, setConfirmed] = useState(false);
  const choices: Choice[] = [{ accountId: undefined, label: 'paper', live: false }];
  // Every other connected account (the paper account is the default choice above).
  for (const a of accounts) {
    if (a.alwaysOn || a.status.state === 'disconnected') continue;
    choices.push({ accountId: a.accountId, label: `${a.label} (${a.live ? 'live' : 'paper'})`.replace(/\s+/g, ' '), live: a.live });
  }
  const choice = choices.find((c) => (c.accountId ?? 'paper') === selected) ?? choices[0]!;
  const picker = (
    <>
      <div className="field"><label htmlFor="bt-live-account">Live account</label>
        <select id="bt-live-account" value={choice.accountId ?? 'paper'} onChange={(e) => { setSelected(e.target.value); setConfirmed(false); }}>
          {choices.map((c) => <option key={c.accountId ?? 'paper'} value={c.accountId ?? 'paper'}>{c.label}</option>)}
        </select></div>
      {choice.live && (
        <label className="live-confirm"><input type="checkbox" checked={confirmed} onChange={(e) => setConfirmed(e.target.checked)} /> Trade real money on {choice.label}</label>
      )}
    </>
  );
  return {
    picker,
    target: choice.label,
    fields() {
      if (choice.accountId === undefined) return { ok: true, fields: {} };
      if (choice.live && !confirmed) return { ok: false, error: `${choice.label} trades real money: tick “Trade real money” to confirm` };
      return { ok: true, fields: { accountId: choice.accountId, ...(choice.live ? { confirmLive: true as const } : {}) } };
    },
  };
}
