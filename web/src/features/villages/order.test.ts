import type { VillageHealth } from '@commune-hub/protocol';
import { describe, expect, it } from 'vitest';
import { communeOf, groupByCommune, orderVillages } from './order.ts';

const v = (village: string, over: Partial<VillageHealth> = {}): VillageHealth => ({
  villageId: village.toLowerCase().replace(/\s/g, '-'),
  village,
  communeId: 'hoang-kim',
  total: 10,
  working: 10,
  offline: 0,
  degraded: 0,
  maintenance: 0,
  lastChange: null,
  outage: null,
  ...over,
});

describe('orderVillages', () => {
  it('puts an outage first, then the most offline, the most degraded, then names in Vietnamese order', () => {
    const outage = {
      cause: 'power_cut' as const,
      since: '2026-11-30T00:42:00.000Z',
      deviceIds: ['a'],
      evidence: 'mass_drop' as const,
      gatewayId: null,
    };
    const rows = [
      v('Thôn 10'),
      v('Thôn 2'),
      v('Thôn 4', { degraded: 1 }),
      v('Thôn 5', { offline: 2 }),
      v('Thôn 3', { offline: 1, outage }),
    ];
    expect(orderVillages(rows).map((r) => r.village)).toEqual([
      'Thôn 3',
      'Thôn 5',
      'Thôn 4',
      'Thôn 2',
      'Thôn 10',
    ]);
  });
});

describe('communes', () => {
  const communes = [
    { id: 'hoang-kim', name: 'Hoàng Kim', province: 'Thanh Hóa', mergedInto: 'hoang-hoa' },
    { id: 'hoang-hoa', name: 'Xã Hoằng Hóa', province: 'Thanh Hóa', mergedInto: null },
  ];
  it('names the former commune and what it became', () => {
    expect(communeOf(communes, 'hoang-kim')).toMatchObject({
      commune: { name: 'Hoàng Kim' },
      mergedInto: { name: 'Xã Hoằng Hóa' },
    });
    expect(communeOf(communes, 'hoang-hoa')?.mergedInto).toBeNull();
    expect(communeOf(communes, null)).toBeNull();
  });
  it('groups villages by the commune they were recorded under', () => {
    const groups = groupByCommune([v('Thôn 1'), v('Đông', { communeId: 'hoang-hoa' }), v('Thôn 2')]);
    expect(groups.map((g) => [g.communeId, g.villages.map((x) => x.village)])).toEqual([
      ['hoang-hoa', ['Đông']],
      ['hoang-kim', ['Thôn 1', 'Thôn 2']],
    ]);
  });
});
