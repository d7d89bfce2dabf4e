/**
 * protocol's route map is the REST contract: the hub registers exactly its routes, the OpenAPI document
 * describes exactly them (and is valid OpenAPI), and the typed client speaks them, errors included.
 */
import type { StartedHub } from '@commune-hub/hub';
import {
  createHubClient,
  HubApiError,
  type HubClient,
  type RouteSpec,
  routes,
  routeUrl,
} from '@commune-hub/protocol';
import { Validator } from '@seriousme/openapi-schema-validator';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { connectDevice } from '../support/device.ts';
import { authHeaders, startTestHub } from '../support/hub.ts';

let hub: StartedHub;
let admin: HubClient;

beforeAll(async () => {
  hub = await startTestHub();
  admin = createHubClient({ baseUrl: hub.httpUrl, token: hub.adminToken });
});
afterAll(async () => {
  await hub?.close();
});

const specs = Object.entries(routes) as Array<[string, RouteSpec]>;
/** `/api/devices/:id` → `/api/devices/{id}`, as OpenAPI writes paths. */
const openapiPath = (url: string) => url.replace(/:(\w+)/g, '{$1}');

/** Every method + path fastify answers, from its route tree (HEAD twins of GET routes left out). */
function registeredRoutes(app: StartedHub['app']): string[] {
  const out: string[] = [];
  const tree = app.printRoutes({ commonPrefix: false });
  const stack: Array<{ depth: number; path: string }> = [];
  for (const line of tree.split('\n')) {
    const m = /^([│ ]*)[└├]── (\S*)(?: \(([^)]*)\))?$/.exec(line.replace(/\u00a0/g, ' '));
    if (!m) continue;
    const depth = m[1]!.length;
    while (stack.length > 0 && stack[stack.length - 1]!.depth >= depth) stack.pop();
    const path = (stack[stack.length - 1]?.path ?? '') + m[2]!;
    stack.push({ depth, path });
    for (const method of (m[3] ?? '').split(', ').filter(Boolean)) {
      if (method !== 'HEAD') out.push(`${method} ${path}`);
    }
  }
  return out;
}

describe('the route map is the contract', () => {
  it('serves a valid OpenAPI 3 document that lists every route of the map, with auth', async () => {
    const res = await fetch(`${hub.httpUrl}/api/openapi.json`, { headers: authHeaders(hub) });
    expect(res.status).toBe(200);
    const doc = (await res.json()) as {
      openapi: string;
      paths: Record<string, Record<string, { security?: unknown[]; summary?: string; responses: object }>>;
    };
    const result = await new Validator().validate(doc as never);
    expect(result.errors ?? []).toEqual([]);
    expect(result.valid).toBe(true);
    expect(doc.openapi).toMatch(/^3\./);

    for (const [name, spec] of specs) {
      const op = doc.paths[openapiPath(spec.url)]?.[spec.method.toLowerCase()];
      expect(op, `${name}: ${spec.method} ${spec.url}`).toBeDefined();
      expect(op!.summary).toBe(spec.summary);
      expect(Boolean(op!.security), `${name} security`).toBe((spec as { auth?: string }).auth !== 'public');
    }
    const documented = Object.entries(doc.paths).flatMap(([p, ops]) =>
      Object.keys(ops).map((m) => `${m.toUpperCase()} ${p}`),
    );
    expect(documented.sort()).toEqual(specs.map(([, s]) => `${s.method} ${openapiPath(s.url)}`).sort());
  });

  it('describes file answers with their media type (the criteria annex as XLSX/DOCX)', async () => {
    const doc = (await (
      await fetch(`${hub.httpUrl}/api/openapi.json`, { headers: authHeaders(hub) })
    ).json()) as {
      paths: Record<
        string,
        Record<string, { responses: Record<string, { content?: Record<string, unknown> }> }>
      >;
    };
    const files = specs.filter(([, s]) => s.produces?.startsWith('application/vnd.'));
    expect(files.map(([name]) => name).sort()).toEqual([
      'criteriaEvaluationDocx',
      'criteriaEvaluationXlsx',
      'criteriaReportDocx',
      'criteriaReportXlsx',
    ]);
    for (const [name, spec] of files) {
      const content = doc.paths[openapiPath(spec.url)]?.get?.responses['200']?.content;
      expect(Object.keys(content ?? {}), name).toEqual([spec.produces]);
      expect(content?.[spec.produces!], name).toMatchObject({ schema: { type: 'string', format: 'binary' } });
    }
  });

  it('registers no route outside the map (the reference UI under /api/docs aside)', () => {
    const registered = registeredRoutes(hub.app).filter((r) => !r.split(' ')[1]!.startsWith('/api/docs'));
    const inMap = specs.map(([, s]) => `${s.method} ${s.url}`);
    expect(registered.length).toBeGreaterThanOrEqual(inMap.length);
    expect(registered.filter((r) => !inMap.includes(r))).toEqual([]);
    expect(inMap.filter((r) => !registered.includes(r))).toEqual([]);
  });

  it('serves the browsable reference at /api/docs', async () => {
    const res = await fetch(`${hub.httpUrl}/api/docs`, { redirect: 'follow' });
    expect(res.status).toBe(200);
    expect(res.headers.get('content-type')).toMatch(/text\/html/);
    expect(await res.text()).toMatch(/swagger/i);
  });
});

