import { existsSync, readFileSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { DEFAULT_INTERVAL_S, type DeviceKind, type LocationType } from '@commune-hub/protocol';
import { LineCounter, parseDocument } from 'yaml';
import { SimError } from '../errors.ts';
import { type BadActor, type DeviceGroup, ScenarioFile } from './schema.ts';
import { formatIssues, locate, type ScenarioIssue, schemaIssues, semanticIssues } from './validate.ts';

/** Folder of the scenarios shipped with the package (hoang-kim, son-tra, …). */
export const SCENARIOS_DIR = resolve(dirname(fileURLToPath(import.meta.url)), '../../scenarios');

/** One simulated device, fully resolved from its group. */
export interface SimDevice {
  id: string;
  kind: DeviceKind;
  name: string;
  villageId: string;
  /** The village's name: what the hub is told (`DeviceCreate.village`). */
  village: string;
  siteId?: string;
  siteName?: string;
  locationType?: LocationType;
  intervalS: number;
  model?: string;
  firmware?: string;
  params: Record<string, number>;
}

export interface Scenario {
  /** Where it was loaded from (absolute path), for messages. */
  file: string;
  name: string;
  commune: string;
  seed: number | string;
  utcOffsetH: number;
  villages: { id: string; name: string }[];
  devices: SimDevice[];
  badActors: BadActor[];
  /** The validated file as written, for the failure models and maintenance windows. */
  spec: ScenarioFile;
}

function resolveScenarioPath(pathOrName: string): string {
  const candidates = [pathOrName, join(SCENARIOS_DIR, pathOrName), join(SCENARIOS_DIR, `${pathOrName}.yaml`)];
  const found = candidates.find((p) => existsSync(p) && !p.endsWith('/'));
  if (!found) {
    throw new SimError(
      'SIM_ERR_SCENARIO_NOT_FOUND',
      `scenario "${pathOrName}" not found (looked for a file, then ${SCENARIOS_DIR}/${pathOrName}.yaml)`,
    );
  }
  return resolve(found);
}

function pad(n: number, width: number): string {
  return String(n).padStart(width, '0');
}

function expandGroup(spec: ScenarioFile, g: DeviceGroup): SimDevice[] {
  const villageName = new Map(spec.villages.map((v) => [v.id, v.name]));
  const sites = new Map((spec.sites ?? []).map((s) => [s.id, s]));
  const count = g.ids?.length ?? g.count ?? 0;
  const width = Math.max(2, String(count).length);
  const ids = g.ids ?? Array.from({ length: count }, (_, i) => `${g.idPrefix}-${pad(i + 1, width)}`);
  const allVillages = spec.villages.map((v) => v.id);
  return ids.map((id, i) => {
    let siteId: string | undefined;
    let villageId: string;
    if (g.site !== undefined || g.sites !== undefined) {
      siteId = g.site ?? g.sites![i % g.sites!.length]!;
      villageId = sites.get(siteId)!.village;
    } else if (g.village !== undefined) {
      villageId = g.village;
    } else {
      const list = g.villages === 'all' || g.villages === undefined ? allVillages : g.villages;
      villageId = list[i % list.length]!;
    }
    const site = siteId ? sites.get(siteId) : undefined;
    const village = villageName.get(villageId)!;
    const name = g.name
      .replaceAll('{n}', pad(i + 1, width))
      .replaceAll('{site}', site?.name ?? village)
      .replaceAll('{village}', village);
    return {
      id,
      kind: g.kind,
      name,
      villageId,
      village,
      ...(site && { siteId: site.id, siteName: site.name, locationType: site.locationType }),
      intervalS: g.intervalS ?? DEFAULT_INTERVAL_S[g.kind],
      ...(g.model && { model: g.model }),
      ...(g.firmware && { firmware: g.firmware }),
      params: g.metrics ?? {},
    };
  });
}

/** Validates and expands an already parsed scenario object. `file` is only used in messages. */
export function scenarioFromObject(
  value: unknown,
  file = '<inline>',
  locateIn?: (i: ScenarioIssue[]) => ScenarioIssue[],
): Scenario {
  const where = locateIn ?? ((i: ScenarioIssue[]) => i);
  let issues = schemaIssues(ScenarioFile, value);
  if (issues.length === 0) issues = semanticIssues(value as ScenarioFile);
  if (issues.length > 0) throw new SimError('SIM_ERR_SCENARIO_INVALID', formatIssues(file, where(issues)));
  const spec = value as ScenarioFile;
  const devices = spec.devices.flatMap((g) => expandGroup(spec, g));
  const dupes: ScenarioIssue[] = [];
  const seen = new Set<string>();
  for (const d of [...devices.map((x) => x.id), ...(spec.badActors ?? []).map((b) => b.id)]) {
    if (seen.has(d)) dupes.push({ path: '/devices', message: `device id "${d}" is used twice` });
    seen.add(d);
  }
  const f = spec.failures;
  const selectors = [
    ...(f?.flapping ?? []).map((m, i) => [`/failures/flapping/${i}/select`, m.select] as const),
    ...(f?.clockDrift ?? []).map((m, i) => [`/failures/clockDrift/${i}/select`, m.select] as const),
    ...(f?.neverUp ?? []).map((s, i) => [`/failures/neverUp/${i}`, s] as const),
    ...(f?.degraded ?? []).map((m, i) => [`/failures/degraded/${i}/select`, m.select] as const),
    ...(spec.maintenance ?? []).map((m, i) => [`/maintenance/${i}/select`, m.select] as const),
  ];
  for (const [path, sel] of selectors) {
    sel?.ids?.forEach((id, j) => {
      if (!seen.has(id)) dupes.push({ path: `${path}/ids/${j}`, message: `unknown device id "${id}"` });
    });
  }
  if (dupes.length > 0) throw new SimError('SIM_ERR_SCENARIO_INVALID', formatIssues(file, where(dupes)));
  return {
    file,
    name: spec.name,
    commune: spec.commune,
    seed: spec.seed,
    utcOffsetH: spec.utcOffsetH ?? 7,
    villages: spec.villages,
    devices,
    badActors: spec.badActors ?? [],
    spec,
  };
}

/** Parses YAML text into a validated scenario; errors name the file, line:col, path and what was expected. */
export function parseScenario(text: string, file = '<inline>'): Scenario {
  const lines = new LineCounter();
  const doc = parseDocument(text, { lineCounter: lines, prettyErrors: true });
  if (doc.errors.length > 0) {
    const msg = doc.errors.map((e) => `  ${file}: ${e.message.split('\n')[0]}`).join('\n');
    throw new SimError('SIM_ERR_SCENARIO_PARSE', `cannot parse scenario ${file} as YAML:\n${msg}`);
  }
  return scenarioFromObject(doc.toJS(), file, (issues) => locate(issues, doc, lines));
}

/** Loads a scenario by path, or by name from the shipped ones (`hoang-kim`, `district`, …). */
export function loadScenario(pathOrName: string): Scenario {
  const file = resolveScenarioPath(pathOrName);
  return parseScenario(readFileSync(file, 'utf8'), file);
}

/** Keeps the first `limit` devices (in file order), for smaller runs of a big scenario. */
export function limitDevices(scenario: Scenario, limit: number | undefined): Scenario {
  if (limit === undefined || limit >= scenario.devices.length) return scenario;
  return { ...scenario, devices: scenario.devices.slice(0, limit) };
}
