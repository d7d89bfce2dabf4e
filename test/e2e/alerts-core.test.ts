import type { StartedHub } from '@commune-hub/hub';
import type { Alert, DeviceView } from '@commune-hub/protocol';
import { createLogger, type LiveHandle, loadScenario, runLive } from '@commune-hub/simulators';
import { afterEach, describe, expect, it } from 'vitest';
import { connectDevice, type TestDevice } from '../support/device.ts';
import { authHeaders, provision, startTestHub, TEST_TOKEN } from '../support/hub.ts';

/**
 * Issue 11 acceptance for alerting's core: the real hub, real MQTT, the Hoàng Kim simulator. Hub and
 * simulator share one injected clock that runs SCALE× faster than real time (its timers too), so the
 * rules' minutes and a Tết night pass in seconds while every heartbeat still travels over MQTT.
 */
const SCALE = 20;
const MIN = 60_000;
const scenario = loadScenario('hoang-kim');

function acceleratedClock(startAt: number) {
  const r0 = Date.now();
  return {
    now: () => startAt + (Date.now() - r0) * SCALE,
    setTimeout: (fn: () => void, ms: number) => setTimeout(fn, ms / SCALE),
    clearTimeout: (h: unknown) => clearTimeout(h as NodeJS.Timeout),
  };
}

interface Notice {
  kind: string;
  title: string;
  cause: string;
  channelIds: string[];
  at: number;
}

let running: { hub: StartedHub; sim: LiveHandle; extra: TestDevice[]; timers: NodeJS.Timeout[] } | undefined;

afterEach(async () => {
  if (!running) return;
  for (const t of running.timers) clearInterval(t);
  for (const d of running.extra) d.client.end(true);
  await running.sim.stop().catch(() => undefined);
  await running.hub.close();
  running = undefined;
});

async function start(startAt: number) {
  const clock = acceleratedClock(startAt);
  const hub = await startTestHub({ livenessSweepMs: 10, alertsTickMs: 20 }, { clock });
  const notices: Notice[] = [];
  hub.app.events.on('alert.notify', (e) =>
    notices.push({
      kind: e.kind,
      title: e.alert.title,
      cause: e.alert.cause,
      channelIds: e.channelIds,
      at: e.at,
    }),
  );
  const sim = await runLive({
    scenario,
    hubUrl: hub.httpUrl,
    mqttUrl: hub.mqttUrl,
    adminToken: hub.adminToken,
    failures: false,
    clock,
    logger: createLogger('silent'),
  });
  running = { hub, sim, extra: [], timers: [] };
  const api = async <T>(method: string, path: string, body?: unknown): Promise<T> => {
    const res = await fetch(`${hub.httpUrl}${path}`, {
      method,
      headers: {
        authorization: `Bearer ${TEST_TOKEN}`,
        ...(body ? { 'content-type': 'application/json' } : {}),
      },
      body: body ? JSON.stringify(body) : undefined,
    });
    const text = await res.text();
    if (res.status >= 300) throw new Error(`${method} ${path}: ${res.status} ${text}`);
    return (text ? JSON.parse(text) : undefined) as T;
  };
  // A webhook channel on a loopback port that refuses: delivery is the other part's; here we count `alert.notify`.
  await api('POST', '/api/alerts/channels', {
    id: 'ops',
    name: 'Tổ CNTT xã',
    kind: 'webhook',
    config: { url: 'http://127.0.0.1:9/alerts' },
  });
  const alerts = async (q = '') => (await api<{ alerts: Alert[] }>('GET', `/api/alerts?from=0${q}`)).alerts;
  const until = async <T>(
    fn: () => Promise<T | undefined | false>,
    what: string,
    timeoutMs = 60_000,
  ): Promise<T> => {
    const deadline = Date.now() + timeoutMs;
    for (;;) {
      const v = await fn();
      if (v) return v;
      if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
      await new Promise((r) => setTimeout(r, 50));
    }
  };
  const devicesOf = (villageId: string) =>
    scenario.devices.filter((d) => d.villageId === villageId).map((d) => d.id);
  return { hub, sim, clock, notices, api, alerts, until, devicesOf };
}

const offlineRule = (forMin: number, extra: Record<string, unknown> = {}) => ({
  name: `Mất kết nối quá ${forMin} phút`,
  scope: {},
  condition: { kind: 'offline_for', forMin },
  notify: { channelIds: ['ops'] },
  ...extra,
});

