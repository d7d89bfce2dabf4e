/**
 * Evaluating a criteria set over a year of 300 devices (issue 10: "well under a second").
 *
 * A hub in-process (fake clock, temp data dir) gets 10 villages with their sites and 300 devices of every
 * kind, and a year of uptime record: per device ~70 outages (MTBF 120 h, seeded), and a tenth of them
 * flapping daily (5 short drops a day), i.e. the record a year of 30 s heartbeats leaves. Then, timed:
 *   baseline  — uptime.fleet over the year for the 300 devices (the uptime arithmetic alone);
 *   evaluate  — CriteriaService.evaluate of Thanh Hóa 1829/2023 (37 rows) over the year, in-process;
 *   http      — GET /api/criteria-sets/thanh-hoa-1829-2023/evaluation?period=2025 (JSON, evidence included);
 *   breakdown — GET …/breakdown?by=village (10 evaluations sharing one gathering).
 * Usage: npx tsx test/bench/criteria-eval.ts [--runs 7]
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { namedPeriod } from '../../hub/src/criteria/period.ts';
import { type Clock, ensureFirstAdmin, type StartedHub, startHub } from '../../hub/src/index.ts';

/** The bench's admin token is the first admin's personal API token (HUB_ADMIN_TOKEN only creates that admin). */
async function withBenchAdmin(hub: StartedHub): Promise<StartedHub> {
  await ensureFirstAdmin(hub.app, {
    username: 'bench',
    password: 'bench-admin-password',
    token: hub.adminToken,
  });
  return hub;
}

const DEVICES = 300;
const VILLAGES = 10;
const H = 3_600_000;
const runs = Number(process.argv[process.argv.indexOf('--runs') + 1]) || 7;
const year = namedPeriod('2025');

let seed = 2025;
const rand = () => {
  seed = (seed * 1103515245 + 12345) & 0x7fffffff;
  return seed / 0x7fffffff;
};

const KINDS = ['wifi', 'camera', 'loudspeaker', 'pc', 'conference', 'kiosk'] as const;
const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)]!;

async function main() {
  const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'criteria-bench-'));
  const clock: Clock & { t: number } = {
    t: year.from,
    now() {
      return this.t;
    },
  };
  const hub = await withBenchAdmin(
    await startHub(
      {
        dataDir,
        httpHost: '127.0.0.1',
        mqttHost: '127.0.0.1',
        httpPort: 0,
        mqttPort: 0,
        adminToken: 'bench-admin-token-0123456789',
        logLevel: 'silent',
      },
      { clock },
    ),
  );
  const { registry, uptime, coverage, criteria } = hub.app;
  try {
    registry.places.addCommune({ id: 'xa-bench', name: 'Xã Bench', province: 'Thanh Hóa' });
    for (let v = 1; v <= VILLAGES; v++) {
      registry.places.addVillage({ id: `thon-${v}`, name: `Thôn ${v}`, communeId: 'xa-bench' });
      registry.places.addSite({
        id: `nvh-${v}`,
        name: `Nhà văn hóa thôn ${v}`,
        villageId: `thon-${v}`,
        locationType: 'cultural_house',
      });
    }
    registry.places.addSite({
      id: 'ubnd',
      name: 'UBND xã',
      villageId: 'thon-1',
      locationType: 'commune_office',
    });
    let segments = 0;
    const t0 = Date.now();
    for (let i = 0; i < DEVICES; i++) {
      const kind = KINDS[i % KINDS.length]!;
      const atOffice = kind === 'pc' || kind === 'conference';
      const v = atOffice ? 1 : (i % VILLAGES) + 1;
      const id = `b-${kind}-${String(i).padStart(3, '0')}`;
      registry.create(
        {
          id,
          kind,
          name: `Thiết bị ${i}`,
          village: `thon-${v}`,
          site: atOffice ? 'ubnd' : `nvh-${v}`,
          intervalS: 30,
        },
        year.from,
        { secret: 'x', hash: 'x' },
      );
      const record = registry.get(id)!;
      // Up-spans between outages; a tenth of the devices also flap five times a day.
      const flapping = i % 10 === 0;
      let t = year.from;
      while (t < year.to) {
        const upFor = flapping ? (rand() * 4 + 2) * H : -Math.log(1 - rand()) * 120 * H;
        const end = Math.min(year.to, t + upFor);
        coverage.addHeartbeat(record.id, t, end - t);
        segments++;
        t = end + (flapping ? (rand() * 10 + 2) * 60_000 : (rand() * 60 + 20) * 60_000);
      }
    }
    coverage.flush();
    const setupMs = Date.now() - t0;
    clock.t = year.to + H;
    criteria.addEntry('thanh-hoa-1829-2023', {
      type: 'input',
      target: 'cbcc',
      period: '2025',
      value: 50,
      evidence: { text: 'bench' },
      by: 'bench',
    });

    const time = async (fn: () => unknown | Promise<unknown>) => {
      await fn(); // warm-up
      const xs: number[] = [];
      for (let r = 0; r < runs; r++) {
        const s = performance.now();
        await fn();
        xs.push(performance.now() - s);
      }
      return { median: median(xs), min: Math.min(...xs), max: Math.max(...xs) };
    };
    const records = registry.list();
    const baseline = await time(() => uptime.fleet(records, { start: year.from, end: year.to }));
    const evaluate = await time(() => criteria.evaluate('thanh-hoa-1829-2023', year));
    let bytes = 0;
    const http = await time(async () => {
      const res = await fetch(`${hub.httpUrl}/api/criteria-sets/thanh-hoa-1829-2023/evaluation?period=2025`, {
        headers: { authorization: `Bearer ${hub.adminToken}` },
      });
      bytes = (await res.arrayBuffer()).byteLength;
      if (res.status !== 200) throw new Error(`HTTP ${res.status}`);
    });
    const breakdown = await time(async () => {
      const res = await fetch(
        `${hub.httpUrl}/api/criteria-sets/thanh-hoa-1829-2023/breakdown?period=2025&by=village`,
        { headers: { authorization: `Bearer ${hub.adminToken}` } },
      );
      await res.arrayBuffer();
    });
    const e = criteria.evaluate('thanh-hoa-1829-2023', year);
    const r = (x: { median: number; min: number; max: number }) =>
      `median ${x.median.toFixed(1)} ms (${x.min.toFixed(1)}–${x.max.toFixed(1)})`;
    console.log(
      JSON.stringify({ devices: DEVICES, segments, setupMs, runs, rows: e.rows.length, jsonBytes: bytes }),
    );
    console.log(`baseline uptime.fleet (300 devices, year): ${r(baseline)}`);
    console.log(`evaluate 1829/2023 in-process:           ${r(evaluate)}`);
    console.log(`GET …/evaluation?period=2025:            ${r(http)}  (${(bytes / 1024).toFixed(0)} KiB)`);
    console.log(`GET …/breakdown?by=village:              ${r(breakdown)}`);
    console.log(
      `4.5 = ${e.rows.find((x) => x.code === '4.5')!.result}, 4.3 = ${e.rows.find((x) => x.code === '4.3')!.result}`,
    );
  } finally {
    await hub.close();
    fs.rmSync(dataDir, { recursive: true, force: true });
  }
}

await main();