describe('the typed client', () => {
  it('reads a file answer (the annex XLSX) as bytes, and builds its download link', async () => {
    const reader = admin;
    const bytes = await reader.criteriaEvaluationXlsx({
      params: { id: 'thanh-hoa-1829-2023' },
      query: { period: '2026-01' },
    });
    expect(bytes).toBeInstanceOf(ArrayBuffer);
    // A zip (XLSX): "PK\x03\x04".
    expect([...new Uint8Array(bytes).slice(0, 4)]).toEqual([0x50, 0x4b, 0x03, 0x04]);
    expect(routeUrl('criteriaReportDocx', { params: { id: 7 } })).toBe('/api/criteria-reports/7.docx');
    const missing = await reader.criteriaReportXlsx({ params: { id: 999 } }).catch((e: unknown) => e);
    expect(missing).toBeInstanceOf(HubApiError);
    expect((missing as HubApiError).code).toBe('HUB_ERR_NOT_FOUND');
  });

  it('provisions, reads and lists heartbeats newest first with order=desc', async () => {
    const creds = await admin.deviceCreate({
      body: { id: 'ct-ls-01', kind: 'loudspeaker', name: 'Loa thôn 1', village: 'Thôn 1' },
    });
    expect(creds.id).toBe('ct-ls-01');
    const device = await connectDevice(hub.mqttUrl, creds);
    try {
      const t0 = Date.now() - 10_000;
      for (let i = 0; i < 6; i++) await device.beat({ ts: t0 + i * 1000, seq: i });
    } finally {
      device.client.end();
    }
    const reader = admin;
    const newest = await reader.deviceHeartbeats({
      params: { id: 'ct-ls-01' },
      query: { limit: 3, order: 'desc' },
    });
    expect(newest.map((h) => h.seq)).toEqual([5, 4, 3]);
    const oldest = await reader.deviceHeartbeats({ params: { id: 'ct-ls-01' }, query: { limit: 2 } });
    expect(oldest.map((h) => h.seq)).toEqual([0, 1]);
    expect((await reader.deviceGet({ params: { id: 'ct-ls-01' } })).name).toBe('Loa thôn 1');
  });

  it('rejects an unknown order with HUB_ERR_VALIDATION', async () => {
    const res = await fetch(`${hub.httpUrl}/api/devices/ct-ls-01/heartbeats?order=sideways`, {
      headers: authHeaders(hub),
    });
    expect(res.status).toBe(400);
    expect(((await res.json()) as { code: string }).code).toBe('HUB_ERR_VALIDATION');
  });

  it('surfaces errors as HubApiError with the HUB_ERR_* code', async () => {
    const reader = createHubClient({ baseUrl: hub.httpUrl });
    const missing = await admin.deviceGet({ params: { id: 'nobody' } }).catch((e: unknown) => e);
    expect(missing).toBeInstanceOf(HubApiError);
    expect(missing).toMatchObject({ status: 404, code: 'HUB_ERR_DEVICE_NOT_FOUND', route: 'deviceGet' });

    const noToken = await reader
      .deviceUpdate({ params: { id: 'ct-ls-01' }, body: { name: 'x' } })
      .catch((e: unknown) => e);
    expect(noToken).toMatchObject({ status: 401, code: 'HUB_ERR_UNAUTHORIZED' });

    const invalid = await admin
      .deviceImport({ query: { dryRun: true }, body: 'id,kind,name,village\nBAD ID,nope,,\n' })
      .catch((e: unknown) => e);
    expect(invalid).toMatchObject({ status: 422, code: 'HUB_ERR_HTTP' });
    expect((invalid as HubApiError).body).toMatchObject({ dryRun: true, rows: 1 });

    const down = createHubClient({ baseUrl: 'http://127.0.0.1:9' });
    expect(await down.health().catch((e: unknown) => e)).toMatchObject({
      status: 0,
      code: 'HUB_ERR_UNREACHABLE',
    });
  });

  it('reads text routes and empty answers', async () => {
    expect(await admin.metrics()).toMatch(/^# HELP /m);
    const [w] = await admin.maintenanceCreate({
      body: { deviceIds: ['ct-ls-01'], from: '2026-01-01T00:00:00Z', to: '2026-01-01T01:00:00Z' },
    });
    expect(await admin.maintenanceDelete({ params: { id: w!.id } })).toBeNull();
  });
});
