import type { DeviceDiff } from '@commune-hub/protocol';
import { describe, expect, it } from 'vitest';
import { makeDevice } from '../../test-fixtures.ts';
import { applyDiffs, coalesceInto, type PendingChange } from './applyDiffs.ts';

function coalesce(...batches: DeviceDiff[][]): Map<string, PendingChange> {
  const pending = new Map<string, PendingChange>();
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

  it('a removal replaces what was queued; a diff after it starts over', () => {
    const pending = new Map<string, PendingChange>();
    coalesceInto(pending, [{ id: 'a', name: 'Cũ' }]);
    coalesceInto(pending, [], ['a']);
    expect(pending.get('a')).toEqual({ id: 'a', removed: true });
    coalesceInto(pending, [{ id: 'a', name: 'Mới' }]);
    expect(pending.get('a')).toEqual({ id: 'a', name: 'Mới' });
  });

  it('stays bounded by the number of devices however many diffs arrive', () => {
    const pending = new Map<string, PendingChange>();
    for (let i = 0; i < 10_000; i++) coalesceInto(pending, [{ id: `d${i % 50}`, lastSeq: i }]);
    expect(pending.size).toBe(50);
    expect(pending.get('d49')).toEqual({ id: 'd49', lastSeq: 9_999 });
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

  it('applies a rename, a village move and a disable as field changes', () => {
    const { devices, unknown } = applyDiffs(
      [a, b],
      coalesce(
        [{ id: 'a', name: 'Loa cổng chợ' }],
        [{ id: 'b', village: 'Thôn Mới', villageId: 'thon-moi', communeId: 'xa-moi' }],
        [{ id: 'a', disabled: true, status: 'offline', reason: 'disabled' }],
      ),
    );
    expect(unknown).toEqual([]);
    expect(devices[0]).toMatchObject({ id: 'a', name: 'Loa cổng chợ', disabled: true, reason: 'disabled' });
    expect(devices[1]).toMatchObject({ id: 'b', village: 'Thôn Mới', villageId: 'thon-moi', name: b.name });
  });

  it('drops devices that left the view and ignores removals of devices it never had', () => {
    const pending = new Map<string, PendingChange>();
    coalesceInto(pending, [], ['b', 'ghost']);
    const { devices, unknown } = applyDiffs([a, b, c], pending);
    expect(devices.map((d) => d.id)).toEqual(['a', 'c']);
    expect(devices[0]).toBe(a);
    expect(unknown).toEqual([]);
  });

  it('reports diffs of unknown devices that lack the full view instead of inventing them', () => {
    const { devices, unknown } = applyDiffs([a], coalesce([{ id: 'ghost', status: 'online' }]));
    expect(devices).toHaveLength(1);
    expect(unknown).toEqual(['ghost']);
  });
});
