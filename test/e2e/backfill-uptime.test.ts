import { execFile } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import type { StartedHub } from '@commune-hub/hub';
import type { DeviceUptime } from '@commune-hub/protocol';
import {
  buildPlan,
  hubView,
  loadScenario,
  maintenanceSpans,
  provisionDevices,
  readTruth,
  type TruthDevice,
  truthOfPlan,
  writeCredentials,
} from '@commune-hub/simulators';
import { afterAll, describe, expect, it } from 'vitest';
import { getJson, startTestHub, TEST_TOKEN } from '../support/hub.ts';

/**
 * Issue 5 acceptance: Hoàng Kim, backfilled over 90 days with its seed into a real hub (embedded store),
 * gives per device the uptime the ground truth says, within one heartbeat interval.
 *
 * Subset. All 79 devices × 90 days is ≈ 16 M heartbeats (~20 min here), so the test backfills nine
 * devices, ≈ 1.4 M heartbeats: one of every kind, all in Thôn 3 so the village's 9 power cuts hit every
 * one of them together — hk-wifi-12 (4G flapping, monthly maintenance, outages), hk-cam-24 (clock 10 s
 * ahead drifting 20 ppm, outages), hk-cam-25 (never up), hk-loa-05 (outages; on battery for 2 h of each
 * cut), hk-pc-01 (silent outages), kiosk, rating machine, ID-card reader, video conference. The plan is
 * built for the whole scenario and then filtered (`ids`), so these histories are exactly those of a full
 * run.
 *
 * What is compared, and why. The hub cannot know what it never heard: it counts a second as up when a
 * heartbeat vouches for it, as down when it was running and heard nothing, as unknown when it was not
 * running and nothing covers it, and leaves out maintenance it was told of and time before the device
 * was provisioned. The truth's real down time (`deviceUptime`) includes stretches the hub could only call
 * unknown, and its real up time differs from any heartbeat-based count by the grace after each outage.
 * So the honest comparison is `hubView`: the truth's coverage (the heartbeats the device really sent and
 * the broker acknowledged, each vouching for [ts, ts + 2.5 × interval)) classified by the hub's rules
 * with the hub's real history — computed by the simulator independently of the hub's own store. To make
 * all four quantities non-trivial the hub's history is: provisioned at the start of the window (clock
 * injected), running for its first 30 days without hearing anything live (a commune whose uplink was
 * cut: the agents buffered), stopped for the other 60 days, then restarted on the real clock to receive
 * the whole 90 days as late buffered heartbeats. Expected: up = coverage; down = uncovered time in the
 * first 30 days; unknown = uncovered time in the last 60; maintenance = the windows posted at
 * provisioning. As a sanity bound on the truth itself, the hub's up time also stays within one grace
 * (plus clock skew) per outage of the device's real up time.
 */
const execFileAsync = promisify(execFile);
const ROOT = fileURLToPath(new URL('../..', import.meta.url));
/** tsx as a loader of this very node, so no npm/npx wrapper process sits in between. */
const TSX = ['--import', 'tsx'];

