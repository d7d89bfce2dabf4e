import { describe, expect, it } from 'vitest';
import { Lockout, type LockoutPolicy } from './lockout.ts';

const policy: LockoutPolicy = { freeAttempts: 3, baseLockMs: 1_000, maxLockMs: 8_000, forgetMs: 60_000 };

/** Failures at the given times, then the wait asked at `askAt` (ms). */
function waitAfter(failures: number[], askAt: number): number {
  let now = 0;
  const lockout = new Lockout({ now: () => now }, policy);
  for (const t of failures) {
    now = t;
    lockout.fail('user:lan');
  }
  now = askAt;
  return lockout.retryAfterMs('user:lan');
}

describe('sign-in lockout with backoff', () => {
  it.each([
    ['no failure', [], 0, 0],
    ['two failures: still free', [0, 10], 10, 0],
    ['the third failure locks for the base', [0, 10, 20], 20, 1_000],
    ['the lock runs out', [0, 10, 20], 1_020, 0],
    ['a fourth doubles it', [0, 10, 20, 1_100], 1_100, 2_000],
    ['a fifth doubles again', [0, 10, 20, 1_100, 3_200], 3_200, 4_000],
    ['capped at the maximum', [0, 1, 2, 3, 4, 5, 6, 7, 8], 8, 8_000],
    ['forgotten after a quiet hour', [0, 10, 20], 80_021, 0],
  ])('%s', (_name, failures, askAt, wait) => {
    expect(waitAfter(failures, askAt)).toBe(wait);
  });

  it('a success clears the name; keys are independent', () => {
    let now = 0;
    const lockout = new Lockout({ now: () => now }, policy);
    for (let i = 0; i < 3; i++) lockout.fail('user:lan');
    lockout.fail('ip:10.0.0.9');
    expect(lockout.retryAfterMs('user:lan')).toBe(1_000);
    expect(lockout.retryAfterMs('ip:10.0.0.9')).toBe(0);
    lockout.succeed('user:lan');
    expect(lockout.retryAfterMs('user:lan')).toBe(0);
    now = 5;
    expect(lockout.fail('user:lan')).toBe(false);
  });
});
