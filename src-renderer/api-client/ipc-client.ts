// The contract over Electron IPC: `window.quantApi`, exposed by the sandboxed preload.
import { type ApiClient, type EventName, type EventOf, type MethodName, type RequestOf, type ResponseOf } from '../../src-shared/api/contract';
import type { PreloadApi } from '../../src-shared/api/preload';
import { createEventHub } from './events';
import { parseResult, toApiCallError } from './responses';

export function createIpcClient(preload: PreloadApi): ApiClient {
  const hub = createEventHub();
  preload.onEvent((name, data) => hub.emit(name, data));
  return {
    async call<M extends MethodName>(method: M, params: RequestOf<M>): Promise<ResponseOf<M>> {
      const reply = await preload.invoke(method, params);
      if (!reply.ok) throw toApiCallError(reply.error);
      return parseResult(method, reply.result);
    },
    on: <E extends EventName>(event: E, listener: (data: EventOf<E>) => void) => hub.on(event, listener as (data: unknown) => void),
    // IPC lives as long as the window: always connected.
    onConnection(listener) {
      listener(true);
      return () => undefined;
    },
  };
}
