import type { CommunicationObserver, SendOptions, Transport } from '@influxdata/influxdb-client';

export interface V1Credentials {
  database: string;
  /** Empty: the database's default retention policy. */
  retentionPolicy: string;
  username: string;
  password: string;
}

/**
 * Makes `@influxdata/influxdb-client` talk to InfluxDB 1.x. The client's WriteApi posts to
 * `/api/v2/write?org=&bucket=&precision=`, which 1.x answers with 404; this wrapper rewrites that path to
 * the 1.x endpoint `/write?db=&rp=&precision=` and authenticates every request with HTTP Basic auth (1.x
 * answers 401 to `Authorization: Token`). Batching, retries and escaping stay the client's, so users of
 * InfluxDB 1.x run the same code path as users of 2.x.
 */
export class V1CompatTransport implements Transport {
  readonly chunkCombiner: Transport['chunkCombiner'];
  private readonly authorization: string;

  constructor(
    private readonly base: Transport,
    private readonly creds: V1Credentials,
  ) {
    this.chunkCombiner = base.chunkCombiner;
    this.authorization = 'Basic ' + Buffer.from(`${creds.username}:${creds.password}`).toString('base64');
  }

  /** Maps a v2 write path to the v1 one; every other path goes through unchanged. */
  mapPath(path: string): string {
    if (!path.startsWith('/api/v2/write')) return path;
    const v2 = new URLSearchParams(path.slice(path.indexOf('?') + 1));
    const v1 = new URLSearchParams({ db: this.creds.database, precision: v2.get('precision') ?? 'ns' });
    if (this.creds.retentionPolicy) v1.set('rp', this.creds.retentionPolicy);
    const consistency = v2.get('consistency');
    if (consistency) v1.set('consistency', consistency);
    return `/write?${v1.toString()}`;
  }

  private withAuth(options: SendOptions): SendOptions {
    return { ...options, headers: { ...options.headers, authorization: this.authorization } };
  }

  send(
    path: string,
    requestBody: string,
    options: SendOptions,
    callbacks?: Partial<CommunicationObserver<Uint8Array>>,
  ): void {
    this.base.send(this.mapPath(path), requestBody, this.withAuth(options), callbacks);
  }

  request(
    path: string,
    requestBody: unknown,
    options: SendOptions,
    responseStarted?: Parameters<Transport['request']>[3],
  ): Promise<unknown> {
    return this.base.request(this.mapPath(path), requestBody, this.withAuth(options), responseStarted);
  }

  iterate(path: string, requestBody: unknown, options: SendOptions): AsyncIterableIterator<Uint8Array> {
    return this.base.iterate(this.mapPath(path), requestBody, this.withAuth(options));
  }
}
