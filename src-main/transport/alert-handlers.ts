// The `alerts.*` methods of issue 17 (src-shared/api/alerts.ts) on the alert service: thin glue.
import { AlertInputError, type AlertService } from '../services/alerts';
import type { MarketData } from '../ports/market-data';
import { HandlerError, type ApiHandlers } from './dispatcher';

type AlertMethod = 'alerts.list' | 'alerts.create' | 'alerts.remove' | 'alerts.log';

export function alertHandlers(d: { alerts?: AlertService; market: () => MarketData; defaultAccount: () => string }): Pick<ApiHandlers, AlertMethod> {
  const need = () => {
    if (!d.alerts) throw new HandlerError('UNAVAILABLE', 'Alerts are not running');
    return d.alerts;
  };
  return {
    'alerts.list': async () => need().list(),
    'alerts.create': async (req) => {
      try {
        return await need().create(req, { price: (symbol) => d.market().lastQuote(symbol)?.last, defaultAccount: d.defaultAccount() });
      } catch (err) {
        if (err instanceof AlertInputError) throw new HandlerError('BAD_REQUEST', err.message);
        throw err;
      }
    },
    'alerts.remove': async ({ id }) => need().remove(id),
    'alerts.log': async () => need().log(),
  };
}
