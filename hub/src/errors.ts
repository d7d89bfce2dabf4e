/** Stable error codes: clients and logs key on these, people read the message. */
export const ERROR_STATUS = {
  HUB_ERR_CONFIG: 500,
  HUB_ERR_UNAUTHORIZED: 401,
  HUB_ERR_BAD_CREDENTIALS: 401,
  HUB_ERR_FORBIDDEN: 403,
  HUB_ERR_CSRF: 403,
  HUB_ERR_LOCKED_OUT: 429,
  HUB_ERR_VALIDATION: 400,
  /** A name, village or tag with control characters or bidi overrides (protocol/text-safety.ts). */
  HUB_ERR_CONTROL_CHARACTERS: 400,
  HUB_ERR_BAD_TIME_RANGE: 400,
  HUB_ERR_DEVICE_EXISTS: 409,
  HUB_ERR_EXISTS: 409,
  HUB_ERR_DEVICE_NOT_FOUND: 404,
  HUB_ERR_NOT_FOUND: 404,
  HUB_ERR_CRITERIA_INVALID: 422,
  HUB_ERR_MANUAL_VALUE: 400,
  HUB_ERR_REPORT_EXISTS: 409,
  HUB_ERR_STORE_UNREACHABLE: 503,
  HUB_ERR_STORE_UNAUTHORIZED: 503,
  /** Cluster mode: the Redis the nodes share (HUB_CLUSTER_REDIS_URL) cannot be reached at boot. */
  HUB_ERR_CLUSTER_UNREACHABLE: 503,
  HUB_ERR_INTERNAL: 500,
  HUB_ERR_PROBE_CONFIG: 400,
  HUB_ERR_PROBE_KEY_MISSING: 409,
  HUB_ERR_RATE_LIMITED: 429,
} as const;
export type HubErrorCode = keyof typeof ERROR_STATUS;

export class HubError extends Error {
  readonly code: HubErrorCode;
  readonly statusCode: number;

  constructor(code: HubErrorCode, message: string, options?: { cause?: unknown }) {
    super(message, options);
    this.name = 'HubError';
    this.code = code;
    this.statusCode = ERROR_STATUS[code];
  }
}
