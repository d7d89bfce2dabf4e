import Database from 'better-sqlite3';
import { describe, expect, it } from 'vitest';
import { Lockout, type LockoutPolicy, lockMs } from './lockout.ts';
import { authMigrations } from './migrations.ts';
import { SqliteAuthStore } from './store.ts';

const policy: LockoutPolicy = { freeAttempts: 3, baseLockMs: 1_000, maxLockMs: 8_000, forgetMs: 60_000 };

/** The failure counts in a throwaway SQLite database with the lockout's table (migration step 11). */
function counts(): SqliteAuthStore {
  const db = new Database(':memory:');
  const step = authMigrations.find((m) => m.version === 11)!;
  db.exec(step.up as string);
  return new SqliteAuthStore(db);
}

/** Failures at the given times, then the wait asked at `askAt` (ms). */
async function waitAfter(failures: number[], askAt: number): Promise<number> {
  let now = 0;
  const lockout = new Lockout(counts(), { now: () => now }, policy);
  for (const t of failures) {
    now = t;
    await lockout.fail('user:lan');
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
    ['a failure after a quiet hour counts from one again', [0, 10, 20, 80_021], 80_021, 0],
  ])('%s', async (_name, failures, askAt, wait) => {
    expect(await waitAfter(failures, askAt)).toBe(wait);
  });

  it.each([
    [0, 0],
    [2, 0],
    [3, 1_000],
    [4, 2_000],
    [6, 8_000],
    [60, 8_000],
  ])('%i failures lock for %i ms', (failures, ms) => {
    expect(lockMs(failures, policy)).toBe(ms);
  });

  it('a success clears the name; keys are independent', async () => {
    let now = 0;
    const lockout = new Lockout(counts(), { now: () => now }, policy);
    for (let i = 0; i < 3; i++) await lockout.fail('user:lan');
    await lockout.fail('ip:10.0.0.9');
    expect(await lockout.retryAfterMs('user:lan')).toBe(1_000);
    expect(await lockout.retryAfterMs('ip:10.0.0.9')).toBe(0);
    await lockout.succeed('user:lan');
    expect(await lockout.retryAfterMs('user:lan')).toBe(0);
    now = 5;
    expect(await lockout.fail('user:lan')).toBe(false);
  });

  it('survives a restart: a new Lockout on the same store keeps the lock', async () => {
    const store = counts();
    const now = 100;
    const before = new Lockout(store, { now: () => now }, policy);
    for (let i = 0; i < 3; i++) await before.fail('user:lan');
    const after = new Lockout(store, { now: () => now }, policy);
    expect(await after.retryAfterMs('user:lan')).toBe(1_000);
  });
});
