// Drag-to-modify sends `orders.modify` ({ orderId, price?, quantity? }). The method is added to the contract by the
// execution branch; this build checks for it at run time so the chart works (and says why it cannot modify) either way.
import { methods, OrderModifyRequest, type ApiClient } from '../../../src-shared/api/contract';

export const canModifyOrders = (): boolean => 'orders.modify' in methods;

export async function modifyOrder(api: ApiClient, request: OrderModifyRequest): Promise<void> {
  if (!canModifyOrders()) throw new Error('Modifying orders is not available in this build (orders.modify is missing)');
  // Typed loosely on purpose: the method name is checked above, not by the compiler, until the contract has it.
  const call = api.call.bind(api) as unknown as (method: string, params: unknown) => Promise<unknown>;
  await call('orders.modify', OrderModifyRequest.parse(request));
}
