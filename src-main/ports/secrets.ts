// Secrets port: named secrets (API keys, the IB account id) kept encrypted at rest; values never reach logs or config.yaml.
export interface Secrets {
  /** The clear value, or undefined when no secret has that name. */
  get(name: string): Promise<string | undefined>;
  set(name: string, value: string): Promise<void>;
  /** No-op when absent. */
  delete(name: string): Promise<void>;
  /** Whether a secret exists, without decrypting it (for "which providers have a key"). */
  has(name: string): Promise<boolean>;
}

/** Secret names are part of storage keys and logs: a short, plain identifier such as `apikey.polygon` or `ib.account`. */
export const SECRET_NAME = /^[a-z0-9][a-z0-9._-]{0,63}$/;

export function assertSecretName(name: string): void {
  if (!SECRET_NAME.test(name)) throw new Error(`Invalid secret name "${name}": use lowercase letters, digits, '.', '_' or '-' (at most 64)`);
}

/** The secret name of a data provider's API key (Alpha Vantage, Polygon). */
export const apiKeySecretName = (provider: string): string => `apikey.${provider}`;
