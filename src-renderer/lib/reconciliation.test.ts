import { describe, expect, it } from 'vitest';
import { reconciliationDifferences } from './reconciliation';

const empty = { time: 0, missedFills: [], closedOrders: [], externalOrders: [], positionDiffs: [], clean: true };

describe('reconciliation report sentences', () => {
  it('says nothing when clean', () => {
    expect(reconciliationDifferences(empty)).toEqual([]);
  });

  it('one sentence per difference, in report order', () => {
    const lines = reconciliationDifferences({
      ...empty, clean: false,
      missedFills: [{ orderId: 'o1', execId: 'e1', symbol: 'AAPL', side: 'buy', quantity: 10, price: 187.5 }],
      closedOrders: [{ orderId: 'o2', symbol: 'MSFT', status: 'cancelled' }],
      externalOrders: [{ orderId: 'o3', brokerOrderId: '77', symbol: 'SPY', side: 'sell', quantity: 5 }],
      positionDiffs: [{ symbol: 'NVDA', ours: 3, broker: 4 }],
    });
    expect(lines).toEqual([
      'Missed fill inserted: buy 10 AAPL at 187.50',
      'MSFT order closed while away: cancelled',
      'External order adopted: sell 5 SPY (broker order 77)',
      'Position NVDA: ours 3, broker 4',
    ]);
  });
});
