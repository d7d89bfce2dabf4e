// Places (communes, villages, sites) on SQLite and PostgreSQL.
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { DIALECTS, openStorage, type StorageHarness } from './harness.ts';

describe.each(DIALECTS)('places contract: %s', (dialect) => {
  let h: StorageHarness;
  beforeEach(async () => {
    h = await openStorage(dialect);
  });
  afterEach(async () => {
    await h.close();
  });

  it('stores communes with mergers, villages with unique slug ids, sites; a restart reads them back', async () => {
    const places = h.registry.places;
    places.addCommune({ id: 'xa-a', name: 'Xã A', province: 'Thanh Hóa' });
    places.addCommune({ id: 'xa-b', name: 'Xã B', mergedInto: 'xa-a' });
    const v1 = places.addVillage({ name: 'Thôn Đông', communeId: 'xa-b' });
    const v2 = places.addVillage({ name: 'Thôn Đông' });
    expect([v1.id, v2.id]).toEqual(['thon-dong', 'thon-dong-2']);
    places.addSite({ name: 'Nhà văn hóa', villageId: v1.id, locationType: 'cultural_house' });
    places.updateVillage(v1.id, { communeId: 'xa-a' });
    await h.registry.durable();
    const again = (await h.reopen()).places;
    expect(again.listCommunes()).toEqual(places.listCommunes());
    expect(again.listVillages()).toEqual(places.listVillages());
    expect(again.listSites()).toEqual(places.listSites());
    expect(again.village('thon-dong')?.communeId).toBe('xa-a');
    expect(again.listCommunes().find((c) => c.id === 'xa-b')?.mergedInto).toBe('xa-a');
  });

  it('refuses duplicates and unknown references', () => {
    const places = h.registry.places;
    places.addCommune({ id: 'xa-a', name: 'Xã A' });
    expect(() => places.addCommune({ id: 'xa-a', name: 'again' })).toThrow(
      expect.objectContaining({ code: 'HUB_ERR_EXISTS' }),
    );
    expect(() => places.addVillage({ name: 'T', communeId: 'nope' })).toThrow(
      expect.objectContaining({ code: 'HUB_ERR_NOT_FOUND' }),
    );
    expect(() => places.addSite({ name: 'S', villageId: 'nope', locationType: 'other' })).toThrow(
      expect.objectContaining({ code: 'HUB_ERR_NOT_FOUND' }),
    );
  });
});
