// config.yaml in the data folder: one zod schema holds every default; a bad file stops the start with a precise message.
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { parseDocument } from 'yaml';
import { z } from 'zod';

const fraction = (max: number) => z.number().min(0).max(max);

export const ConfigSchema = z
  .object({
    risk: z
      .object({
        max_position_size: fraction(1).default(0.1),
        max_order_notional: z.number().positive().default(50_000),
        price_collar_pct: fraction(1).default(0.05),
        kill_switch: z.boolean().default(false),
      })
      .strict()
      .prefault({}),
    brokers: z
      .object({
        paper: z
          .object({
            enabled: z.boolean().default(true),
            initial_cash: z.number().positive().default(100_000),
            max_daily_trades: z.number().int().positive().default(100),
            slippage_bps: z.number().min(0).max(1000).default(1),
          })
          .strict()
          .prefault({}),
      })
      .catchall(z.object({ max_daily_trades: z.number().int().positive().default(100) }).passthrough())
      .prefault({}),
    market: z.object({ demo_seed: z.number().int().default(42), tick_interval_ms: z.number().int().min(50).max(60_000).default(500) }).strict().prefault({}),
    logging: z.object({ level: z.enum(['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent']).default('info') }).strict().prefault({}),
  })
  .strict();
export type Config = z.infer<typeof ConfigSchema>;

export const DEFAULT_CONFIG_YAML = `# Quant Claude configuration. Edit and restart; every key is optional (defaults shown).
risk:
  max_position_size: 0.10      # fraction of NAV per instrument (reducing orders always pass)
  max_order_notional: 50000    # account currency, quantity x price of one order
  price_collar_pct: 0.05       # limit/stop price within +/-5 % of the last price
  kill_switch: false           # true: block every new order (the UI toggle also cancels working orders)
brokers:
  paper:
    enabled: true
    initial_cash: 100000       # first start only
    max_daily_trades: 100      # orders sent per UTC day
    slippage_bps: 1            # adverse slippage on market and stop fills
market:
  demo_seed: 42                # the demo market's random seed (same seed, same prices)
  tick_interval_ms: 500
logging:
  level: info
`;

export class ConfigError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'ConfigError';
  }
}

/** Reads (or creates) `config.yaml` in `dataDir`. A malformed file is never overwritten. */
export function loadConfig(dataDir: string): { config: Config; path: string; created: boolean } {
  const path = join(dataDir, 'config.yaml');
  let created = false;
  if (!existsSync(path)) {
    writeFileSync(path, DEFAULT_CONFIG_YAML, { flag: 'wx' });
    created = true;
  }
  return { config: parseConfig(readFileSync(path, 'utf8'), path), path, created };
}

export function parseConfig(text: string, path = 'config.yaml'): Config {
  const doc = parseDocument(text, { prettyErrors: true });
  if (doc.errors.length > 0) {
    const e = doc.errors[0]!;
    const where = e.linePos?.[0] ? `line ${e.linePos[0].line}, column ${e.linePos[0].col}` : 'unknown position';
    throw new ConfigError(`${path}: invalid YAML at ${where}: ${e.message.split('\n')[0]}`);
  }
  const raw = doc.toJS() ?? {};
  const parsed = ConfigSchema.safeParse(raw);
  if (!parsed.success) {
    const issue = parsed.error.issues[0]!;
    const field = issue.path.join('.');
    const message = issue.code === 'unrecognized_keys' ? `unknown key${issue.keys.length > 1 ? 's' : ''} ${issue.keys.map((k) => `"${k}"`).join(', ')}` : issue.message;
    throw new ConfigError(`${path}: ${field ? `${field}: ` : ''}${message}`);
  }
  return parsed.data;
}