describe('backfill of Hoàng Kim × 90 days: the hub’s uptime equals the ground truth', () => {
  const scenario = loadScenario('hoang-kim');
  const ids = [
    'hk-wifi-12',
    'hk-cam-24',
    'hk-cam-25',
    'hk-loa-05',
    'hk-pc-01',
    'hk-kiosk-01',
    'hk-rating-01',
    'hk-cccd-01',
    'hk-vc-01',
  ];
  const DAY = 86_400_000;
  const to = Math.floor(Date.now() / 60_000) * 60_000 - 60_000;
  const from = to - 90 * DAY;
  const ranUntil = from + 30 * DAY;
  const workDir = fs.mkdtempSync(path.join(os.tmpdir(), 'backfill-uptime-'));
  const dataDir = path.join(workDir, 'hub');
  fs.mkdirSync(dataDir);
  let hub: StartedHub | undefined;
  const simulator = new AbortController();

  afterAll(async () => {
    simulator.abort();
    await hub?.close();
    fs.rmSync(workDir, { recursive: true, force: true });
  });

  it('per device: up, down, unknown and maintenance within one heartbeat interval', {
    // 1.4 M heartbeats over MQTT: 80 s on a quiet machine, 250 s on a busy one. Correctness, not speed, is tested.
    timeout: 900_000,
  }, async () => {
    // The plan alone says which maintenance windows the commune scheduled: post them at provisioning.
    const planned = truthOfPlan(buildPlan(scenario, { from, to }), scenario);
    const byId = new Map(planned.devices.map((d) => [d.id, d]));
    const devices = ids.map((id) => scenario.devices.find((d) => d.id === id)!);

    // Run 1 on an injected clock: provisioned at `from`, running until `from + 30 days`, hearing nothing.
    let t = from;
    hub = await startTestHub({ dataDir }, { clock: { now: () => t } });
    const creds = await provisionDevices({
      hubUrl: hub.httpUrl,
      adminToken: TEST_TOKEN,
      devices: devices.map((d) => ({
        id: d.id,
        kind: d.kind,
        name: d.name,
        village: d.village,
        intervalS: d.intervalS,
      })),
    });
    let windows = 0;
    for (const id of ids) {
      for (const [a, b] of maintenanceSpans(byId.get(id)!)) {
        const res = await fetch(`${hub.httpUrl}/api/maintenance`, {
          method: 'POST',
          headers: { 'content-type': 'application/json', authorization: `Bearer ${TEST_TOKEN}` },
          body: JSON.stringify({ deviceIds: [id], from: String(a), to: String(b), note: 'bảo trì định kỳ' }),
        });
        expect(res.status).toBe(201);
        windows++;
      }
    }
    expect(windows).toBeGreaterThan(0);
    t = ranUntil;
    await hub.close();
    hub = undefined;

    // Run 2 on the real clock: the whole 90 days arrive as late heartbeats, as fast as the hub takes them.
    hub = await startTestHub({ dataDir, mqttRatePerS: 100_000, mqttRateBurst: 100_000 });
    // The simulator runs as its CLI in a child process: the hub and the simulator each get a core.
    const credsFile = path.join(workDir, 'creds.json');
    const truthFile = path.join(workDir, 'truth.json');
    writeCredentials(credsFile, creds);
    const { stdout } = await execFileAsync(
      process.execPath,
      [
        ...TSX,
        'simulators/src/cli.ts',
        'hoang-kim',
        '--mode=backfill',
        `--from=${new Date(from).toISOString()}`,
        `--to=${new Date(to).toISOString()}`,
        `--ids=${ids.join(',')}`,
        `--mqtt=${hub.mqttUrl}`,
        `--credentials=${credsFile}`,
        `--truth=${truthFile}`,
        `--concurrency=${ids.length}`,
        '--rate-per-device=100000',
        '--window=500',
      ],
      {
        cwd: ROOT,
        env: { ...process.env, LOG_LEVEL: 'warn' },
        maxBuffer: 16 * 1024 * 1024,
        signal: simulator.signal,
      },
    );
    const summary = JSON.parse(stdout.trim().split('\n').at(-1)!) as {
      heartbeats: number;
      seconds: number;
      msgsPerS: number;
    };
    console.log(
      `backfill Hoàng Kim ${ids.length} devices × 90 days: ${summary.heartbeats} heartbeats in ` +
        `${summary.seconds} s = ${summary.msgsPerS} heartbeats/s`,
    );
    const truthRun = readTruth(truthFile);
    expect(summary.heartbeats).toBeGreaterThan(1_000_000);

    const truth = new Map(truthRun.devices.map((d) => [d.id, d]));
    const rows: string[] = [];
    for (const id of ids) {
      const d = truth.get(id)!;
      const got = await getJson<DeviceUptime>(hub, `/api/devices/${id}/uptime?from=${from}&to=${to}`);
      const want = hubView(d, from, to, {
        hubRunning: [[from, ranUntil]],
        maintenance: maintenanceSpans(d),
        createdAt: from,
      });
      const tolS = d.intervalS;
      rows.push(
        `${id}: hub up ${got.up_s} down ${got.down_s} unknown ${got.unknown_s} maint ${got.maintenance_s}` +
          ` | truth ${want.upMs / 1000} ${want.downMs / 1000} ${want.unknownMs / 1000} ${want.maintenanceMs / 1000}`,
      );
      expect(Math.abs(got.up_s - want.upMs / 1000), `${id} up_s`).toBeLessThanOrEqual(tolS);
      expect(Math.abs(got.down_s - want.downMs / 1000), `${id} down_s`).toBeLessThanOrEqual(tolS);
      expect(Math.abs(got.unknown_s - want.unknownMs / 1000), `${id} unknown_s`).toBeLessThanOrEqual(tolS);
      expect(got.maintenance_s, `${id} maintenance_s`).toBe(want.maintenanceMs / 1000);
      expectCloseToRealUptime(d, got, from, to);
    }
    console.log(rows.join('\n'));

    // Each Thôn 3 power cut is in the hub's record for every device of the subset: nothing up once the
    // grace of the last heartbeat before the cut has run out (loudspeakers: once their battery is flat).
    const cuts = truthRun.powerCuts.filter((c) => c.villageId === 'thon-3');
    expect(cuts.length).toBeGreaterThan(0);
    for (const cut of cuts) {
      for (const id of ids) {
        const d = truth.get(id)!;
        const battery = d.faults.find((f) => f.fault === 'on_battery' && f.from === cut.from);
        const a = (battery?.to ?? cut.from) + 2.5 * d.intervalS * 1000 + skewMs(d, to - from);
        if (a >= cut.to) continue;
        const got = await getJson<DeviceUptime>(hub, `/api/devices/${id}/uptime?from=${a}&to=${cut.to}`);
        expect(got.up_s, `${id} up during the power cut ${new Date(cut.from).toISOString()}`).toBe(0);
      }
    }
  });
});

/** How far the device's clock is off at most over the run (offset plus drift). */
function skewMs(d: TruthDevice, spanMs: number): number {
  return Math.abs(d.clockOffsetMs) + (Math.abs(d.clockPpm) * spanMs) / 1e6;
}

/**
 * The truth's coverage is itself close to what really happened: each up segment is counted from its first
 * heartbeat (at most 1.1 intervals late) to one grace after its last, so the hub's up time is within one
 * grace plus the clock skew per up segment of the device's real up time outside maintenance.
 */
function expectCloseToRealUptime(d: TruthDevice, got: DeviceUptime, from: number, to: number): void {
  let realUpMs = 0;
  let upSegments = 0;
  for (const s of d.segments) {
    if (s.state !== 'up') continue;
    upSegments++;
    realUpMs += Math.max(0, Math.min(s.to, to) - Math.max(s.from, from));
  }
  const boundS = (upSegments * (2.5 * d.intervalS * 1000 + skewMs(d, to - from))) / 1000;
  expect(Math.abs(got.up_s - realUpMs / 1000), `${d.id}: hub up vs real up`).toBeLessThanOrEqual(
    Math.max(boundS, d.intervalS),
  );
}
