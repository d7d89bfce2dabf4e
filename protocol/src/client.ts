import type { Static, TSchema } from '@sinclair/typebox';
import type { ApiError } from './api.ts';
import { type RouteEndpoint, routeEndpoints } from './route-endpoints.ts';
import type { RouteName, RouteSpec, Routes } from './routes.ts';

/**
 * The one REST client of the hub, typed from the route map: `client.deviceGet({ params: { id } })`.
 * Used by the dashboard, the devices CLI, simulator provisioning, the tests, the scale script and the bench.
 * Types come from `routes`; at run time only `routeEndpoints` (no TypeBox) is loaded, so importing
 * `@commune-hub/protocol/client` stays cheap for the browser bundle and for CLIs.
 */

type SuccessStatus = 200 | 201 | 202 | 204;
type StaticOf<T> = T extends TSchema ? Static<T> : never;

/** What a route answers on success (the union of its 2xx bodies; 204 is `null`). */
export type RouteResult<R extends RouteSpec> = {
  [K in keyof R['response']]: K extends SuccessStatus ? StaticOf<R['response'][K]> : never;
}[keyof R['response']];

type ParamsInput<R> = R extends { params: infer P extends TSchema } ? { params: Static<P> } : unknown;
type QueryInput<R> = R extends { querystring: infer Q extends TSchema }
  ? object extends Static<Q>
    ? { query?: Static<Q> }
    : { query: Static<Q> }
  : unknown;
type BodyInput<R> = R extends { body: infer B extends TSchema } ? { body: Static<B> } : unknown;
/** What a route takes: `params` (path), `query`, `body`, each only where the route has one. */
export type RouteInput<R extends RouteSpec> = ParamsInput<R> & QueryInput<R> & BodyInput<R>;

export interface CallOptions {
  signal?: AbortSignal;
}

type CallArgs<R extends RouteSpec> =
  object extends RouteInput<R>
    ? [input?: RouteInput<R>, options?: CallOptions]
    : [input: RouteInput<R>, options?: CallOptions];

export type HubClient = {
  [N in RouteName]: (...args: CallArgs<Routes[N]>) => Promise<RouteResult<Routes[N]>>;
};

/**
 * A failed call. `code` is the hub's stable HUB_ERR_* code when it sent one; `HUB_ERR_UNREACHABLE`
 * when no answer came (status 0); `HUB_ERR_HTTP` for an error answer without a code (then see `body`,
 * e.g. the 422 ImportReport of a rejected import).
 */
export class HubApiError extends Error {
  constructor(
    message: string,
    readonly status: number,
    readonly code: string,
    readonly body: unknown,
    readonly route: RouteName,
  ) {
    super(message);
    this.name = 'HubApiError';
  }
}

export interface HubClientOptions {
  /** `http://127.0.0.1:8080`; empty (the default) for the same origin, as in the dashboard. */
  baseUrl?: string;
  /** A personal API token (`npm run users -- token`), sent as `Authorization: Bearer` on every call. */
  token?: string;
  /**
   * In the browser, with no token: the session cookie goes with every same-origin call, and writes carry
   * this CSRF token (from `sessionCreate` / `sessionMe`) in the `x-csrf-token` header.
   */
  csrfToken?: () => string | null | undefined;
  fetch?: typeof fetch;
  /** Extra attempts after a connection error or a 5xx, with exponential backoff (default 0). */
  retries?: number;
  retryDelayMs?: number;
}

function isApiError(body: unknown): body is ApiError {
  return typeof body === 'object' && body !== null && 'code' in body && 'message' in body;
}

/** Fills `:name` path segments and appends the query (undefined values left out). */
export function routePath(spec: RouteEndpoint, params?: object, query?: object): string {
  const path = spec.url.replace(/:(\w+)/g, (_, name: string) => {
    const value = (params as Record<string, unknown> | undefined)?.[name];
    if (value === undefined)
      throw new TypeError(`${spec.method} ${spec.url}: missing path parameter ${name}`);
    return encodeURIComponent(String(value));
  });
  const search = new URLSearchParams();
  for (const [k, v] of Object.entries(query ?? {})) if (v !== undefined) search.set(k, String(v));
  const qs = search.toString();
  return qs ? `${path}?${qs}` : path;
}

