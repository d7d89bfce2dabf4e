import { type DeviceKind, type DeviceMeta, PROTOCOL_VERSION } from '@commune-hub/protocol';
import si from 'systeminformation';

const clip = (s: string): string | undefined => {
  const trimmed = s.replace(/\s+/g, ' ').trim().slice(0, 128);
  return trimmed === '' ? undefined : trimmed;
};

/** What this machine is, for the retained `meta` topic: hardware model and OS/BIOS as "firmware". */
export async function collectMeta(kind: DeviceKind, capabilities: readonly string[]): Promise<DeviceMeta> {
  const [system, osInfo, bios] = await Promise.all([si.system(), si.osInfo(), si.bios()]);
  const meta: DeviceMeta = { v: PROTOCOL_VERSION, kind, capabilities: capabilities.slice(0, 32) };
  const model = clip(`${system.manufacturer} ${system.model}`);
  if (model) meta.model = model;
  const biosPart = bios.version ? `; BIOS ${bios.vendor} ${bios.version}` : '';
  const firmware = clip(`${osInfo.distro} ${osInfo.release} (kernel ${osInfo.kernel})${biosPart}`);
  if (firmware) meta.firmware = firmware;
  return meta;
}
