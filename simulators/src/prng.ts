/**
 * A tiny seeded PRNG (sfc32, seeded through cyrb128) so every simulator run is reproducible from the
 * scenario's seed. Each concern (a device's outages, its metrics, a village's power cuts) draws from its
 * own stream, derived from the seed and a label, so adding a device does not change anyone else's history.
 */
export interface Rng {
  /** Uniform in [0, 1). */
  next(): number;
}

/** cyrb128: a fast string hash giving four 32-bit words, good enough to seed sfc32. */
function cyrb128(str: string): [number, number, number, number] {
  let h1 = 1779033703;
  let h2 = 3144134277;
  let h3 = 1013904242;
  let h4 = 2773480762;
  for (let i = 0; i < str.length; i++) {
    const k = str.charCodeAt(i);
    h1 = h2 ^ Math.imul(h1 ^ k, 597399067);
    h2 = h3 ^ Math.imul(h2 ^ k, 2869860233);
    h3 = h4 ^ Math.imul(h3 ^ k, 951274213);
    h4 = h1 ^ Math.imul(h4 ^ k, 2716044179);
  }
  h1 = Math.imul(h3 ^ (h1 >>> 18), 597399067);
  h2 = Math.imul(h4 ^ (h2 >>> 22), 2869860233);
  h3 = Math.imul(h1 ^ (h3 >>> 17), 951274213);
  h4 = Math.imul(h2 ^ (h4 >>> 19), 2716044179);
  h1 ^= h2 ^ h3 ^ h4;
  h2 ^= h1;
  h3 ^= h1;
  h4 ^= h1;
  return [h1 >>> 0, h2 >>> 0, h3 >>> 0, h4 >>> 0];
}

class Sfc32 implements Rng {
  constructor(
    private a: number,
    private b: number,
    private c: number,
    private d: number,
  ) {}

  next(): number {
    this.a >>>= 0;
    this.b >>>= 0;
    this.c >>>= 0;
    this.d >>>= 0;
    let t = (this.a + this.b) | 0;
    this.a = this.b ^ (this.b >>> 9);
    this.b = (this.c + (this.c << 3)) | 0;
    this.c = (this.c << 21) | (this.c >>> 11);
    this.d = (this.d + 1) | 0;
    t = (t + this.d) | 0;
    this.c = (this.c + t) | 0;
    return (t >>> 0) / 4294967296;
  }
}

/** A PRNG stream for `seed` and a label, e.g. rngFor(42, 'outage', 'hk-wifi-01'). */
export function rngFor(seed: number | string, ...labels: string[]): Rng {
  const [a, b, c, d] = cyrb128(`${seed}\u0000${labels.join('\u0000')}`);
  const rng = new Sfc32(a, b, c, d);
  // Warm up: the first outputs of sfc32 after hashing are still correlated with the seed words.
  for (let i = 0; i < 12; i++) rng.next();
  return rng;
}

/** Deterministic 32-bit hash of a label, for cheap per-slot noise without keeping a stream. */
export function hash32(seed: number | string, ...labels: Array<string | number>): number {
  return cyrb128(`${seed}\u0000${labels.join('\u0000')}`)[0];
}

export function uniform(rng: Rng, min: number, max: number): number {
  return min + (max - min) * rng.next();
}

export function intBetween(rng: Rng, min: number, max: number): number {
  return Math.floor(uniform(rng, min, max + 1));
}

/** Exponentially distributed with the given mean (memoryless failures: MTBF / MTTR). */
export function exponential(rng: Rng, mean: number): number {
  return -mean * Math.log(1 - rng.next());
}

/** Standard normal via Box-Muller. */
export function normal(rng: Rng, mean = 0, sd = 1): number {
  const u = 1 - rng.next();
  const v = rng.next();
  return mean + sd * Math.sqrt(-2 * Math.log(u)) * Math.cos(2 * Math.PI * v);
}

export function chance(rng: Rng, p: number): boolean {
  return rng.next() < p;
}

/** Picks `count` distinct items, deterministic for a given stream; keeps the input order. */
export function sample<T>(rng: Rng, items: readonly T[], count: number): T[] {
  if (count >= items.length) return [...items];
  const idx = items.map((_, i) => i);
  for (let i = idx.length - 1; i > 0; i--) {
    const j = Math.floor(rng.next() * (i + 1));
    [idx[i], idx[j]] = [idx[j]!, idx[i]!];
  }
  return idx
    .slice(0, count)
    .sort((x, y) => x - y)
    .map((i) => items[i]!);
}
