import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { Registry } from '../registry/registry.ts';
import { CoverageStore } from './coverage.ts';

const G = 75_000; // grace of a 30 s device

describe('CoverageStore (real SQLite file)', () => {
  let dir: string;
  let registry: Registry;
  let cov: CoverageStore;
  const segs = (from = 0, to = 1e13) => cov.covered('d', from, to).map((i) => [i.start, i.end]);

  beforeEach(() => {
    dir = fs.mkdtempSync(path.join(os.tmpdir(), 'coverage-'));
    registry = new Registry(dir);
    registry.open();
    cov = new CoverageStore(registry.database);
  });
  afterEach(() => {
    registry.close();
    fs.rmSync(dir, { recursive: true, force: true });
  });

  it('merges regular heartbeats into one segment ending one grace after the last', () => {
    for (let t = 0; t <= 300_000; t += 30_000) cov.addHeartbeat('d', t, G);
    expect(segs()).toEqual([[0, 300_000 + G]]);
  });

  it('starts a new segment after a gap longer than the grace', () => {
    cov.addHeartbeat('d', 0, G);
    cov.addHeartbeat('d', 30_000, G);
    cov.addHeartbeat('d', 600_000, G);
    expect(segs()).toEqual([
      [0, 105_000],
      [600_000, 675_000],
    ]);
  });

  it('cuts coverage at an explicit offline event, even for heartbeats that arrive later from a buffer', () => {
    cov.addHeartbeat('d', 0, G);
    cov.addCut('d', 10_000);
    cov.addHeartbeat('d', 5_000, G); // buffered, stamped before the disconnect
    expect(segs()).toEqual([[0, 10_000]]);
    cov.addHeartbeat('d', 20_000, G); // after reconnecting
    expect(segs()).toEqual([
      [0, 10_000],
      [20_000, 95_000],
    ]);
  });

  it('fills a gap with late heartbeats from an agent buffer, merging neighbours', () => {
    cov.addHeartbeat('d', 0, G);
    cov.addHeartbeat('d', 600_000, G);
    for (let t = 60_000; t < 600_000; t += 60_000) cov.addHeartbeat('d', t, G);
    expect(segs()).toEqual([[0, 675_000]]);
  });

  it('survives a reopen (segments are persisted)', () => {
    cov.addHeartbeat('d', 0, G);
    cov.addHeartbeat('d', 30_000, G);
    cov.flush();
    registry.close();
    registry = new Registry(dir);
    registry.open();
    cov = new CoverageStore(registry.database);
    cov.addHeartbeat('d', 60_000, G);
    expect(segs()).toEqual([[0, 135_000]]);
  });

  it('returns only segments overlapping the asked range', () => {
    cov.addHeartbeat('d', 0, G);
    cov.addHeartbeat('d', 1_000_000, G);
    expect(segs(500_000, 2_000_000)).toEqual([[1_000_000, 1_075_000]]);
  });
});
