import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { StartedHub } from '@commune-hub/hub';
import type { CriterionResult, Evaluation } from '@commune-hub/protocol';
import { parseScenario, SCENARIOS_DIR, type Scenario, type Truth } from '@commune-hub/simulators';
import { afterEach, describe, expect, it } from 'vitest';
import {
  backfillRecord,
  registerMaintenance,
  registerScenario,
  sparse,
  truthCounted,
} from '../support/criteria-world.ts';
import { startTestHub } from '../support/hub.ts';

// Local year 2025 in Vietnam time: the annex's "Năm 2025".
const from = Date.parse('2025-01-01T00:00:00+07:00');
const to = Date.parse('2026-01-01T00:00:00+07:00');
const SET = 'thanh-hoa-1829-2023';
const PUBLIC = [
  'ubnd',
  'nvh-1',
  'nvh-2',
  'nvh-3',
  'nvh-4',
  'nvh-5',
  'nvh-6',
  'th',
  'thcs',
  'mn',
  'tyt',
  'chua',
  'cho',
];

/** Hoàng Kim with three wifi points down most of the year, one borderline, and hk-cam-25 repaired. */
function variant(): Scenario {
  let text = sparse(readFileSync(join(SCENARIOS_DIR, 'hoang-kim.yaml'), 'utf8'));
  const neverUp =
    '  neverUp:\n    # Installed in 2020, broken since: still on the inventory.\n    - { ids: [hk-cam-25] }\n';
  if (!text.includes(neverUp)) throw new Error('hoang-kim.yaml changed: update the variant');
  text = text.replace(neverUp, '');
  text = text.replace(
    '  flapping:\n',
    `  flapping:
    - select: { ids: [hk-wifi-03, hk-wifi-06, hk-wifi-10] }
      episodeEveryH: 24
      episodeMin: 1440
      downS: [1800, 5400]
      upS: [300, 2400]
    - select: { ids: [hk-wifi-08] }
      episodeEveryH: 24
      episodeMin: 1440
      downS: [120, 400]
      upS: [1200, 3600]
`,
  );
  return parseScenario(text, 'hoang-kim-variant.yaml');
}

interface World {
  hub: StartedHub;
  truth: Truth;
  clock: { t: number; now(): number };
}

async function yearOf(scenario: Scenario): Promise<World> {
  const clock = {
    t: from,
    now() {
      return this.t;
    },
  };
  const hub = await startTestHub({ criteriaDebounceMs: 0 }, { clock });
  await registerScenario(hub, scenario);
  const truth = await backfillRecord(hub, scenario, from, to);
  registerMaintenance(hub, truth);
  // The hub ran the whole year: time nothing vouches for is downtime, not unknown.
  clock.t = to + 3_600_000;
  return { hub, truth, clock };
}

async function api<T>(
  hub: StartedHub,
  path: string,
  init?: { method: string; body: unknown },
): Promise<{ status: number; body: T }> {
  // One retry: after the long synchronous backfill the hub may close an idle keep-alive socket under us.
  const once = () =>
    fetch(`${hub.httpUrl}${path}`, {
      headers: { authorization: `Bearer ${hub.adminToken}` },
      ...(init && {
        method: init.method,
        headers: { 'content-type': 'application/json', authorization: `Bearer ${hub.adminToken}` },
        body: JSON.stringify(init.body),
      }),
    });
  const res = await once().catch(once);
  return { status: res.status, body: (await res.json()) as T };
}

const row = (e: Evaluation, code: string): CriterionResult => {
  const r = e.rows.find((x) => x.code === code);
  if (!r) throw new Error(`no row ${code}`);
  return r;
};

async function enterOfficials(hub: StartedHub, n: number) {
  const res = await api(hub, `/api/criteria-sets/${SET}/manual-inputs`, {
    method: 'POST',
    body: {
      type: 'input',
      target: 'cbcc',
      period: '2025',
      value: n,
      evidence: { docNumber: '15/QĐ-UBND', docDate: '2025-01-02', text: 'Quyết định giao biên chế năm 2025' },
      by: 'Lê Thị Hoa',
    },
  });
  expect(res.status).toBe(201);
}

