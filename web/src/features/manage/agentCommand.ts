/**
 * The command that connects a device as agents/README.md gives it: the secret in HUB_AGENT_SECRET (a
 * command line is visible to every user of the machine; the environment is not), the rest as flags.
 */
export interface AgentCommandInput {
  /** The broker address the device connects to (see brokerUrlForDevices). */
  hub: string;
  id: string;
  kind: string;
  secret: string;
}

/**
 * Where the command tells the device to find the commune CA's certificate when the broker speaks TLS. A
 * placeholder the installer fills by copying the file there (the hint under the command says from where):
 * the dashboard cannot know where a device keeps it, and the CA file never travels with the command.
 */
export const AGENT_CA_PATH = '/etc/commune-hub/ca.pem';

/** Does a device reaching `hub` need the CA file (mqtts:// or wss://, README "Security" › "TLS")? */
export function brokerUsesTls(hub: string): boolean {
  return /^(mqtts|wss):\/\//i.test(hub);
}

/** Single-quoted for POSIX shells: the secret is base64url today, but a quote must never break the line. */
export function shellQuote(value: string): string {
  return /^[A-Za-z0-9._:/@=+-]+$/.test(value) ? value : `'${value.replace(/'/g, `'\\''`)}'`;
}

/**
 * Where a device reaches the broker: the hub's HUB_PUBLIC_MQTT_URL when it says one on /healthz (MQTT on
 * another host, a TLS port, a NAT), else the host the dashboard was opened at with the broker's port.
 */
export function brokerUrlForDevices(health: { mqttUrl?: string; mqttPort?: number }, host: string): string {
  if (health.mqttUrl) return health.mqttUrl.replace(/\/$/, '');
  return `mqtt://${host.includes(':') ? `[${host}]` : host}:${health.mqttPort ?? 1883}`;
}

export function agentCommand({ hub, id, kind, secret }: AgentCommandInput): string {
  const ca = brokerUsesTls(hub) ? ` --ca ${shellQuote(AGENT_CA_PATH)}` : '';
  return `HUB_AGENT_SECRET=${shellQuote(secret)} npm run agent -- --hub ${shellQuote(hub)}${ca} --id ${shellQuote(id)} --kind ${shellQuote(kind)}`;
}
