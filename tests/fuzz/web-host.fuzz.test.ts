// Fuzz against the REAL web host (out/main/web.js as a child process): malformed WebSocket frames of every kind over raw
// TCP, then ≥ 10,000 generated API messages (fast-check). After each batch the host must answer app.info, and at the
// end the process must still be running. FUZZ_MESSAGES=100000 runs a bigger batch (`npm run soak:fuzz`).
import { connect } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import fc from 'fast-check';
import WebSocket from 'ws';
import { methods } from '../../src-shared/api/contract';
import { MAX_FRAME_BYTES } from '../../src-shared/api/limits';
import { closePayload, encodeFrame, openRaw, type RawFrame } from '../support/raw-ws';
import { startHost, type RunningHost } from '../support/web-host';

const MESSAGES = Number(process.env['FUZZ_MESSAGES'] ?? 10_000);
const BATCH = 500;
const SEED = Number(process.env['FUZZ_SEED'] ?? 20261203);

// Methods that legitimately run long or reach outside the machine: never generated. Backtests and optimisations run
// for seconds to minutes on valid input; strategies.start runs a live strategy; connection.connect and venues.connect dial a broker;
// data.fundamentals and analytics.profiles (refresh) fetch from the network; bars.history may fetch a missing range
// from a remote source.
const SKIPPED = new Set(['backtest.run', 'backtest.optimize', 'strategies.start', 'connection.connect', 'venues.connect', 'data.fundamentals', 'analytics.profiles', 'bars.history']);
const REAL = Object.keys(methods).filter((m) => !SKIPPED.has(m));
const PROTO = ['constructor', 'toString', '__proto__', 'hasOwnProperty', 'valueOf', '__defineGetter__', 'prototype', 'then'];

let host: RunningHost;
const counts = { frames: 0, frameKinds: 0, httpRequests: 0, messages: 0, answers: 0, batches: 0, probes: 0, crashes: 0 };

beforeAll(async () => {
  host = await startHost();
});
afterAll(async () => {
  console.log(`web host fuzz: ${JSON.stringify(counts)}`);
  await host?.stop();
});

/** A fresh, well-behaved client asks app.info: the host still serves. */
async function probe(): Promise<void> {
  const ws = new WebSocket(`ws://127.0.0.1:${host.port}/api?token=${host.token}`);
  try {
    await new Promise((r, j) => (ws.once('open', r), ws.once('error', j)));
    // The answer, not a pushed event (quotes, margin and the like may come first).
    const answer = new Promise<{ id: number; result?: { name?: string } }>((r) => ws.on('message', (m) => {
      const frame = JSON.parse(String(m)) as { id: number; event?: string; batch?: unknown[]; result?: { name?: string } };
      if (frame.event === undefined && frame.batch === undefined) r(frame);
    }));
    ws.send(JSON.stringify({ id: 424242, method: 'app.info', params: {} }));
    const a = await answer;
    expect(a.id).toBe(424242);
    expect(a.result?.name).toBe('Quant Claude');
    counts.probes++;
  } finally {
    ws.terminate();
  }
  if (host.exitCode() !== null) counts.crashes++;
  expect(host.exitCode()).toBeNull();
}

