import type { DeviceKind, ProbeType } from '@commune-hub/protocol';
import snmp from 'net-snmp';
import { createLimit } from './limit.ts';
import { probeIcmpBatch } from './probes/icmp.ts';
import { connectLatency } from './probes/tcp.ts';

/** Largest range scanned without --force: a /22 (1024 addresses) is a big commune office LAN. */
export const MAX_PREFIX_WITHOUT_FORCE = 22;

export interface Cidr {
  base: number;
  prefix: number;
}

/** Parses `a.b.c.d/n` (IPv4 only). Throws a readable error for anything else. */
export function parseCidr(text: string): Cidr {
  const match = /^(\d{1,3})\.(\d{1,3})\.(\d{1,3})\.(\d{1,3})\/(\d{1,2})$/.exec(text.trim());
  if (!match) throw new Error(`--range must be an IPv4 CIDR like 192.168.1.0/24, got "${text}"`);
  const octets = match.slice(1, 5).map(Number);
  const prefix = Number(match[5]);
  if (octets.some((o) => o > 255) || prefix > 32) throw new Error(`--range "${text}" is not a valid CIDR`);
  const ip = octets.reduce((acc, o) => acc * 256 + o, 0);
  const size = 2 ** (32 - prefix);
  return { base: Math.floor(ip / size) * size, prefix };
}

/** The addresses a scan of this range touches: every host address, nothing outside the range. */
export function hostsOf(cidr: Cidr): string[] {
  const size = 2 ** (32 - cidr.prefix);
  // Network and broadcast addresses are not hosts, except in /31 and /32.
  const first = size > 2 ? 1 : 0;
  const last = size > 2 ? size - 2 : size - 1;
  const out: string[] = [];
  for (let i = first; i <= last; i++) out.push(toIp(cidr.base + i));
  return out;
}

function toIp(n: number): string {
  return [24, 16, 8, 0].map((shift) => Math.floor(n / 2 ** shift) % 256).join('.');
}

export interface Found {
  address: string;
  icmp: boolean;
  rtsp: boolean;
  http: boolean;
  https: boolean;
  snmp: boolean;
}

/** Kind and default probe guessed from what answered; the official checks it before importing. */
export function guess(found: Found): { kind: DeviceKind; probe: ProbeType; port?: number } {
  if (found.rtsp) return { kind: 'camera', probe: 'rtsp', port: 554 };
  if (found.snmp) return { kind: 'wifi', probe: 'snmp', port: 161 };
  if (found.http) return { kind: 'loudspeaker', probe: 'http', port: 80 };
  if (found.https) return { kind: 'loudspeaker', probe: 'http', port: 443 };
  return { kind: 'display', probe: 'icmp' };
}

export interface DiscoverOptions {
  timeoutMs: number;
  community: string;
  concurrency: number;
  /** Ports, so the tests can point the scan at loopback servers on free ports. */
  ports?: { rtsp: number; http: number; https: number; snmp: number };
}

/** Tries ICMP, RTSP 554, HTTP 80/443 and SNMP 161 on exactly the given addresses. */
export async function discover(addresses: readonly string[], options: DiscoverOptions): Promise<Found[]> {
  const ports = options.ports ?? { rtsp: 554, http: 80, https: 443, snmp: 161 };
  const pings = await probeIcmpBatch(addresses, { count: 1, timeoutMs: options.timeoutMs });
  const limit = createLimit(options.concurrency);
  const tcp = (address: string, port: number) =>
    limit(() =>
      connectLatency(address, port, options.timeoutMs).then(
        () => true,
        () => false,
      ),
    );
  const found = await Promise.all(
    addresses.map(async (address) => {
      const [rtsp, http, https, snmpOk] = await Promise.all([
        tcp(address, ports.rtsp),
        tcp(address, ports.http),
        tcp(address, ports.https),
        limit(() => snmpAnswers(address, ports.snmp, options.community, options.timeoutMs)),
      ]);
      return {
        address,
        icmp: pings.get(address)?.metrics.reachable === true,
        rtsp,
        http,
        https,
        snmp: snmpOk,
      };
    }),
  );
  return found.filter((f) => f.icmp || f.rtsp || f.http || f.https || f.snmp);
}

function snmpAnswers(address: string, port: number, community: string, timeoutMs: number): Promise<boolean> {
  return new Promise((resolve) => {
    const session = snmp.createSession(address, community, {
      port,
      timeout: timeoutMs,
      retries: 0,
      version: snmp.Version2c,
    });
    session.on('error', () => {});
    session.get(['1.3.6.1.2.1.1.1.0'], (error) => {
      try {
        session.close();
      } catch {}
      resolve(!error);
    });
  });
}

/** A CSV in the hub's import format: id suggested, kind guessed, name and village left to fill. */
export function toImportCsv(found: readonly Found[]): string {
  const lines = ['id,kind,name,village,parent,probe_type,probe_address,probe_port'];
  for (const f of found) {
    const g = guess(f);
    const id = `${g.kind}-${f.address.replaceAll('.', '-')}`;
    lines.push([id, g.kind, '', '', '', g.probe, f.address, g.port ?? ''].join(','));
  }
  return `${lines.join('\n')}\n`;
}
