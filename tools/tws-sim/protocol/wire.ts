// TWS API framing and field codec: the handshake prefix, 4-byte length-prefixed frames, NUL-terminated fields.

/** Sent by the client before anything else (V100+ protocol). */
export const API_PREFIX = Buffer.from('API\0', 'latin1');

/** The largest frame the real client accepts (its MAX_V100_MESSAGE_LENGTH). */
export const MAX_FRAME = 0xffffff;

/** A field value as the server writes it: undefined → empty, booleans → 1/0. */
export type Field = string | number | boolean | undefined | null;

/** Frames one message: 4-byte big-endian length, then the fields each followed by NUL. */
export function encodeFrame(fields: readonly Field[]): Buffer {
  const body = Buffer.from(fields.map(fieldText).join('\0') + '\0', 'utf8');
  const head = Buffer.alloc(4);
  head.writeUInt32BE(body.length, 0);
  return Buffer.concat([head, body]);
}

function fieldText(v: Field): string {
  if (v === undefined || v === null) return '';
  if (typeof v === 'boolean') return v ? '1' : '0';
  if (typeof v === 'number') {
    if (!Number.isFinite(v)) return v > 0 ? 'Infinity' : '';
    return String(v);
  }
  return v;
}

/**
 * Splits a byte stream into frames. The first frame of a connection is special: "API\0" then a
 * length-prefixed version string; `expectHandshake` makes the reader strip that prefix once.
 */
export class FrameReader {
  private buf: Buffer = Buffer.alloc(0);
  private awaitingPrefix: boolean;

  constructor(expectHandshake = true) {
    this.awaitingPrefix = expectHandshake;
  }

  /** Appends bytes and returns every complete frame's fields. Throws on a malformed stream. */
  push(chunk: Buffer): string[][] {
    this.buf = this.buf.length ? Buffer.concat([this.buf, chunk]) : chunk;
    const out: string[][] = [];
    if (this.awaitingPrefix) {
      if (this.buf.length < API_PREFIX.length) return out;
      if (!this.buf.subarray(0, API_PREFIX.length).equals(API_PREFIX)) throw new Error('handshake: missing "API\\0" prefix');
      this.buf = this.buf.subarray(API_PREFIX.length);
      this.awaitingPrefix = false;
    }
    while (this.buf.length >= 4) {
      const len = this.buf.readUInt32BE(0);
      if (len > MAX_FRAME) throw new Error(`frame of ${len} bytes exceeds ${MAX_FRAME}`);
      if (this.buf.length < 4 + len) break;
      const body = this.buf.subarray(4, 4 + len).toString('utf8');
      this.buf = this.buf.subarray(4 + len);
      const parts = body.split('\0');
      // Every field is NUL-terminated, except the version string of the handshake.
      if (parts.length > 1 && parts[parts.length - 1] === '') parts.pop();
      out.push(parts);
    }
    return out;
  }
}

/** Reads the fields of one incoming message in order; every read names what it read for error messages. */
export class FieldReader {
  private i = 0;
  constructor(private readonly fields: readonly string[]) {}

  get remaining(): number {
    return this.fields.length - this.i;
  }

  str(name: string): string {
    if (this.i >= this.fields.length) throw new Error(`message ended before field "${name}"`);
    return this.fields[this.i++];
  }

  int(name: string): number {
    const s = this.str(name);
    if (s === '') return 0;
    const n = Number.parseInt(s, 10);
    if (Number.isNaN(n)) throw new Error(`field "${name}": "${s}" is not an integer`);
    return n;
  }

  /** An integer, or undefined when empty or the API's "unset" value 2147483647. */
  intOpt(name: string): number | undefined {
    const s = this.str(name);
    if (s === '') return undefined;
    const n = Number.parseInt(s, 10);
    if (Number.isNaN(n)) throw new Error(`field "${name}": "${s}" is not an integer`);
    return n === 2147483647 ? undefined : n;
  }

  /** A double, or undefined when empty or Double.MAX_VALUE (the API's "unset"). */
  numOpt(name: string): number | undefined {
    const s = this.str(name);
    if (s === '') return undefined;
    const n = Number(s);
    if (Number.isNaN(n)) throw new Error(`field "${name}": "${s}" is not a number`);
    return n === Number.MAX_VALUE ? undefined : n;
  }

  bool(name: string): boolean {
    return this.int(name) !== 0;
  }

  skip(n: number, name: string): void {
    for (let k = 0; k < n; k++) this.str(name);
  }
}
