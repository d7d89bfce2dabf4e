import { appendFileSync, mkdtempSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import pino from 'pino';
import { afterEach, describe, expect, it } from 'vitest';
import { DiskSpool } from './spool.ts';

const logger = pino({ level: 'silent' });
const dirs: string[] = [];
function spoolDir(): string {
  const d = mkdtempSync(join(tmpdir(), 'hub-spool-'));
  dirs.push(d);
  return d;
}
afterEach(() => {
  for (const d of dirs.splice(0)) rmSync(d, { recursive: true, force: true });
});

describe('DiskSpool', () => {
  it('hands segments out oldest first, lines with newlines intact, and survives a reopen', () => {
    const dir = spoolDir();
    const a = new DiskSpool({ dir, maxBytes: 1 << 20, segmentBytes: 16, logger });
    a.open();
    a.append(['m f="a\nb" 1', 'm f=2 2']);
    a.append(['m f=3 3']);
    expect(a.depth).toBe(3);
    const b = new DiskSpool({ dir, maxBytes: 1 << 20, segmentBytes: 16, logger });
    b.open();
    expect(b.depth).toBe(3);
    const first = b.peek()!;
    expect(first.lines).toEqual(['m f="a\nb" 1', 'm f=2 2']);
    b.append(['m f=4 4']); // goes behind, never into the segment being replayed
    b.ack(first.id);
    const rest: string[] = [];
    for (let s = b.peek(); s; s = b.peek()) {
      rest.push(...s.lines);
      b.ack(s.id);
    }
    expect(rest).toEqual(['m f=3 3', 'm f=4 4']);
    expect(b.depth).toBe(0);
    expect(readdirSync(dir)).toEqual([]);
  });

  it('drops whole oldest segments past the bound and counts the lines exactly', () => {
    const spool = new DiskSpool({ dir: spoolDir(), maxBytes: 200, segmentBytes: 50, logger });
    spool.open();
    for (let i = 0; i < 20; i++) spool.append([`m v=${i} ${i}`, `m w=${i} ${i}`]);
    expect(spool.dropped + spool.depth).toBe(40);
    expect(spool.dropped).toBeGreaterThan(0);
    expect(spool.bytes).toBeLessThanOrEqual(200);
    const first = spool.peek()!;
    expect(first.lines[0]).toBe(`m v=${spool.dropped / 2} ${spool.dropped / 2}`);
  });

  it('skips a torn last record left by a crash', () => {
    const dir = spoolDir();
    const a = new DiskSpool({ dir, maxBytes: 1 << 20, logger });
    a.open();
    a.append(['m v=1 1']);
    appendFileSync(join(dir, readdirSync(dir)[0]!), '["m v=2 2", "m v=');
    const b = new DiskSpool({ dir, maxBytes: 1 << 20, logger });
    b.open();
    expect(b.depth).toBe(1);
    expect(b.peek()!.lines).toEqual(['m v=1 1']);
  });
});
