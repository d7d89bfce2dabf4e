import type { StartedHub } from '@commune-hub/hub';
import {
  type Alert,
  createHubClient,
  type DevicesDiff,
  type DevicesSnapshot,
  HubApiError,
  type HubClient,
} from '@commune-hub/protocol';
import ExcelJS from 'exceljs';
import { io, type Socket } from 'socket.io-client';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { hubClient, startTestHub } from '../support/hub.ts';
import { fireOfflineAlerts, KIOSK_OFFLINE_RULE } from '../support/offline-alerts.ts';

const SET = 'thanh-hoa-1829-2023';

/** Every string of every sheet of an XLSX file. */
async function xlsxText(bytes: ArrayBuffer): Promise<string> {
  const book = new ExcelJS.Workbook();
  await book.xlsx.load(bytes);
  const parts: string[] = [];
  book.eachSheet((sheet) =>
    sheet.eachRow((row) =>
      row.eachCell((cell) => {
        parts.push(String(cell.text ?? ''));
      }),
    ),
  );
  return parts.join('\n');
}

/**
 * Tenancy, end to end (issue 14): one hub with two communes. A viewer of commune A sees nothing of
 * commune B through REST, socket.io, the annex export, uptime, alerts or the criteria evaluation; B's ids
 * answer 404 as if they did not exist. An operator cannot add a device. An admin's write is in the audit log.
 */
