/**
 * Where a CPU profile's time went:
 *   `npx tsx test/bench/profile-summary.ts <file.cpuprofile> [top] [--lastMs=N] [--skipLastMs=M] [--inclusive=hub/src]`
 * Prints self time by function and by owner (hub module, or npm package) — enough to name the biggest
 * cost without opening DevTools. `--lastMs=N` keeps only the samples of the profile's last N ms (the
 * saturation window of a bench, without boot and provisioning); `--skipLastMs=M` ends that window M ms
 * before the profile's end (the devices' disconnects and the hub's stop). `--inclusive=<url part>` adds the
 * inclusive time (self plus callees, each function once per sample) of the functions whose file matches.
 */
import { readFileSync } from 'node:fs';

interface ProfileNode {
  id: number;
  callFrame: { functionName: string; url: string; lineNumber: number };
  children?: number[];
}
interface Profile {
  nodes: ProfileNode[];
  samples: number[];
  timeDeltas: number[];
}

const args = process.argv.slice(2);
const flag = (name: string) => args.find((a) => a.startsWith(`--${name}=`))?.slice(name.length + 3);
const positional = args.filter((a) => !a.startsWith('--'));
const file = positional[0];
const top = Number(positional[1] ?? 25);
const lastMs = Number(flag('lastMs') ?? 0);
const skipLastMs = Number(flag('skipLastMs') ?? 0);
const inclusiveOf = flag('inclusive');
if (!file) throw new Error('usage: tsx test/bench/profile-summary.ts <file.cpuprofile> [top] [--lastMs=N]');
const profile = JSON.parse(readFileSync(file, 'utf8')) as Profile;
const byId = new Map(profile.nodes.map((n) => [n.id, n]));
const parent = new Map<number, number>();
for (const n of profile.nodes) for (const c of n.children ?? []) parent.set(c, n.id);

// Sample i happened at the sum of the deltas up to i; keep those in the last `lastMs` of the profile.
const at: number[] = [];
let clock = 0;
for (const d of profile.timeDeltas) {
  clock += d;
  at.push(clock);
}
const to = clock - skipLastMs * 1000;
const from = lastMs > 0 ? to - lastMs * 1000 : Number.NEGATIVE_INFINITY;

function owner(url: string): string {
  if (!url) return '(native / idle / gc)';
  const pkg = /node_modules\/((?:@[^/]+\/)?[^/]+)/.exec(url);
  if (pkg) return pkg[1]!;
  const ours =
    /\/work\/[^/]+\/([^/]+\/(?:src|dist)\/[^/]+)/.exec(url) ?? /(hub\/(?:src|dist)\/[^/]+)/.exec(url);
  if (ours) return ours[1]!;
  if (url.startsWith('node:')) return url;
  return url.replace(/^file:\/\//, '');
}
const nameOf = (frame: ProfileNode['callFrame']) =>
  `${frame.functionName || '(anonymous)'} ${owner(frame.url)}:${frame.lineNumber + 1}`;

const selfUs = new Map<number, number>();
const inclusive = new Map<string, number>();
for (const [i, id] of profile.samples.entries()) {
  if (at[i]! < from || at[i]! > to) continue;
  const us = profile.timeDeltas[i] ?? 0;
  selfUs.set(id, (selfUs.get(id) ?? 0) + us);
  if (inclusiveOf === undefined) continue;
  const seen = new Set<string>();
  for (let node: number | undefined = id; node !== undefined; node = parent.get(node)) {
    const frame = byId.get(node)!.callFrame;
    if (!frame.url.includes(inclusiveOf)) continue;
    const name = nameOf(frame);
    if (seen.has(name)) continue;
    seen.add(name);
    inclusive.set(name, (inclusive.get(name) ?? 0) + us);
  }
}
let total = 0;
let idle = 0;
for (const [id, us] of selfUs) {
  total += us;
  if (byId.get(id)!.callFrame.functionName === '(idle)') idle += us;
}

const byFunction = new Map<string, number>();
const byOwner = new Map<string, number>();
for (const [id, us] of selfUs) {
  const frame = byId.get(id)!.callFrame;
  const name = nameOf(frame);
  byFunction.set(name, (byFunction.get(name) ?? 0) + us);
  byOwner.set(owner(frame.url), (byOwner.get(owner(frame.url)) ?? 0) + us);
}
const print = (title: string, map: Map<string, number>) => {
  process.stdout.write(
    `\n${title} (total ${(total / 1e6).toFixed(1)} s sampled, ${(idle / 1e6).toFixed(1)} s idle)\n`,
  );
  for (const [name, us] of [...map].sort((a, b) => b[1] - a[1]).slice(0, top)) {
    process.stdout.write(
      `${((us / total) * 100).toFixed(1).padStart(5)}%  ${(us / 1e3).toFixed(0).padStart(7)} ms  ${name}\n`,
    );
  }
};
print('self time by owner', byOwner);
print('self time by function', byFunction);
if (inclusiveOf !== undefined) print(`inclusive time of functions in ${inclusiveOf}`, inclusive);
