// Secret scrubbing on the texts upstream errors are made of.
import { describe, expect, it } from 'vitest';
import { scrubDeep, scrubText } from './scrub';

const KEY = 'AVKEY7Q2W9E4R1T6';

describe('scrubText', () => {
  it('removes a known key wherever it is, plain or URL-encoded', () => {
    expect(scrubText(`Invalid API key ${KEY} for this request`, [KEY])).toBe('Invalid API key [redacted] for this request');
    expect(scrubText('key a+b/c=d!x1', ['a+b/c=d!x1'])).not.toContain('a+b/c=d!x1');
    expect(scrubText(`q?x=${encodeURIComponent('a+b/c=d!x1')}`, ['a+b/c=d!x1'])).toBe('q?x=[redacted]');
  });

  it('removes credential-shaped values even of keys it does not know', () => {
    expect(scrubText('GET https://x.io/query?function=OVERVIEW&apikey=ZZZ999&symbol=IBM failed')).toBe('GET https://x.io/query?function=OVERVIEW&apikey=[redacted]&symbol=IBM failed');
    expect(scrubText('https://api.polygon.io/v2/aggs?apiKey=abc123def')).toBe('https://api.polygon.io/v2/aggs?apiKey=[redacted]');
    expect(scrubText('access_token=t0k3n; api_key=k3y token=x')).toBe('access_token=[redacted]; api_key=[redacted] token=[redacted]');
    expect(scrubText('{"apiKey":"s3cr3t","symbol":"IBM"}')).toBe('{"apiKey":"[redacted]","symbol":"IBM"}');
    expect(scrubText('Authorization: Bearer eyJhbGciOiJIUzI1NiJ9.x.y')).toBe('Authorization: Bearer [redacted]');
  });

  it('leaves ordinary messages alone (field errors, short values, words containing "key")', () => {
    for (const s of ['key: An API key is printable ASCII', 'monkey=3', 'No source could serve BTCUSD 1m bars: ib: no contract', 'to: at most 200 years']) expect(scrubText(s, ['ab'])).toBe(s);
  });
});

describe('scrubDeep', () => {
  it('scrubs every string of a payload and shares what did not change', () => {
    const bars = [{ time: 1, close: 2 }];
    const payload = { ok: true, result: [{ id: 'alphavantage', lastError: { message: `HTTP 403 (bad key ${KEY})`, at: 5 } }, { id: 'demo', lastError: null }], bars, n: [1, 2, 3] };
    const out = scrubDeep(payload, [KEY]);
    expect(JSON.stringify(out)).not.toContain(KEY);
    expect(out.result[0]!.lastError!.message).toBe('HTTP 403 (bad key [redacted])');
    expect(out.bars).toBe(bars);
    expect(out.result[1]).toBe(payload.result[1]);
    expect(scrubDeep(payload, [])).toBe(payload);
  });
});
