import type { ProbeTarget } from '@commune-hub/protocol';
import snmp, { type Session, type Varbind } from 'net-snmp';
import type { VendorOid } from '../snmp-vendors.ts';
import { type ChildProbeResult, fault, type ProbeContext, ProbeTimeout } from './types.ts';

const SYS_UPTIME = '1.3.6.1.2.1.1.3.0';
const IF_OPER_STATUS = '1.3.6.1.2.1.2.2.1.8';
/** 64-bit counters (IF-MIB ifXTable) first; the 32-bit ones of ifTable when the agent has no ifXTable. */
const IF_HC_IN = '1.3.6.1.2.1.31.1.1.1.6';
const IF_HC_OUT = '1.3.6.1.2.1.31.1.1.1.10';
const IF_IN = '1.3.6.1.2.1.2.2.1.10';
const IF_OUT = '1.3.6.1.2.1.2.2.1.16';

interface CounterSample {
  at: number;
  inOctets: number;
  outOctets: number;
  upS: number;
}

/**
 * SNMP v2c/v3 (net-snmp): sysUpTime, ifOperStatus, traffic as rates between this cycle and the last,
 * and wifi clients through the vendor's OID. A wrong community or v3 key looks like a timeout to SNMP
 * (the agent stays silent), so it is reported as `snmp_error` with `timeout`.
 */
export async function probeSnmp(
  target: ProbeTarget,
  ctx: ProbeContext,
  vendors: ReadonlyMap<string, VendorOid>,
): Promise<ChildProbeResult> {
  const settings = target.snmp;
  if (!settings) return { metrics: {}, faults: ['probe_error'], health: 'fault' };
  // net-snmp retries on its own; its timeout is per request, so a walk gets a share of the deadline.
  const options = {
    port: target.port ?? 161,
    timeout: Math.max(200, Math.floor(ctx.timeoutMs / 4)),
    retries: 0,
  };
  let session: Session;
  if (settings.version === '3') {
    const level = settings.privKey
      ? snmp.SecurityLevel.authPriv
      : settings.authKey
        ? snmp.SecurityLevel.authNoPriv
        : snmp.SecurityLevel.noAuthNoPriv;
    session = snmp.createV3Session(
      target.address,
      {
        name: settings.user ?? '',
        level,
        ...(settings.authKey && {
          authProtocol: settings.authProtocol === 'md5' ? snmp.AuthProtocols.md5 : snmp.AuthProtocols.sha,
          authKey: settings.authKey,
        }),
        ...(settings.privKey && {
          privProtocol: settings.privProtocol === 'des' ? snmp.PrivProtocols.des : snmp.PrivProtocols.aes,
          privKey: settings.privKey,
        }),
      },
      { ...options, version: snmp.Version3 },
    );
  } else {
    session = snmp.createSession(target.address, settings.community ?? 'public', {
      ...options,
      version: snmp.Version2c,
    });
  }
  session.on('error', () => {}); // socket errors surface through the request callbacks
  const deadline = new Promise<never>((_, reject) => {
    const timer = setTimeout(() => reject(new ProbeTimeout(ctx.timeoutMs)), ctx.timeoutMs);
    timer.unref();
  });
  try {
    return await Promise.race([collect(session, target, ctx, vendors), deadline]);
  } catch (err) {
    const timeout = err instanceof ProbeTimeout || /timed? ?out/i.test((err as Error).message);
    const result = fault('snmp_error');
    result.faults.push(timeout ? 'timeout' : 'bad_response');
    return result;
  } finally {
    try {
      session.close();
    } catch {}
  }
}

async function collect(
  session: Session,
  target: ProbeTarget,
  ctx: ProbeContext,
  vendors: ReadonlyMap<string, VendorOid>,
): Promise<ChildProbeResult> {
  const started = performance.now();
  const [uptime] = await get(session, [SYS_UPTIME]);
  const latencyMs = Math.round((performance.now() - started) * 10) / 10;
  const upS = Math.floor(toNumber(uptime?.value) / 100);
  const oper = await walk(session, IF_OPER_STATUS);
  const ifUp = oper.filter((v) => toNumber(v.value) === 1).length;
  const ifDown = oper.filter((v) => toNumber(v.value) === 2).length;
  let inOctets = sum(await walk(session, IF_HC_IN));
  let outOctets = sum(await walk(session, IF_HC_OUT));
  if (inOctets === 0 && outOctets === 0) {
    inOctets = sum(await walk(session, IF_IN));
    outOctets = sum(await walk(session, IF_OUT));
  }
  const metrics: ChildProbeResult['metrics'] = { reachable: true, latencyMs, sysUpTimeS: upS, ifUp, ifDown };
  const now = ctx.now();
  const previous = ctx.memory.get('snmpCounters') as CounterSample | undefined;
  ctx.memory.set('snmpCounters', { at: now, inOctets, outOctets, upS } satisfies CounterSample);
  // A rate needs two samples of the same boot: after a reboot (uptime went back) counters restarted.
  if (previous && now > previous.at && upS >= previous.upS) {
    const seconds = (now - previous.at) / 1000;
    const rate = (a: number, b: number) =>
      a >= b ? Math.round((((a - b) * 8) / 1000 / seconds) * 10) / 10 : undefined;
    const rx = rate(inOctets, previous.inOctets);
    const tx = rate(outOctets, previous.outOctets);
    if (rx !== undefined) metrics.rxKbps = rx;
    if (tx !== undefined) metrics.txKbps = tx;
  }
  const faults: string[] = [];
  const vendorKey = target.snmp?.vendor;
  if (vendorKey) {
    const vendor = vendors.get(vendorKey);
    if (!vendor) faults.push('unknown_vendor');
    else {
      const clients = await countClients(session, vendor);
      if (clients !== undefined) metrics.clients = clients;
    }
  }
  return { metrics, faults, health: faults.length > 0 ? 'degraded' : 'ok', upS };
}

async function countClients(session: Session, vendor: VendorOid): Promise<number | undefined> {
  if (vendor.mode === 'value') {
    const [vb] = await get(session, [vendor.clientsOid]);
    return vb ? toNumber(vb.value) : undefined;
  }
  const rows = await walk(session, vendor.clientsOid);
  return vendor.mode === 'count' ? rows.length : sum(rows);
}

function get(session: Session, oids: string[]): Promise<Varbind[]> {
  return new Promise((resolve, reject) => {
    session.get(oids, (error, varbinds) => {
      if (error) return reject(error);
      resolve(varbinds.filter((vb) => !snmp.isVarbindError(vb)));
    });
  });
}

function walk(session: Session, oid: string): Promise<Varbind[]> {
  return new Promise((resolve, reject) => {
    const rows: Varbind[] = [];
    session.subtree(
      oid,
      20,
      (varbinds) => {
        for (const vb of varbinds) if (!snmp.isVarbindError(vb)) rows.push(vb);
        return rows.length > 4096; // stop a runaway table
      },
      (error) => (error ? reject(error) : resolve(rows)),
    );
  });
}

function sum(rows: Varbind[]): number {
  return rows.reduce((total, vb) => total + toNumber(vb.value), 0);
}

/** Counter64 values arrive as big-endian Buffers; the rest as numbers. */
export function toNumber(value: unknown): number {
  if (typeof value === 'number') return value;
  if (Buffer.isBuffer(value)) {
    let n = 0;
    for (const byte of value) n = n * 256 + byte;
    return n;
  }
  if (typeof value === 'bigint') return Number(value);
  return 0;
}
