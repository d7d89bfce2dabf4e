import type { StartedHub } from '@commune-hub/hub';
import { buildPlan, hubView, maintenanceSpans, type Scenario, type Truth } from '@commune-hub/simulators';
import { firstSlotFrom, slotTime } from '../../simulators/src/heartbeat.ts';
// The slot arithmetic and the truth recorder are the backfill's own (not part of the package's API).
import { deviceClock } from '../../simulators/src/timeline/generate.ts';
import { TruthRecorder } from '../../simulators/src/truth/recorder.ts';

/** The commune every criteria test registers its villages under. */
export const COMMUNE = { id: 'hoang-kim', name: 'Xã Hoàng Kim', province: 'Thanh Hóa' };

async function post(hub: StartedHub, path: string, body: unknown): Promise<unknown> {
  const res = await fetch(`${hub.httpUrl}${path}`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', authorization: `Bearer ${hub.adminToken}` },
    body: JSON.stringify(body),
  });
  if (res.status >= 300) throw new Error(`POST ${path}: ${res.status} ${await res.text()}`);
  return res.json();
}

/**
 * Registers the scenario's commune, villages, sites and devices through the REST API, as an installer
 * would (the simulator only provisions devices, by village name).
 */
export async function registerScenario(hub: StartedHub, scenario: Scenario): Promise<void> {
  await post(hub, '/api/communes', COMMUNE);
  for (const v of scenario.villages) await post(hub, '/api/villages', { ...v, communeId: COMMUNE.id });
  for (const s of scenario.spec.sites ?? [])
    await post(hub, '/api/sites', {
      id: s.id,
      name: s.name,
      villageId: s.village,
      locationType: s.locationType,
    });
  for (const d of scenario.devices) {
    await post(hub, '/api/devices', {
      id: d.id,
      kind: d.kind,
      name: d.name,
      village: d.village,
      ...(d.siteId && { site: d.siteId }),
      intervalS: d.intervalS,
    });
  }
}

/**
 * Backfills [from, to) of the scenario into the hub's uptime record without the wire: every heartbeat the
 * MQTT backfill would send (same slots, jitter, device clocks, outages, power cuts, flapping, maintenance)
 * goes to `uptime.recordHeartbeat`, which is what ingest calls for each accepted heartbeat. A year of
 * Hoàng Kim is ≈ 80 M heartbeats: through MQTT at the hub's 500/s per-client limit that is hours, and
 * test/e2e/backfill-uptime.test.ts already proves the wire path gives the same record. Returns the truth.
 */
export async function backfillRecord(
  hub: StartedHub,
  scenario: Scenario,
  from: number,
  to: number,
): Promise<Truth> {
  const plan = buildPlan(scenario, { from, to });
  const recorder = new TruthRecorder({
    scenario: scenario.name,
    commune: scenario.commune,
    seed: scenario.seed,
    mode: 'backfill',
    from,
    speed: 1,
  });
  for (const c of plan.powerCuts) recorder.powerCut(c.villageId, c.from, c.to);
  const { registry, uptime, coverage } = hub.app;
  for (const p of plan.devices) {
    // Let the hub's timers and sockets run between devices (the loop below is synchronous).
    await new Promise((r) => setImmediate(r));
    const id = p.device.id;
    recorder.addDevice(p);
    for (const s of p.segments) recorder.state(id, s.from, s.state, s.cause);
    const record = registry.get(id);
    if (!record) throw new Error(`device ${id} is not registered`);
    let seg = 0;
    for (let k = firstSlotFrom(p, from) - 1, kMax = firstSlotFrom(p, to) + 1; k <= kMax; k++) {
      const t = slotTime(p, scenario.seed, k);
      if (t < from || t >= to) continue;
      while (seg < p.segments.length - 1 && p.segments[seg + 1]!.from <= t) seg++;
      if (p.segments[seg]!.state !== 'up') continue;
      const ts = deviceClock(p, t, from);
      uptime.recordHeartbeat(record, ts);
      recorder.heartbeat(id, ts);
    }
  }
  coverage.flush();
  return recorder.finish(to);
}

/** Tells the hub of the scenario's maintenance windows (as an operator would with POST /api/maintenance). */
export function registerMaintenance(hub: StartedHub, truth: Truth): void {
  for (const d of truth.devices) {
    for (const [a, b] of maintenanceSpans(d)) hub.app.maintenance.add(d.id, a, b, 'bảo trì định kỳ');
  }
}

/**
 * Hoàng Kim with every heartbeat interval ten times longer (30 s → 300 s, 60 s → 600 s): a year is then
 * ≈ 9 M heartbeats instead of ≈ 80 M, about half a minute to backfill. The failure models, the uptime
 * rule and the ground truth are unchanged; only outages shorter than the grace (2.5 intervals) vanish.
 */
export function sparse(yaml: string): string {
  return yaml
    .replaceAll('    intervalS: 30\n', '    intervalS: 300\n')
    .replace('    name: Máy tính cán bộ {n}\n', '    name: Máy tính cán bộ {n}\n    intervalS: 600\n')
    .replace(
      '    name: Máy tra cứu thủ tục hành chính\n',
      '    name: Máy tra cứu thủ tục hành chính\n    intervalS: 600\n',
    )
    .replace(
      '    name: Máy đánh giá sự hài lòng\n',
      '    name: Máy đánh giá sự hài lòng\n    intervalS: 600\n',
    )
    .replace('    name: Máy quét CCCD\n', '    name: Máy quét CCCD\n    intervalS: 600\n')
    .replace(
      '    name: Điểm cầu hội nghị truyền hình\n',
      '    name: Điểm cầu hội nghị truyền hình\n    intervalS: 600\n',
    );
}

/** The ground truth applied to a rule: devices whose uptime (as a correct hub counts it) meets `minPercent`. */
export function truthCounted(
  truth: Truth,
  from: number,
  to: number,
  select: (d: Truth['devices'][number]) => boolean,
  minPercent: number,
): string[] {
  return truth.devices
    .filter(select)
    .filter((d) => {
      const v = hubView(d, from, to, {
        hubRunning: [[from, to]],
        maintenance: maintenanceSpans(d),
        createdAt: from,
      });
      const measured = v.upMs + v.downMs;
      return measured > 0 && v.upMs > 0 && (v.upMs / measured) * 100 >= minPercent;
    })
    .map((d) => d.id)
    .sort();
}
