/** Stable error codes of the agent, so logs and scripts can match on them rather than on messages. */
export const AGENT_ERROR_CODES = {
  config: 'HUB_ERR_AGENT_CONFIG',
  spoolCorrupt: 'HUB_ERR_AGENT_SPOOL_CORRUPT',
  spoolIo: 'HUB_ERR_AGENT_SPOOL_IO',
  heartbeatInvalid: 'HUB_ERR_AGENT_HEARTBEAT_INVALID',
  probe: 'HUB_ERR_AGENT_PROBE',
  mqtt: 'HUB_ERR_AGENT_MQTT',
  auth: 'HUB_ERR_AGENT_AUTH',
} as const;
export type AgentErrorCode = (typeof AGENT_ERROR_CODES)[keyof typeof AGENT_ERROR_CODES];

export class AgentError extends Error {
  readonly code: AgentErrorCode;

  constructor(code: AgentErrorCode, message: string, options?: { cause?: unknown }) {
    super(message, options);
    this.name = 'AgentError';
    this.code = code;
  }
}