describe('criteria over a backfilled year of Hoàng Kim', { timeout: 600_000 }, () => {
  let world: World | undefined;
  afterEach(async () => {
    await world?.hub.close();
    world = undefined;
  });

  it('gives the annex results of 2023: 14 wifi points, the cameras that work, 4.4 and 4.7 Có, 4.3 100 %', async () => {
    world = await yearOf(
      parseScenario(sparse(readFileSync(join(SCENARIOS_DIR, 'hoang-kim.yaml'), 'utf8')), 'hoang-kim.yaml'),
    );
    const { hub, truth } = world;
    await enterOfficials(hub, 21);
    const { status, body: e } = await api<Evaluation>(
      hub,
      `/api/criteria-sets/${SET}/evaluation?period=2025`,
    );
    expect(status).toBe(200);
    expect(e.period).toMatchObject({ kind: 'year', label: 'Năm 2025' });
    expect(e.rows).toHaveLength(37);
    expect(e.commune).toMatchObject({ id: 'hoang-kim', province: 'Thanh Hóa' });

    const wifi = row(e, '4.5');
    expect(wifi.result).toBe('14 điểm');
    expect(wifi.assessment).toBe('dat');
    expect(wifi.evidence.counted.map((d) => d.id).sort()).toEqual(
      truthCounted(truth, from, to, (d) => d.kind === 'wifi' && PUBLIC.includes(d.siteId ?? ''), 90),
    );
    const w = wifi.evidence.counted.find((d) => d.id === 'hk-wifi-03')!;
    expect(w).toMatchObject({
      village: 'Thôn 1',
      formerCommune: 'Xã Hoàng Kim',
      locationType: 'cultural_house',
      counted: true,
    });
    expect(w.uptimePercent).toBeGreaterThan(90);
    expect(Date.parse(w.firstSeen!)).toBeLessThan(from + 86_400_000);
    expect(Date.parse(w.lastSeen!)).toBeGreaterThan(to - 86_400_000);

    // hk-cam-25 is "installed in 2020, broken since" in the scenario: the truth says 24 work.
    const cams = row(e, '4.6');
    const camTruth = truthCounted(truth, from, to, (d) => d.kind === 'camera', 90);
    expect(camTruth).toHaveLength(24);
    expect(cams.result).toBe('24 camera');
    expect(cams.evidence.counted.map((d) => d.id).sort()).toEqual(camTruth);
    expect(cams.evidence.notCounted.map((d) => [d.id, d.reason, d.reasonLabel])).toEqual([
      ['hk-cam-25', 'no_data', 'Không có dữ liệu hoạt động trong kỳ'],
    ]);

    expect(row(e, '4.4')).toMatchObject({ result: 'Có', assessment: 'dat' });
    const loa = row(e, '4.7');
    expect(loa).toMatchObject({ result: 'Có', assessment: 'dat' });
    expect(loa.evidence.coverage.map((u) => u.covered)).toEqual([true, true, true, true, true, true]);
    const pcs = row(e, '4.3');
    expect(pcs).toMatchObject({ result: '100%', assessment: 'dat' });
    expect(pcs.measured).toMatchObject({ numerator: 21, denominator: 21, value: 100 });
    expect(pcs.inputs[0]).toMatchObject({ target: 'cbcc', value: 21, by: 'Lê Thị Hoa' });
    // Manual rows wait for their values.
    expect(row(e, '1.1')).toMatchObject({ result: '', assessment: 'chua_danh_gia', source: 'missing' });

    // Breakdown by village: Thôn 3 holds the commune office's two wifi points and the health station's.
    const bd = await api<{ units: Array<{ id: string; cells: Array<{ code: string; value: number }> }> }>(
      hub,
      `/api/criteria-sets/${SET}/breakdown?period=2025&by=village`,
    );
    expect(bd.status).toBe(200);
    const sum = bd.body.units.reduce((n, u) => n + u.cells.find((c) => c.code === '4.5')!.value, 0);
    expect(sum).toBe(14);
  });

  it('counts exactly the wifi points that met the uptime rule when some are down most of the year (and 25 cameras once hk-cam-25 works)', async () => {
    world = await yearOf(variant());
    const { hub, truth } = world;
    const { body: e } = await api<Evaluation>(hub, `/api/criteria-sets/${SET}/evaluation?period=2025`);
    const expected = truthCounted(
      truth,
      from,
      to,
      (d) => d.kind === 'wifi' && PUBLIC.includes(d.siteId ?? ''),
      90,
    );
    expect(expected).not.toContain('hk-wifi-03');
    expect(expected.length).toBeLessThanOrEqual(11);
    const wifi = row(e, '4.5');
    expect(wifi.result).toBe(`${expected.length} điểm`);
    expect(wifi.evidence.counted.map((d) => d.id).sort()).toEqual(expected);
    for (const d of wifi.evidence.notCounted) {
      expect(d.reason).toBe('uptime_below_min');
      expect(d.uptimePercent).toBeLessThan(90);
    }
    expect(row(e, '4.6').result).toBe('25 camera');
  });
});
