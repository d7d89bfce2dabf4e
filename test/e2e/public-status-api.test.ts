/**
 * The public status page's API against a real hub with the Hoàng Kim scenario: only opted-in groups
 * answer; a page carries exactly display name, status and uptime this month per device under an opaque
 * token (no id, secret, metric, seq or address anywhere in the body); a citizen's report is validated,
 * limited per IP address (a second loopback address keeps its own budget), stored and announced as
 * `publicStatus.reported`.
 */

import http from 'node:http';
import type { StartedHub } from '@commune-hub/hub';
import { HubApiError, type HubClient, type PublicReport } from '@commune-hub/protocol';
import { loadScenario } from '@commune-hub/simulators';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { registerScenario } from '../support/criteria-world.ts';
import { connectDevice, type TestDevice } from '../support/device.ts';
import { hubClient, metric, startTestHub, waitFor } from '../support/hub.ts';

const scenario = loadScenario('hoang-kim');
const wifi = scenario.devices.filter((d) => d.kind === 'wifi');
const cameras = scenario.devices.filter((d) => d.kind === 'camera');

describe('public status API (Hoàng Kim)', () => {
  let hub: StartedHub;
  let api: HubClient;
  let now = Date.parse('2026-11-20T03:00:00Z');
  const clock = { now: () => now };
  const secrets = new Map<string, string>();
  let device: TestDevice;
  const reported: PublicReport[] = [];

  beforeAll(async () => {
    hub = await startTestHub({ publicReportsPerHour: 3 }, { clock });
    api = hubClient(hub);
    await registerScenario(hub, scenario);
    // One wifi point gets a secret of its own and a live connection, so status and uptime are real.
    const creds = await api.deviceRotateSecret({ params: { id: wifi[0]!.id } });
    secrets.set(creds.id, creds.secret);
    device = await connectDevice(hub.mqttUrl, creds);
    await device.beat({ ts: now, m: { clients: 17, rssi: -61 } });
    await waitFor(
      async () => (await api.deviceGet({ params: { id: creds.id } })).status === 'online',
      'the wifi point online',
    );
    // Ten seconds of hub time later: the point has been up for all of its measurable month.
    now += 10_000;
    hub.app.events.on('publicStatus.reported', ({ report }) => reported.push(report));
    await api.publicGroupCreate({
      body: {
        slug: 'wifi-cong-cong',
        name: 'Wifi công cộng xã Hoàng Kim',
        selector: { kind: 'wifi' },
        published: true,
      },
    });
    await api.publicGroupCreate({
      body: {
        slug: 'camera-an-ninh',
        name: 'Camera an ninh',
        deviceIds: cameras.slice(0, 3).map((c) => c.id),
        published: false,
      },
    });
  }, 60_000);

  afterAll(async () => {
    device?.client.end(true);
    await hub?.close();
  });

  const raw = async (path: string, init?: RequestInit) => {
    const res = await fetch(`${hub.httpUrl}${path}`, init);
    return { status: res.status, text: await res.text(), headers: res.headers };
  };

  it('shows only opted-in groups, and only the public fields of their devices', async () => {
    const page = await raw('/api/public/status/wifi-cong-cong');
    expect(page.status).toBe(200);
    expect(page.headers.get('content-type')).toContain('charset=utf-8');
    const body = JSON.parse(page.text);
    expect(body.group).toEqual({
      slug: 'wifi-cong-cong',
      name: 'Wifi công cộng xã Hoàng Kim',
      description: '',
    });
    expect(body.period).toMatchObject({ month: 11, year: 2026, from: '2026-10-31T17:00:00.000Z' });
    expect(body.devices).toHaveLength(wifi.length);
    expect(body.devices.map((d: { name: string }) => d.name).sort()).toEqual(wifi.map((w) => w.name).sort());
    for (const d of body.devices) {
      expect(Object.keys(d).sort()).toEqual(['name', 'status', 'token', 'uptimeMonth']);
      expect(d.token).toMatch(/^[a-z2-7]{12}$/);
    }
    const live = body.devices.find((d: { name: string }) => d.name === wifi[0]!.name);
    expect(live.status).toBe('up');
    expect(live.uptimeMonth).toBe(1);

    // Nothing that identifies or measures a device beyond status and uptime, anywhere in the body.
    for (const d of scenario.devices) expect(page.text).not.toContain(`"${d.id}"`);
    for (const d of scenario.devices) expect(page.text).not.toContain(d.id);
    for (const secret of secrets.values()) expect(page.text).not.toContain(secret);
    for (const word of [
      'seq',
      'metrics',
      'clients',
      'rssi',
      'reason',
      'since',
      'lastSeen',
      'village',
      'kind',
    ])
      expect(page.text).not.toContain(`"${word}"`);
    expect(page.text).not.toMatch(/\b\d{1,3}(\.\d{1,3}){3}\b/);

    // The device page by token: the same four fields.
    const one = await raw(`/api/public/status/wifi-cong-cong/${live.token}`);
    expect(one.status).toBe(200);
    expect(JSON.parse(one.text).device).toEqual(live);
    expect(one.text).not.toContain(wifi[0]!.id);

    // Not opted in: answered exactly like a group that does not exist.
    const hidden = await raw('/api/public/status/camera-an-ninh');
    const missing = await raw('/api/public/status/khong-co');
    expect(hidden.status).toBe(404);
    expect(JSON.parse(hidden.text).code).toBe('HUB_ERR_NOT_FOUND');
    expect(missing.status).toBe(404);
    expect(hidden.text).not.toContain(cameras[0]!.id);
    // A token of a device outside the group finds nothing.
    const groups = await api.publicGroupList();
    const cameraToken = groups.find((g) => g.slug === 'camera-an-ninh')!.members[0]!.token;
    expect((await raw(`/api/public/status/wifi-cong-cong/${cameraToken}`)).status).toBe(404);
    // The admin routes need the token.
    expect((await raw('/api/public-status/groups')).status).toBe(401);

    // The group page is computed at most every 10 s of hub time: a drop shows on the next one.
    device.kill();
    await waitFor(
      async () => (await api.deviceGet({ params: { id: wifi[0]!.id } })).status === 'offline',
      'the wifi point offline',
    );
    const statusOf = async () =>
      (await api.publicStatusGroup({ params: { group: 'wifi-cong-cong' } })).devices.find(
        (d) => d.token === live.token,
      )?.status;
    expect(await statusOf()).toBe('up');
    now += 10_000;
    expect(await statusOf()).toBe('down');
    // The device's own page is never stale.
    expect(
      (await api.publicStatusDevice({ params: { group: 'wifi-cong-cong', token: live.token } })).device
        .status,
    ).toBe('down');
  });

  it('publishing and unpublishing a group takes effect at once', async () => {
    const group = (await api.publicGroupList()).find((g) => g.slug === 'camera-an-ninh')!;
    const input = { slug: group.slug, name: group.name, deviceIds: group.deviceIds!, published: true };
    await api.publicGroupUpdate({ params: { group: 'camera-an-ninh' }, body: input });
    const shown = await api.publicStatusGroup({ params: { group: 'camera-an-ninh' } });
    expect(shown.devices.map((d) => d.name)).toEqual(cameras.slice(0, 3).map((c) => c.name));
    await api.publicGroupUpdate({
      params: { group: 'camera-an-ninh' },
      body: { ...input, published: false },
    });
    await expect(api.publicStatusGroup({ params: { group: 'camera-an-ninh' } })).rejects.toMatchObject({
      status: 404,
    });
  });

  it('validates a report, limits it per IP address, stores it and announces it for the feed', async () => {
    const token = (await api.publicStatusGroup({ params: { group: 'wifi-cong-cong' } })).devices[0]!.token;
    const post = (body: unknown) =>
      raw('/api/public/status/wifi-cong-cong/reports', {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify(body),
      });
    /** The same POST sent from another loopback address (fetch cannot choose its source address). */
    const postFrom = (localAddress: string, body: unknown) =>
      new Promise<number>((resolve, reject) => {
        const url = new URL('/api/public/status/wifi-cong-cong/reports', hub.httpUrl);
        const req = http.request(
          url,
          { method: 'POST', localAddress, headers: { 'content-type': 'application/json' } },
          (res) => {
            res.resume();
            res.on('end', () => resolve(res.statusCode ?? 0));
          },
        );
        req.on('error', reject);
        req.end(JSON.stringify(body));
      });

    // A control character: refused, counted, and it spends the budget (1 of 3).
    const bad = await post({ text: 'mất mạng\u0007', deviceToken: token });
    expect(bad.status).toBe(400);
    expect(JSON.parse(bad.text).code).toBe('HUB_ERR_VALIDATION');
    expect(await metric(hub, 'hub_public_reports_rejected_total', { reason: 'validation' })).toBe(1);
    const tooLong = await post({ text: 'a'.repeat(1001) });
    expect(tooLong.status).toBe(400);

    const ok = await post({ text: '  Wifi nhà văn hoá không vào được mạng từ sáng  ', deviceToken: token });
    expect(ok.status).toBe(202);
    expect(JSON.parse(ok.text)).toMatchObject({ received: true });
    // The fourth attempt from 127.0.0.1 within the hour: refused with its code and a Retry-After.
    const limited = await post({ text: 'Lần nữa: vẫn mất wifi' });
    expect(limited.status).toBe(429);
    expect(JSON.parse(limited.text).code).toBe('HUB_ERR_RATE_LIMITED');
    expect(Number(limited.headers.get('retry-after'))).toBeGreaterThan(0);
    expect(await metric(hub, 'hub_public_reports_rejected_total', { reason: 'rate_limited' })).toBe(1);

    // Another address has its own budget (127.0.0.2 is loopback too).
    expect(await postFrom('127.0.0.2', { text: 'Wifi chợ yếu, hay rớt' })).toBe(202);
    // An hour later (hub clock) 127.0.0.1 may report again.
    now += 3_600_000;
    expect((await post({ text: 'Sáng nay wifi đã có lại, cảm ơn' })).status).toBe(202);

    // Stored and announced, with the device named for the official (the public never sees the id).
    expect(reported.map((r) => r.text)).toEqual([
      'Wifi nhà văn hoá không vào được mạng từ sáng',
      'Wifi chợ yếu, hay rớt',
      'Sáng nay wifi đã có lại, cảm ơn',
    ]);
    expect(reported[0]).toMatchObject({ groupSlug: 'wifi-cong-cong', deviceId: wifi[0]!.id });
    const stored = await api.publicReportList({
      query: { from: String(now - 86_400_000), to: String(now + 1) },
    });
    expect(stored.map((r) => r.text)).toEqual(reported.map((r) => r.text).reverse());
    expect(await metric(hub, 'hub_public_reports_total')).toBe(3);
    // And in the home page's feed (kind `report`), beside the status changes.
    const feed = await api.feed({ query: { since: String(now - 86_400_000) } });
    const reports = feed.items.filter((i) => i.kind === 'report');
    expect(reports.map((r) => r.kind === 'report' && r.text)).toEqual(reported.map((r) => r.text).reverse());
    expect(reports.at(-1)).toMatchObject({
      groupName: 'Wifi công cộng xã Hoàng Kim',
      deviceName: wifi[0]!.name,
    });
    // A report to a group that is not published is refused like a missing page.
    const err = await api
      .publicReportCreate({ params: { group: 'camera-an-ninh' }, body: { text: 'camera hỏng' } })
      .catch((e: unknown) => e);
    expect(err).toBeInstanceOf(HubApiError);
    expect((err as HubApiError).code).toBe('HUB_ERR_NOT_FOUND');
  });
});
