import { createHash } from 'node:crypto';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import type { StartedHub } from '@commune-hub/hub';
import type {
  CriteriaReloadResult,
  CriteriaReport,
  CriteriaSetSummary,
  Evaluation,
} from '@commune-hub/protocol';
import { afterEach, describe, expect, it } from 'vitest';
import { authHeaders, startTestHub } from '../support/hub.ts';

const H = 3_600_000;
const from = Date.parse('2025-10-01T00:00:00+07:00');
const to = Date.parse('2025-11-01T00:00:00+07:00');
const SET = 'thanh-hoa-1829-2023';
const SHIPPED = path.resolve(import.meta.dirname, '../../hub/criteria-sets');

async function call<T = unknown>(hub: StartedHub, method: string, url: string, body?: unknown, admin = true) {
  const res = await fetch(`${hub.httpUrl}${url}`, {
    method,
    headers: {
      ...(admin && { authorization: `Bearer ${hub.adminToken}` }),
      ...(body !== undefined && { 'content-type': 'application/json' }),
    },
    ...(body !== undefined && { body: JSON.stringify(body) }),
  });
  const text = await res.text();
  return { status: res.status, text, body: (text ? JSON.parse(text) : null) as T };
}

/** Two villages of two former communes, four wifi points with a month of uptime record, the hub running all month. */
async function smallWorld(overrides: Parameters<typeof startTestHub>[0] = {}) {
  const clock = {
    t: from,
    now() {
      return this.t;
    },
  };
  const hub = await startTestHub({ criteriaDebounceMs: 0, ...overrides }, { clock });
  await call(hub, 'POST', '/api/communes', { id: 'xa-moi', name: 'Xã Mới', province: 'Thanh Hóa' });
  await call(hub, 'POST', '/api/communes', {
    id: 'xa-a',
    name: 'Xã A (cũ)',
    province: 'Thanh Hóa',
    mergedInto: 'xa-moi',
  });
  await call(hub, 'POST', '/api/communes', {
    id: 'xa-b',
    name: 'Xã B (cũ)',
    province: 'Thanh Hóa',
    mergedInto: 'xa-moi',
  });
  await call(hub, 'POST', '/api/villages', { id: 'thon-a1', name: 'Thôn A1', communeId: 'xa-a' });
  await call(hub, 'POST', '/api/villages', { id: 'thon-b1', name: 'Thôn B1', communeId: 'xa-b' });
  await call(hub, 'POST', '/api/sites', {
    id: 'nvh-a1',
    name: 'Nhà văn hóa A1',
    villageId: 'thon-a1',
    locationType: 'cultural_house',
  });
  await call(hub, 'POST', '/api/sites', {
    id: 'nvh-b1',
    name: 'Nhà văn hóa B1',
    villageId: 'thon-b1',
    locationType: 'cultural_house',
  });
  const wifi = [
    ['w1', 'thon-a1', 'nvh-a1', 1],
    ['w2', 'thon-a1', 'nvh-a1', 0.5],
    ['w3', 'thon-b1', 'nvh-b1', 1],
    ['w4', 'thon-b1', 'nvh-b1', 0.95],
  ] as const;
  for (const [id, village, site, share] of wifi) {
    const r = await call(hub, 'POST', '/api/devices', {
      id,
      kind: 'wifi',
      name: `Wifi ${id}`,
      village,
      site,
    });
    expect(r.status).toBe(201);
    // Up for the first `share` of the month, as heartbeats would leave it.
    hub.app.uptime.recordHeartbeat(hub.app.registry.get(id)!, from);
    hub.app.coverage.addHeartbeat(id, from, (to - from) * share);
  }
  hub.app.coverage.flush();
  clock.t = to + H;
  return { hub, clock };
}

const evidence = { docNumber: '20/KH-UBND', docDate: '2025-01-15', text: 'Kế hoạch chuyển đổi số năm 2025' };

