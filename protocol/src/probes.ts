import { type Static, Type } from '@sinclair/typebox';
import { DeviceId, type DeviceKind, DeviceKind as DeviceKindSchema } from './device.ts';

/**
 * Gateway probes: a gateway (a PC or a Raspberry Pi in the commune office) watches the devices that cannot
 * run an agent and publishes their heartbeats under their own ids (protocol v1, unchanged). What to probe
 * is set per child device in the hub and delivered to the gateway as one retained `cmd` message.
 */
export const PROBE_TYPES = ['icmp', 'tcp', 'http', 'rtsp', 'snmp', 'sip'] as const;
export const ProbeType = Type.Union(PROBE_TYPES.map((t) => Type.Literal(t)));
export type ProbeType = Static<typeof ProbeType>;

/** The shortest probe interval: a gateway probing hundreds of children must not flood them or itself. */
export const MIN_PROBE_INTERVAL_S = 10;
export const MAX_PROBE_INTERVAL_S = 86_400;

/** An IPv4 address or a DNS name (letters, digits, dots, hyphens). IPv6 in brackets is not supported yet. */
export const PROBE_ADDRESS_PATTERN =
  '^(?:(?:25[0-5]|2[0-4]\\d|1\\d\\d|[1-9]?\\d)(?:\\.(?:25[0-5]|2[0-4]\\d|1\\d\\d|[1-9]?\\d)){3}|(?![0-9.]+$)(?=[a-zA-Z0-9.-]{1,253}$)[a-zA-Z0-9](?:[a-zA-Z0-9-]{0,61}[a-zA-Z0-9])?(?:\\.[a-zA-Z0-9](?:[a-zA-Z0-9-]{0,61}[a-zA-Z0-9])?)*)$';
const probeAddressRe = new RegExp(PROBE_ADDRESS_PATTERN);
export function isValidProbeAddress(address: string): boolean {
  // A name made only of digits and dots must be a well-formed IPv4 address (10.0.0.256 is a typo, not a host):
  // the pattern's host-name branch refuses all-numeric names.
  return probeAddressRe.test(address);
}

export const SnmpSettings = Type.Object(
  {
    version: Type.Union([Type.Literal('2c'), Type.Literal('3')]),
    /** v2c community (a credential: encrypted at rest, never returned by read APIs). */
    community: Type.Optional(Type.String({ minLength: 1, maxLength: 64 })),
    /** v3 user (USM) with authPriv or authNoPriv. */
    user: Type.Optional(Type.String({ minLength: 1, maxLength: 64 })),
    authProtocol: Type.Optional(Type.Union([Type.Literal('sha'), Type.Literal('md5')])),
    authKey: Type.Optional(Type.String({ minLength: 8, maxLength: 128 })),
    privProtocol: Type.Optional(Type.Union([Type.Literal('aes'), Type.Literal('des')])),
    privKey: Type.Optional(Type.String({ minLength: 8, maxLength: 128 })),
    /** Key of the vendor OID map (agents/src/gateway/snmp-vendors.json) used to count wifi clients. */
    vendor: Type.Optional(Type.String({ pattern: '^[a-z0-9-]{1,32}$' })),
  },
  { additionalProperties: false },
);
export type SnmpSettings = Static<typeof SnmpSettings>;

/** The fields of a probe target that are secrets: stored encrypted, sent only to the child's gateway. */
export const PROBE_SECRET_FIELDS = ['password', 'community', 'authKey', 'privKey'] as const;

/** A child's probe target as the gateway receives it (credentials included). */
export const ProbeTarget = Type.Object(
  {
    type: ProbeType,
    address: Type.String({ pattern: PROBE_ADDRESS_PATTERN, maxLength: 253 }),
    port: Type.Optional(Type.Integer({ minimum: 1, maximum: 65535 })),
    /** HTTP path or RTSP stream path (`/Streaming/Channels/101`). */
    path: Type.Optional(Type.String({ pattern: '^/[\\x21-\\x7e]{0,511}$' })),
    /** http: `https` to use TLS (and report the certificate's days to expiry); sip: `udp` (default) or `tcp`. */
    tls: Type.Optional(Type.Boolean()),
    transport: Type.Optional(Type.Union([Type.Literal('udp'), Type.Literal('tcp')])),
    username: Type.Optional(Type.String({ minLength: 1, maxLength: 64 })),
    password: Type.Optional(Type.String({ minLength: 1, maxLength: 128 })),
    intervalS: Type.Integer({ minimum: MIN_PROBE_INTERVAL_S, maximum: MAX_PROBE_INTERVAL_S }),
    /** HTTP: the body must contain this text. */
    expectText: Type.Optional(Type.String({ minLength: 1, maxLength: 256 })),
    /** HTTP: this dotted JSON field of the body must exist (and equal `expectValue` when given). */
    expectJsonField: Type.Optional(Type.String({ pattern: '^[A-Za-z0-9_]+(\\.[A-Za-z0-9_]+){0,7}$' })),
    expectValue: Type.Optional(Type.String({ maxLength: 256 })),
    snmp: Type.Optional(SnmpSettings),
    timeoutMs: Type.Optional(Type.Integer({ minimum: 100, maximum: 30_000 })),
  },
  { additionalProperties: false },
);
export type ProbeTarget = Static<typeof ProbeTarget>;

