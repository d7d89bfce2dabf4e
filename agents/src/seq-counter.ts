import { mkdirSync, readFileSync, renameSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';

/** Atomically replaces a small file: a crash leaves either the old or the new content, never half of one. */
export function writeFileAtomic(path: string, content: string): void {
  const tmp = `${path}.tmp`;
  writeFileSync(tmp, content);
  renameSync(tmp, path);
}

export function readIntegerFile(path: string): number | undefined {
  let raw: string;
  try {
    raw = readFileSync(path, 'utf8');
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === 'ENOENT') return undefined;
    throw err;
  }
  const n = Number(raw.trim());
  return Number.isSafeInteger(n) && n >= 0 ? n : undefined;
}

/**
 * The heartbeat sequence number, persisted in the spool folder so it keeps increasing across agent
 * restarts: the hub drops a repeated (device, seq), so reusing a seq would lose a heartbeat.
 * The file holds the last seq handed out and is written before the seq is used.
 */
export class SeqCounter {
  private readonly path: string;
  private last = -1;

  constructor(dir: string) {
    this.path = join(dir, 'seq');
  }

  /** Loads the last seq; `atLeast` is the highest seq known elsewhere (the spool), in case the file was lost. */
  open(atLeast = -1): void {
    mkdirSync(join(this.path, '..'), { recursive: true });
    this.last = Math.max(readIntegerFile(this.path) ?? -1, atLeast);
  }

  /** Failed writes (disk full): the seq still advances in memory, so this run never repeats one. */
  persistFailures = 0;

  next(): number {
    const seq = this.last + 1;
    this.last = seq;
    try {
      writeFileAtomic(this.path, `${seq}\n`);
    } catch {
      this.persistFailures += 1;
    }
    return seq;
  }

  get lastSeq(): number {
    return this.last;
  }
}
