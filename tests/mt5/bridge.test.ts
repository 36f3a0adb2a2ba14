// The MetaTrader 5 bridge (tools/mt5-bridge/bridge.py) as a real Python child process over JSON stdio, with the tests'
// stand-in for the `MetaTrader5` package (tests/mt5/stand-in): login, account, symbols, ticks, a market deal, a
// pending order filled by a price move and found in the deal history by our comment, a cancel, refusals in words.
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { Mt5Bridge } from '../../src-main/adapters/mt5/bridge';
import { describeRetcode, RETCODE_DONE } from '../../src-main/adapters/mt5/errors';
import { repoRoot } from '../support/web-host';

let bridge: Mt5Bridge | undefined;
afterEach(() => {
  bridge?.dispose();
  bridge = undefined;
});

function start(): { bridge: Mt5Bridge; prices: (p: Record<string, [number, number]>) => void } {
  const dir = mkdtempSync(join(tmpdir(), 'qc-mt5-'));
  const file = join(dir, 'prices.json');
  bridge = new Mt5Bridge({
    python: 'python3', script: join(repoRoot, 'tools/mt5-bridge/bridge.py'), timeoutMs: 10_000,
    env: { MT5_MODULE: 'MetaTrader5', PYTHONPATH: join(repoRoot, 'tests/mt5/stand-in'), MT5_STANDIN_PRICES: file, MT5_STANDIN_PASSWORD: 'demo-pw' },
  });
  return { bridge, prices: (p) => writeFileSync(file, JSON.stringify(p)) };
}

type J = Record<string, unknown>;

describe('MetaTrader 5 bridge over stdio', () => {
  it('logs in, reads the account, symbols and ticks, deals, works a pending order and cancels one', async () => {
    const { bridge, prices } = start();
    await bridge.start();
    await expect(bridge.call('initialize', { login: 5012345, password: 'wrong', server: 'StandIn-Demo' })).rejects.toThrow('MetaTrader 5: MetaTrader 5 refused the login: check the account number, password and server (Terminal: Authorization failed)');
    await bridge.call('initialize', { login: 5012345, password: 'demo-pw', server: 'StandIn-Demo' });
    expect(await bridge.call<J>('account_info')).toMatchObject({ login: 5012345, balance: 10_000, currency: 'USD', leverage: 30 });
    const symbols = await bridge.call<J[]>('symbols');
    expect(symbols.map((s) => [s['name'], s['trade_contract_size'], s['volume_min'], s['digits']])).toEqual([['EURUSD', 100000, 0.01, 5], ['GBPUSD', 100000, 0.01, 5], ['XAUUSD', 100, 0.01, 2]]);
    prices({ EURUSD: [1.08, 1.0801] });
    expect(await bridge.call<Record<string, J>>('ticks', { symbols: ['EURUSD'] })).toMatchObject({ EURUSD: { bid: 1.08, ask: 1.0801 } });

    // A market deal (TRADE_ACTION_DEAL, ORDER_TYPE_BUY) with our reference in the comment.
    const deal = await bridge.call<J>('order_send', { request: { action: 1, symbol: 'EURUSD', volume: 0.1, type: 0, type_filling: 1, comment: 'QCmarket', magic: 7 } });
    expect(deal).toMatchObject({ retcode: RETCODE_DONE, volume: 0.1, price: 1.0801 });
    // A pending buy limit (TRADE_ACTION_PENDING, ORDER_TYPE_BUY_LIMIT) below the market, then the price falls through it.
    const pending = await bridge.call<J>('order_send', { request: { action: 5, symbol: 'EURUSD', volume: 0.05, type: 2, price: 1.079, comment: 'QClimit', magic: 7 } });
    expect(pending['retcode']).toBe(RETCODE_DONE);
    expect((await bridge.call<J[]>('orders')).map((o) => [o['ticket'], o['comment']])).toEqual([[pending['order'], 'QClimit']]);
    prices({ EURUSD: [1.0785, 1.0786] });
    const deals = await bridge.call<J[]>('history_deals', { from: 0, to: 4_102_444_800 });
    expect(deals.map((d) => [d['comment'], d['volume'], d['price']])).toEqual([['QCmarket', 0.1, 1.0801], ['QClimit', 0.05, 1.079]]);
    expect((await bridge.call<J[]>('positions')).map((p) => [p['symbol'], p['type'], p['volume']])).toEqual([['EURUSD', 0, 0.15]]);
    // Another pending order, cancelled (TRADE_ACTION_REMOVE).
    const stop = await bridge.call<J>('order_send', { request: { action: 5, symbol: 'EURUSD', volume: 0.02, type: 5, price: 1.07, comment: 'QCstop', magic: 7 } });
    expect((await bridge.call<J>('order_send', { request: { action: 8, order: stop['order'] } }))['retcode']).toBe(RETCODE_DONE);
    expect(await bridge.call<J[]>('orders')).toEqual([]);
    // A volume off the symbol's step: the trade server's retcode, in words.
    const bad = await bridge.call<J>('order_send', { request: { action: 1, symbol: 'EURUSD', volume: 0.015, type: 0, comment: 'QCbad' } });
    expect(describeRetcode(Number(bad['retcode']), String(bad['comment']))).toBe('MetaTrader 5: the volume is not valid for this symbol (minimum or step) (Invalid volume)');
    await expect(bridge.call('history_orders_x')).rejects.toThrow('unknown method history_orders_x');
  });

  it('a bridge that ends says why, and later calls fail in words', async () => {
    const { bridge } = start();
    await bridge.start();
    const why = new Promise<string>((resolve) => bridge.onExit(resolve));
    const waiting = bridge.call('initialize', { login: 1, password: 'demo-pw' }).then(() => bridge.call('shutdown'));
    await waiting;
    expect(await why).toMatch(/^the bridge exited \(code 0\)/);
    await expect(bridge.call('account_info')).rejects.toThrow('MetaTrader 5: no connection to the MetaTrader 5 terminal (the bridge is not running)');
  });
});
