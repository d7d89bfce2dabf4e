import { readFileSync } from 'node:fs';

export interface VendorOid {
  name: string;
  clientsOid: string;
  mode: 'value' | 'sum' | 'count';
  verified: boolean;
}

/** The vendor OID map shipped as data (snmp-vendors.json), or another file given to the gateway. */
export function loadVendorMap(
  file = new URL('./snmp-vendors.json', import.meta.url),
): Map<string, VendorOid> {
  const raw = JSON.parse(readFileSync(file, 'utf8')) as Record<string, unknown>;
  const map = new Map<string, VendorOid>();
  for (const [key, value] of Object.entries(raw)) {
    if (key.startsWith('$')) continue;
    const v = value as Partial<VendorOid>;
    if (typeof v.clientsOid !== 'string' || !/^\d+(\.\d+)+$/.test(v.clientsOid)) continue;
    if (v.mode !== 'value' && v.mode !== 'sum' && v.mode !== 'count') continue;
    map.set(key, {
      name: v.name ?? key,
      clientsOid: v.clientsOid,
      mode: v.mode,
      verified: v.verified === true,
    });
  }
  return map;
}
