// The coverage record (SqliteCoverageStore, ImageCoverageStore on PostgreSQL): the same segments from
// the same heartbeats and cuts, and the same after a restart. (Was hub/src/uptime/coverage.test.ts.)
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { CoverageStore } from '../../uptime/coverage.ts';
import { coverageFor, DIALECTS, openStorage, type StorageHarness } from './harness.ts';

const G = 75_000; // grace of a 30 s device

describe.each(DIALECTS)('coverage store contract: %s', (dialect) => {
  let h: StorageHarness;
  let cov: CoverageStore;
  const segs = (from = 0, to = 1e13, device = 'd') =>
    cov.covered(device, from, to).map((i) => [i.start, i.end]);
  const restart = async () => {
    await cov.flush();
    cov = coverageFor(await h.reopen());
  };

  beforeEach(async () => {
    h = await openStorage(dialect);
    cov = coverageFor(h.registry);
  });
  afterEach(async () => {
    await h.close();
  });

  it('merges regular heartbeats into one segment ending one grace after the last', async () => {
    for (let t = 0; t <= 300_000; t += 30_000) cov.addHeartbeat('d', t, G);
    expect(segs()).toEqual([[0, 300_000 + G]]);
    await restart();
    expect(segs()).toEqual([[0, 300_000 + G]]);
  });

  it('starts a new segment after a gap longer than the grace', async () => {
    cov.addHeartbeat('d', 0, G);
    cov.addHeartbeat('d', 30_000, G);
    cov.addHeartbeat('d', 600_000, G);
    const want = [
      [0, 105_000],
      [600_000, 675_000],
    ];
    expect(segs()).toEqual(want);
    await restart();
    expect(segs()).toEqual(want);
  });

  it('cuts coverage at an explicit offline event, even for heartbeats that arrive later from a buffer', async () => {
    cov.addHeartbeat('d', 0, G);
    cov.addCut('d', 10_000);
    cov.addHeartbeat('d', 5_000, G); // buffered, stamped before the disconnect
    expect(segs()).toEqual([[0, 10_000]]);
    cov.addHeartbeat('d', 20_000, G); // after reconnecting
    const want = [
      [0, 10_000],
      [20_000, 95_000],
    ];
    expect(segs()).toEqual(want);
    await restart();
    expect(segs()).toEqual(want);
    cov.addHeartbeat('d', 8_000, G); // still cut after a restart: the cut was stored
    expect(segs()).toEqual(want);
  });

  it('fills a gap with late heartbeats from an agent buffer, merging neighbours', async () => {
    cov.addHeartbeat('d', 0, G);
    cov.addHeartbeat('d', 600_000, G);
    for (let t = 60_000; t < 600_000; t += 60_000) cov.addHeartbeat('d', t, G);
    expect(segs()).toEqual([[0, 675_000]]);
    await restart();
    expect(segs()).toEqual([[0, 675_000]]);
  });

  it('continues the stored newest segment after a restart', async () => {
    cov.addHeartbeat('d', 0, G);
    cov.addHeartbeat('d', 30_000, G);
    await restart();
    cov.addHeartbeat('d', 60_000, G);
    expect(segs()).toEqual([[0, 135_000]]);
    await restart();
    expect(segs()).toEqual([[0, 135_000]]);
  });

  it('returns only segments overlapping the asked range, per device', async () => {
    cov.addHeartbeat('d', 0, G);
    cov.addHeartbeat('d', 1_000_000, G);
    cov.addHeartbeat('e', 0, G);
    expect(segs(500_000, 2_000_000)).toEqual([[1_000_000, 1_075_000]]);
    expect(segs(0, 10, 'e')).toEqual([[0, G]]);
    expect(segs(0, 1e13, 'nobody')).toEqual([]);
  });
});
