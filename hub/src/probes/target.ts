import {
  isValidProbeAddress,
  type ProbeTarget,
  ProbeTarget as ProbeTargetSchema,
  type ProbeTargetView,
} from '@commune-hub/protocol';
import { Value } from '@sinclair/typebox/value';
import { HubError } from '../errors.ts';

/** The secret part of a target: what is sealed at rest and never returned by a read API. */
export interface ProbeSecrets {
  password?: string;
  community?: string;
  authKey?: string;
  privKey?: string;
}

export class ProbeConfigError extends HubError {
  constructor(
    readonly field: string,
    message: string,
  ) {
    super('HUB_ERR_PROBE_CONFIG', `probe config field "${field}": ${message}`);
  }
}

/** Splits a full target into what may be shown and what is sealed. */
export function splitSecrets(target: ProbeTarget): { publicPart: ProbeTarget; secrets: ProbeSecrets } {
  const { password, snmp, ...rest } = target;
  const secrets: ProbeSecrets = {};
  if (password !== undefined) secrets.password = password;
  let publicSnmp: ProbeTarget['snmp'];
  if (snmp) {
    const { community, authKey, privKey, ...snmpRest } = snmp;
    if (community !== undefined) secrets.community = community;
    if (authKey !== undefined) secrets.authKey = authKey;
    if (privKey !== undefined) secrets.privKey = privKey;
    publicSnmp = snmpRest;
  }
  return { publicPart: { ...rest, ...(publicSnmp && { snmp: publicSnmp }) }, secrets };
}

export function joinSecrets(publicPart: ProbeTarget, secrets: ProbeSecrets): ProbeTarget {
  const target: ProbeTarget = { ...publicPart };
  if (secrets.password !== undefined) target.password = secrets.password;
  if (target.snmp) {
    target.snmp = { ...target.snmp };
    if (secrets.community !== undefined) target.snmp.community = secrets.community;
    if (secrets.authKey !== undefined) target.snmp.authKey = secrets.authKey;
    if (secrets.privKey !== undefined) target.snmp.privKey = secrets.privKey;
  }
  return target;
}

/**
 * Checks a full target (credentials merged in) beyond its schema: what each probe type needs. Throws
 * HUB_ERR_PROBE_CONFIG naming the first bad field. Pure, tested against a table of cases.
 */
export function checkTarget(target: unknown): ProbeTarget {
  if (!Value.Check(ProbeTargetSchema, target)) {
    const first = Value.Errors(ProbeTargetSchema, target).First();
    const field = first ? first.path.replace(/^\//, '').replaceAll('/', '.') || '(body)' : '(body)';
    throw new ProbeConfigError(field, first?.message ?? 'does not match the schema');
  }
  if (!isValidProbeAddress(target.address)) {
    throw new ProbeConfigError('address', `"${target.address}" is not an IPv4 address or host name`);
  }
  const { type } = target;
  if (type === 'snmp') {
    const snmp = target.snmp;
    if (!snmp) throw new ProbeConfigError('snmp', 'an SNMP target needs snmp.version');
    if (snmp.version === '2c' && !snmp.community)
      throw new ProbeConfigError('snmp.community', 'SNMP v2c needs a community');
    if (snmp.version === '3') {
      if (!snmp.user) throw new ProbeConfigError('snmp.user', 'SNMP v3 needs a user');
      if (snmp.privKey && !snmp.authKey)
        throw new ProbeConfigError('snmp.authKey', 'SNMP v3 privacy needs an auth key too');
    }
  } else if (target.snmp) {
    throw new ProbeConfigError('snmp', `only for type snmp, not ${type}`);
  }
  if (type === 'tcp' && target.port === undefined) {
    throw new ProbeConfigError('port', 'a TCP probe needs a port');
  }
  if (type !== 'http' && (target.expectText || target.expectJsonField)) {
    throw new ProbeConfigError(target.expectText ? 'expectText' : 'expectJsonField', 'only for type http');
  }
  if (target.expectValue !== undefined && !target.expectJsonField) {
    throw new ProbeConfigError('expectValue', 'needs expectJsonField');
  }
  if (target.transport && type !== 'sip') throw new ProbeConfigError('transport', 'only for type sip');
  if (target.tls && type !== 'http') throw new ProbeConfigError('tls', 'only for type http');
  if (target.password && !target.username)
    throw new ProbeConfigError('username', 'a password needs a username');
  return target;
}

export function toView(
  deviceId: string,
  gateway: string | null,
  target: ProbeTarget,
  updatedAt: number,
): ProbeTargetView {
  const { publicPart, secrets } = splitSecrets(target);
  const { snmp, ...rest } = publicPart;
  return {
    deviceId,
    gateway,
    target: rest,
    ...(snmp && { snmp }),
    secretsSet: Object.keys(secrets).sort(),
    updatedAt: new Date(updatedAt).toISOString(),
  };
}
