// Drag-to-modify sends `orders.modify` ({ orderId, price?, quantity? }); a refusal (risk gate or venue) is thrown with
// its reason so the confirmation dialog shows it and the line goes back.
import type { ApiClient, OrderModifyRequest } from '../../../src-shared/api/contract';

export async function modifyOrder(api: ApiClient, request: OrderModifyRequest): Promise<void> {
  const result = await api.call('orders.modify', request);
  if (result.rejection) throw new Error(result.rejection.message);
}
