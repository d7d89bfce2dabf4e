// HubRuns on SQLite and PostgreSQL: runs overlapping a window, a crashed run ending at its alive mark.
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { HubRuns } from '../../uptime/hub-runs.ts';
import { DIALECTS, openStorage, type StorageHarness } from './harness.ts';

describe.each(DIALECTS)('hub runs contract: %s', (dialect) => {
  let h: StorageHarness;
  beforeEach(async () => {
    h = await openStorage(dialect);
  });
  afterEach(async () => {
    await h.close();
  });

  it('records runs, alive marks and stops; a restart reads them, oldest first', async () => {
    const runs = new HubRuns(h.registry.storage);
    const first = runs.start(1_000);
    runs.markAlive(first, 5_000);
    runs.stop(first, 6_000);
    const crashed = runs.start(10_000);
    runs.markAlive(crashed, 12_000); // never stopped: a crash
    expect(runs.overlapping(0, 100_000).map((r) => r.id)).toEqual([first, crashed]);
    const again = new HubRuns((await h.reopen()).storage);
    expect(again.overlapping(0, 100_000)).toEqual([
      { id: first, startedAt: 1_000, aliveAt: 6_000, stoppedAt: 6_000 },
      { id: crashed, startedAt: 10_000, aliveAt: 12_000, stoppedAt: null },
    ]);
    expect(again.overlapping(7_000, 9_000)).toEqual([]);
    expect(again.overlapping(11_000, 11_500).map((r) => r.id)).toEqual([crashed]);
    const third = again.start(20_000);
    expect([first, crashed]).not.toContain(third);
  });
});
