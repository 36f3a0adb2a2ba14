// The `portfolio.*` methods (src-shared/api/portfolio.ts) on the ledger service: thin glue, no rules of their own.
import { form8949Csv } from '../domain/ledger/tax';
import type { MarketData } from '../ports/market-data';
import { LedgerInputError, LedgerNotFoundError, type LedgerService } from '../services/ledger';
import { HandlerError, type ApiHandlers } from './dispatcher';

type PortfolioMethod = Extract<keyof ApiHandlers, `portfolio.${string}`>;

/** Bad input is the caller's to fix (BAD_REQUEST), an unknown id NOT_FOUND. */
async function ledgerInput<T>(fn: () => Promise<T>): Promise<T> {
  try {
    return await fn();
  } catch (err) {
    if (err instanceof LedgerInputError) throw new HandlerError('BAD_REQUEST', err.message);
    if (err instanceof LedgerNotFoundError) throw new HandlerError('NOT_FOUND', err.message);
    throw err;
  }
}

export function portfolioHandlers(d: { ledger: LedgerService; market: () => MarketData }): Pick<ApiHandlers, PortfolioMethod> {
  return {
    'portfolio.accounts.list': () => d.ledger.accounts(),
    'portfolio.accounts.upsert': (account) => d.ledger.upsertAccount(account),
    'portfolio.transactions.list': (q) => d.ledger.transactions(q),
    'portfolio.transactions.add': (tx) => ledgerInput(() => d.ledger.add(tx)),
    'portfolio.transactions.edit': ({ id, transaction }) => ledgerInput(() => d.ledger.edit(id, transaction)),
    'portfolio.transactions.delete': ({ id }) => ledgerInput(async () => {
      await d.ledger.remove(id);
      return { ok: true as const };
    }),
    'portfolio.balances': ({ asOf }) => d.ledger.balances(asOf),
    'portfolio.import': ({ format, text }) => d.ledger.import(text, format),
    'portfolio.lots': async ({ method }) => {
      const r = await d.ledger.lots(method);
      return { lots: r.lots, problems: r.problems };
    },
    'portfolio.gains': ({ year, method }) => d.ledger.gains(year, method),
    'portfolio.form8949': async ({ year, method }) => ({ csv: form8949Csv((await d.ledger.gains(year, method)).rows) }),
    'portfolio.washSales': ({ year }) => d.ledger.washSales(year),
    'portfolio.harvest': async ({ prices, ...rest }) => {
      // Symbols without a given price are priced from the market's last trade, when it has one.
      const all = { ...prices };
      for (const lot of (await d.ledger.lots(rest.method)).lots) {
        const last = all[lot.symbol] === undefined ? d.market().lastQuote(lot.symbol)?.last : undefined;
        if (last !== undefined && Number.isFinite(last) && last > 0) all[lot.symbol] = String(last);
      }
      return d.ledger.harvest({ ...rest, prices: all });
    },
    'portfolio.whatIf': (order) => d.ledger.whatIf(order),
  };
}
