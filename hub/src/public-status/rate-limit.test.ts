import { describe, expect, it } from 'vitest';
import { FixedWindowLimiter } from './rate-limit.ts';

const HOUR = 3_600_000;

describe('FixedWindowLimiter', () => {
  // [what, hits as [ms after start, key], expected allowed per hit]
  const cases: Array<[string, Array<[number, string]>, boolean[]]> = [
    [
      'allows up to the limit',
      [
        [0, 'a'],
        [1, 'a'],
        [2, 'a'],
      ],
      [true, true, true],
    ],
    [
      'refuses past the limit',
      [
        [0, 'a'],
        [1, 'a'],
        [2, 'a'],
        [3, 'a'],
      ],
      [true, true, true, false],
    ],
    [
      'keys are counted apart',
      [
        [0, 'a'],
        [0, 'a'],
        [0, 'a'],
        [0, 'b'],
      ],
      [true, true, true, true],
    ],
    [
      'a new window starts after windowMs',
      [
        [0, 'a'],
        [0, 'a'],
        [0, 'a'],
        [HOUR - 1, 'a'],
        [HOUR, 'a'],
      ],
      [true, true, true, false, true],
    ],
    [
      'refused hits do not extend the window',
      [
        [0, 'a'],
        [0, 'a'],
        [0, 'a'],
        [HOUR / 2, 'a'],
        [HOUR, 'a'],
      ],
      [true, true, true, false, true],
    ],
  ];
  it.each(cases)('%s', (_what, hits, expected) => {
    let now = 0;
    const limiter = new FixedWindowLimiter({ now: () => now }, 3, HOUR);
    const got = hits.map(([at, key]) => {
      now = at;
      return limiter.hit(key).allowed;
    });
    expect(got).toEqual(expected);
  });

  it('says when to retry, in whole seconds', () => {
    let now = 0;
    const limiter = new FixedWindowLimiter({ now: () => now }, 1, HOUR);
    limiter.hit('a');
    now = HOUR - 1500;
    expect(limiter.hit('a')).toEqual({ allowed: false, retryAfterS: 2 });
  });

  it('drops ended windows when full, and never grows past its bound', () => {
    let now = 0;
    const limiter = new FixedWindowLimiter({ now: () => now }, 1, HOUR, 4);
    for (const k of ['a', 'b', 'c', 'd']) limiter.hit(k);
    now = HOUR;
    limiter.hit('e');
    expect(limiter.size).toBe(1);
    now = HOUR + 1;
    for (const k of ['f', 'g', 'h', 'i', 'j']) limiter.hit(k);
    expect(limiter.size).toBeLessThanOrEqual(4);
  });
});
