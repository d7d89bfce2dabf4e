/** The bench's REST client for the hub: provisioning, /metrics counters, optional endpoints. */
import { createHubClient, type DeviceCreate, HubApiError, type HubClient } from '@commune-hub/protocol';
import type { DeviceCredential } from '../loadgen/messages.ts';
import { progress } from '../stats.ts';

export class HubApi {
  /** protocol's typed client, with the admin token. */
  readonly client: HubClient;

  constructor(
    readonly httpUrl: string,
    private readonly adminToken: string,
  ) {
    this.client = createHubClient({ baseUrl: httpUrl, token: adminToken });
  }

  /** Idempotent: creates the device, or rotates its secret when it exists already (409). */
  async provision(device: DeviceCreate): Promise<DeviceCredential> {
    try {
      const creds = await this.client.deviceCreate({ body: device }).catch((err: unknown) => {
        if (err instanceof HubApiError && err.status === 409) {
          return this.client.deviceRotateSecret({ params: { id: device.id } });
        }
        throw err;
      });
      return { id: creds.id, secret: creds.secret };
    } catch (err) {
      const detail = err instanceof HubApiError ? `${err.status} ${err.code}: ${err.message}` : String(err);
      throw new Error(`bench: provisioning ${device.id} failed: ${detail}`);
    }
  }

  async provisionMany(ids: string[], intervalS: number, concurrency = 8): Promise<DeviceCredential[]> {
    const out: DeviceCredential[] = new Array(ids.length);
    let next = 0;
    const t0 = Date.now();
    const lane = async () => {
      while (next < ids.length) {
        const i = next++;
        const id = ids[i]!;
        out[i] = await this.provision({
          id,
          kind: 'loudspeaker',
          name: `Bench loudspeaker ${i}`,
          village: `Thôn ${1 + (i % 12)}`,
          intervalS,
        });
        if ((i + 1) % 2000 === 0) progress(`  provisioned ${i + 1}/${ids.length}`);
      }
    };
    await Promise.all(Array.from({ length: concurrency }, lane));
    progress(`  provisioned ${ids.length} devices in ${Date.now() - t0} ms`);
    return out;
  }

  async metricsText(): Promise<string> {
    return this.client.metrics().catch((err: unknown) => {
      throw new Error(`bench: GET /metrics failed: ${(err as Error).message}`);
    });
  }

  /** Sum of every sample of a Prometheus counter (all label sets); null when the hub does not expose it. */
  async counter(name: string, labels?: string): Promise<number | null> {
    return sumCounter(await this.metricsText(), name, labels);
  }

  /**
   * The raw answer of a GET, for timing and for probing routes a baseline hub may not have yet (a 404
   * is a result there, not an error). Everything else goes through `client`.
   */
  get(path: string): Promise<Response> {
    return fetch(new URL(path, this.httpUrl), { headers: { authorization: `Bearer ${this.adminToken}` } });
  }
}

/** `labels`: only samples whose label set contains this text, e.g. `channel="hb"`. */
export function sumCounter(text: string, name: string, labels?: string): number | null {
  let found = false;
  let total = 0;
  for (const line of text.split('\n')) {
    if (line.startsWith('#')) continue;
    if (line.startsWith(`${name} `) || line.startsWith(`${name}{`)) {
      // The counter exists; a label set that was never incremented is simply not listed yet (0).
      found = true;
      if (labels !== undefined && !line.includes(labels)) continue;
      total += Number(line.slice(line.lastIndexOf(' ') + 1));
    }
  }
  return found ? total : null;
}
