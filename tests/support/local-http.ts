// Fixture servers' common plumbing: listen on 127.0.0.1 at an ephemeral port, and close even with hung requests open.
import type { Server } from 'node:http';
import type { AddressInfo, Socket } from 'node:net';

export interface LocalHttp {
  /** http://127.0.0.1:PORT */
  url: string;
  /** Destroys open sockets (a "hang" fault leaves some) and stops listening. */
  close(): Promise<void>;
}

export async function listenLocal(server: Server): Promise<LocalHttp> {
  const sockets = new Set<Socket>();
  server.on('connection', (s) => {
    sockets.add(s);
    s.on('close', () => sockets.delete(s));
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return {
    url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`,
    close: () => new Promise<void>((resolve) => {
      for (const s of sockets) s.destroy();
      server.close(() => resolve());
    }),
  };
}
