import fs from 'node:fs';
import { parseArgs } from 'node:util';
import {
  DEFAULT_INTERVAL_S,
  DEVICE_ID_PATTERN,
  DEVICE_KINDS,
  type DeviceKind,
  isValidDeviceId,
} from '@commune-hub/protocol';
import { AGENT_ERROR_CODES, AgentError } from './errors.ts';

export interface AgentConfig {
  /** Broker URL, e.g. mqtt://hub.local:1883 or mqtts://hub.example:8883. */
  hubUrl: string;
  /** PEM file of the CA that signed the hub's certificate (a commune's own CA), for mqtts:// and wss://. */
  caFile?: string;
  /** This device's client certificate and key (PEM), for a hub that asks for one (HUB_TLS_CA: mutual TLS). */
  certFile?: string;
  keyFile?: string;
  id: string;
  secret: string;
  kind: DeviceKind;
  intervalS: number;
  /** Folder holding the spool and the persisted seq; created when missing. */
  spoolDir: string;
  /** When set (pc/kiosk), each heartbeat measures an HTTP HEAD to this URL. */
  portalUrl?: string;
  portalTimeoutMs: number;
  /** Process names that must be running (pc/kiosk), e.g. the antivirus and the one-stop-shop app. */
  expectProcesses: string[];
  spoolMaxEntries: number;
  spoolMaxBytes: number;
  /** Most heartbeats published and not yet acknowledged at once. */
  inflightWindow: number;
  reconnectMs: number;
  keepaliveS: number;
  logLevel: string;
  /** Gateway mode (kind gateway): most probes in flight at once. */
  probeConcurrency: number;
  /** Gateway mode: default timeout of one probe (ms). */
  probeTimeoutMs: number;
}

export const CONFIG_DEFAULTS = {
  spoolDir: './agent-spool',
  portalTimeoutMs: 5000,
  spoolMaxEntries: 10_000,
  spoolMaxBytes: 8 * 1024 * 1024,
  inflightWindow: 10,
  reconnectMs: 5000,
  keepaliveS: 30,
  logLevel: 'info',
  probeConcurrency: 64,
  probeTimeoutMs: 5000,
} as const;

export const HELP_TEXT = `commune-agent: publishes this machine's health to a Commune Hub over MQTT.

Usage: npm run agent -- --hub mqtt://host:1883 --id hk-kiosk-01 --secret S --kind kiosk [options]

Required (flag or environment variable):
  --hub URL               broker URL (mqtt://, mqtts://, ws://, wss://)         HUB_AGENT_HUB
  --id ID                 device id, ${DEVICE_ID_PATTERN}                        HUB_AGENT_ID
  --ca FILE               CA certificate (PEM) the hub's TLS certificate is     HUB_AGENT_CA
                          checked against (mqtts:// with a commune's own CA)
  --cert FILE --key FILE  this device's client certificate and key (PEM), for   HUB_AGENT_CERT
                          a hub that asks for one (mutual TLS)                  HUB_AGENT_KEY
  --secret S              device secret from provisioning (prefer the env var)  HUB_AGENT_SECRET
  --kind KIND             ${DEVICE_KINDS.join('|')}
                                                                                HUB_AGENT_KIND
Options:
  --interval S            heartbeat interval in seconds (default: per kind)     HUB_AGENT_INTERVAL
  --spool DIR             spool + seq folder (default ${CONFIG_DEFAULTS.spoolDir})              HUB_AGENT_SPOOL
  --portal-url URL        measure HTTP HEAD latency to this URL (pc/kiosk)      HUB_AGENT_PORTAL_URL
  --portal-timeout-ms N   portal probe timeout (default ${CONFIG_DEFAULTS.portalTimeoutMs})                HUB_AGENT_PORTAL_TIMEOUT_MS
  --expect-process NAME   process that must run (pc/kiosk); repeatable          HUB_AGENT_EXPECT_PROCESS (comma-separated)
  --spool-max-entries N   spool cap in heartbeats (default ${CONFIG_DEFAULTS.spoolMaxEntries})            HUB_AGENT_SPOOL_MAX_ENTRIES
  --spool-max-bytes N     spool cap in bytes (default ${CONFIG_DEFAULTS.spoolMaxBytes})               HUB_AGENT_SPOOL_MAX_BYTES
  --window N              heartbeats in flight at once (default ${CONFIG_DEFAULTS.inflightWindow})             HUB_AGENT_WINDOW
  --reconnect-ms N        delay between reconnect attempts (default ${CONFIG_DEFAULTS.reconnectMs})        HUB_AGENT_RECONNECT_MS
  --keepalive S           MQTT keepalive in seconds (default ${CONFIG_DEFAULTS.keepaliveS})               HUB_AGENT_KEEPALIVE
  --log-level LEVEL       pino level (default ${CONFIG_DEFAULTS.logLevel})                           HUB_AGENT_LOG_LEVEL
Gateway mode (--kind gateway: probes the children configured in the hub, see agents/README.md):
  --probe-concurrency N   probes in flight at once (default ${CONFIG_DEFAULTS.probeConcurrency})          HUB_AGENT_PROBE_CONCURRENCY
  --probe-timeout-ms N    timeout of one probe (default ${CONFIG_DEFAULTS.probeTimeoutMs})                HUB_AGENT_PROBE_TIMEOUT_MS
Discovery: npm run agent -- discover --range 192.168.1.0/24 [--force] [--timeout-ms N]
  -h, --help              show this help
Flags win over environment variables.`;