describe('two communes on one hub: scope, roles and audit', () => {
  let hub: StartedHub;
  let admin: HubClient;
  let viewerA: HubClient;
  let operatorA: HubClient;
  let viewerToken: string;
  let t = Date.parse('2026-12-01T02:00:00Z');
  const sockets: Socket[] = [];

  /** The HubApiError a call fails with (the test fails if it succeeds). */
  const failure = async (call: Promise<unknown>): Promise<HubApiError> => {
    const err = await call.then(
      () => null,
      (e: unknown) => e,
    );
    expect(err).toBeInstanceOf(HubApiError);
    return err as HubApiError;
  };
  const expect404 = async (call: Promise<unknown>) => {
    const err = await call.then(
      () => null,
      (e: unknown) => e,
    );
    expect(err).toBeInstanceOf(HubApiError);
    expect((err as HubApiError).status).toBe(404);
  };

  beforeAll(async () => {
    hub = await startTestHub({ livenessSweepMs: 10, alertsTickMs: 20 }, { clock: { now: () => t } });
    admin = hubClient(hub);
    await admin.communeCreate({ body: { id: 'xa-a', name: 'Xã A', province: 'Thanh Hóa' } });
    await admin.communeCreate({ body: { id: 'xa-b', name: 'Xã B', province: 'Thanh Hóa' } });
    await admin.villageCreate({ body: { id: 'thon-a', name: 'Thôn A1', communeId: 'xa-a' } });
    await admin.villageCreate({ body: { id: 'thon-b', name: 'Thôn B1', communeId: 'xa-b' } });
    const a = await admin.deviceCreate({
      body: { id: 'a-kiosk', kind: 'kiosk', name: 'Kiosk xã A', village: 'thon-a', intervalS: 30 },
    });
    const b = await admin.deviceCreate({
      body: { id: 'b-kiosk', kind: 'kiosk', name: 'Kiosk xã B', village: 'thon-b', intervalS: 30 },
    });
    const viewer = await admin.userCreate({
      body: {
        username: 'lan.a',
        password: 'viewer-password-a',
        role: 'viewer',
        communeIds: ['xa-a'],
        apiTokenName: 'e2e',
      },
    });
    viewerToken = viewer.apiToken!.token;
    viewerA = createHubClient({ baseUrl: hub.httpUrl, token: viewerToken });
    const operator = await admin.userCreate({
      body: {
        username: 'minh.a',
        password: 'operator-password-a',
        role: 'operator',
        communeIds: ['xa-a'],
        apiTokenName: 'e2e',
      },
    });
    operatorA = createHubClient({ baseUrl: hub.httpUrl, token: operator.apiToken!.token });

    // Both kiosks beat once and drop: an offline alert for each, firing after five minutes.
    await admin.alertRuleCreate({ body: KIOSK_OFFLINE_RULE });
    await fireOfflineAlerts(hub, admin, [a, b], t, (ms) => {
      t += ms;
    });
  });

  afterAll(async () => {
    for (const s of sockets) s.close();
    await hub?.close();
  });

  it('REST: lists hold only commune A; every id of commune B is 404', async () => {
    expect((await viewerA.deviceList()).map((d) => d.id)).toEqual(['a-kiosk']);
    expect((await admin.deviceList()).map((d) => d.id).sort()).toEqual(['a-kiosk', 'b-kiosk']);
    expect((await viewerA.villageList()).map((v) => v.id)).toEqual(['thon-a']);
    expect((await viewerA.communeList()).map((c) => c.id)).toEqual(['xa-a']);
    await expect404(viewerA.deviceGet({ params: { id: 'b-kiosk' } }));
    await expect404(viewerA.deviceHeartbeats({ params: { id: 'b-kiosk' } }));
    await expect404(viewerA.deviceTransitions({ params: { id: 'b-kiosk' } }));
    await expect404(viewerA.deviceSeries({ params: { id: 'b-kiosk' }, query: { metric: 'x' } }));
    // An id that exists outside the scope answers exactly like one that does not exist.
    const unknown = await failure(viewerA.deviceGet({ params: { id: 'no-such-kiosk' } }));
    const hidden = await failure(viewerA.deviceGet({ params: { id: 'b-kiosk' } }));
    expect([hidden.status, hidden.code]).toEqual([unknown.status, unknown.code]);
  });

  it('uptime: B is 404 per device and absent from the fleet', async () => {
    await expect404(viewerA.deviceUptime({ params: { id: 'b-kiosk' } }));
    expect((await viewerA.deviceUptime({ params: { id: 'a-kiosk' } })).deviceId).toBe('a-kiosk');
    const fleet = await viewerA.fleetUptime();
    expect(fleet.devices.map((d) => d.deviceId)).toEqual(['a-kiosk']);
  });

  it("alerts: only A's alert is listed; B's alert is 404 to read and to acknowledge", async () => {
    const all = (await admin.alertList({ query: { state: 'firing', from: '0' } })).alerts;
    const alertB = all.find((x: Alert) => x.devices.some((d) => d.id === 'b-kiosk'))!;
    const mine = (await viewerA.alertList({ query: { from: '0' } })).alerts;
    expect(mine.flatMap((x) => x.devices.map((d) => d.id))).toEqual(['a-kiosk']);
    await expect404(viewerA.alertGet({ params: { id: alertB.id } }));
    await expect404(operatorA.alertAck({ params: { id: alertB.id }, body: { by: 'Minh' } }));
  });

  it('criteria: the evaluation and its XLSX annex count only commune A', async () => {
    const everything = JSON.stringify(await admin.criteriaEvaluation({ params: { id: SET } }));
    expect(everything).toContain('b-kiosk');
    const mine = JSON.stringify(await viewerA.criteriaEvaluation({ params: { id: SET } }));
    expect(mine).toContain('a-kiosk');
    expect(mine).not.toContain('b-kiosk');
    const breakdown = JSON.stringify(
      await viewerA.criteriaBreakdown({ params: { id: SET }, query: { by: 'village' } }),
    );
    expect(breakdown).not.toContain('thon-b');

    const adminXlsx = await xlsxText(await admin.criteriaEvaluationXlsx({ params: { id: SET } }));
    const viewerXlsx = await xlsxText(await viewerA.criteriaEvaluationXlsx({ params: { id: SET } }));
    expect(adminXlsx).toContain('Kiosk xã B');
    expect(viewerXlsx).toContain('Kiosk xã A');
    expect(viewerXlsx).not.toContain('Kiosk xã B');
  });

  it('socket.io: the snapshot and the diffs hold only commune A; no credentials or a foreign Origin is refused', async () => {
    const socket = io(hub.httpUrl, {
      transports: ['websocket'],
      reconnection: false,
      auth: { token: viewerToken },
    });
    sockets.push(socket);
    const diffs: DevicesDiff[] = [];
    socket.on('devices:diff', (d) => diffs.push(d));
    const snapshot = await new Promise<DevicesSnapshot>((resolve) =>
      socket.once('devices:snapshot', resolve),
    );
    expect(snapshot.devices.map((d) => d.id)).toEqual(['a-kiosk']);
    await admin.deviceUpdate({ params: { id: 'b-kiosk' }, body: { name: 'Kiosk xã B (mới)' } });
    await admin.deviceUpdate({ params: { id: 'a-kiosk' }, body: { name: 'Kiosk xã A (mới)' } });
    await expect.poll(() => diffs.flatMap((d) => d.changes).some((c) => c.id === 'a-kiosk')).toBe(true);
    expect(diffs.flatMap((d) => d.changes).map((c) => c.id)).not.toContain('b-kiosk');

    const refused = async (options: Parameters<typeof io>[1]) => {
      const s = io(hub.httpUrl, { transports: ['websocket'], reconnection: false, ...options });
      sockets.push(s);
      return new Promise<string>((resolve) => {
        s.once('connect_error', (err) => resolve(err.message));
        s.once('devices:snapshot', () => resolve('snapshot'));
      });
    };
    expect(await refused({})).toMatch(/HUB_ERR_UNAUTHORIZED/);
    expect(await refused({ auth: { token: 'chub_wrong' } })).toMatch(/HUB_ERR_UNAUTHORIZED/);
    expect(
      await refused({ auth: { token: viewerToken }, extraHeaders: { origin: 'http://evil.example' } }),
    ).not.toBe('snapshot');
  });

  it('roles: an operator cannot add a device (403); a viewer cannot schedule maintenance', async () => {
    const err = await failure(
      operatorA.deviceCreate({ body: { id: 'op-kiosk', kind: 'kiosk', name: 'x', village: 'thon-a' } }),
    );
    expect([err.status, err.code]).toEqual([403, 'HUB_ERR_FORBIDDEN']);
    const viewerWrite = await failure(
      viewerA.maintenanceCreate({
        body: { deviceIds: ['a-kiosk'], from: String(t), to: String(t + 60_000) },
      }),
    );
    expect(viewerWrite.status).toBe(403);
    // The operator's own maintenance on B's kiosk: B does not exist for them.
    await expect404(
      operatorA.maintenanceCreate({
        body: { deviceIds: ['b-kiosk'], from: String(t), to: String(t + 60_000) },
      }),
    );
    expect(
      (
        await operatorA.maintenanceCreate({
          body: { deviceIds: ['a-kiosk'], from: String(t), to: String(t + 60_000) },
        })
      ).length,
    ).toBe(1);
    expect((await admin.deviceList()).map((d) => d.id)).not.toContain('op-kiosk');
  });

  it("audit: an admin's write is logged with who, what, when and from where; viewers cannot read the log", async () => {
    await admin.deviceCreate({
      body: { id: 'audit-kiosk', kind: 'kiosk', name: 'Kiosk kiểm tra', village: 'thon-a' },
    });
    const { entries } = await admin.auditList({ query: { limit: 50 } });
    const entry = entries.find(
      (e) => e.route === 'deviceCreate' && e.path === '/api/devices' && e.status === 201,
    );
    expect(entry).toMatchObject({ username: 'admin', via: 'token', method: 'POST', ip: '127.0.0.1' });
    expect(Date.parse(entry!.at)).toBe(t);
    const refused = entries.find((e) => e.route === 'deviceCreate' && e.username === 'minh.a');
    expect(refused?.status).toBe(403);
    const err = await failure(viewerA.auditList());
    expect(err.status).toBe(403);
  });
});
