import { describe, expect, it } from 'vitest';
import { RecentSeqs } from './recent-seqs.ts';

describe('RecentSeqs', () => {
  it('refuses a repeated (seq, ts) within the window, per device, and forgets past it', () => {
    const r = new RecentSeqs(4);
    expect(r.add('a', 1, 100)).toBe(true);
    expect(r.add('a', 1, 100)).toBe(false);
    expect(r.add('a', 1, 101)).toBe(true); // same seq after a restart: another heartbeat
    expect(r.add('b', 1, 100)).toBe(true);
    for (let i = 2; i < 6; i++) r.add('a', i, 100 + i);
    expect(r.add('a', 1, 100)).toBe(true); // pushed out of the window: the store dedupes it
  });
});
