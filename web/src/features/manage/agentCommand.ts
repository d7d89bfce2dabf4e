/**
 * The command that connects a device as agents/README.md gives it: the secret in HUB_AGENT_SECRET (a
 * command line is visible to every user of the machine; the environment is not), the rest as flags.
 */
export interface AgentCommandInput {
  /** Host the device reaches the hub at (the dashboard's own host name). */
  host: string;
  mqttPort: number;
  id: string;
  kind: string;
  secret: string;
}

/** Single-quoted for POSIX shells: the secret is base64url today, but a quote must never break the line. */
export function shellQuote(value: string): string {
  return /^[A-Za-z0-9._:/@=+-]+$/.test(value) ? value : `'${value.replace(/'/g, `'\\''`)}'`;
}

export function agentCommand({ host, mqttPort, id, kind, secret }: AgentCommandInput): string {
  const hub = `mqtt://${host.includes(':') ? `[${host}]` : host}:${mqttPort}`;
  return `HUB_AGENT_SECRET=${shellQuote(secret)} npm run agent -- --hub ${shellQuote(hub)} --id ${shellQuote(id)} --kind ${shellQuote(kind)}`;
}
