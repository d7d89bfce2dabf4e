// LiveStateRepository on SQLite and PostgreSQL: what liveness saved is what the registry reads at boot.
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { LiveStateRepository } from '../../liveness/live-state-repository.ts';
import type { PersistedLiveState } from '../../registry/registry.ts';
import { credentials, DIALECTS, openStorage, type StorageHarness } from './harness.ts';

describe.each(DIALECTS)('live state repository contract: %s', (dialect) => {
  let h: StorageHarness;
  beforeEach(async () => {
    h = await openStorage(dialect);
  });
  afterEach(async () => {
    await h.close();
  });

  it('saves many devices in one go; a restart reads the last saved state', async () => {
    for (let i = 0; i < 50; i++) {
      h.registry.create({ id: `d${i}`, kind: 'wifi', name: `D${i}`, village: 'Thôn A' }, 0, credentials(i));
    }
    const repo = new LiveStateRepository(h.registry.storage);
    const live = (i: number): PersistedLiveState => ({
      status: i % 2 ? 'online' : 'offline',
      since: 1_000 + i,
      reason: i % 2 ? 'heartbeat' : 'timeout',
      lastTs: 2_000 + i,
      lastSeq: 4_294_967_295 - i,
      metrics: { rssi_dbm: -60 - i, nhiệt_độ: 41.5 },
      faults: i % 3 ? [] : ['amp_fault'],
    });
    repo.save(Array.from({ length: 50 }, (_, i) => ({ id: `d${i}`, live: live(i) })));
    repo.save([{ id: 'd7', live: { ...live(7), status: 'degraded', faults: ['battery_low'] } }]);
    repo.save([]);
    const again = await h.reopen();
    expect(again.get('d3')!.live).toEqual(live(3));
    expect(again.get('d7')!.live).toEqual({ ...live(7), status: 'degraded', faults: ['battery_low'] });
    expect(again.get('d49')!.live.lastSeq).toBe(4_294_967_295 - 49);
  });
});
