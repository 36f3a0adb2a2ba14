import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { ConfigError, DEFAULT_CONFIG_YAML, loadConfig, parseConfig } from './config';

const dir = () => mkdtempSync(join(tmpdir(), 'qc-config-'));

describe('config.yaml', () => {
  it('is created with commented defaults on first start', () => {
    const d = dir();
    const { config, created, path } = loadConfig(d);
    expect(created).toBe(true);
    expect(readFileSync(path, 'utf8')).toBe(DEFAULT_CONFIG_YAML);
    expect(config.risk.max_position_size).toBe(0.1);
    expect(config.brokers.paper.max_daily_trades).toBe(100);
    expect(loadConfig(d).created).toBe(false);
  });

  it('merges a partial file with the defaults', () => {
    const c = parseConfig('risk:\n  max_order_notional: 1234\n');
    expect(c.risk.max_order_notional).toBe(1234);
    expect(c.risk.price_collar_pct).toBe(0.05);
    expect(c.brokers.paper.initial_cash).toBe(100000);
    expect(parseConfig('').market.demo_seed).toBe(42);
  });

  it('accepts other brokers with their own daily trade limit', () => {
    expect(parseConfig('brokers:\n  ib:\n    max_daily_trades: 7\n').brokers['ib']?.max_daily_trades).toBe(7);
  });

  it('has an OANDA block in the seed\'s shape (account id, environment, simulator URL), with no place for the token', () => {
    expect(parseConfig('').brokers.oanda).toEqual({ enabled: true, account_id: '', environment: 'practice', auto_connect: false, max_daily_trades: 100 });
    expect(parseConfig(DEFAULT_CONFIG_YAML).brokers.oanda.environment).toBe('practice');
    const c = parseConfig('brokers:\n  oanda:\n    account_id: 101-004-1234567-001\n    environment: live\n    base_url: http://127.0.0.1:8080\n');
    expect(c.brokers.oanda).toMatchObject({ account_id: '101-004-1234567-001', environment: 'live', base_url: 'http://127.0.0.1:8080' });
    expect(() => parseConfig('brokers:\n  oanda:\n    environment: demo\n')).toThrow(/brokers\.oanda\.environment/);
    expect(() => parseConfig('brokers:\n  oanda:\n    api_key: abc\n')).toThrow(/api_key/);
  });

  it('has a cTrader block (environment, account, client id, simulator URL), with no place for the client secret or token', () => {
    expect(parseConfig('').brokers.ctrader).toEqual({ enabled: true, environment: 'demo', account_id: '', client_id: '', symbols: '', auto_connect: false, max_daily_trades: 100 });
    expect(parseConfig(DEFAULT_CONFIG_YAML).brokers.ctrader.environment).toBe('demo');
    const c = parseConfig('brokers:\n  ctrader:\n    account_id: "44123456"\n    client_id: 1234_abc\n    url: ws://127.0.0.1:5036\n');
    expect(c.brokers.ctrader).toMatchObject({ account_id: '44123456', client_id: '1234_abc', url: 'ws://127.0.0.1:5036' });
    expect(() => parseConfig('brokers:\n  ctrader:\n    environment: practice\n')).toThrow(/brokers\.ctrader\.environment/);
    expect(() => parseConfig('brokers:\n  ctrader:\n    client_secret: abc\n')).toThrow(/client_secret/);
  });

  it('names the line of a YAML syntax error and never overwrites the file', () => {
    const d = dir();
    const bad = 'risk:\n  max_position_size: [0.1\n';
    writeFileSync(join(d, 'config.yaml'), bad);
    expect(() => loadConfig(d)).toThrow(ConfigError);
    expect(() => loadConfig(d)).toThrow(/config\.yaml: invalid YAML at line \d+/);
    expect(readFileSync(join(d, 'config.yaml'), 'utf8')).toBe(bad);
  });

  it('names the field of a wrong type, a value out of range and an unknown key', () => {
    expect(() => parseConfig('risk:\n  max_position_size: "ten"\n')).toThrow(/risk\.max_position_size: .*number/);
    expect(() => parseConfig('risk:\n  max_position_size: -1\n')).toThrow(/risk\.max_position_size/);
    expect(() => parseConfig('risk:\n  max_positon_size: 0.2\n')).toThrow(/risk: unknown key "max_positon_size"/);
  });
});

describe('config.yaml: data providers and the failover strategy', () => {
  it('has a default for every key, the commented defaults parse to the same values, and old files stay valid', () => {
    const defaults = parseConfig('');
    expect(parseConfig(DEFAULT_CONFIG_YAML)).toEqual(defaults);
    expect(defaults.data_providers.yahoo).toEqual({ enabled: true, rate_limit: 2000, timeout: 10, retry_attempts: 3 });
    expect(defaults.api_strategy.primary_data).toBe('ib');
    expect(defaults.api_strategy.priority.quotes).toEqual(['ib', 'yahoo']);
    expect(defaults.api_strategy.cross_validation).toEqual({ enabled: true, threshold: 0.02, interval: 300 });
    expect(parseConfig('risk:\n  kill_switch: true\nmarket:\n  demo_seed: 7\n').data_providers.ib.enabled).toBe(true);
  });

  it('names the field of a bad provider setting or an unknown provider in a priority list', () => {
    expect(() => parseConfig('data_providers:\n  yahoo:\n    rate_limit: -5\n')).toThrow(/data_providers\.yahoo\.rate_limit/);
    expect(() => parseConfig('data_providers:\n  yahoo:\n    timeout: "10s"\n')).toThrow(/data_providers\.yahoo\.timeout: .*number/);
    expect(() => parseConfig('api_strategy:\n  priority:\n    quotes: [ib, bloomberg]\n')).toThrow(/api_strategy\.priority\.quotes\.1/);
    expect(() => parseConfig('data_providers:\n  reuters: {}\n')).toThrow(/data_providers: unknown key "reuters"/);
  });
});
