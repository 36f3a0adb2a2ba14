// Our symbols ↔ Yahoo's: FX pairs get "=X", crypto a dash, index CFDs and spot metals map to Yahoo's indices and futures.

/** ISO currencies Yahoo quotes as "<PAIR>=X". */
const FIAT = new Set(['USD', 'EUR', 'JPY', 'GBP', 'CHF', 'AUD', 'CAD', 'NZD', 'SEK', 'NOK', 'DKK', 'HKD', 'SGD', 'CNH', 'CNY', 'MXN', 'ZAR', 'TRY', 'PLN', 'CZK', 'HUF', 'INR', 'KRW', 'BRL', 'ILS', 'THB']);
/** Crypto bases Yahoo quotes as "<BASE>-<QUOTE>". */
const CRYPTO = new Set(['BTC', 'ETH', 'SOL', 'XRP', 'ADA', 'DOGE', 'LTC', 'BCH', 'DOT', 'AVAX', 'LINK', 'MATIC', 'XLM', 'TRX', 'USDT', 'USDC']);

/**
 * Index CFDs and spot metals/energy have no spot symbol on Yahoo: the cash index or the front-month future stands in.
 * XAUUSD → GC=F is the COMEX future, a few dollars off spot gold (Yahoo dropped XAUUSD=X).
 */
const ALIASES: Record<string, string> = {
  US500: '^GSPC', SPX500: '^GSPC', US30: '^DJI', US100: '^NDX', NAS100: '^NDX', US2000: '^RUT', VIX: '^VIX',
  DE40: '^GDAXI', GER40: '^GDAXI', UK100: '^FTSE', FR40: '^FCHI', EU50: '^STOXX50E', JP225: '^N225', HK50: '^HSI', AU200: '^AXJO',
  XAUUSD: 'GC=F', XAGUSD: 'SI=F', XPTUSD: 'PL=F', XPDUSD: 'PA=F', USOIL: 'CL=F', WTI: 'CL=F', UKOIL: 'BZ=F', BRENT: 'BZ=F', NATGAS: 'NG=F', COPPER: 'HG=F',
};
const REVERSE: Record<string, string> = {};
// The first alias listed wins the way back (US500, not SPX500).
for (const [ours, yahoo] of Object.entries(ALIASES)) REVERSE[yahoo] ??= ours;

export function toYahooSymbol(symbol: string): string {
  const s = symbol.trim().toUpperCase();
  const alias = ALIASES[s];
  if (alias) return alias;
  if (/^[A-Z]{6}$/.test(s)) {
    const base = s.slice(0, 3);
    const quote = s.slice(3);
    if (FIAT.has(base) && FIAT.has(quote)) return `${s}=X`;
    if (CRYPTO.has(base) && (FIAT.has(quote) || CRYPTO.has(quote))) return `${base}-${quote}`;
  }
  if (/^[A-Z]{3,5}USDT$/.test(s) && CRYPTO.has(s.slice(0, -4))) return `${s.slice(0, -4)}-USDT`;
  // Share classes: BRK.B → BRK-B (Yahoo uses a dash; exchange suffixes such as SAP.DE keep their dot).
  const share = /^([A-Z]{1,5})\.([A-C])$/.exec(s);
  if (share) return `${share[1]}-${share[2]}`;
  return s;
}

export function fromYahooSymbol(yahoo: string): string {
  const y = yahoo.trim().toUpperCase();
  const alias = REVERSE[y];
  if (alias) return alias;
  const fx = /^([A-Z]{6})=X$/.exec(y);
  if (fx) return fx[1]!;
  // USD base pairs are quoted as "JPY=X" (USDJPY).
  const usdBase = /^([A-Z]{3})=X$/.exec(y);
  if (usdBase) return `USD${usdBase[1]}`;
  const crypto = /^([A-Z0-9]{2,10})-([A-Z]{3,4})$/.exec(y);
  if (crypto && CRYPTO.has(crypto[1]!)) return `${crypto[1]}${crypto[2]}`;
  const share = /^([A-Z]{1,5})-([A-C])$/.exec(y);
  if (share) return `${share[1]}.${share[2]}`;
  return y;
}
