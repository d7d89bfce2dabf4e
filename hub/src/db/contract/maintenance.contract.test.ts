// MaintenanceStore on SQLite and PostgreSQL.
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { MaintenanceStore } from '../../uptime/maintenance.ts';
import { DIALECTS, openStorage, type StorageHarness } from './harness.ts';

describe.each(DIALECTS)('maintenance store contract: %s', (dialect) => {
  let h: StorageHarness;
  beforeEach(async () => {
    h = await openStorage(dialect);
  });
  afterEach(async () => {
    await h.close();
  });

  it('adds windows with distinct ids, finds the active one, removes one; a restart reads what is left', async () => {
    const store = new MaintenanceStore(h.registry.storage);
    const a = store.add('d1', 1_000, 2_000, 'thay loa');
    const b = store.add('d1', 5_000, 6_000, '');
    const c = store.add('d2', 0, 10_000, 'cắt điện');
    expect(new Set([a.id, b.id, c.id]).size).toBe(3);
    expect(store.activeAt('d1', 1_500)?.id).toBe(a.id);
    expect(store.activeAt('d1', 2_000)).toBeUndefined();
    expect(store.remove(b.id)).toBe(true);
    expect(store.remove(b.id)).toBe(false);
    expect(store.list(0, 100_000).map((w) => w.id)).toEqual([c.id, a.id]);
    const again = new MaintenanceStore((await h.reopen()).storage);
    expect(again.list(0, 100_000)).toEqual([
      { id: c.id, deviceId: 'd2', start: 0, end: 10_000, note: 'cắt điện' },
      { id: a.id, deviceId: 'd1', start: 1_000, end: 2_000, note: 'thay loa' },
    ]);
    expect(again.add('d3', 0, 1, '').id).not.toBe(a.id);
  });
});
