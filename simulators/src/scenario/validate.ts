import { isValidDeviceId } from '@commune-hub/protocol';
import {
  type FileIssue,
  schemaIssues as fileSchemaIssues,
  locateIssues,
} from '@commune-hub/protocol/file-issues';
import { FormatRegistry, type TSchema } from '@sinclair/typebox';
import { COMPONENT_FAULTS, type ScenarioFile, type Selector } from './schema.ts';

if (!FormatRegistry.Has('date-time')) {
  FormatRegistry.Set('date-time', (v) =>
    /^\d{4}-\d\d-\d\dT\d\d:\d\d(:\d\d(\.\d+)?)?(Z|[+-]\d\d:\d\d)$/.test(v),
  );
}

/** One problem in a scenario file: where (JSON pointer and, when known, line:col) and what was expected. */
export type ScenarioIssue = FileIssue;

/** Schema problems of a scenario, one per path. */
export function schemaIssues(schema: TSchema, value: unknown): ScenarioIssue[] {
  return fileSchemaIssues(schema, value, 'scenario');
}

/** Checks that schema validation cannot: unique ids, references, faults that fit the kind. */
export function semanticIssues(file: ScenarioFile): ScenarioIssue[] {
  const issues: ScenarioIssue[] = [];
  const villages = new Set<string>();
  file.villages.forEach((v, i) => {
    if (villages.has(v.id))
      issues.push({ path: `/villages/${i}/id`, message: `duplicate village id "${v.id}"` });
    villages.add(v.id);
  });
  const sites = new Set<string>();
  (file.sites ?? []).forEach((s, i) => {
    if (sites.has(s.id)) issues.push({ path: `/sites/${i}/id`, message: `duplicate site id "${s.id}"` });
    sites.add(s.id);
    if (!villages.has(s.village))
      issues.push({ path: `/sites/${i}/village`, message: `unknown village "${s.village}"` });
  });
  const refCheck = (path: string, ref: string | undefined, set: Set<string>, what: string) => {
    if (ref !== undefined && !set.has(ref)) issues.push({ path, message: `unknown ${what} "${ref}"` });
  };
  file.devices.forEach((g, i) => {
    const p = `/devices/${i}`;
    if (g.count === undefined && g.ids === undefined)
      issues.push({ path: p, message: 'a device group needs `count` (with `idPrefix`) or `ids`' });
    if (g.count !== undefined && g.ids === undefined && g.idPrefix === undefined)
      issues.push({ path: `${p}/idPrefix`, message: '`count` needs an `idPrefix` to name the devices' });
    if (g.count !== undefined && g.ids !== undefined && g.count !== g.ids.length)
      issues.push({ path: `${p}/count`, message: `count ${g.count} does not match ${g.ids.length} ids` });
    const placements = [g.site, g.sites, g.village, g.villages].filter((x) => x !== undefined).length;
    if (placements !== 1)
      issues.push({ path: p, message: 'give exactly one of `site`, `sites`, `village`, `villages`' });
    refCheck(`${p}/site`, g.site, sites, 'site');
    g.sites?.forEach((s, j) => {
      refCheck(`${p}/sites/${j}`, s, sites, 'site');
    });
    refCheck(`${p}/village`, g.village, villages, 'village');
    if (Array.isArray(g.villages))
      g.villages.forEach((v, j) => {
        refCheck(`${p}/villages/${j}`, v, villages, 'village');
      });
  });
  const selectorCheck = (path: string, s: Selector | undefined) => {
    if (!s) return;
    refCheck(`${path}/village`, s.village, villages, 'village');
    refCheck(`${path}/site`, s.site, sites, 'site');
    s.ids?.forEach((id, j) => {
      if (!isValidDeviceId(id))
        issues.push({ path: `${path}/ids/${j}`, message: `invalid device id "${id}"` });
    });
  };
  const f = file.failures;
  f?.flapping?.forEach((m, i) => {
    selectorCheck(`/failures/flapping/${i}/select`, m.select);
  });
  f?.clockDrift?.forEach((m, i) => {
    selectorCheck(`/failures/clockDrift/${i}/select`, m.select);
  });
  f?.neverUp?.forEach((s, i) => {
    selectorCheck(`/failures/neverUp/${i}`, s);
  });
  f?.degraded?.forEach((m, i) => {
    selectorCheck(`/failures/degraded/${i}/select`, m.select);
    const kinds: readonly string[] = COMPONENT_FAULTS[m.fault as keyof typeof COMPONENT_FAULTS];
    if (m.kind && !kinds.includes(m.kind))
      issues.push({
        path: `/failures/degraded/${i}/kind`,
        message: `fault "${m.fault}" does not exist on kind "${m.kind}" (only ${kinds.join(', ')})`,
      });
  });
  f?.powerCuts?.forEach((m, i) => {
    if (Array.isArray(m.villages))
      m.villages.forEach((v, j) => {
        refCheck(`/failures/powerCuts/${i}/villages/${j}`, v, villages, 'village');
      });
  });
  file.maintenance?.forEach((m, i) => {
    selectorCheck(`/maintenance/${i}/select`, m.select);
    if ((m.from === undefined) === (m.afterMin === undefined))
      issues.push({
        path: `/maintenance/${i}`,
        message: 'give exactly one of `from` (ISO time) or `afterMin`',
      });
  });
  file.badActors?.forEach((b, i) => {
    refCheck(`/badActors/${i}/village`, b.village, villages, 'village');
    if (b.behaviour === 'spoof' && !b.target)
      issues.push({ path: `/badActors/${i}/target`, message: 'a spoofer needs a `target` device id' });
  });
  return issues;
}

/** Adds line:col from the YAML source to each issue whose path exists in the document. */
export const locate = locateIssues<ScenarioIssue>;

export function formatIssues(file: string, issues: ScenarioIssue[]): string {
  const lines = issues.map((i) => {
    const where = i.line ? `${file}:${i.line}:${i.col}` : file;
    return `  ${where} ${i.path}: ${i.message}`;
  });
  return `invalid scenario ${file} (${issues.length} problem${issues.length === 1 ? '' : 's'}):\n${lines.join('\n')}`;
}