describe('alerts: one alert per real problem (real hub, real MQTT, Hoàng Kim simulator)', () => {
  it('a village power cut is exactly one "mất điện" alert listing its devices; power back resolves it with its duration', async () => {
    const h = await start(Date.parse('2026-12-01T02:00:00Z'));
    await h.api('POST', '/api/alerts/rules', offlineRule(3));
    await h.api('POST', '/api/alerts/rules', {
      ...offlineRule(3),
      name: 'Hoạt động kém quá 3 phút',
      condition: { kind: 'degraded_for', forMin: 3 },
    });
    const village = h.devicesOf('thon-2');
    // Loudspeakers run 4 minutes on battery (reporting powerSource: battery), the rest drop at once.
    h.sim.powerCut('thon-2', { batteryS: 240 });
    const fired = await h.until(async () => {
      const list = await h.alerts('&state=firing');
      return list.find((a) => a.cause === 'power_cut');
    }, 'the power cut alert');
    expect(fired.title).toBe('Thôn 2: mất điện');
    // Once the batteries are out every device of the village is listed.
    const full = await h.until(async () => {
      const a = (await h.alerts()).find((x) => x.id === fired.id);
      return a && a.devices.length === village.length && a;
    }, 'every device of Thôn 2 in the alert');
    expect(full.devices.map((d) => d.id).sort()).toEqual([...village].sort());
    await new Promise((r) => setTimeout(r, (5 * MIN) / SCALE)); // five more minutes
    const all = await h.alerts();
    expect(all.filter((a) => a.state !== 'pending')).toHaveLength(1);
    expect(h.notices.map((n) => `${n.kind} ${n.title}`)).toEqual(['fired Thôn 2: mất điện']);

    h.sim.powerRestore('thon-2');
    const resolved = await h.until(async () => {
      const a = (await h.alerts('&state=resolved')).find((x) => x.id === fired.id);
      return a;
    }, 'the power cut resolved');
    expect(resolved.durationS).toBe(
      Math.round((Date.parse(resolved.resolvedAt ?? '') - Date.parse(resolved.since)) / 1000),
    );
    // Fired after 3 minutes, listed every device at once (the loudspeakers on battery count), 5 more minutes.
    expect(resolved.durationS).toBeGreaterThanOrEqual(8 * 60);
    await new Promise((r) => setTimeout(r, (4 * MIN) / SCALE)); // reconnecting devices do not alert alone
    expect((await h.alerts()).filter((a) => a.cause === 'device')).toEqual([]);
    expect(h.notices.map((n) => n.kind)).toEqual(['fired', 'resolved']);
  }, 240_000);

  it('a single wifi point killed in another village is its own alert after the rule’s N minutes, not before', async () => {
    const h = await start(Date.parse('2026-12-01T02:00:00Z'));
    await h.api('POST', '/api/alerts/rules', offlineRule(5, { scope: { kinds: ['wifi'] } }));
    const wifi = scenario.devices.find((d) => d.kind === 'wifi' && d.villageId === 'thon-5')?.id ?? '';
    h.sim.kill(wifi);
    const pending = await h.until(async () => (await h.alerts('&state=pending'))[0], 'pending');
    expect(pending).toMatchObject({ cause: 'device', devices: [{ id: wifi }] });
    const since = Date.parse(pending.since);
    await h.until(async () => h.clock.now() > since + 4 * MIN, 'four minutes');
    expect((await h.alerts('&state=firing')).length).toBe(0);
    expect(h.notices).toEqual([]);
    const fired = await h.until(async () => (await h.alerts('&state=firing'))[0], 'firing');
    expect(Date.parse(fired.firedAt ?? '') - since).toBeGreaterThanOrEqual(5 * MIN);
    expect(h.notices).toMatchObject([{ kind: 'fired', cause: 'device', channelIds: ['ops'] }]);
    expect(h.notices[0]?.at).toBeGreaterThanOrEqual(since + 5 * MIN);
  }, 240_000);

  it('a gateway down with its 3 cameras is one alert; back with one camera still down, that camera fires', async () => {
    const h = await start(Date.parse('2026-12-01T02:00:00Z'));
    await h.api('POST', '/api/alerts/rules', offlineRule(3));
    const ids = ['hk-gw-6', 'hk-gcam-1', 'hk-gcam-2', 'hk-gcam-3'];
    const creds = new Map();
    for (const id of ids) {
      const gw = id === 'hk-gw-6';
      creds.set(
        id,
        await provision(h.hub, {
          id,
          kind: gw ? 'gateway' : 'camera',
          name: gw ? 'Gateway thôn 6' : `Camera ${id}`,
          village: 'Thôn 6',
          intervalS: 30,
          ...(gw ? {} : { parent: 'hk-gw-6' }),
        } as never),
      );
    }
    const live = new Map<string, TestDevice>();
    const connect = async (id: string) => live.set(id, await connectDevice(h.hub.mqttUrl, creds.get(id)));
    for (const id of ids) await connect(id);
    running?.extra.push(...live.values());
    const beat = () => {
      for (const d of live.values())
        if (d.client.connected) void d.beat({ ts: h.clock.now() }).catch(() => {});
    };
    beat();
    running?.timers.push(setInterval(beat, 30_000 / SCALE));
    await h.until(async () => {
      const list = (await (
        await fetch(`${h.hub.httpUrl}/api/devices`, { headers: authHeaders(h.hub) })
      ).json()) as DeviceView[];
      return ids.every((id) => list.find((d) => d.id === id)?.status === 'online');
    }, 'gateway and cameras online');

    for (const id of ids) live.get(id)?.kill();
    const one = await h.until(async () => (await h.alerts('&state=firing'))[0], 'the network cut alert');
    expect(one).toMatchObject({ cause: 'network_cut', title: 'Thôn 6: mất mạng' });
    expect(one.devices.map((d) => d.id).sort()).toEqual([...ids].sort());
    await new Promise((r) => setTimeout(r, (4 * MIN) / SCALE));
    expect((await h.alerts()).filter((a) => a.state !== 'pending').map((a) => a.id)).toEqual([one.id]);

    for (const id of ['hk-gw-6', 'hk-gcam-1', 'hk-gcam-2']) await connect(id);
    running?.extra.push(...live.values());
    beat();
    const camera = await h.until(
      async () => (await h.alerts('&state=firing')).find((a) => a.devices[0]?.id === 'hk-gcam-3'),
      'the camera still down fires',
    );
    expect(camera.cause).toBe('device');
    expect((await h.alerts()).find((a) => a.id === one.id)?.state).toBe('resolved');
    expect(h.notices.map((n) => `${n.kind} ${n.title}`)).toEqual([
      'fired Thôn 6: mất mạng',
      'resolved Thôn 6: mất mạng',
      `fired ${camera.title}`,
    ]);
  }, 240_000);

  it('on Tết 2027 outside office hours a kiosk going off notifies nobody; a wifi point whose rule says so does', async () => {
    // 03:00 on 6 Feb 2027 in Hà Nội: mùng 1 Tết Đinh Mùi (date-holidays: "Tết Nguyên Đán").
    const h = await start(Date.parse('2027-02-05T20:00:00Z'));
    const tet = await h.api<Array<{ date: string; name: string }>>('GET', '/api/alerts/holidays?year=2027');
    expect(tet).toContainEqual({ date: '2027-02-06', name: 'Tết Nguyên Đán', type: 'public' });
    expect(tet.some((d) => d.date === '2027-04-16' && /Hùng Vương/.test(d.name))).toBe(true);
    await h.api('POST', '/api/alerts/schedules', {
      id: 'gio-hanh-chinh',
      name: 'Giờ hành chính',
      hours: [
        { days: [1, 2, 3, 4, 5], from: '07:30', to: '11:30' },
        { days: [1, 2, 3, 4, 5], from: '13:30', to: '17:00' },
      ],
      publicHolidays: true,
    });
    await h.api(
      'POST',
      '/api/alerts/rules',
      offlineRule(3, {
        name: 'Ki-ốt một cửa tắt',
        scope: { kinds: ['kiosk'] },
        scheduleId: 'gio-hanh-chinh',
        outsideSchedule: 'record',
      }),
    );
    await h.api(
      'POST',
      '/api/alerts/rules',
      offlineRule(3, {
        name: 'Wifi công cộng mất kết nối (cả ngày lễ)',
        scope: { kinds: ['wifi'] },
        scheduleId: 'gio-hanh-chinh',
        outsideSchedule: 'notify',
      }),
    );
    const wifi = scenario.devices.find((d) => d.kind === 'wifi' && d.villageId === 'thon-4')?.id ?? '';
    h.sim.kill('hk-kiosk-01');
    h.sim.kill(wifi);
    const firing = await h.until(async () => {
      const list = await h.alerts('&state=firing');
      return list.length === 2 && list;
    }, 'both alerts firing');
    const kiosk = firing.find((a) => a.devices[0]?.id === 'hk-kiosk-01');
    expect(kiosk).toMatchObject({ silenced: true, silencedBy: 'outside_schedule', notifyCount: 0 });
    await new Promise((r) => setTimeout(r, (3 * MIN) / SCALE));
    expect(h.notices.map((n) => `${n.kind} ${n.title}`)).toEqual([
      `fired ${firing.find((a) => a !== kiosk)?.title}`,
    ]);
  }, 240_000);
});