const text = (s: string | Buffer) => ({ opcode: 1, payload: Buffer.isBuffer(s) ? s : Buffer.from(s) });
const BAD_FRAMES: Record<string, RawFrame[]> = {
  'invalid UTF-8 text': [text(Buffer.from([0xc3, 0x28])), text(Buffer.from([0xed, 0xa0, 0x80])), text(Buffer.from([0xf8, 0x88, 0x80, 0x80, 0x80])), text(Buffer.from('{"id":1,"method":"app.info\xff"}', 'latin1'))],
  'RSV1 set': [{ ...text('{"id":1,"method":"app.info","params":{}}'), rsv: 4 }],
  'RSV2 set': [{ ...text('{}'), rsv: 2 }],
  'RSV3 set': [{ ...text('{}'), rsv: 1 }],
  'all RSV bits': [{ ...text('{}'), rsv: 7 }],
  'bad opcodes': [3, 4, 5, 6, 7, 0xb, 0xc, 0xd, 0xe, 0xf].map((opcode) => ({ opcode, payload: Buffer.from('x') })),
  'invalid close codes': [0, 999, 1004, 1005, 1006, 1015, 1016, 1100, 2000, 2999, 5000, 65535].map((c) => ({ opcode: 8, payload: closePayload(c) })),
  'close with a 1-byte payload': [{ opcode: 8, payload: Buffer.from([3]) }],
  'close with an invalid UTF-8 reason': [{ opcode: 8, payload: closePayload(1000, Buffer.from([0xc3, 0x28])) }],
  'unmasked client frame': [{ ...text('{"id":1,"method":"app.info","params":{}}'), mask: false }],
  'fragmented control frames': [{ opcode: 9, fin: false, payload: Buffer.from('p') }, { opcode: 8, fin: false, payload: closePayload(1000) }],
  'control frame over 125 bytes': [{ opcode: 9, payload: Buffer.alloc(126, 1) }, { opcode: 8, payload: Buffer.concat([closePayload(1000), Buffer.alloc(200, 97)]) }],
  'continuation without a start': [{ opcode: 0, payload: Buffer.from('x') }],
  'new message inside a fragmented one': [{ opcode: 1, fin: false, payload: Buffer.from('{"id"') }, { opcode: 1, payload: Buffer.from(':1}') }],
  'over-size frame (header only)': [{ opcode: 1, declaredLength: MAX_FRAME_BYTES + 1, payload: Buffer.alloc(1000, 32) }],
  'length with the top bit set': [{ opcode: 2, declaredLength: 1n << 63n, payload: Buffer.alloc(8) }],
  'length 2^53': [{ opcode: 2, declaredLength: 2n ** 53n, payload: Buffer.alloc(8) }],
  'truncated frame then end': [{ opcode: 1, declaredLength: 5000, payload: Buffer.from('{"id":1,') }],
  'not JSON': [text('not json'), text(''), text('{'), text('\u0000'), text('[]'), text('null'), text('"str"'), text('1e999')],
  'JSON of the wrong shape': [text('{"id":"1","method":"app.info"}'), text('{"id":1}'), text('{"method":"app.info"}'), text('{"id":1,"method":42}'), text('{"id":1.5,"method":"app.info"}'), text('[{"id":1,"method":"app.info"}]')],
  'huge ids': [text('{"id":1e300,"method":"app.info","params":{}}'), text('{"id":9007199254740993,"method":"app.info","params":{}}'), text(`{"id":${'9'.repeat(5000)},"method":"app.info","params":{}}`), text('{"id":-1e308,"method":"app.info"}')],
  'binary frame with JSON': [{ opcode: 2, payload: Buffer.from('{"id":1,"method":"app.info","params":{}}') }],
  'prototype method names': PROTO.map((m) => text(JSON.stringify({ id: 1, method: m, params: {} }))),
  '__proto__ in params': [text('{"id":1,"method":"settings.theme.set","params":{"__proto__":{"theme":"dark"},"constructor":{"prototype":{"x":1}}}}')],
};

