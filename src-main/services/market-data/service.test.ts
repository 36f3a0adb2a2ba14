import { describe, expect, it } from 'vitest';
import { parseConfig } from '../../config/config';
import type { DataKind, DataProvider, ProviderId } from '../../ports/data-provider';
import { resolveChains } from './service';

/** Only the fields resolveChains reads: an id and capabilities (no I/O happens here). */
const provider = (id: ProviderId, kinds: DataKind[] = ['bars', 'quotes']) => ({ id, capabilities: new Set(kinds) }) as unknown as DataProvider;

describe('resolveChains', () => {
  it('IB session: the configured primary first, then the priority list, only running providers with the capability', () => {
    const c = parseConfig('');
    expect(resolveChains(c, [provider('ib'), provider('yahoo'), provider('demo')], 'demo')).toEqual({ quotes: ['ib', 'yahoo'], bars: ['ib', 'yahoo'], fundamentals: [] });
    expect(resolveChains(c, [provider('ib', ['quotes']), provider('yahoo')], 'demo')).toEqual({ quotes: ['ib', 'yahoo'], bars: ['yahoo'], fundamentals: [] });
  });

  it('demo session: the demo market alone, unless the priority list names sources after "demo"', () => {
    // Fundamentals are not prices: real ones may serve the demo session.
    expect(resolveChains(parseConfig(''), [provider('demo'), provider('yahoo', ['bars', 'quotes', 'fundamentals'])], 'demo')).toEqual({ quotes: ['demo'], bars: ['demo'], fundamentals: ['yahoo'] });
    const mixed = parseConfig('api_strategy:\n  priority:\n    quotes: [demo, yahoo]\n');
    expect(resolveChains(mixed, [provider('demo'), provider('yahoo')], 'demo').quotes).toEqual(['demo', 'yahoo']);
  });

  it('a disabled provider and fallback_enabled: false leave the chain', () => {
    const off = parseConfig('data_providers:\n  yahoo: { enabled: false }\n');
    expect(resolveChains(off, [provider('ib'), provider('yahoo')], 'demo').quotes).toEqual(['ib']);
    const noFallback = parseConfig('api_strategy:\n  fallback_enabled: false\n');
    expect(resolveChains(noFallback, [provider('ib'), provider('yahoo')], 'demo').quotes).toEqual(['ib']);
  });
});