describe('criteria reports, manual entries and bad input', () => {
  let hub: StartedHub | undefined;
  afterEach(async () => {
    await hub?.close();
    hub = undefined;
  });

  it('a submitted report stays byte for byte the same after its devices are renamed, moved and disabled', async () => {
    ({ hub } = await smallWorld());
    expect(
      (
        await call(hub, 'POST', `/api/criteria-sets/${SET}/manual-inputs`, {
          type: 'value',
          target: '1.1',
          period: '2025',
          value: true,
          evidence,
          by: 'Lê Thị Hoa',
        })
      ).status,
    ).toBe(201);
    const e = (await call<Evaluation>(hub, 'GET', `/api/criteria-sets/${SET}/evaluation?period=2025-10`))
      .body;
    expect(e.rows.find((r) => r.code === '4.5')!.result).toBe('3 điểm');
    expect(e.rows.find((r) => r.code === '1.1')).toMatchObject({
      result: 'Có',
      assessment: 'dat',
      source: 'manual',
    });
    expect(e.commune).toMatchObject({ id: 'xa-moi', formerCommunes: [{ id: 'xa-a' }, { id: 'xa-b' }] });

    const submitted = await call<CriteriaReport>(hub, 'POST', '/api/criteria-reports', {
      setId: SET,
      period: '2025-10',
      by: 'Lê Thị Hoa',
    });
    expect(submitted.status).toBe(201);
    const report = submitted.body;
    expect(report).toMatchObject({ version: 1, supersedes: null, supersededBy: null });
    const canonical = await call(hub, 'GET', `/api/criteria-reports/${report.id}/canonical.json`);
    expect(createHash('sha256').update(canonical.text).digest('hex')).toBe(report.sha256);

    // Rename, move to the other former commune's village, rename a village, and take a device out of service.
    expect((await call(hub, 'PATCH', '/api/devices/w1', { name: 'Wifi đổi tên' })).status).toBe(200);
    expect((await call(hub, 'PATCH', '/api/devices/w3', { village: 'Thôn A1', site: null })).status).toBe(
      200,
    );
    expect((await call(hub, 'PATCH', '/api/villages/thon-b1', { name: 'Thôn Bắc' })).status).toBe(200);
    // There is no device deletion in the API yet: disabling is what exists.
    expect((await call(hub, 'PATCH', '/api/devices/w4', { disabled: true })).status).toBe(200);

    const again = await call(hub, 'GET', `/api/criteria-reports/${report.id}/canonical.json`);
    expect(again.text).toBe(canonical.text);
    const fetched = (await call<CriteriaReport>(hub, 'GET', `/api/criteria-reports/${report.id}`)).body;
    expect(fetched.sha256).toBe(report.sha256);
    expect(fetched.content).toEqual(report.content);
    expect(JSON.stringify(fetched.content)).toContain('Wifi w1');
    // The live evaluation does follow the changes.
    const live = (await call<Evaluation>(hub, 'GET', `/api/criteria-sets/${SET}/evaluation?period=2025-10`))
      .body;
    expect(JSON.stringify(live)).toContain('Wifi đổi tên');

    // The same period again is refused; nothing changes.
    const dup = await call<{ code: string }>(hub, 'POST', '/api/criteria-reports', {
      setId: SET,
      period: '2025-10',
      by: 'Lê Thị Hoa',
    });
    expect(dup.status).toBe(409);
    expect(dup.body.code).toBe('HUB_ERR_REPORT_EXISTS');
    expect((await call<unknown[]>(hub, 'GET', '/api/criteria-reports')).body).toHaveLength(1);

    // A correction is a new version referencing the old one, which stays as it was.
    const fix = await call<CriteriaReport>(hub, 'POST', '/api/criteria-reports', {
      setId: SET,
      period: '2025-10',
      by: 'Lê Thị Hoa',
      corrects: report.id,
      note: 'Bổ sung',
    });
    expect(fix.status).toBe(201);
    expect(fix.body).toMatchObject({ version: 2, supersedes: report.id });
    expect(fix.body.content.supersedes).toEqual({ id: report.id, sha256: report.sha256 });
    const old = (await call<CriteriaReport>(hub, 'GET', `/api/criteria-reports/${report.id}`)).body;
    expect(old.supersededBy).toBe(fix.body.id);
    expect((await call(hub, 'GET', `/api/criteria-reports/${report.id}/canonical.json`)).text).toBe(
      canonical.text,
    );
    // The database itself refuses to change a frozen report.
    expect(() =>
      hub!.app.registry.database
        .prepare('UPDATE criteria_reports SET canonical = ? WHERE id = ?')
        .run('{}', report.id),
    ).toThrow(/immutable/);
  });

  it('manual inputs and overrides keep an audit trail; an override shows the computation beside it', async () => {
    ({ hub } = await smallWorld());
    const o = await call(hub, 'POST', `/api/criteria-sets/${SET}/manual-inputs`, {
      type: 'override',
      target: '4.5',
      period: '2025-10',
      value: 4,
      evidence: { text: 'Biên bản kiểm tra' },
      by: 'Trần Văn Nam',
      reason: 'w2 hỏng nguồn, đã thay',
    });
    expect(o.status).toBe(201);
    const row = (
      await call<Evaluation>(hub, 'GET', `/api/criteria-sets/${SET}/evaluation?period=2025-10`)
    ).body.rows.find((r) => r.code === '4.5')!;
    expect(row).toMatchObject({
      result: '4 điểm',
      source: 'override',
      override: { computedResult: '3 điểm', computedAssessment: 'dat' },
    });
    expect(row.evidence.notCounted.map((d) => d.id)).toEqual(['w2']);
    const withdrawn = await call<{ withdrawnBy: string }>(
      hub,
      'DELETE',
      `/api/criteria-sets/${SET}/manual-inputs/${(o.body as { id: number }).id}`,
      { by: 'Trần Văn Nam' },
    );
    expect(withdrawn.body.withdrawnBy).toBe('Trần Văn Nam');
    const after = (
      await call<Evaluation>(hub, 'GET', `/api/criteria-sets/${SET}/evaluation?period=2025-10`)
    ).body.rows.find((r) => r.code === '4.5')!;
    expect(after).toMatchObject({ result: '3 điểm', source: 'rule', override: null });
    const trail = (
      await call<unknown[]>(hub, 'GET', `/api/criteria-sets/${SET}/manual-inputs?period=2025-10`)
    ).body;
    expect(trail).toHaveLength(1);

    // Breakdown by former commune: Xã A has w1 (w2 at 50 %), Xã B has w3 and w4.
    const bd = (
      await call<{ units: Array<{ id: string; cells: Array<{ code: string; value: number }> }> }>(
        hub,
        'GET',
        `/api/criteria-sets/${SET}/breakdown?period=2025-10&by=formerCommune`,
      )
    ).body;
    expect(bd.units.map((u) => [u.id, u.cells.find((c) => c.code === '4.5')!.value])).toEqual([
      ['xa-a', 1],
      ['xa-b', 2],
    ]);
    const trend = (
      await call<{ points: Array<{ period: { label: string } }> }>(
        hub,
        'GET',
        `/api/criteria-sets/${SET}/trend?months=12&to=2025-10`,
      )
    ).body;
    expect(trend.points).toHaveLength(12);
    expect(trend.points[11]!.period.label).toBe('Tháng 10/2025');
  });

  it('bad input gets a clear HUB_ERR_* and changes nothing', async () => {
    ({ hub } = await smallWorld());
    const base = `/api/criteria-sets/${SET}`;
    const bad = [
      [
        { type: 'value', target: '1.2', period: '2025', value: 'nhiều', evidence, by: 'A' },
        'HUB_ERR_MANUAL_VALUE',
      ],
      [
        { type: 'value', target: '1.2', period: '2025', value: 140, evidence, by: 'A' },
        'HUB_ERR_MANUAL_VALUE',
      ],
      [
        { type: 'input', target: 'cbcc', period: '2025', value: true, evidence, by: 'A' },
        'HUB_ERR_MANUAL_VALUE',
      ],
      [{ type: 'value', target: '4.5', period: '2025', value: 3, evidence, by: 'A' }, 'HUB_ERR_MANUAL_VALUE'],
      [
        { type: 'override', target: '4.5', period: '2025', value: 3, evidence, by: 'A' },
        'HUB_ERR_MANUAL_VALUE',
      ],
      [
        { type: 'value', target: '1.1', period: '2025', value: true, evidence: {}, by: 'A' },
        'HUB_ERR_MANUAL_VALUE',
      ],
      [
        {
          type: 'value',
          target: '1.1',
          from: '2025-10-02T00:00:00Z',
          to: '2025-10-01T00:00:00Z',
          value: true,
          evidence,
          by: 'A',
        },
        'HUB_ERR_BAD_TIME_RANGE',
      ],
    ] as const;
    for (const [body, code] of bad) {
      const r = await call<{ code: string }>(hub, 'POST', `${base}/manual-inputs`, body);
      expect([r.status, r.body.code], JSON.stringify(body)).toEqual([400, code]);
    }
    expect((await call(hub, 'POST', `${base}/manual-inputs`, bad[0]![0], false)).status).toBe(401);
    expect((await call<unknown[]>(hub, 'GET', `${base}/manual-inputs?period=2025`)).body).toEqual([]);
    for (const q of [
      'from=2025-10-02T00:00:00Z&to=2025-10-01T00:00:00Z',
      'from=2019-01-01T00:00:00Z&to=2025-01-02T00:00:00Z',
      'period=2025-13',
    ]) {
      const r = await call<{ code: string }>(hub, 'GET', `${base}/evaluation?${q}`);
      expect([r.status, r.body.code], q).toEqual([
        400,
        expect.stringMatching(/^HUB_ERR_(BAD_TIME_RANGE|VALIDATION)$/),
      ]);
    }
    expect(
      (await call(hub, 'GET', `${base}/evaluation?from=2021-01-01T00:00:00Z&to=2025-12-31T00:00:00Z`)).status,
    ).toBe(200);
    expect(
      (await call(hub, 'POST', '/api/criteria-reports', { setId: SET, period: '2025-10', by: 'A' }, false))
        .status,
    ).toBe(401);
    expect((await call(hub, 'GET', '/api/criteria-sets/khong-co/evaluation')).status).toBe(404);
    const metrics = await (await fetch(`${hub.httpUrl}/metrics`, { headers: authHeaders(hub) })).text();
    expect(metrics).toMatch(/hub_criteria_rejected_total\{reason="wrong_type"\} 3/);
  });

  it('criteria are data: a broken file is refused at boot with every error, a new set file is evaluated after a reload, a broken edit keeps the old set', async () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'criteria-sets-'));
    fs.copyFileSync(path.join(SHIPPED, `${SET}.yaml`), path.join(dir, `${SET}.yaml`));
    fs.writeFileSync(
      path.join(dir, 'tinh-x.yaml'),
      `id: tinh-x
name: Bộ hỏng
decision: { number: 1/QĐ-UBND, issuer: UBND tỉnh X }
version: 1
scoring: pass_fail
groups: [{ code: "1", name_vi: Hạ tầng }]
criteria:
  - { code: "1.1", group: "1", name_vi: A, unit: Điểm, kind: many, target: { text: Có }, manual: { valueType: boolean } }
  - { code: "1.2", group: "1", name_vi: B, unit: Điểm, kind: count, target: { text: Có, min: 1 }, rule: { measure: count, devices: { kinds: [drone] } } }
  - { code: "1.3", group: "1", name_vi: C, unit: Điểm, kind: count, target: { text: Có, min: 1 }, rule: { measure: count, devices: { kinds: [wifi], locationTypes: [beach] } } }
`,
    );
    fs.writeFileSync(
      path.join(dir, 'tinh-y.yaml'),
      `id: tinh-y
name: Bộ hỏng 2
decision: { number: 2/QĐ-UBND, issuer: UBND tỉnh Y }
version: 1
scoring: pass_fail
groups: [{ code: "1", name_vi: Hạ tầng }]
criteria:
  - { code: "1.1", group: "1", name_vi: A, unit: "%", kind: percentage, target: { text: 150%, min: 150 }, manual: { valueType: percent } }
  - { code: "1.1", group: "1", name_vi: B, unit: Điểm, kind: presence, target: { text: Có }, manual: { valueType: boolean } }
`,
    );
    ({ hub } = await smallWorld({ criteriaDir: dir }));
    expect(
      (await call<CriteriaSetSummary[]>(hub, 'GET', '/api/criteria-sets')).body.map((s) => s.id),
    ).toEqual([SET]);
    const problems = (
      await call<CriteriaReloadResult>(hub, 'GET', '/api/criteria-sets/problems')
    ).body.refused.flat();
    const lines = problems.map((p) => `${p.file}:${p.line} ${p.path}: ${p.message}`);
    expect(lines).toEqual([
      expect.stringMatching(/^tinh-x\.yaml:8 \/criteria\/0\/kind: expected one of "presence", "count"/),
      expect.stringMatching(
        /^tinh-x\.yaml:9 \/criteria\/1\/rule\/devices\/kinds\/0: expected one of "loudspeaker", "wifi"/,
      ),
      expect.stringMatching(
        /^tinh-x\.yaml:10 \/criteria\/2\/rule\/devices\/locationTypes\/0: expected one of "commune_office"/,
      ),
      expect.stringMatching(
        /^tinh-y\.yaml:8 \/criteria\/0\/target\/min: bad target: a percentage is 0–100, got 150/,
      ),
      expect.stringMatching(/^tinh-y\.yaml:9 \/criteria\/1\/code: duplicate code "1\.1"/),
    ]);

    // A province adds its set as a file: no code change, a reload.
    fs.rmSync(path.join(dir, 'tinh-x.yaml'));
    fs.rmSync(path.join(dir, 'tinh-y.yaml'));
    fs.copyFileSync(path.join(SHIPPED, 'ntm-318-tieu-chi-8.yaml'), path.join(dir, 'ntm-318-tieu-chi-8.yaml'));
    const reload = await call<CriteriaReloadResult>(hub, 'POST', '/api/criteria-sets/reload');
    expect(reload.status).toBe(200);
    expect(reload.body.loaded.sort()).toEqual(['ntm-318-tieu-chi-8', SET]);
    const ntm = (
      await call<Evaluation>(hub, 'GET', '/api/criteria-sets/ntm-318-tieu-chi-8/evaluation?period=2025-10')
    ).body;
    const bs = ntm.rows.find((r) => r.code === 'BS.1')!;
    expect(bs).toMatchObject({ result: 'Có', assessment: 'dat' });
    expect(bs.evidence.coverage.map((u) => [u.id, u.covered])).toEqual([
      ['nvh-a1', true],
      ['nvh-b1', true],
    ]);
    expect(ntm.rows.find((r) => r.code === '8.3')).toMatchObject({
      result: '0/2 thôn',
      assessment: 'khong_dat',
    });

    // A broken edit of a loaded set: refused with its errors, the set stays as it was.
    const file = path.join(dir, `${SET}.yaml`);
    fs.writeFileSync(
      file,
      fs.readFileSync(file, 'utf8').replace('version: 1', 'version: 2').replace('code: "4.6"', 'code: "4.5"'),
    );
    const refused = await call<{ code: string; message: string }>(hub, 'POST', '/api/criteria-sets/reload');
    expect(refused.status).toBe(422);
    expect(refused.body.code).toBe('HUB_ERR_CRITERIA_INVALID');
    expect(refused.body.message).toMatch(
      /thanh-hoa-1829-2023\.yaml:\d+:\d+ \/criteria\/\d+\/code: duplicate code "4\.5"/,
    );
    const sets = (await call<CriteriaSetSummary[]>(hub, 'GET', '/api/criteria-sets')).body;
    expect(sets.find((s) => s.id === SET)!.version).toBe(1);
    fs.rmSync(dir, { recursive: true, force: true });
  });
});
