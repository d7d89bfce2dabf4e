import { describe, expect, it } from 'vitest';
import { makeDevice } from '../../test-fixtures.ts';
import { filterDevices } from './filterDevices.ts';
import { groupDevices } from './grouping.ts';

describe('groupDevices', () => {
  it('orders villages and names the Vietnamese way, kinds in protocol order, with working counts', () => {
    const rows = groupDevices([
      makeDevice('cam-1', { kind: 'camera', village: 'Thôn 10', name: 'Camera cổng' }),
      makeDevice('loa-2', { kind: 'loudspeaker', village: 'Thôn 2', name: 'Loa 2', status: 'offline' }),
      makeDevice('loa-1', { kind: 'loudspeaker', village: 'Thôn 2', name: 'Loa 1' }),
      makeDevice('wifi-1', { kind: 'wifi', village: 'Thôn 2', name: 'Wifi nhà văn hóa' }),
      makeDevice('loa-3', { kind: 'loudspeaker', village: 'Đông Sơn', name: 'Loa Đông' }),
    ]);
    expect(
      rows.map((r) => (r.type === 'device' ? r.device.id : r.type === 'kind' ? `[${r.kind}]` : r.village)),
    ).toEqual([
      'Đông Sơn',
      '[loudspeaker]',
      'loa-3',
      'Thôn 2',
      '[loudspeaker]',
      'loa-1',
      'loa-2',
      '[wifi]',
      'wifi-1',
      'Thôn 10',
      '[camera]',
      'cam-1',
    ]);
    const thon2 = rows[3]!;
    expect(thon2).toMatchObject({ type: 'village', total: 3, working: 2 });
    expect(rows[4]).toMatchObject({ type: 'kind', kind: 'loudspeaker', total: 2, working: 1 });
    expect(new Set(rows.map((r) => r.key)).size).toBe(rows.length);
  });
});

describe('filterDevices', () => {
  const devices = [
    makeDevice('loa-dong-1', { name: 'Loa thôn Đông', kind: 'loudspeaker', status: 'online' }),
    makeDevice('wifi-1', { name: 'Wifi UBND', kind: 'wifi', status: 'offline', village: 'Thôn Bắc' }),
    makeDevice('cam-1', { name: 'Camera chợ', kind: 'camera', status: 'offline' }),
  ];

  it('finds devices without typing accents, across name, id and village', () => {
    expect(filterDevices(devices, { kind: null, status: null, text: 'loa dong' }).map((d) => d.id)).toEqual([
      'loa-dong-1',
    ]);
    expect(filterDevices(devices, { kind: null, status: null, text: 'BAC' }).map((d) => d.id)).toEqual([
      'wifi-1',
    ]);
    expect(filterDevices(devices, { kind: null, status: null, text: 'cam-1' }).map((d) => d.id)).toEqual([
      'cam-1',
    ]);
  });

  it('combines kind and status filters', () => {
    expect(filterDevices(devices, { kind: 'wifi', status: 'offline', text: '' }).map((d) => d.id)).toEqual([
      'wifi-1',
    ]);
    expect(filterDevices(devices, { kind: null, status: 'offline', text: '' })).toHaveLength(2);
  });

  it('returns the same list when no filter is set', () => {
    expect(filterDevices(devices, { kind: null, status: null, text: '  ' })).toBe(devices);
  });
});
