// The order ticket: validated with the contract's own OrderRequest schema before anything is sent.
import { useEffect, useMemo, useState } from 'react';
import { ApiCallError } from '../../src-shared/api/contract';
import { fieldErrors, OrderRequest } from '../../src-shared/api/order-request';
import type { Instrument, OrderSide, OrderType, Quote, TimeInForce } from '../../src-shared/domain/types';
import { money, price, qty, timeOfDay } from '../lib/format';
import { useMarketStatus, whenText } from '../lib/market-status';
import { useShallow } from 'zustand/react/shallow';
import { useTerminal } from '../stores/terminal';
import { ModeBadge } from './ModeBadge';
import { DynamicStops, type DynamicStopFields } from './DynamicStops';
import { RiskSizing } from './RiskSizing';
import { UnprotectedAlert } from './UnprotectedAlert';
import { WashSaleCheck } from './WashSaleCheck';
import { useTicketPrefill } from './chart/ticket-prefill';
import { stateTitle, useTradingState } from './TradingState';

/** Empty → undefined (optional field); anything else → a number, NaN when it is not one. */
const num = (text: string): number | undefined => (text.trim() === '' ? undefined : Number(text.trim()));

export function OrderTicket() {
  // Narrow selections: a quote for another instrument must not re-render the ticket.
  const { api, chartSymbol, orders, instruments, accounts, ticketAccount, chooseTicketAccount } = useTerminal(
    useShallow((s) => ({
      api: s.api, chartSymbol: s.symbol, orders: s.orders, instruments: s.instruments, accounts: s.accounts, ticketAccount: s.ticketAccount,
      chooseTicketAccount: s.chooseTicketAccount,
    })),
  );
  // The account chosen last while it is connected, else the default one (the account connected last).
  const target = accounts.find((a) => a.accountId === ticketAccount) ?? accounts.find((a) => a.default);
  const live = target?.live ?? false;
  const offline = target !== undefined && !target.alwaysOn && (target.status.state === 'disconnected' || target.status.state === 'connecting');
  const [symbol, setSymbol] = useState(chartSymbol);
  const [quantity, setQuantity] = useState('');
  const [type, setType] = useState<OrderType>('market');
  const [limitPrice, setLimitPrice] = useState('');
  const [stopPrice, setStopPrice] = useState('');
  const [stopLoss, setStopLoss] = useState('');
  const [takeProfit, setTakeProfit] = useState('');
  const [tif, setTif] = useState<TimeInForce>('day');
  const [dynamicStops, setDynamicStops] = useState<DynamicStopFields>({});
  const [errors, setErrors] = useState<Record<string, string>>({});
  const [sent, setSent] = useState<{ orderId?: string; text: string; tone: 'ok' | 'bad' | 'info' } | undefined>();
  const [busy, setBusy] = useState(false);
  // A refusal the trader can act on: the duplicate guard's "send anyway?" (the same request, confirmed) and the VaR
  // budget's size that fits (sets the quantity; the trader still presses Buy or Sell).
  const [repeat, setRepeat] = useState<OrderRequest | undefined>();
  const [fit, setFit] = useState<number | undefined>();
  const tradingState = useTradingState(target?.accountId);

  // Follow the chart's instrument (React's "adjust state while rendering" pattern, no effect needed).
  const [followed, setFollowed] = useState(chartSymbol);
  if (followed !== chartSymbol) {
    setFollowed(chartSymbol);
    setSymbol(chartSymbol);
  }
  // A price chosen on the chart (right-click): the type and price are filled in; the trader still presses Buy or Sell.
  const prefill = useTicketPrefill((s) => s.prefill);
  const [prefilled, setPrefilled] = useState(prefill?.seq);
  if (prefill && prefill.seq !== prefilled) {
    setPrefilled(prefill.seq);
    setSymbol(prefill.symbol);
    setType(prefill.type);
    (prefill.type === 'limit' ? setLimitPrice : setStopPrice)(String(prefill.price));
  }
  // What the chosen account trades: its own market's instruments when it is not the default account (a paper account
  // next to an OANDA one offers stocks OANDA does not); the store holds the default account's.
  const [own, setOwn] = useState<{ accountId: string; instruments: Instrument[] } | undefined>();
  const otherAccount = target && !target.default ? target.accountId : undefined;
  useEffect(() => {
    if (!api || otherAccount === undefined) return;
    let current = true;
    api.call('instruments.list', { accountId: otherAccount }).then((list) => current && setOwn({ accountId: otherAccount, instruments: list }), () => undefined);
    return () => {
      current = false;
    };
  }, [api, otherAccount]);
  const tradable = otherAccount !== undefined && own?.accountId === otherAccount ? own.instruments : instruments;
  const instrument = tradable.find((i) => i.symbol === symbol.trim().toUpperCase());
  const market = useMarketStatus(instrument?.session);
  const defaultQuote = useTerminal((s) => (otherAccount === undefined ? s.quotes[symbol.trim().toUpperCase()] : undefined));
  const accountQuote = useAccountQuote(otherAccount, symbol.trim().toUpperCase());
  const quote = otherAccount === undefined ? defaultQuote : accountQuote;

  const tracked = sent?.orderId ? orders.find((o) => o.id === sent.orderId) : undefined;
  const statusText = useMemo(() => {
    if (!sent) return '';
    if (!tracked) return sent.text;
    const what = `${tracked.side === 'buy' ? 'Buy' : 'Sell'} ${qty(tracked.quantity)} ${tracked.symbol}`;
    switch (tracked.status) {
      case 'filled': return `Filled: ${what} at ${price(tracked.avgFillPrice, instrument?.tickSize)}`;
      case 'partially-filled': return `Partially filled: ${what} (${qty(tracked.filledQuantity)})`;
      case 'working': return `Working: ${what}`;
      case 'rejected': return `Rejected: ${tracked.rejectReason ?? ''}`;
      case 'cancelled': return `Cancelled: ${what}`;
      default: return `Submitted: ${what}`;
    }
  }, [sent, tracked, instrument]);
  const tone = tracked?.status === 'rejected' ? 'bad' : tracked?.status === 'filled' ? 'ok' : (sent?.tone ?? 'info');

  const refPrice = type === 'limit' ? num(limitPrice) : type === 'stop' ? num(stopPrice) : quote?.last;
  const notional = num(quantity) !== undefined && refPrice !== undefined ? (num(quantity)! * refPrice).toFixed(2) : undefined;

  async function submit(side: OrderSide) {
    const request = {
      symbol: symbol.trim().toUpperCase(), side, type, quantity: num(quantity) ?? NaN, timeInForce: tif,
      limitPrice: type === 'limit' ? num(limitPrice) : undefined, stopPrice: type === 'stop' ? num(stopPrice) : undefined,
      stopLoss: num(stopLoss), takeProfit: num(takeProfit), ...dynamicStops,
    };
    const parsed = OrderRequest.safeParse(request);
    if (!parsed.success) {
      setErrors(fieldErrors(parsed.error));
      setSent(undefined);
      return;
    }
    if (!instrument) {
      setErrors({ symbol: `Unknown symbol ${request.symbol}` });
      return;
    }
    setErrors({});
    await send(parsed.data);
  }

  async function send(request: OrderRequest) {
    setBusy(true);
    setRepeat(undefined);
    setFit(undefined);
    try {
      const r = await api!.call('orders.place', { ...request, accountId: target?.accountId });
      useTerminal.getState().upsertOrder(r.order);
      if (r.rejection?.field) setErrors({ [r.rejection.field]: r.rejection.message });
      if (r.rejection?.confirm) setRepeat({ ...request, confirmDuplicate: true });
      if (r.rejection?.fitQuantity !== undefined) setFit(r.rejection.fitQuantity);
      setSent(r.rejection ? { orderId: r.order.id, text: `Rejected: ${r.rejection.message}`, tone: 'bad' } : { orderId: r.order.id, text: 'Submitted', tone: 'info' });
    } catch (err) {
      if (err instanceof ApiCallError && err.error.fields) setErrors(err.error.fields);
      setSent({ text: `Not sent: ${err instanceof Error ? err.message : String(err)}`, tone: 'bad' });
    } finally {
      setBusy(false);
    }
  }

  const field = (id: string, label: string, value: string, set: (v: string) => void, hint?: string) => (
    <div className="field">
      <label htmlFor={`ticket-${id}`}>{label}</label>
      <input id={`ticket-${id}`} inputMode="decimal" autoComplete="off" value={value} placeholder={hint}
        aria-invalid={errors[id] ? true : undefined} aria-describedby={errors[id] ? `ticket-${id}-error` : undefined}
        onChange={(e) => set(e.target.value)} />
      {errors[id] && <div id={`ticket-${id}-error`} className="field-error" role="alert">{errors[id]}</div>}
    </div>
  );

  return (
    // Enter never places an order: the side is always an explicit click on Buy or Sell.
    <form className={`ticket panel ${live ? 'live' : ''}`} aria-label="Order ticket" onSubmit={(e) => e.preventDefault()} noValidate>
      <h2>Order ticket {live && <span className="badge live" title="Orders go to your live Interactive Brokers account">LIVE · real money</span>}</h2>
      {tradingState && (
        <div className={`ticket-state ${tradingState.state.toLowerCase()}`} role="note" aria-label="Ticket trading state" title={stateTitle(tradingState)}>
          Trading state <b className={`risk-state ${tradingState.state.toLowerCase()}`}>{tradingState.state}</b>
          {tradingState.state === 'REDUCING' && ' · only orders that reduce a position pass'}
          {tradingState.state === 'HALTED' && ' · only cancels pass'}
        </div>
      )}
      {accounts.length > 1 && (
        <div className="field">
          <label htmlFor="ticket-account">Account</label>
          <div className="account-pick">
            <select id="ticket-account" value={target?.accountId ?? ''} onChange={(e) => chooseTicketAccount(e.target.value)}>
              {accounts.map((a) => <option key={a.accountId} value={a.accountId}>{a.label}</option>)}
            </select>
            {target && <ModeBadge mode={target.status.mode} />}
          </div>
        </div>
      )}
      {field('symbol', 'Symbol', symbol, setSymbol)}
      <div className="quote-line">
        <span>Bid <b>{price(quote?.bid, instrument?.tickSize)}</b></span>
        <span>Ask <b>{price(quote?.ask, instrument?.tickSize)}</b></span>
      </div>
      {field('quantity', 'Quantity', quantity, setQuantity, instrument ? `lot ${qty(instrument.lotSize)}` : '')}
      <RiskSizing accountId={target?.accountId} symbol={symbol} onSize={(units) => setQuantity(String(units))} />
      <div className="field">
        <label htmlFor="ticket-type">Order type</label>
        <select id="ticket-type" value={type} onChange={(e) => setType(e.target.value as OrderType)}>
          <option value="market">Market</option>
          <option value="limit">Limit</option>
          <option value="stop">Stop</option>
        </select>
      </div>
      {type === 'limit' && field('limitPrice', 'Limit price', limitPrice, setLimitPrice)}
      {type === 'stop' && field('stopPrice', 'Stop price', stopPrice, setStopPrice)}
      <div className="row2">
        {field('stopLoss', 'Stop-loss', stopLoss, setStopLoss, 'optional')}
        {field('takeProfit', 'Take-profit', takeProfit, setTakeProfit, 'optional')}
      </div>
      <DynamicStops venue={target?.venue} errors={errors} onChange={setDynamicStops} />
      <div className="field">
        <label htmlFor="ticket-tif">Time in force</label>
        <select id="ticket-tif" value={tif} onChange={(e) => setTif(e.target.value as TimeInForce)}>
          <option value="day">Day</option>
          <option value="gtc">Good till cancelled</option>
        </select>
      </div>
      <div className="notional">Est. notional <b>{money(notional)}</b></div>
      <WashSaleCheck accountId={target?.accountId} symbol={symbol} quantity={quantity} price={refPrice} />
      {market && !market.open && (
        <div className="ticket-note" role="note">
          Market closed{market.changesAt !== null ? `: opens ${whenText(market.changesAt)}` : ''}. {type === 'market' ? 'A market order waits and is sent at the open.' : 'The order works from the open.'}
        </div>
      )}
      {errors['_'] && <div className="field-error" role="alert">{errors['_']}</div>}
      {offline ? (
        // A broker account that is not connected takes no order: the reason instead of the buttons (paper is always on).
        <div className="ticket-offline" role="note" aria-label="Ticket disabled">
          {target!.label} is {target!.status.state === 'connecting' ? 'reconnecting' : 'disconnected'}: orders cannot be sent.
          {target!.status.message ? ` ${target!.status.message}` : ''}
          {target!.status.nextRetryAt ? ` Next attempt ${timeOfDay(target!.status.nextRetryAt)}.` : ''}
        </div>
      ) : (
        <div className="sides">
          <button type="button" className="buy" disabled={busy} onClick={() => void submit('buy')}>Buy</button>
          <button type="button" className="sell" disabled={busy} onClick={() => void submit('sell')}>Sell</button>
        </div>
      )}
      <div className={`ticket-status ${tone}`} role="status" aria-live="polite">{statusText}</div>
      {repeat && (
        <div className="ticket-actions" role="group" aria-label="Duplicate order">
          <span>Send anyway?</span>
          <button type="button" disabled={busy} onClick={() => void send(repeat)}>Send anyway</button>
          <button type="button" onClick={() => setRepeat(undefined)}>Don't send</button>
        </div>
      )}
      {fit !== undefined && (
        <div className="ticket-actions" role="group" aria-label="VaR budget">
          {fit > 0 ? (
            <button type="button" onClick={() => { setQuantity(String(fit)); setFit(undefined); }}>Use {qty(fit)} (fits the VaR budget)</button>
          ) : <span>No quantity of this order fits the VaR budget.</span>}
        </div>
      )}
      {tracked && <UnprotectedAlert entryId={tracked.id} />}
    </form>
  );
}

/** The bid and ask of `symbol` on an account other than the default one (the store follows the default account's
 * market only): its market's last quote, then each `account.quote` pushed for it. */
function useAccountQuote(accountId: string | undefined, symbol: string): Quote | undefined {
  const api = useTerminal((s) => s.api);
  const [held, setHeld] = useState<{ key: string; quote: Quote } | undefined>();
  const key = `${accountId}|${symbol}`;
  useEffect(() => {
    if (!api || accountId === undefined || !symbol) return;
    let current = true;
    api.call('quotes.snapshot', { accountId }).then((qs) => {
      const q = qs.find((x) => x.symbol === symbol);
      if (current && q) setHeld((h) => (h?.key === key ? h : { key, quote: q }));
    }, () => undefined);
    const off = api.on('account.quote', ({ accountIds, quote }) => {
      if (quote.symbol === symbol && accountIds.includes(accountId)) setHeld({ key, quote });
    });
    return () => {
      current = false;
      off();
    };
  }, [api, accountId, symbol, key]);
  return held?.key === key ? held.quote : undefined;
}
