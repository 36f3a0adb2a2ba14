// Inside the order ticket: the wash-sale consequence of the order before it is sent (portfolio.whatIf, computed in
// main from the ledger across all accounts). Both sides are asked, since the side is only chosen by the click: a sell
// that realises a loss with shares bought within 30 days, or a buy within 30 days after a loss sale. Shows nothing
// when neither side has a consequence, or when the ledger cannot answer (the ticket still works).
import { useEffect, useRef, useState } from 'react';
import type { z } from 'zod';
import type { WhatIfResult } from '../../src-shared/api/portfolio';
import { isoDay, moneyIn } from '../lib/format';
import { useTerminal } from '../stores/terminal';

type Result = z.infer<typeof WhatIfResult>;
const DECIMAL = /^\d+(\.\d+)?$/;

function addDays(iso: string, days: number): string {
  const d = new Date(`${iso}T00:00:00Z`);
  d.setUTCDate(d.getUTCDate() + days);
  return d.toISOString().slice(0, 10);
}

/** The consequence in words, in the user's locale (main's own warnings carry plain numbers). */
function sentences(side: 'buy' | 'sell', symbol: string, r: Result): string[] {
  const ccy = r.realized[0]?.currency ?? r.washSales[0]?.currency ?? 'USD';
  const loss = r.realized.reduce((s, x) => s + Number(x.costBasis) - Number(x.proceeds), 0);
  const forGood = r.permanent ? ' for good (the shares were bought in a tax-advantaged account)' : '';
  if (side === 'sell') {
    if (Number(r.disallowed) > 0) {
      const bought = r.washSales.flatMap((w) => w.replacements.map((p) => isoDay(p.date)));
      return [`Selling: wash sale. ${moneyIn(r.disallowed, ccy)} of the ${moneyIn(loss.toFixed(2), ccy)} loss is disallowed${forGood}: ${symbol} was bought within 30 days (${[...new Set(bought)].join(', ')}).`];
    }
    if (loss > 0 && r.warnings.length > 0) {
      const sold = r.realized[0]!.sold;
      return [`Selling realises a ${moneyIn(loss.toFixed(2), ccy)} loss: buying ${symbol} in any account until ${isoDay(addDays(sold, 30))} would make it a wash sale.`];
    }
    return [];
  }
  if (Number(r.disallowed) > 0) {
    const sold = [...new Set(r.washSales.map((w) => isoDay(w.sold)))].join(', ');
    return [`Buying: wash sale. This buy disallows ${moneyIn(r.disallowed, ccy)} of the loss on ${symbol} sold on ${sold}${r.permanent ? forGood : ', added to this purchase’s basis'}.`];
  }
  return [];
}

export function WashSaleCheck({ accountId, symbol, quantity, price }: { accountId: string | undefined; symbol: string; quantity: string; price: number | undefined }) {
  const api = useTerminal((s) => s.api);
  const [lines, setLines] = useState<string[]>([]);
  const sym = symbol.trim().toUpperCase();
  const q = quantity.trim();
  // A price to the cent: the what-if books like the ledger does.
  const p = price !== undefined && Number.isFinite(price) && price > 0 ? String(Number(price.toFixed(6))) : undefined;
  const ready = api && accountId && sym && DECIMAL.test(q) && Number(q) > 0 && p !== undefined;
  // A market order's price ticks: ask again when it moves by more than about 1 % (3 significant digits), with the
  // latest price, rather than on every tick.
  const latest = useRef(p);
  useEffect(() => {
    latest.current = p;
  }, [p]);
  const priceKey = p === undefined ? undefined : Number(p).toPrecision(3);

  useEffect(() => {
    if (!ready) return;
    let live = true;
    // Debounced: typing a quantity asks once.
    const timer = setTimeout(() => {
      const ask = (side: 'buy' | 'sell') => api.call('portfolio.whatIf', { accountId, symbol: sym, side, quantity: q, price: latest.current ?? '0' }).then((r) => sentences(side, sym, r), () => []);
      void Promise.all([ask('sell'), ask('buy')]).then(([s, b]) => live && setLines([...s, ...b]));
    }, 350);
    return () => {
      live = false;
      clearTimeout(timer);
    };
  }, [ready, api, accountId, sym, q, priceKey]);

  if (!ready || lines.length === 0) return null;
  return (
    <div className="wash-check" role="note" aria-label="Wash-sale check">
      {lines.map((l, i) => <p key={i}>{l}</p>)}
    </div>
  );
}