describe('web host fuzz: malformed frames over raw TCP', () => {
  for (const [kind, frames] of Object.entries(BAD_FRAMES)) {
    it(kind, async () => {
      counts.frameKinds++;
      for (const frame of frames) {
        const conn = await openRaw(host.port, host.token);
        conn.socket.write(encodeFrame(frame));
        counts.frames++;
        if (kind === 'truncated frame then end') conn.socket.end();
        // A protocol error closes the connection; well-formed but wrong content is answered and it stays open.
        if (!(await conn.closedWithin(300))) conn.socket.destroy();
      }
      await probe();
    });
  }

  it('malformed HTTP requests and upgrades over raw TCP are answered (4xx) or dropped', async () => {
    const t = host.token;
    const h = `Host: 127.0.0.1:${host.port}\r\n`;
    const ws = 'Upgrade: websocket\r\nConnection: Upgrade\r\nSec-WebSocket-Version: 13\r\n';
    const requests = [
      'garbage\r\n\r\n',
      '\u0000\u0001\u0002\r\n\r\n',
      `GET /%E0%A4%A?token=${t} HTTP/1.1\r\n${h}\r\n`,
      `GET http://[ HTTP/1.1\r\n${h}\r\n`,
      `GET /api?token=${t} HTTP/1.1\r\n${h}${ws}\r\n`,
      `GET /api?token=${t} HTTP/1.1\r\n${h}${ws.replace('13', '8')}Sec-WebSocket-Key: x\r\n\r\n`,
      `GET http://[/api?token=${t} HTTP/1.1\r\n${h}${ws}Sec-WebSocket-Key: dGhlIHNhbXBsZSBub25jZQ==\r\n\r\n`,
      `GET /api?token=${t} HTTP/1.1\r\n${h}X-Big: ${'a'.repeat(100_000)}\r\n\r\n`,
      `GET /?token=${t} HTTP/1.1\r\n${h}Content-Length: 5\r\nTransfer-Encoding: chunked\r\n\r\nzz\r\n`,
      `GET /api?token=${t} HTTP/1.1\r\n${h}${ws}Sec-WebSocket-Key: dGhlIHNhbXBsZSBub25jZQ==\r\n`, // ends mid-headers
    ];
    for (const raw of requests) {
      const answer = await new Promise<string>((resolve) => {
        const socket = connect(host.port, '127.0.0.1');
        let got = '';
        socket.on('error', () => {});
        socket.on('data', (d) => (got += d));
        socket.on('close', () => resolve(got));
        socket.write(raw);
        socket.end();
        setTimeout(() => socket.destroy(), 2000);
      });
      counts.httpRequests++;
      expect(answer === '' || /^HTTP\/1\.1 4\d\d/.test(answer)).toBe(true);
    }
    await probe();
  });

  it('a real over-size frame is closed with 1009 and the host keeps serving', async () => {
    const conn = await openRaw(host.port, host.token);
    const closed = conn.closedWithin(30_000);
    conn.socket.write(encodeFrame({ opcode: 1, payload: Buffer.alloc(MAX_FRAME_BYTES + 1024, 0x20) }));
    counts.frames++;
    expect(await closed).toBe(true);
    expect(conn.closeCode()).toBe(1009);
    await probe();
  });

  it('a valid fragmented message with pings between the fragments is answered', async () => {
    const conn = await openRaw(host.port, host.token);
    const msg = Buffer.from(JSON.stringify({ id: 77, method: 'app.info', params: {} }));
    conn.socket.write(Buffer.concat([
      encodeFrame({ opcode: 1, fin: false, payload: msg.subarray(0, 10) }),
      encodeFrame({ opcode: 9, payload: Buffer.from('p') }),
      encodeFrame({ opcode: 0, fin: true, payload: msg.subarray(10) }),
    ]));
    counts.frames += 3;
    await expect.poll(() => conn.received().toString('latin1')).toContain('"id":77');
    conn.socket.destroy();
  });
});

/** Strings a parser may choke on. */
const nastyString = fc.oneof(
  fc.constantFrom('NaN', 'Infinity', '-Infinity', '1e308', '-0', '0x10', '', ' ', '\u0000', '\ud800', '__proto__', 'constructor', 'toString', '$where', '../../etc/passwd', '%E0%A4%A', 'BTCUSD', 'AAPL', '2024-13-45'),
  fc.string({ maxLength: 40 }),
  fc.string({ unit: 'binary', maxLength: 20 }),
  fc.nat({ max: 200_000 }).map((n) => 'A'.repeat(n)),
);
const nastyNumber = fc.oneof(fc.double(), fc.integer(), fc.constantFrom(0, -0, 1e308, -1e308, 5e-324, Number.MAX_SAFE_INTEGER + 2, 0.1, 1e-10));
const leaf = fc.oneof(nastyString, nastyNumber, fc.boolean(), fc.constant(null));
const value: fc.Arbitrary<unknown> = fc.letrec((tie) => ({
  v: fc.oneof({ depthSize: 'small', withCrossShrink: true }, leaf, fc.array(tie('v'), { maxLength: 5 }), fc.dictionary(fc.oneof(fc.string({ maxLength: 12 }), fc.constantFrom('__proto__', 'constructor', 'prototype', 'symbol', 'side', 'qty', 'type', 'price', 'theme', 'text', 'mapping', 'from', 'to', 'limit')), tie('v'), { maxKeys: 6 })),
})).v;
/** Params shaped like the real ones often enough to get past the first field. */
const plausible = fc.record({
  symbol: fc.constantFrom('BTCUSD', 'AAPL', 'EURUSD', 'constructor', 'X'.repeat(40)),
  side: fc.constantFrom('buy', 'sell', 'hold'),
  type: fc.constantFrom('market', 'limit', 'stop', 'toString'),
  qty: nastyNumber,
  limitPrice: nastyNumber,
  theme: fc.constantFrom('dark', 'light', '__proto__'),
  limit: nastyNumber,
  text: fc.constantFrom('Date,Close\n2024-01-02,1\n2024-01-03,2', 'a,b\n1', ''),
  mapping: fc.record({ time: fc.integer({ min: -1, max: 5 }), timeFormat: fc.constantFrom('date', 'decimal-year'), close: fc.integer({ min: -1, max: 5 }) }),
  name: nastyString,
  timeframe: fc.constantFrom('1m', '1d', '7x'),
}, { requiredKeys: [] });
const method = fc.oneof({ weight: 6, arbitrary: fc.constantFrom(...REAL) }, { weight: 2, arbitrary: fc.constantFrom(...PROTO) }, { weight: 2, arbitrary: nastyString.filter((s) => !SKIPPED.has(s)) });

