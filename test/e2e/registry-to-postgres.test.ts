/**
 * A commune moving from one SQLite node to a cluster (issue 15): `registry-to-postgres` (the CLI, as an
 * operator runs it) copies not only the registry but the alert rules, channels, alerts with their history,
 * criteria entries and submitted reports (frozen evidence) and probe targets; a second run copies nothing
 * again; and a node started on PostgreSQL afterwards serves them all through its REST API, the submitted
 * report byte for byte.
 */
import { execFile } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { promisify } from 'node:util';
import type { StartedHub } from '@commune-hub/hub';
import type { CriteriaReport } from '@commune-hub/protocol';
import { afterAll, describe, expect, it } from 'vitest';
import { hubClient, startTestHub } from '../support/hub.ts';
import { fireOfflineAlerts, KIOSK_OFFLINE_RULE } from '../support/offline-alerts.ts';
import { createDatabase } from '../support/postgres.ts';

const run = promisify(execFile);
const ROOT = path.resolve(import.meta.dirname, '../..');
const SET = 'thanh-hoa-1829-2023';

async function moveToPostgres(dataDir: string, databaseUrl: string) {
  const { stdout, stderr } = await run(
    process.execPath,
    [
      '--import',
      'tsx',
      'hub/src/cli/registry-to-postgres.ts',
      '--data-dir',
      dataDir,
      '--database-url',
      databaseUrl,
    ],
    { cwd: ROOT, env: { ...process.env, HUB_DATA_DIR: '', HUB_DATABASE_URL: '' } },
  );
  return {
    stderr,
    result: JSON.parse(stdout) as { registryAlreadyThere: boolean; counts: Record<string, number> },
  };
}

async function get<T>(hub: StartedHub, url: string): Promise<{ status: number; text: string; body: T }> {
  const res = await fetch(`${hub.httpUrl}${url}`, { headers: { authorization: `Bearer ${hub.adminToken}` } });
  const text = await res.text();
  return { status: res.status, text, body: JSON.parse(text) as T };
}

