// Where the app finds the MT5 bridge script: the packaged app's resources first, else tools/mt5-bridge up from the code.
import { mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { defaultMt5BridgeScript, Mt5Settings } from '../../src-main/adapters/mt5/config';
import { parseConfig } from '../../src-main/config/config';
import { repoRoot } from '../support/web-host';

describe('MT5 configuration', () => {
  it('finds the bridge in a packaged app\'s resources, else in the repo', () => {
    const resources = mkdtempSync(join(tmpdir(), 'qc-res-'));
    expect(defaultMt5BridgeScript(resources)).toBe(join(repoRoot, 'tools/mt5-bridge/bridge.py'));
    mkdirSync(join(resources, 'mt5-bridge'));
    writeFileSync(join(resources, 'mt5-bridge', 'bridge.py'), '');
    expect(defaultMt5BridgeScript(resources)).toBe(join(resources, 'mt5-bridge', 'bridge.py'));
  });

  it('brokers.mt5 has defaults, takes no password, and Python is python3 off Windows', () => {
    const c = parseConfig('brokers:\n  mt5:\n    login: "5012345"\n    server: Broker-Demo\n', 'config.yaml');
    expect(c.brokers.mt5).toMatchObject({ enabled: true, login: '5012345', server: 'Broker-Demo', bridge_script: '', auto_connect: false });
    expect(c.brokers.mt5.python).toBe(process.platform === 'win32' ? 'python' : 'python3');
    expect(Mt5Settings.parse({}).python).toBe(c.brokers.mt5.python);
    expect(() => parseConfig('brokers:\n  mt5:\n    password: secret\n', 'config.yaml')).toThrow(/password/);
  });
});
