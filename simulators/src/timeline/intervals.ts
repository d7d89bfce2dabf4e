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
