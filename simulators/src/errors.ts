/** Errors of the simulators carry a stable code (SIM_ERR_...) so the CLI and tests can tell them apart. */
export type SimErrorCode =
  | 'SIM_ERR_SCENARIO_NOT_FOUND'
  | 'SIM_ERR_SCENARIO_PARSE'
  | 'SIM_ERR_SCENARIO_INVALID'
  | 'SIM_ERR_USAGE'
  | 'SIM_ERR_PROVISION'
  | 'SIM_ERR_CREDENTIALS'
  | 'SIM_ERR_MQTT'
  | 'SIM_ERR_TRUTH';

export class SimError extends Error {
  constructor(
    readonly code: SimErrorCode,
    message: string,
    options?: { cause?: unknown },
  ) {
    super(message, options);
    this.name = 'SimError';
  }
}
