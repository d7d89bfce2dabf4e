// DeviceRepository (through the Registry that owns it) on SQLite and PostgreSQL: the same behaviour,
// and what is stored is what a restart reads back.
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { applyImport, planImport } from '../../registry/csv-import.ts';
import { credentials, DIALECTS, openStorage, type StorageHarness } from './harness.ts';

const T0 = Date.UTC(2026, 10, 1);

describe.each(DIALECTS)('device repository contract: %s', (dialect) => {
  let h: StorageHarness;
  beforeEach(async () => {
    h = await openStorage(dialect);
  });
  afterEach(async () => {
    await h.close();
  });

  it('creates devices with their village and keeps them across a restart', async () => {
    const { record } = h.registry.create(
      { id: 'ls-01', kind: 'loudspeaker', name: 'Loa 1', village: 'Thôn Đông', tags: ['chợ'] },
      T0,
      credentials(1),
    );
    await h.registry.durable();
    expect(record).toMatchObject({ villageId: 'thon-dong', village: 'Thôn Đông', disabled: false });
    const again = await h.reopen();
    expect(again.size).toBe(1);
    expect(again.get('ls-01')).toEqual(record);
  });

  it('refuses a second device with the same id and leaves the first as it was', async () => {
    h.registry.create({ id: 'x', kind: 'wifi', name: 'A', village: 'Thôn A' }, T0, credentials(1));
    expect(() =>
      h.registry.create({ id: 'x', kind: 'wifi', name: 'B', village: 'Thôn A' }, T0, credentials(2)),
    ).toThrow(expect.objectContaining({ code: 'HUB_ERR_DEVICE_EXISTS' }));
    expect((await h.reopen()).get('x')?.name).toBe('A');
  });

  it('updates identity fields and disables, stored', async () => {
    h.registry.create({ id: 'gw', kind: 'gateway', name: 'GW', village: 'Thôn A' }, T0, credentials(1));
    h.registry.create({ id: 'cam', kind: 'camera', name: 'Cam', village: 'Thôn A' }, T0, credentials(2));
    h.registry.update('cam', {
      name: 'Camera cổng',
      village: 'Thôn B',
      parent: 'gw',
      tags: ['a', 'b'],
      intervalS: 30,
    });
    h.registry.update('cam', { disabled: true });
    await h.registry.durable();
    const cam = (await h.reopen()).get('cam')!;
    expect(cam).toMatchObject({
      name: 'Camera cổng',
      village: 'Thôn B',
      villageId: 'thon-b',
      parentId: 'gw',
      tags: ['a', 'b'],
      intervalS: 30,
      disabled: true,
    });
  });

  it('renaming a village renames it on its devices, stored', async () => {
    h.registry.create({ id: 'a', kind: 'wifi', name: 'A', village: 'Thôn Cũ' }, T0, credentials(1));
    h.registry.updateVillage('thon-cu', { name: 'Thôn Mới' });
    await h.registry.durable();
    const again = await h.reopen();
    expect(again.get('a')).toMatchObject({ village: 'Thôn Mới', villageId: 'thon-cu' });
  });

  it('imports 200 devices in one transaction; a failing row leaves neither memory nor storage changed', async () => {
    const rows = Array.from({ length: 200 }, (_, i) => `d${i},wifi,Wifi ${i},Thôn ${i % 7}`);
    const plan = planImport(`id,kind,name,village\n${rows.join('\n')}\n`, h.registry);
    expect(plan.errors).toEqual([]);
    const created = await applyImport(plan, h.registry, T0);
    await h.registry.durable();
    expect(created).toHaveLength(200);

    // A row the registry refuses half-way (a parent that is not a gateway) rolls the whole import back.
    const bad = planImport('id,kind,name,village\ne1,wifi,E1,Thôn X\ne2,wifi,E2,Thôn X\n', h.registry);
    bad.planned[1]!.device.parent = 'd0';
    await expect(applyImport(bad, h.registry, T0)).rejects.toMatchObject({ code: 'HUB_ERR_VALIDATION' });
    expect(h.registry.get('e1')).toBeUndefined();
    expect(h.registry.places.listVillages().some((v) => v.name === 'Thôn X')).toBe(false);
    const again = await h.reopen();
    expect(again.size).toBe(200);
    expect(again.get('e1')).toBeUndefined();
    expect(again.places.listVillages().some((v) => v.name === 'Thôn X')).toBe(false);
  });
});