/** One text frame: mostly {id, method, params}, sometimes a deep nest, a wrong shape or not JSON at all. */
const message: fc.Arbitrary<string> = fc.oneof(
  { weight: 10, arbitrary: fc.tuple(method, fc.oneof(value, plausible)).map(([m, p]) => JSON.stringify({ id: 0, method: m, params: p })) },
  { weight: 1, arbitrary: fc.tuple(method, fc.integer({ min: 1, max: 20_000 })).map(([m, d]) => `{"id":0,"method":${JSON.stringify(m)},"params":${'{"a":'.repeat(d)}1${'}'.repeat(d)}}`) },
  { weight: 1, arbitrary: fc.tuple(fc.oneof(fc.constantFrom('1e400', '-1', '1.5', '"7"', 'null', '[]', '9007199254740993', '1e21'), fc.integer().map(String)), method).map(([id, m]) => `{"id":${id},"method":${JSON.stringify(m)},"params":{}}`) },
  { weight: 1, arbitrary: value.map((v) => JSON.stringify(v) ?? 'undefined') },
  { weight: 1, arbitrary: fc.string({ maxLength: 80 }) },
);

describe('web host fuzz: generated API messages', () => {
  it(`${MESSAGES} messages in batches of ${BATCH}: every frame answered once, the host answers after each batch`, async () => {
    for (let start = 0; start < MESSAGES; start += BATCH) {
      // Generated batch by batch (seeded per batch): a soak's 100,000 messages at once would not fit in memory.
      const batch = fc.sample(message, { numRuns: Math.min(BATCH, MESSAGES - start), seed: SEED + start });
      const ws = new WebSocket(`ws://127.0.0.1:${host.port}/api?token=${host.token}`);
      await new Promise((r, j) => (ws.once('open', r), ws.once('error', j)));
      let answers = 0;
      const done = new Promise<void>((r) => ws.on('message', (m) => {
        const frame = JSON.parse(String(m)) as { id?: number; event?: string; batch?: unknown[] };
        if (frame.event !== undefined || frame.batch !== undefined) return;
        // Every frame is answered with its own id or, when the id cannot be read, -1; never a crash or silence.
        if (++answers === batch.length) r();
      }));
      // Numbered frames carry their position so a reply could be matched; the others keep their odd ids.
      batch.forEach((text, i) => ws.send(text.startsWith('{"id":0,') ? text.replace('{"id":0,', `{"id":${start + i + 1},`) : text));
      counts.messages += batch.length;
      await done;
      counts.answers += answers;
      ws.terminate();
      counts.batches++;
      await probe();
    }
    expect(counts.answers).toBe(counts.messages);
    expect(host.exitCode()).toBeNull();
  }, Math.max(120_000, MESSAGES * 10)); // ≈ 1.5 ms a message on a loaded 2-core machine: room for a soak's count

  it('the process is alive at the end and nothing crashed', async () => {
    await probe();
    expect(counts.crashes).toBe(0);
    expect(host.output()).not.toMatch(/uncaught|unhandled/i);
  });
});
