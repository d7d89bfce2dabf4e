import type { ApiError } from '@commune-hub/protocol';

/** A failed REST call, carrying the hub's stable error code (HUB_ERR_...) when it sent one. */
export class HttpError extends Error {
  constructor(
    message: string,
    readonly status: number,
    readonly code: string,
  ) {
    super(message);
    this.name = 'HttpError';
  }
}

function isApiError(body: unknown): body is ApiError {
  return typeof body === 'object' && body !== null && 'code' in body && 'message' in body;
}

export async function fetchJson<T>(path: string, signal?: AbortSignal): Promise<T> {
  const res = await fetch(path, { signal, headers: { accept: 'application/json' } });
  if (!res.ok) {
    const body: unknown = await res.json().catch(() => null);
    if (isApiError(body)) throw new HttpError(body.message, res.status, body.code);
    throw new HttpError(`HTTP ${res.status} ${res.statusText}`, res.status, 'HTTP_ERROR');
  }
  return (await res.json()) as T;
}

export function withQuery(path: string, params: Record<string, string | number | undefined>): string {
  const search = new URLSearchParams();
  for (const [k, v] of Object.entries(params)) if (v !== undefined) search.set(k, String(v));
  const qs = search.toString();
  return qs ? `${path}?${qs}` : path;
}