/** Body of `PUT /api/devices/:id/probe`: the same as what the gateway gets. */
export const ProbeTargetInput = ProbeTarget;
export type ProbeTargetInput = ProbeTarget;

/** What read APIs return: the target without its secrets, and which secrets are set. */
export const ProbeTargetView = Type.Object({
  deviceId: DeviceId,
  gateway: Type.Union([DeviceId, Type.Null()]),
  target: Type.Omit(ProbeTarget, ['password', 'snmp']),
  snmp: Type.Optional(Type.Omit(SnmpSettings, ['community', 'authKey', 'privKey'])),
  /** Names of the secret fields that are set (their values are never returned). */
  secretsSet: Type.Array(Type.String()),
  updatedAt: Type.String(),
});
export type ProbeTargetView = Static<typeof ProbeTargetView>;

export const PROBE_CONFIG_VERSION = 1;

/**
 * `commune/v1/{gatewayId}/cmd`, retained, QoS 1, from the hub: the whole probe configuration of one
 * gateway. `rev` grows with every change so a gateway can tell a newer config from a replay.
 */
export const ProbeConfigMessage = Type.Object(
  {
    v: Type.Literal(PROBE_CONFIG_VERSION),
    type: Type.Literal('probeConfig'),
    gateway: DeviceId,
    rev: Type.Integer({ minimum: 0 }),
    issuedAt: Type.Integer({ minimum: 0 }),
    children: Type.Array(
      Type.Object(
        { id: DeviceId, kind: DeviceKindSchema, target: ProbeTarget },
        { additionalProperties: false },
      ),
      { maxItems: 5000 },
    ),
  },
  { additionalProperties: false },
);
export type ProbeConfigMessage = Static<typeof ProbeConfigMessage>;

/** Everything the hub sends on a device's `cmd` topic (one message type today). */
export const CommandMessage = ProbeConfigMessage;

/** Metric names a probe puts in a child's heartbeat `m` (and a gateway in its own). */
export const PROBE_METRICS = {
  reachable: 'the target answered (boolean)',
  rttMs: 'ICMP round-trip time, average over the pings (ms)',
  lossPct: 'ICMP packets lost (%)',
  latencyMs: 'time to connect / answer (ms)',
  httpStatus: 'HTTP status code',
  tlsDaysLeft: "days until the TLS certificate's expiry",
  contentOk: 'the expected text or JSON field was found (boolean)',
  streamOk: 'RTSP DESCRIBE answered 200 with a media description (boolean)',
  codec: 'video codec named in the SDP (H264, H265, JPEG...)',
  rtspStatus: 'RTSP status code of DESCRIBE',
  sysUpTimeS: "SNMP sysUpTime: seconds since the device's agent started",
  ifUp: 'SNMP interfaces with ifOperStatus up',
  ifDown: 'SNMP interfaces with ifOperStatus down',
  rxKbps: 'received traffic over all interfaces since the last cycle (kbit/s)',
  txKbps: 'sent traffic over all interfaces since the last cycle (kbit/s)',
  clients: 'wifi clients associated (vendor OID)',
  sipStatus: 'SIP response code to OPTIONS',
  probeChildren: 'gateway: children it probes',
  probeCycleMs: 'gateway: duration of the last probe cycle (ms)',
  probeConfigRev: 'gateway: revision of the probe config in use',
} as const;
export type ProbeMetric = keyof typeof PROBE_METRICS;

/** Fault codes in a child's heartbeat `faults` (and the gateway's own, for a config it cannot use). */
export const PROBE_FAULTS = [
  'unreachable',
  'packet_loss',
  'timeout',
  'refused',
  'reset',
  'bad_response',
  'http_status',
  'content_mismatch',
  'tls_expiring',
  'tls_expired',
  'auth_failed',
  'stream_down',
  'snmp_error',
  'unknown_vendor',
  'sip_error',
  'probe_error',
  'probe_config_invalid',
] as const;
export type ProbeFault = (typeof PROBE_FAULTS)[number];

/** Days to expiry under which an HTTPS target reports `tls_expiring`. */
export const TLS_EXPIRY_WARN_DAYS = 14;

/** Default probe for a kind, when the device record names only an address. */
export const DEFAULT_PROBE: Partial<
  Record<DeviceKind, { type: ProbeType; port?: number; intervalS: number }>
> = {
  camera: { type: 'rtsp', port: 554, intervalS: 60 },
  wifi: { type: 'snmp', port: 161, intervalS: 60 },
  loudspeaker: { type: 'http', port: 80, intervalS: 60 },
  conference: { type: 'sip', port: 5060, intervalS: 60 },
  display: { type: 'icmp', intervalS: 60 },
  uplink: { type: 'icmp', intervalS: 30 },
};