const OPTIONS = {
  hub: { type: 'string' },
  ca: { type: 'string' },
  cert: { type: 'string' },
  key: { type: 'string' },
  id: { type: 'string' },
  secret: { type: 'string' },
  kind: { type: 'string' },
  interval: { type: 'string' },
  spool: { type: 'string' },
  'portal-url': { type: 'string' },
  'portal-timeout-ms': { type: 'string' },
  'expect-process': { type: 'string', multiple: true },
  'spool-max-entries': { type: 'string' },
  'spool-max-bytes': { type: 'string' },
  window: { type: 'string' },
  'reconnect-ms': { type: 'string' },
  keepalive: { type: 'string' },
  'log-level': { type: 'string' },
  'probe-concurrency': { type: 'string' },
  'probe-timeout-ms': { type: 'string' },
  help: { type: 'boolean', short: 'h' },
} as const;

type OptionName = Exclude<keyof typeof OPTIONS, 'help'>;

export type ParsedCli = { help: true } | { help: false; config: AgentConfig };

function configError(message: string): AgentError {
  return new AgentError(AGENT_ERROR_CODES.config, `${message} (see --help)`);
}

function envName(option: OptionName): string {
  return `HUB_AGENT_${option.toUpperCase().replaceAll('-', '_')}`;
}

