// A WebSocket client over a raw TCP socket, for sending frames no well-behaved library would: reserved bits, bad
// opcodes, unmasked or truncated frames, lengths that lie. Only the handshake is done properly.
import { randomBytes } from 'node:crypto';
import { connect, type Socket } from 'node:net';

export interface RawFrame {
  fin?: boolean;
  rsv?: number;
  opcode: number;
  payload?: Buffer;
  /** Client frames must be masked; false sends one unmasked. */
  mask?: boolean;
  /** The length written in the header, when it should lie about the payload. */
  declaredLength?: number | bigint;
}

export function encodeFrame(f: RawFrame): Buffer {
  const payload = f.payload ?? Buffer.alloc(0);
  const mask = f.mask ?? true;
  const len = BigInt(f.declaredLength ?? payload.length);
  const head: number[] = [((f.fin ?? true) ? 0x80 : 0) | ((f.rsv ?? 0) << 4) | (f.opcode & 0x0f)];
  const maskBit = mask ? 0x80 : 0;
  let ext = Buffer.alloc(0);
  if (len < 126n) head.push(maskBit | Number(len));
  else if (len < 65536n) {
    head.push(maskBit | 126);
    ext = Buffer.alloc(2);
    ext.writeUInt16BE(Number(len));
  } else {
    head.push(maskBit | 127);
    ext = Buffer.alloc(8);
    ext.writeBigUInt64BE(len);
  }
  if (!mask) return Buffer.concat([Buffer.from(head), ext, payload]);
  const key = randomBytes(4);
  const masked = Buffer.from(payload);
  for (let i = 0; i < masked.length; i++) masked[i]! ^= key[i % 4]!;
  return Buffer.concat([Buffer.from(head), ext, key, masked]);
}

export function closePayload(code: number, reason: Buffer | string = ''): Buffer {
  const b = Buffer.alloc(2);
  b.writeUInt16BE(code);
  return Buffer.concat([b, Buffer.from(reason)]);
}

export interface RawConnection {
  socket: Socket;
  /** Bytes the server sent after the handshake. */
  received: () => Buffer;
  /** Resolves when the server closed the TCP connection, or after ms (then false). */
  closedWithin(ms: number): Promise<boolean>;
  /** The close code of the server's close frame, if it sent one. */
  closeCode(): number | undefined;
}

/** Opens /api with the token and completes the handshake; rejects unless the server answers 101. */
export function openRaw(port: number, token: string): Promise<RawConnection> {
  return new Promise((resolve, reject) => {
    const socket = connect(port, '127.0.0.1');
    let buf = Buffer.alloc(0);
    let upgraded = false;
    let closed = false;
    const closedWaiters: (() => void)[] = [];
    socket.on('error', () => {});
    socket.on('close', () => {
      closed = true;
      for (const w of closedWaiters.splice(0)) w();
      if (!upgraded) reject(new Error(`connection closed before the handshake: ${buf.toString('latin1').slice(0, 200)}`));
    });
    socket.on('data', (d) => {
      buf = Buffer.concat([buf, d]);
      if (upgraded) return;
      const end = buf.indexOf('\r\n\r\n');
      if (end < 0) return;
      const head = buf.subarray(0, end).toString('latin1');
      if (!head.startsWith('HTTP/1.1 101')) return reject(new Error(`handshake refused: ${head.split('\r\n')[0]}`));
      upgraded = true;
      buf = buf.subarray(end + 4);
      resolve({
        socket,
        received: () => buf,
        closedWithin: (ms) => new Promise<boolean>((r) => {
          if (closed) return r(true);
          const t = setTimeout(() => r(false), ms);
          closedWaiters.push(() => (clearTimeout(t), r(true)));
        }),
        closeCode() {
          // Walk the server's frames (unmasked; events such as quotes may come first) to the close frame.
          let i = 0;
          while (i + 2 <= buf.length) {
            const opcode = buf[i]! & 0x0f;
            let len = buf[i + 1]! & 0x7f;
            let at = i + 2;
            if (len === 126) {
              len = buf.readUInt16BE(at);
              at += 2;
            } else if (len === 127) {
              len = Number(buf.readBigUInt64BE(at));
              at += 8;
            }
            if (opcode === 8) return len >= 2 && at + 2 <= buf.length ? buf.readUInt16BE(at) : undefined;
            i = at + len;
          }
          return undefined;
        },
      });
    });
    socket.on('connect', () => {
      socket.write(
        `GET /api?token=${token} HTTP/1.1\r\nHost: 127.0.0.1:${port}\r\nUpgrade: websocket\r\nConnection: Upgrade\r\n` +
          `Sec-WebSocket-Key: ${randomBytes(16).toString('base64')}\r\nSec-WebSocket-Version: 13\r\n\r\n`,
      );
    });
  });
}
