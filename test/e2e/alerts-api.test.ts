import type { StartedHub } from '@commune-hub/hub';
import {
  type Alert,
  type AlertRule,
  type AlertRuleInput,
  createHubClient,
  HubApiError,
} from '@commune-hub/protocol';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { connectDevice } from '../support/device.ts';
import { metric, provision, startTestHub, TEST_TOKEN } from '../support/hub.ts';

/** The alert API: rules and schedules refused with a HUB_ERR_* naming the field, nothing stored changed; ack. */
describe('alerts API: bad input and acknowledgement', () => {
  let hub: StartedHub;
  let t = Date.parse('2026-12-01T02:00:00Z');
  const call = async (method: string, path: string, body?: unknown, token: string | null = TEST_TOKEN) => {
    const res = await fetch(`${hub.httpUrl}${path}`, {
      method,
      headers: {
        ...(token ? { authorization: `Bearer ${token}` } : {}),
        ...(body !== undefined ? { 'content-type': 'application/json' } : {}),
      },
      body: body !== undefined ? JSON.stringify(body) : undefined,
    });
    const text = await res.text();
    return { status: res.status, body: text ? JSON.parse(text) : undefined };
  };
  const good = {
    id: 'wifi-offline',
    name: 'Wifi mất kết nối',
    scope: { kinds: ['wifi'] },
    condition: { kind: 'offline_for', forMin: 5 },
    notify: { channelIds: [] },
  };

  beforeAll(async () => {
    hub = await startTestHub({ livenessSweepMs: 10, alertsTickMs: 20 }, { clock: { now: () => t } });
    await provision(hub, { id: 'w1', kind: 'wifi', name: 'Wifi chợ', village: 'Thôn 3', intervalS: 30 });
    expect((await call('POST', '/api/alerts/rules', good)).status).toBe(201);
  });
  afterAll(async () => hub?.close());

  const refusals: Array<[string, unknown, RegExp]> = [
    [
      'an unknown condition kind',
      { ...good, id: 'x', condition: { kind: 'offline_forever', forMin: 5 } },
      /^condition\.kind: unknown kind/,
    ],
    [
      'an unknown metric',
      {
        ...good,
        id: 'x',
        condition: { kind: 'metric_threshold', metric: 'storageFree', op: '<', value: 10, forMin: 30 },
      },
      /^condition\.metric: unknown metric "storageFree"/,
    ],
    [
      'an unknown scope field',
      { ...good, id: 'x', scope: { hamlet: ['a'] } },
      /^scope\.hamlet: unknown scope field/,
    ],
    [
      'an unknown device kind in scope',
      { ...good, id: 'x', scope: { kinds: ['wiffi'] } },
      /^scope\.kinds\[0\]: unknown kind "wiffi"/,
    ],
    [
      'an unknown village in scope',
      { ...good, id: 'x', scope: { villageIds: ['thon-99'] } },
      /^scope\.villageIds\[0\]: no village/,
    ],
    [
      'a duration of zero',
      { ...good, id: 'x', condition: { kind: 'offline_for', forMin: 0 } },
      /^condition\.forMin: must be a duration > 0/,
    ],
    [
      'a negative duration',
      { ...good, id: 'x', condition: { kind: 'flapping', transitions: 3, withinMin: -1 } },
      /^condition\.withinMin/,
    ],
    [
      'a re-notify interval ≤ 0',
      { ...good, id: 'x', notify: { channelIds: [], renotifyEveryMin: 0 } },
      /^notify\.renotifyEveryMin/,
    ],
    [
      'an unknown channel',
      { ...good, id: 'x', notify: { channelIds: ['nobody'] } },
      /^notify\.channelIds\[0\]: no channel nobody/,
    ],
    ['an unknown schedule', { ...good, id: 'x', scheduleId: 'nope' }, /^scheduleId: no schedule nope/],
  ];
  it.each(refusals)(
    'refuses a rule with %s, naming the field, and keeps the existing rules',
    async (_, body, message) => {
      const before = (await call('GET', '/api/alerts/rules')).body as AlertRule[];
      const res = await call('POST', '/api/alerts/rules', body);
      expect(res.status).toBe(400);
      expect(res.body.code).toBe('HUB_ERR_VALIDATION');
      expect(res.body.message).toMatch(message);
      // A replace with the same body changes nothing either.
      const put = await call('PUT', '/api/alerts/rules/wifi-offline', { ...(body as object), id: undefined });
      expect(put.status).toBe(400);
      expect((await call('GET', '/api/alerts/rules')).body).toEqual(before);
    },
  );

  it('refuses schedules with inverted or overlapping hours, and counts every refusal', async () => {
    const inverted = await call('POST', '/api/alerts/schedules', {
      name: 'Ngược',
      hours: [{ days: [1], from: '17:00', to: '07:30' }],
    });
    expect(inverted.status).toBe(400);
    expect(inverted.body.message).toMatch(/^hours\[0\]: from 17:00 is not before to 07:30/);
    const overlap = await call('POST', '/api/alerts/schedules', {
      name: 'Chồng',
      hours: [
        { days: [1, 2], from: '07:30', to: '11:30' },
        { days: [2], from: '11:00', to: '17:00' },
      ],
    });
    expect(overlap.status).toBe(400);
    expect(overlap.body.message).toMatch(/^hours\[1\]: overlaps hours\[0\] on day 2/);
    const badDay = await call('POST', '/api/alerts/schedules', {
      name: 'Ngày sai',
      hours: [{ days: [1], from: '07:30', to: '11:30' }],
      daysOff: ['2027-02-30'],
    });
    expect(badDay.body.message).toMatch(/^daysOff\[0\]/);
    expect((await call('GET', '/api/alerts/schedules')).body).toEqual([]);
    expect(await metric(hub, 'hub_alert_input_rejected_total', { what: 'schedule' })).toBe(3);
    expect(await metric(hub, 'hub_alert_input_rejected_total', { what: 'rule' })).toBeGreaterThanOrEqual(20);
  });

  it('writes need the admin token', async () => {
    expect((await call('POST', '/api/alerts/rules', { ...good, id: 'y' }, null)).status).toBe(401);
    expect(
      (await call('POST', '/api/alerts/mutes', { deviceId: 'w1', hours: 1, by: 'a', reason: 'b' }, null))
        .status,
    ).toBe(401);
  });

  it('lists a firing alert by state and time, acknowledges it with who and a note, and keeps its history', async () => {
    const creds = await provision(hub, {
      id: 'w2',
      kind: 'wifi',
      name: 'Wifi trạm y tế',
      village: 'Thôn 5',
      intervalS: 30,
    });
    const d = await connectDevice(hub.mqttUrl, creds);
    await d.beat({ ts: t });
    d.kill();
    const firing = async () =>
      (
        (await call('GET', `/api/alerts?state=firing&from=${t - 3600_000}&to=${t + 3600_000}`)).body as {
          alerts: Alert[];
        }
      ).alerts;
    await expect
      .poll(async () => (await call('GET', '/api/alerts?state=pending')).body.alerts.length)
      .toBe(1);
    t += 5 * 60_000;
    await expect.poll(async () => (await firing()).length).toBe(1);
    const [alert] = await firing();
    expect(alert).toMatchObject({
      rule: { id: 'wifi-offline' },
      cause: 'device',
      devices: [{ id: 'w2', village: 'Thôn 5' }],
    });
    expect((await call('POST', `/api/alerts/${alert?.id}/ack`, { by: 'Chị Lan' }, null)).status).toBe(401);
    const ack = await call('POST', `/api/alerts/${alert?.id}/ack`, { by: 'Chị Lan', note: 'đã gọi VNPT' });
    expect(ack.body).toMatchObject({ state: 'acknowledged', ackBy: 'Chị Lan', ackNote: 'đã gọi VNPT' });
    expect((await call('POST', '/api/alerts/nope/ack', { by: 'x' })).body.code).toBe('HUB_ERR_NOT_FOUND');
    const detail = (await call('GET', `/api/alerts/${alert?.id}`)).body;
    expect(detail.history.map((h: { event: string }) => h.event)).toEqual([
      'pending',
      'firing',
      'acknowledged',
      'note',
    ]);
    expect(
      (await call('GET', '/api/alerts?from=2026-12-02T00:00:00Z&to=2026-12-01T00:00:00Z')).body.code,
    ).toBe('HUB_ERR_BAD_TIME_RANGE');
    const mute = await call('POST', '/api/alerts/mutes', {
      villageId: 'nope',
      hours: 2,
      by: 'Anh Hùng',
      reason: 'sửa điện',
    });
    expect(mute.body.message).toMatch(/^villageId: no village nope/);
    const zero = await call('POST', '/api/alerts/mutes', {
      deviceId: 'w1',
      hours: 0,
      by: 'Anh Hùng',
      reason: 'sửa điện',
    });
    expect(zero.body.message).toMatch(/^hours: must be a duration > 0/);
    const ok = await call('POST', '/api/alerts/mutes', {
      deviceId: 'w1',
      hours: 2,
      by: 'Anh Hùng',
      reason: 'sửa điện',
    });
    expect(ok.status).toBe(201);
    expect(Date.parse(ok.body.until) - Date.parse(ok.body.from)).toBe(2 * 3600_000);
  });

  it('is spoken by the typed client: PUT, 204 deletes, and the service-checked refusal naming the field', async () => {
    const admin = createHubClient({ baseUrl: hub.httpUrl, token: TEST_TOKEN });
    const rule: AlertRuleInput = {
      name: 'Qua client',
      scope: { kinds: ['wifi'] },
      condition: { kind: 'offline_for', forMin: 7 },
      notify: { channelIds: [] },
    };
    const created = await admin.alertRuleCreate({ body: { ...rule, id: 'client-rule' } });
    expect(created).toMatchObject({ id: 'client-rule', condition: { forMin: 7 } });
    const renamed = await admin.alertRuleUpdate({
      params: { id: 'client-rule' },
      body: { ...rule, name: 'Đã đổi tên' },
    });
    expect(renamed.name).toBe('Đã đổi tên');
    expect((await admin.alertRuleGet({ params: { id: 'client-rule' } })).name).toBe('Đã đổi tên');

    const refused = await admin
      .alertRuleCreate({ body: { ...rule, id: 'zero', condition: { kind: 'offline_for', forMin: 0 } } })
      .catch((e: unknown) => e);
    expect(refused).toBeInstanceOf(HubApiError);
    expect(refused).toMatchObject({ status: 400, code: 'HUB_ERR_VALIDATION', route: 'alertRuleCreate' });
    expect((refused as HubApiError).message).toMatch(/^condition\.forMin: /);

    expect(await admin.alertRuleDelete({ params: { id: 'client-rule' } })).toBeNull();
    expect((await admin.alertRuleList()).map((r) => r.id)).not.toContain('client-rule');
    const tet = await admin.alertHolidays({ query: { year: 2027 } });
    expect(tet.some((d) => d.date === '2027-02-06')).toBe(true);
    const listed = await admin.alertList({ query: { state: 'resolved', from: '0' } });
    expect(listed.alerts.every((a) => a.state === 'resolved')).toBe(true);
    expect(Array.isArray((await admin.alertChannelList()).channels)).toBe(true);
  });
});
