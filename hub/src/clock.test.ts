import { describe, expect, it } from 'vitest';
import { ManualClock } from './clock.ts';

describe('ManualClock: timers fire only when time is advanced, in due order, each at its due time', () => {
  it('runs due timers in order and leaves later ones armed', () => {
    const clock = new ManualClock(1000);
    const fired: Array<[string, number]> = [];
    clock.setTimeout(() => fired.push(['b', clock.now()]), 20);
    clock.setTimeout(() => fired.push(['a', clock.now()]), 10);
    clock.setTimeout(() => fired.push(['c', clock.now()]), 30);
    clock.advance(19);
    expect(fired).toEqual([['a', 1010]]);
    expect(clock.now()).toBe(1019);
    clock.advance(1);
    expect(fired).toEqual([
      ['a', 1010],
      ['b', 1020],
    ]);
    expect(clock.pending).toBe(1);
  });

  it('a cleared timer never fires; a timer armed by a firing one fires within the same advance', () => {
    const clock = new ManualClock();
    const fired: string[] = [];
    const handle = clock.setTimeout(() => fired.push('cleared'), 5);
    clock.setTimeout(() => clock.setTimeout(() => fired.push('chained'), 5), 5);
    handle.clear();
    clock.advance(10);
    expect(fired).toEqual(['chained']);
    expect(clock.pending).toBe(0);
  });
});
