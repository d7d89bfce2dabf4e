import {
  CONTROL_CHARACTERS_MESSAGE,
  DeviceCreate,
  firstControlCharacter,
  isPlainText,
  LOCATION_TYPES,
  type LocationType,
  PLAIN_TEXT_PATTERN,
} from '@commune-hub/protocol';
import { TypeCompiler } from '@sinclair/typebox/compiler';
import { parse } from 'csv-parse/sync';
import { HubError } from '../errors.ts';
import { PROBE_CSV_COLUMNS } from '../probes/csv-columns.ts';
import type { Registry } from './registry.ts';
import { newCredentialsBulk } from './secrets.ts';

const deviceCheck = TypeCompiler.Compile(DeviceCreate);

/** Columns of a device spreadsheet. Only id, kind, name and village are required. */
export const CSV_COLUMNS = [
  'id',
  'kind',
  'name',
  'village',
  'site',
  'location_type',
  'interval_s',
  'parent',
  'tags',
] as const;

export interface ImportError {
  line: number;
  id?: string;
  message: string;
}

interface PlannedRow {
  line: number;
  device: DeviceCreate;
  /** A site to create first (named in the sheet with its location type, not known yet). */
  newSite?: { name: string; locationType: LocationType };
}

export interface ImportPlan {
  rows: number;
  errors: ImportError[];
  /** Things worth saying that do not stop the import (extra columns are ignored). */
  warnings: string[];
  planned: PlannedRow[];
}

/**
 * Reads a device spreadsheet exported as CSV (UTF-8, header row) and checks every row against the
 * protocol schema, the registry and the rest of the file. Reports every bad row, not just the first.
 */
export function planImport(csv: string, registry: Registry): ImportPlan {
  let records: Array<Record<string, string>>;
  try {
    records = parse(csv, {
      columns: (h: string[]) => h.map((c) => c.trim().toLowerCase()),
      bom: true,
      skip_empty_lines: true,
      trim: true,
    });
  } catch (err) {
    const e = err as Error & { lines?: number };
    return {
      rows: 0,
      errors: [{ line: e.lines ?? 0, message: `not readable as CSV: ${e.message}` }],
      warnings: [],
      planned: [],
    };
  }
  const errors: ImportError[] = [];
  const header = records.length > 0 ? Object.keys(records[0]!) : [];
  const missing = ['id', 'kind', 'name', 'village'].filter((c) => !header.includes(c));
  if (records.length > 0 && missing.length > 0) {
    return {
      rows: records.length,
      errors: [{ line: 1, message: `missing column(s): ${missing.join(', ')}` }],
      warnings: [],
      planned: [],
    };
  }
  const warnings: string[] = [];
  const known: readonly string[] = [...CSV_COLUMNS, ...PROBE_CSV_COLUMNS];
  const unknownCols = header.filter((c) => !known.includes(c));
  if (unknownCols.length > 0) warnings.push(`column(s) ignored: ${unknownCols.join(', ')}`);

  const seen = new Map<string, number>();
  const gatewaysInFile = new Set<string>();
  const planned: PlannedRow[] = [];
  records.forEach((r, i) => {
    const line = i + 2;
    const problems: string[] = [];
    const device: Record<string, unknown> = { id: r.id, kind: r.kind, name: r.name, village: r.village };
    if (r.interval_s) {
      const n = Number(r.interval_s);
      device.intervalS = Number.isFinite(n) ? n : r.interval_s;
    }
    if (r.parent) device.parent = r.parent;
    if (r.tags)
      device.tags = r.tags
        .split(';')
        .map((t) => t.trim())
        .filter(Boolean);
    let newSite: PlannedRow['newSite'];
    if (r.site && !isPlainText(r.site)) {
      problems.push(`site: ${CONTROL_CHARACTERS_MESSAGE} (found ${firstControlCharacter(r.site)})`);
    } else if (r.site) {
      const village = registry.places.resolveVillage(r.village ?? '', false);
      const known = registry.places.site(r.site);
      if (known) {
        device.site = known.id;
        if (village && known.villageId !== village.id)
          problems.push(`site ${known.id} is in village ${known.villageId}`);
      } else if (r.location_type && (LOCATION_TYPES as readonly string[]).includes(r.location_type)) {
        newSite = { name: r.site, locationType: r.location_type as LocationType };
      } else {
        problems.push(
          `site "${r.site}" is unknown: give its location_type (${LOCATION_TYPES.join(', ')}) to create it`,
        );
      }
    }
    if (!deviceCheck.Check(device)) {
      for (const e of deviceCheck.Errors(device)) {
        const text = typeof e.value === 'string' ? e.value : '';
        // The same words as the API's HUB_ERR_CONTROL_CHARACTERS, naming the character found.
        const message =
          (e.schema as { pattern?: string }).pattern === PLAIN_TEXT_PATTERN
            ? `${CONTROL_CHARACTERS_MESSAGE} (found ${firstControlCharacter(text)})`
            : e.message;
        problems.push(`${e.path.slice(1) || 'row'}: ${message}`);
      }
    }
    const id = typeof r.id === 'string' ? r.id : '';
    if (seen.has(id)) problems.push(`id ${id} is also on line ${seen.get(id)}`);
    else seen.set(id, line);
    if (id && registry.get(id)) problems.push(`device ${id} already exists`);
    if (r.parent && !gatewaysInFile.has(r.parent) && registry.get(r.parent)?.kind !== 'gateway') {
      problems.push(`parent ${r.parent} is not a gateway registered before this line`);
    }
    if (r.kind === 'gateway') gatewaysInFile.add(id);
    if (problems.length > 0) errors.push({ line, id: id || undefined, message: problems.join('; ') });
    else planned.push({ line, device: device as DeviceCreate, ...(newSite && { newSite }) });
  });
  return { rows: records.length, errors, warnings, planned };
}

/** Creates the planned devices (and their new sites) in one transaction. Call only on a plan without errors. */
export async function applyImport(
  plan: ImportPlan,
  registry: Registry,
  now: number,
  hashConcurrency = 1,
): Promise<Array<{ id: string; secret: string }>> {
  // Hash every secret first, a bounded few at a time so device logins keep the thread pool (see
  // newCredentialsBulk); then write everything in one synchronous transaction.
  const credentials = await newCredentialsBulk(plan.planned.length, hashConcurrency);
  // Nothing runs between this check and the transaction: a device provisioned while the secrets were
  // hashed fails the whole import here, before the registry's memory and database could part ways.
  const taken = plan.planned.filter((row) => registry.get(row.device.id)).map((row) => row.device.id);
  if (taken.length > 0)
    throw new HubError('HUB_ERR_DEVICE_EXISTS', `provisioned meanwhile: ${taken.join(', ')}`);
  const created: Array<{ id: string; secret: string }> = [];
  // One transaction; the registry's maps change only if it commits (a failed row leaves them as they were).
  registry.transaction(() => {
    for (const [i, row] of plan.planned.entries()) {
      const device = { ...row.device };
      if (row.newSite) {
        const village = registry.places.resolveVillage(device.village, true)!;
        const existing = registry.places
          .listSites()
          .find((s) => s.villageId === village.id && s.name === row.newSite!.name);
        device.site = (
          existing ??
          registry.places.addSite({
            name: row.newSite.name,
            villageId: village.id,
            locationType: row.newSite.locationType,
          })
        ).id;
      }
      const { record, secret } = registry.create(device, now, credentials[i]!);
      created.push({ id: record.id, secret });
    }
  });
  return created;
}
