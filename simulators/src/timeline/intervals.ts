/** Half-open time intervals [from, to) in epoch milliseconds, and the little algebra the truth needs. */
export type Span = readonly [from: number, to: number];

/** Sorted, non-overlapping union of the given spans (touching spans merge). */
export function union(spans: readonly Span[]): Span[] {
  const sorted = spans.filter(([a, b]) => b > a).sort((x, y) => x[0] - y[0]);
  const out: [number, number][] = [];
  for (const [a, b] of sorted) {
    const last = out[out.length - 1];
    if (last && a <= last[1]) last[1] = Math.max(last[1], b);
    else out.push([a, b]);
  }
  return out;
}

/** Total length of the part of `spans` (assumed disjoint) that lies in [from, to). */
export function overlapMs(spans: readonly Span[], from: number, to: number): number {
  let total = 0;
  for (const [a, b] of spans) {
    const lo = Math.max(a, from);
    const hi = Math.min(b, to);
    if (hi > lo) total += hi - lo;
  }
  return total;
}

/** Alternating up/down renewal process: down spans with exponential gaps (mean up) and lengths (mean down). */
export function renewalSpans(
  next: () => number,
  from: number,
  to: number,
  meanUpMs: number,
  meanDownMs: number,
): Span[] {
  const exp = (mean: number) => -mean * Math.log(1 - next());
  const spans: Span[] = [];
  // Start in the stationary distribution so a run does not begin with every device freshly repaired.
  let t = from;
  if (next() < meanDownMs / (meanUpMs + meanDownMs)) {
    const end = t + exp(meanDownMs);
    spans.push([Math.round(t), Math.round(Math.min(end, to))]);
    t = end;
  }
  while (t < to) {
    t += exp(meanUpMs);
    if (t >= to) break;
    const end = t + exp(meanDownMs);
    spans.push([Math.round(t), Math.round(Math.min(end, to))]);
    t = end;
  }
  return spans;
}

/** Parts of `a` not in `b` (both sorted and disjoint, e.g. from `union`). */
export function subtract(a: readonly Span[], b: readonly Span[]): Span[] {
  const out: Span[] = [];
  let j = 0;
  for (const [from, to] of a) {
    let start = from;
    while (j < b.length && b[j]![1] <= start) j++;
    for (let k = j; k < b.length && b[k]![0] < to; k++) {
      if (b[k]![0] > start) out.push([start, b[k]![0]]);
      start = Math.max(start, b[k]![1]);
    }
    if (start < to) out.push([start, to]);
  }
  return out;
}

/** Parts of `a` inside `b` (both sorted and disjoint). */
export function intersect(a: readonly Span[], b: readonly Span[]): Span[] {
  const out: Span[] = [];
  let i = 0;
  let j = 0;
  while (i < a.length && j < b.length) {
    const lo = Math.max(a[i]![0], b[j]![0]);
    const hi = Math.min(a[i]![1], b[j]![1]);
    if (hi > lo) out.push([lo, hi]);
    if (a[i]![1] < b[j]![1]) i++;
    else j++;
  }
  return out;
}

export function totalMs(spans: readonly Span[]): number {
  let sum = 0;
  for (const [a, b] of spans) sum += b - a;
  return sum;
}