/**
 * The URL of a route with its input filled in, for what the browser fetches itself: the annex files are
 * plain download links (`<a href download>`), named by the hub's Content-Disposition.
 */
export function routeUrl<N extends RouteName>(
  name: N,
  input: { params?: object; query?: object } = {},
  baseUrl = '',
): string {
  return `${baseUrl.replace(/\/$/, '')}${routePath(routeEndpoints[name], input.params, input.query)}`;
}

export function createHubClient(options: HubClientOptions = {}): HubClient {
  const base = (options.baseUrl ?? '').replace(/\/$/, '');
  const doFetch = options.fetch ?? ((input, init) => globalThis.fetch(input, init));
  const retries = options.retries ?? 0;
  const retryDelayMs = options.retryDelayMs ?? 250;

  async function call(name: RouteName, input: Record<string, unknown> = {}, callOptions: CallOptions = {}) {
    const spec: RouteEndpoint = routeEndpoints[name];
    const url = `${base}${routePath(spec, input.params as object, input.query as object)}`;
    const produces = spec.produces ?? 'application/json';
    // A file route still answers its errors as JSON.
    const accept = produces === 'application/json' ? produces : `${produces}, application/json;q=0.5`;
    const headers: Record<string, string> = { accept };
    if (options.token) headers.authorization = `Bearer ${options.token}`;
    const csrf = spec.method === 'GET' ? undefined : options.csrfToken?.();
    if (csrf) headers['x-csrf-token'] = csrf;
    let body: string | undefined;
    if (input.body !== undefined) {
      headers['content-type'] = spec.consumes ?? 'application/json';
      body = spec.consumes === 'text/csv' ? String(input.body) : JSON.stringify(input.body);
    }
    for (let attempt = 0; ; attempt++) {
      let res: Response;
      try {
        res = await doFetch(url, { method: spec.method, headers, body, signal: callOptions.signal });
      } catch (err) {
        if (callOptions.signal?.aborted) throw err;
        if (attempt < retries) {
          await new Promise((r) => setTimeout(r, retryDelayMs * 2 ** attempt));
          continue;
        }
        throw new HubApiError(
          `cannot reach the hub at ${base || 'this origin'}: ${(err as Error).message}`,
          0,
          'HUB_ERR_UNREACHABLE',
          null,
          name,
        );
      }
      if (res.status >= 500 && attempt < retries) {
        await res.body?.cancel().catch(() => {});
        await new Promise((r) => setTimeout(r, retryDelayMs * 2 ** attempt));
        continue;
      }
      if (res.ok) {
        if (res.status === 204) return null;
        if (spec.produces === 'text/plain') return res.text();
        // The annex files (XLSX/DOCX): the bytes as sent.
        if (spec.produces && spec.produces !== 'application/json') return res.arrayBuffer();
        return res.json();
      }
      const text = await res.text().catch(() => '');
      let parsed: unknown = text;
      try {
        parsed = text ? JSON.parse(text) : null;
      } catch {}
      if (isApiError(parsed)) {
        throw new HubApiError(parsed.message, res.status, parsed.code, parsed, name);
      }
      throw new HubApiError(
        `${spec.method} ${spec.url} answered HTTP ${res.status}`,
        res.status,
        'HUB_ERR_HTTP',
        parsed,
        name,
      );
    }
  }

  const client: Record<string, unknown> = {};
  for (const name of Object.keys(routeEndpoints) as RouteName[]) {
    client[name] = (input?: Record<string, unknown>, callOptions?: CallOptions) =>
      call(name, input, callOptions);
  }
  return client as HubClient;
}