describe('registry-to-postgres: a single node moves to a cluster database with its alerts, criteria and probes', () => {
  const dirs: string[] = [];
  const hubs: StartedHub[] = [];
  const dir = (name: string) => {
    const d = fs.mkdtempSync(path.join(os.tmpdir(), `hub-move-${name}-`));
    dirs.push(d);
    return d;
  };
  afterAll(async () => {
    for (const h of hubs) await h.close().catch(() => {});
    for (const d of dirs) fs.rmSync(d, { recursive: true, force: true });
  });

  it('copies the shared rows idempotently, and a PostgreSQL node serves them', {
    timeout: 240_000,
  }, async () => {
    const clock = {
      t: Date.parse('2025-11-03T08:00:00+07:00'),
      now() {
        return this.t;
      },
    };
    // The single SQLite node, used as a commune uses it.
    const singleDir = dir('sqlite');
    const single = await startTestHub({ dataDir: singleDir, criteriaDebounceMs: 0 }, { clock });
    hubs.push(single);
    const admin = hubClient(single);
    await admin.communeCreate({ body: { id: 'xa-a', name: 'Xã A', province: 'Thanh Hóa' } });
    await admin.villageCreate({ body: { id: 'thon-1', name: 'Thôn 1', communeId: 'xa-a' } });
    const kiosk = await admin.deviceCreate({
      body: { id: 'kiosk-1', kind: 'kiosk', name: 'Máy tra cứu', village: 'thon-1' },
    });
    await admin.deviceCreate({ body: { id: 'gw-1', kind: 'gateway', name: 'Cổng', village: 'thon-1' } });
    await admin.deviceCreate({
      body: { id: 'cam-1', kind: 'camera', name: 'Camera cổng', village: 'thon-1', parent: 'gw-1' },
    });
    await admin.alertRuleCreate({ body: KIOSK_OFFLINE_RULE });
    await admin.alertChannelCreate({
      body: {
        id: 'hook',
        name: 'Webhook tỉnh',
        kind: 'webhook',
        config: { url: 'http://127.0.0.1:9/hook' },
      } as never,
    });
    await admin.deviceProbeSet({
      params: { id: 'cam-1' },
      body: { type: 'tcp', address: '127.0.0.1', port: 9, intervalS: 10 },
    });
    await fireOfflineAlerts(single, admin, [kiosk], clock.t, (ms) => {
      clock.t += ms;
    });
    const entry = await admin.criteriaManualCreate({
      params: { id: SET },
      body: {
        type: 'value',
        target: '1.1',
        period: '2025',
        value: true,
        evidence: { docNumber: '20/KH-UBND', docDate: '2025-01-15', text: 'Kế hoạch chuyển đổi số năm 2025' },
        by: 'Lê Thị Hoa',
      } as never,
    });
    const submitted = (await admin.criteriaReportSubmit({
      body: { setId: SET, period: '2025-10', by: 'Lê Thị Hoa' } as never,
    })) as CriteriaReport;
    const before = {
      rules: (await get(single, '/api/alerts/rules')).text,
      channels: (await get(single, '/api/alerts/channels')).body,
      alerts: (await admin.alertList({ query: { state: 'firing', from: '0' } })).alerts,
      probe: (await get(single, '/api/devices/cam-1/probe')).text,
      canonical: (await get(single, `/api/criteria-reports/${submitted.id}/canonical.json`)).text,
      manual: (await get(single, `/api/criteria-sets/${SET}/manual-inputs`)).text,
    };
    expect(before.alerts).toHaveLength(1);
    const history = (await get<{ history: unknown[] }>(single, `/api/alerts/${before.alerts[0]!.id}`)).body;
    expect(history.history.length).toBeGreaterThan(0);
    await single.close();

    // The move, twice: the second run finds everything there.
    const databaseUrl = await createDatabase('move');
    const first = await moveToPostgres(singleDir, databaseUrl);
    expect(first.result.registryAlreadyThere).toBe(false);
    expect(first.result.counts).toMatchObject({
      devices: 3,
      alert_rules: 1,
      alert_channels: 1,
      alert_alerts: 1,
      alert_history: history.history.length,
      criteria_manual_entries: 1,
      criteria_reports: 1,
      probe_targets: 1,
    });
    // Progress and counts per table, as the operator sees them.
    expect(first.stderr).toMatch(/^ {2}alert_history: \d+ copied \(of \d+\)$/m);
    expect(first.stderr).toMatch(/^ {2}criteria_reports: 1 copied \(of 1\)$/m);
    const second = await moveToPostgres(singleDir, databaseUrl);
    expect(second.result.registryAlreadyThere).toBe(true);
    expect(Object.values(second.result.counts).every((n) => n === 0)).toBe(true);
    expect(second.stderr).toMatch(/^ {2}criteria_reports: 0 copied, 1 already there \(of 1\)$/m);

    // A node on PostgreSQL, with a fresh data dir: what it serves comes from the shared tables.
    const node = await startTestHub({ dataDir: dir('pg'), db: 'postgres', databaseUrl }, { clock });
    hubs.push(node);
    const api = hubClient(node);
    expect((await get(node, '/api/alerts/rules')).text).toBe(before.rules);
    expect((await get(node, '/api/alerts/channels')).body).toEqual(before.channels);
    expect((await get(node, '/api/devices/cam-1/probe')).text).toBe(before.probe);
    expect((await get(node, `/api/criteria-sets/${SET}/manual-inputs`)).text).toBe(before.manual);
    expect((await get(node, `/api/criteria-sets/${SET}/manual-inputs`)).text).toContain(String(entry.id));
    const report = await get<CriteriaReport>(node, `/api/criteria-reports/${submitted.id}`);
    expect(report.body).toMatchObject({ id: submitted.id, sha256: submitted.sha256, version: 1 });
    expect((await get(node, `/api/criteria-reports/${submitted.id}/canonical.json`)).text).toBe(
      before.canonical,
    );
    const alerts = (await api.alertList({ query: { state: 'firing', from: '0' } })).alerts;
    expect(alerts.map((a) => a.id)).toEqual(before.alerts.map((a) => a.id));
    expect((await get(node, `/api/alerts/${alerts[0]!.id}`)).body).toEqual(history);
    // New rows the cluster writes take ids past the copied ones: a second report version is accepted.
    const fix = (await api.criteriaReportSubmit({
      body: {
        setId: SET,
        period: '2025-10',
        by: 'Lê Thị Hoa',
        corrects: submitted.id,
        note: 'Bổ sung',
      } as never,
    })) as CriteriaReport;
    expect(fix).toMatchObject({ version: 2, supersedes: submitted.id });
    expect(fix.id).toBeGreaterThan(submitted.id);
  });
});