/** Parses flags, then falls back to HUB_AGENT_* variables. Throws AgentError HUB_ERR_AGENT_CONFIG on bad input. */
export function parseAgentCli(argv: string[], env: NodeJS.ProcessEnv = process.env): ParsedCli {
  let values: ReturnType<typeof parseArgs<{ options: typeof OPTIONS }>>['values'];
  try {
    ({ values } = parseArgs({ args: argv, options: OPTIONS, strict: true, allowPositionals: false }));
  } catch (err) {
    throw configError((err as Error).message);
  }
  if (values.help) return { help: true };

  const pick = (name: OptionName): string | undefined => {
    const flag = values[name];
    if (typeof flag === 'string') return flag;
    const fromEnv = env[envName(name)];
    return fromEnv === undefined || fromEnv === '' ? undefined : fromEnv;
  };
  const required = (name: OptionName): string => {
    const value = pick(name);
    if (value === undefined) throw configError(`missing --${name} (or ${envName(name)})`);
    return value;
  };
  const positiveInt = (name: OptionName, fallback: number, max = Number.MAX_SAFE_INTEGER): number => {
    const raw = pick(name);
    if (raw === undefined) return fallback;
    const n = Number(raw);
    if (!/^\d+$/.test(raw.trim()) || !Number.isSafeInteger(n) || n < 1 || n > max) {
      throw configError(`--${name} must be an integer between 1 and ${max}, got "${raw}"`);
    }
    return n;
  };

  const hubUrl = required('hub');
  let protocol: string;
  try {
    protocol = new URL(hubUrl).protocol;
  } catch {
    throw configError(`--hub is not a URL: "${hubUrl}"`);
  }
  if (!['mqtt:', 'mqtts:', 'ws:', 'wss:', 'tcp:', 'tls:'].includes(protocol)) {
    throw configError(`--hub must be an mqtt://, mqtts://, ws:// or wss:// URL, got "${hubUrl}"`);
  }

  const caFile = pick('ca');
  if (caFile !== undefined) {
    if (protocol !== 'mqtts:' && protocol !== 'wss:' && protocol !== 'tls:') {
      throw configError(`--ca is for mqtts:// or wss:// hubs, got "${hubUrl}"`);
    }
    try {
      fs.accessSync(caFile, fs.constants.R_OK);
    } catch {
      throw configError(`--ca: cannot read "${caFile}"`);
    }
  }

  const certFile = pick('cert');
  const keyFile = pick('key');
  if (certFile !== undefined || keyFile !== undefined) {
    if (certFile === undefined || keyFile === undefined) throw configError('--cert and --key go together');
    if (protocol !== 'mqtts:' && protocol !== 'wss:' && protocol !== 'tls:') {
      throw configError(`--cert/--key are for mqtts:// or wss:// hubs, got "${hubUrl}"`);
    }
    for (const [flag, file] of [
      ['cert', certFile],
      ['key', keyFile],
    ] as const) {
      try {
        fs.accessSync(file, fs.constants.R_OK);
      } catch {
        throw configError(`--${flag}: cannot read "${file}"`);
      }
    }
  }

  const id = required('id');
  if (!isValidDeviceId(id)) {
    throw configError(`--id "${id}" is not a valid device id: it must match ${DEVICE_ID_PATTERN}`);
  }
  const secret = required('secret');
  const kindRaw = required('kind');
  if (!(DEVICE_KINDS as readonly string[]).includes(kindRaw)) {
    throw configError(`--kind "${kindRaw}" is not one of ${DEVICE_KINDS.join(', ')}`);
  }
  const kind = kindRaw as DeviceKind;

  const portalUrl = pick('portal-url');
  if (portalUrl !== undefined) {
    let portalProtocol = '';
    try {
      portalProtocol = new URL(portalUrl).protocol;
    } catch {}
    if (portalProtocol !== 'http:' && portalProtocol !== 'https:') {
      throw configError(`--portal-url must be an http:// or https:// URL, got "${portalUrl}"`);
    }
  }

  const flagProcesses = values['expect-process'];
  const expectProcesses = (
    flagProcesses && flagProcesses.length > 0
      ? flagProcesses
      : (env.HUB_AGENT_EXPECT_PROCESS ?? '').split(',')
  )
    .map((name) => name.trim())
    .filter((name) => name !== '');

  return {
    help: false,
    config: {
      hubUrl,
      ...(caFile !== undefined && { caFile }),
      ...(certFile !== undefined && keyFile !== undefined && { certFile, keyFile }),
      id,
      secret,
      kind,
      intervalS: positiveInt('interval', DEFAULT_INTERVAL_S[kind], 86_400),
      spoolDir: pick('spool') ?? CONFIG_DEFAULTS.spoolDir,
      portalUrl,
      portalTimeoutMs: positiveInt('portal-timeout-ms', CONFIG_DEFAULTS.portalTimeoutMs, 120_000),
      expectProcesses,
      spoolMaxEntries: positiveInt('spool-max-entries', CONFIG_DEFAULTS.spoolMaxEntries),
      spoolMaxBytes: positiveInt('spool-max-bytes', CONFIG_DEFAULTS.spoolMaxBytes),
      inflightWindow: positiveInt('window', CONFIG_DEFAULTS.inflightWindow, 1000),
      reconnectMs: positiveInt('reconnect-ms', CONFIG_DEFAULTS.reconnectMs),
      keepaliveS: positiveInt('keepalive', CONFIG_DEFAULTS.keepaliveS, 65_535),
      logLevel: pick('log-level') ?? CONFIG_DEFAULTS.logLevel,
      probeConcurrency: positiveInt('probe-concurrency', CONFIG_DEFAULTS.probeConcurrency, 4096),
      probeTimeoutMs: positiveInt('probe-timeout-ms', CONFIG_DEFAULTS.probeTimeoutMs, 30_000),
    },
  };
}

/**
 * TLS options of the agent's MQTT connection: the hub's certificate is always verified (never
 * `rejectUnauthorized: false`); `--ca` adds the commune's own CA to the trusted ones.
 */
export function mqttTlsOptions(config: Pick<AgentConfig, 'caFile' | 'certFile' | 'keyFile'>): {
  ca?: Buffer;
  cert?: Buffer;
  key?: Buffer;
  rejectUnauthorized: true;
} {
  return {
    ...(config.caFile && { ca: fs.readFileSync(config.caFile) }),
    // Mutual TLS: the device proves itself with its certificate as well as its secret.
    ...(config.certFile &&
      config.keyFile && { cert: fs.readFileSync(config.certFile), key: fs.readFileSync(config.keyFile) }),
    rejectUnauthorized: true,
  };
}
