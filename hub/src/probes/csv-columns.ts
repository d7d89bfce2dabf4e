import { DEFAULT_PROBE, type DeviceKind, type ProbeTarget } from '@commune-hub/protocol';
import { parse } from 'csv-parse/sync';
import { checkTarget } from './target.ts';

/** Extra columns of the device spreadsheet for a child's probe target (all optional). */
export const PROBE_CSV_COLUMNS = [
  'probe_type',
  'probe_address',
  'probe_port',
  'probe_path',
  'probe_interval_s',
  'probe_tls',
  'probe_transport',
  'probe_username',
  'probe_password',
  'probe_expect_text',
  'probe_json_field',
  'probe_expect_value',
  'snmp_version',
  'snmp_community',
  'snmp_user',
  'snmp_auth_protocol',
  'snmp_auth_key',
  'snmp_priv_protocol',
  'snmp_priv_key',
  'snmp_vendor',
] as const;

export interface ImportedTarget {
  line: number;
  id: string;
  target: ProbeTarget;
}

export interface ProbeImportPlan {
  targets: ImportedTarget[];
  errors: Array<{ line: number; id?: string; message: string }>;
}

/**
 * Reads the probe columns of a device spreadsheet. A row with `probe_address` gets a target; its type
 * and interval default to the kind's (protocol's DEFAULT_PROBE). Every refusal names the line and field.
 */
export function planProbeColumns(csv: string): ProbeImportPlan {
  let records: Array<Record<string, string>>;
  try {
    records = parse(csv, {
      columns: (h: string[]) => h.map((c) => c.trim().toLowerCase()),
      bom: true,
      skip_empty_lines: true,
      trim: true,
    });
  } catch {
    return { targets: [], errors: [] }; // the device import reports unreadable CSV itself
  }
  const plan: ProbeImportPlan = { targets: [], errors: [] };
  for (const [i, r] of records.entries()) {
    const line = i + 2;
    const filled = PROBE_CSV_COLUMNS.filter((c) => (r[c] ?? '') !== '');
    if (filled.length === 0) continue;
    const id = r.id ?? '';
    const fail = (message: string): void => {
      plan.errors.push({ line, ...(id && { id }), message });
    };
    if (!r.probe_address) {
      fail('probe columns need probe_address');
      continue;
    }
    if (!r.parent) {
      fail('a probed device needs its gateway in the parent column');
      continue;
    }
    const defaults = DEFAULT_PROBE[r.kind as DeviceKind];
    const type = r.probe_type || defaults?.type;
    if (!type) {
      fail(`probe_type is required for kind ${r.kind}`);
      continue;
    }
    const int = (v: string | undefined) => (v ? (/^\d+$/.test(v) ? Number(v) : v) : undefined);
    const target: Record<string, unknown> = {
      type,
      address: r.probe_address,
      intervalS: int(r.probe_interval_s) ?? defaults?.intervalS ?? 60,
    };
    const port = int(r.probe_port) ?? (r.probe_type ? undefined : defaults?.port);
    if (port !== undefined) target.port = port;
    const copy: Array<[string, string]> = [
      ['probe_path', 'path'],
      ['probe_transport', 'transport'],
      ['probe_username', 'username'],
      ['probe_password', 'password'],
      ['probe_expect_text', 'expectText'],
      ['probe_json_field', 'expectJsonField'],
      ['probe_expect_value', 'expectValue'],
    ];
    for (const [column, field] of copy) if (r[column]) target[field] = r[column];
    if (r.probe_tls) target.tls = ['1', 'true', 'yes', 'https'].includes(r.probe_tls.toLowerCase());
    if (r.snmp_version || type === 'snmp') {
      const snmp: Record<string, unknown> = { version: r.snmp_version || '2c' };
      const snmpCopy: Array<[string, string]> = [
        ['snmp_community', 'community'],
        ['snmp_user', 'user'],
        ['snmp_auth_protocol', 'authProtocol'],
        ['snmp_auth_key', 'authKey'],
        ['snmp_priv_protocol', 'privProtocol'],
        ['snmp_priv_key', 'privKey'],
        ['snmp_vendor', 'vendor'],
      ];
      for (const [column, field] of snmpCopy) if (r[column]) snmp[field] = r[column];
      target.snmp = snmp;
    }
    try {
      plan.targets.push({ line, id, target: checkTarget(target) });
    } catch (err) {
      fail((err as Error).message);
    }
  }
  return plan;
}
