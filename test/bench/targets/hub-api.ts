/** The bench's REST client for the hub: provisioning, /metrics counters, optional endpoints. */
import type { DeviceCreate, DeviceCredentials } from '@commune-hub/protocol';
import type { DeviceCredential } from '../loadgen/messages.ts';
import { progress } from '../stats.ts';

export class HubApi {
  constructor(
    readonly httpUrl: string,
    private readonly adminToken: string,
  ) {}

  private async request(method: string, path: string, body?: unknown): Promise<Response> {
    return fetch(new URL(path, this.httpUrl), {
      method,
      headers: {
        authorization: `Bearer ${this.adminToken}`,
        ...(body === undefined ? {} : { 'content-type': 'application/json' }),
      },
      body: body === undefined ? undefined : JSON.stringify(body),
    });
  }

  /** Idempotent: creates the device, or rotates its secret when it exists already (409). */
  async provision(device: DeviceCreate): Promise<DeviceCredential> {
    let res = await this.request('POST', '/api/devices', device);
    if (res.status === 409) res = await this.request('POST', `/api/devices/${device.id}/secret`);
    if (!res.ok)
      throw new Error(`bench: provisioning ${device.id} failed: ${res.status} ${await res.text()}`);
    const creds = (await res.json()) as DeviceCredentials;
    return { id: creds.id, secret: creds.secret };
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
    const res = await this.request('GET', '/metrics');
    if (!res.ok) throw new Error(`bench: GET /metrics answered ${res.status}`);
    return res.text();
  }

  /** Sum of every sample of a Prometheus counter (all label sets); null when the hub does not expose it. */
  async counter(name: string, labels?: string): Promise<number | null> {
    return sumCounter(await this.metricsText(), name, labels);
  }

  get(path: string): Promise<Response> {
    return this.request('GET', path);
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
