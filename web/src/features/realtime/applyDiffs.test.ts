import type { DeviceDiff } from '@commune-hub/protocol';
import { describe, expect, it } from 'vitest';
import { makeDevice } from '../../test-fixtures.ts';
import { applyDiffs, coalesceInto } from './applyDiffs.ts';

function coalesce(...batches: DeviceDiff[][]): Map<string, DeviceDiff> {
  const pending = new Map<string, DeviceDiff>();
  for (const b of batches) coalesceInto(pending, b);
  return pending;
}

describe('coalesceInto', () => {
  it('merges diffs of the same device, later fields winning, earlier fields kept', () => {
    const pending = coalesce(
      [{ id: 'a', status: 'offline', reason: 'timeout' }],
      [{ id: 'b', lastSeq: 4 }],
      [{ id: 'a', status: 'online', reason: 'heartbeat', lastSeq: 9 }],
      [{ id: 'a', metrics: { volume: 3 } }],
    );
    expect(pending.size).toBe(2);
    expect(pending.get('a')).toEqual({
      id: 'a',
      status: 'online',
      reason: 'heartbeat',
      lastSeq: 9,
      metrics: { volume: 3 },
    });
  });

  it('stays bounded by the number of devices however many diffs arrive', () => {
    const pending = new Map<string, DeviceDiff>();
    for (let i = 0; i < 10_000; i++) coalesceInto(pending, [{ id: `d${i % 50}`, lastSeq: i }]);
    expect(pending.size).toBe(50);
    expect(pending.get('d49')?.lastSeq).toBe(9_999);
  });
});

describe('applyDiffs', () => {
  const a = makeDevice('a');
  const b = makeDevice('b');
  const c = makeDevice('c');

  it('replaces changed devices and keeps the identity of unchanged ones', () => {
    const { devices, unknown } = applyDiffs(
      [a, b, c],
      coalesce([{ id: 'b', status: 'offline', reason: 'disconnect' }]),
    );
    expect(unknown).toEqual([]);
    expect(devices[0]).toBe(a);
    expect(devices[2]).toBe(c);
    expect(devices[1]).not.toBe(b);
    expect(devices[1]).toMatchObject({ id: 'b', status: 'offline', reason: 'disconnect', name: b.name });
    expect(b.status).toBe('online');
  });

  it('returns the same array when nothing is pending', () => {
    const list = [a, b];
    expect(applyDiffs(list, new Map()).devices).toBe(list);
  });

  it('adds a new device when its diff carries the whole view', () => {
    const { id: _, metrics: __, ...rest } = makeDevice('x', { name: 'Loa mới' });
    const { devices, unknown } = applyDiffs([a], coalesce([{ id: 'new', ...rest }]));
    expect(unknown).toEqual([]);
    expect(devices.map((d) => d.id)).toEqual(['a', 'new']);
    expect(devices[1]).toMatchObject({ name: 'Loa mới', metrics: {} });
  });

  it('reports diffs of unknown devices that lack the full view instead of inventing them', () => {
    const { devices, unknown } = applyDiffs([a], coalesce([{ id: 'ghost', status: 'online' }]));
    expect(devices).toHaveLength(1);
    expect(unknown).toEqual(['ghost']);
  });
});
