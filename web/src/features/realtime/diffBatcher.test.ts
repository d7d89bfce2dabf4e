import type { DeviceDiff } from '@commune-hub/protocol';
import { describe, expect, it } from 'vitest';
import { DiffBatcher, type FrameScheduler } from './diffBatcher.ts';

/** A frame clock the test advances by hand. */
class ManualFrames implements FrameScheduler {
  private next = 1;
  readonly callbacks = new Map<number, () => void>();
  request(cb: () => void): number {
    const handle = this.next++;
    this.callbacks.set(handle, cb);
    return handle;
  }
  cancel(handle: number): void {
    this.callbacks.delete(handle);
  }
  runFrame(): void {
    const cbs = [...this.callbacks.values()];
    this.callbacks.clear();
    for (const cb of cbs) cb();
  }
}

function setup() {
  const frames = new ManualFrames();
  const flushed: Map<string, DeviceDiff>[] = [];
  const batcher = new DiffBatcher((p) => flushed.push(new Map(p)), frames);
  return { frames, flushed, batcher };
}

describe('DiffBatcher', () => {
  it('applies many socket messages once per frame, coalesced per device', () => {
    const { frames, flushed, batcher } = setup();
    for (let i = 0; i < 100; i++) batcher.push([{ id: `d${i % 10}`, lastSeq: i }]);
    expect(frames.callbacks.size).toBe(1);
    expect(flushed).toHaveLength(0);

    frames.runFrame();
    expect(flushed).toHaveLength(1);
    expect(flushed[0]!.size).toBe(10);
    expect(flushed[0]!.get('d3')?.lastSeq).toBe(93);

    frames.runFrame();
    expect(flushed).toHaveLength(1);
  });

  it('schedules a new frame for diffs that arrive after a flush', () => {
    const { frames, flushed, batcher } = setup();
    batcher.push([{ id: 'a', status: 'online' }]);
    frames.runFrame();
    batcher.push([{ id: 'a', status: 'offline' }]);
    expect(frames.callbacks.size).toBe(1);
    frames.runFrame();
    expect(flushed.map((m) => m.get('a')?.status)).toEqual(['online', 'offline']);
  });

  it('drops queued diffs on clear (a snapshot supersedes them) and cancels the frame', () => {
    const { frames, flushed, batcher } = setup();
    batcher.push([{ id: 'a', status: 'offline' }]);
    batcher.clear();
    expect(frames.callbacks.size).toBe(0);
    expect(batcher.size).toBe(0);
    frames.runFrame();
    expect(flushed).toHaveLength(0);
  });

  it('ignores empty batches without scheduling a frame', () => {
    const { frames, batcher } = setup();
    batcher.push([]);
    expect(frames.callbacks.size).toBe(0);
  });
});
