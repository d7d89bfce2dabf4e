import pino from 'pino';
import { describe, expect, it } from 'vitest';
import { type CommitStep, GroupCommit } from './group-commit.ts';

const logger = pino({ level: 'silent' });

/** A step whose commits the test finishes by hand, recording what each one covered. */
function manualStep(name: string) {
  const calls: Array<{ resolve: () => void; reject: (e: Error) => void }> = [];
  const step: CommitStep = {
    name,
    commit: () => new Promise<void>((resolve, reject) => calls.push({ resolve, reject })),
  };
  return { step, calls };
}

const settle = () => new Promise((r) => setImmediate(r));

describe('GroupCommit', () => {
  it('releases a batch only after every step committed, in order', async () => {
    const order: string[] = [];
    const a = manualStep('coverage');
    const b = manualStep('store');
    const gc = new GroupCommit({
      intervalMs: 1,
      steps: [
        {
          name: 'coverage',
          commit: () => {
            order.push('coverage');
            return a.step.commit();
          },
        },
        {
          name: 'store',
          commit: () => {
            order.push('store');
            return b.step.commit();
          },
        },
      ],
      logger,
    });
    const released: Array<Error | undefined> = [];
    gc.afterCommit((err) => released.push(err));
    gc.afterCommit((err) => released.push(err));
    await expect.poll(() => a.calls.length).toBe(1);
    expect(order).toEqual(['coverage']);
    a.calls[0]!.resolve();
    await expect.poll(() => b.calls.length).toBe(1);
    expect(released).toEqual([]);
    b.calls[0]!.resolve();
    await expect.poll(() => released.length).toBe(2);
    expect(released).toEqual([undefined, undefined]);
    expect((await gc.batches.get()).values[0]!.value).toBe(1);
  });

  it('a waiter that arrives during a commit waits for the next one', async () => {
    const s = manualStep('store');
    const gc = new GroupCommit({ intervalMs: 1, steps: [s.step], logger });
    const released: string[] = [];
    gc.afterCommit(() => released.push('first'));
    await expect.poll(() => s.calls.length).toBe(1);
    gc.afterCommit(() => released.push('second'));
    s.calls[0]!.resolve();
    await expect.poll(() => released).toEqual(['first']);
    // The second waiter's rows may have been written after the first commit began: a commit of its own.
    await expect.poll(() => s.calls.length).toBe(2);
    await settle();
    expect(released).toEqual(['first']);
    s.calls[1]!.resolve();
    await expect.poll(() => released).toEqual(['first', 'second']);
  });

  it('a failed commit hands its error to every waiter of the batch, counts it, and the next batch proceeds', async () => {
    const s = manualStep('store');
    const gc = new GroupCommit({ intervalMs: 1, steps: [s.step], logger });
    const results: Array<string> = [];
    gc.afterCommit((err) => results.push(err ? `a:${err.message}` : 'a:ok'));
    gc.afterCommit((err) => results.push(err ? `b:${err.message}` : 'b:ok'));
    await expect.poll(() => s.calls.length).toBe(1);
    s.calls[0]!.reject(new Error('disk full'));
    await expect.poll(() => results).toEqual(['a:disk full', 'b:disk full']);
    expect((await gc.failures.get()).values).toEqual([{ labels: { step: 'store' }, value: 1 }]);
    gc.afterCommit((err) => results.push(err ? `c:${err.message}` : 'c:ok'));
    await expect.poll(() => s.calls.length).toBe(2);
    s.calls[1]!.resolve();
    await expect.poll(() => results.at(-1)).toBe('c:ok');
  });

  it('a waiter that throws does not hold back the others', async () => {
    const gc = new GroupCommit({ intervalMs: 1, steps: [{ name: 'store', commit: () => {} }], logger });
    const released: string[] = [];
    gc.afterCommit(() => {
      throw new Error('aedes callback threw');
    });
    gc.afterCommit(() => released.push('other'));
    await expect.poll(() => released).toEqual(['other']);
  });

  it('stop() commits and releases what waits, then refuses new waiters', async () => {
    let commits = 0;
    const gc = new GroupCommit({
      intervalMs: 60_000,
      steps: [{ name: 'store', commit: () => void commits++ }],
      logger,
    });
    const results: Array<Error | undefined> = [];
    gc.afterCommit((err) => results.push(err));
    await gc.stop();
    expect(commits).toBe(1);
    expect(results).toEqual([undefined]);
    gc.afterCommit((err) => results.push(err));
    expect(results[1]).toBeInstanceOf(Error);
  });
});
