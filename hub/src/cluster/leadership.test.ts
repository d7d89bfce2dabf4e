// Leadership on a fake clock: takes the lead after settling as the smallest living id, steps down at once.
import { describe, expect, it } from 'vitest';
import { Leadership } from './leadership.ts';

describe('Leadership', () => {
  it('a sole node leads from the start', () => {
    expect(Leadership.sole().isLeader).toBe(true);
  });

  it('leads once it has been the smallest living id for settleMs; steps down at once', () => {
    let now = 0;
    let smallest = true;
    const seen: boolean[] = [];
    const l = new Leadership(() => smallest, { now: () => now }, 1500, undefined);
    l.onChange((v) => seen.push(v));
    const steps: Array<[number, boolean, boolean]> = [
      // [time, smallest now, leading after the check]
      [0, true, false],
      [1000, true, false],
      [1500, true, true],
      [2000, false, false], // a smaller node appeared: step down at once
      [2500, true, false], // it died: settle again before leading
      [3999, true, false],
      [4000, true, true],
    ];
    for (const [at, s, leading] of steps) {
      now = at;
      smallest = s;
      l.check();
      expect([at, l.isLeader]).toEqual([at, leading]);
    }
    expect(seen).toEqual([true, false, true]);
  });
});
