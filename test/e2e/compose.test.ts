// Validates docker-compose.yml (the production deployment) with Debian's docker-compose, which needs no
// Docker engine for `config`. A missing docker-compose fails the test: scripts/install-system-deps.sh installs it.
import { describe, expect, it } from 'vitest';
import { parse } from 'yaml';
import { type ComposeFile, type ComposeService, dockerCompose as compose } from '../support/compose.ts';

const dockerCompose = (args: string[], env?: NodeJS.ProcessEnv) => compose('docker-compose.yml', args, env);

describe('docker-compose.yml', () => {
  it('is valid (docker-compose config -q)', () => {
    const res = dockerCompose(['config', '-q']);
    expect(res.stderr).toBe('');
    expect(res.status).toBe(0);
  });

  it('refuses to render without HUB_ADMIN_TOKEN rather than fall back to an example token', () => {
    const res = dockerCompose(['config', '-q'], {});
    expect(res.status).not.toBe(0);
    expect(res.stderr).toMatch(/HUB_ADMIN_TOKEN/);
  });

  it('runs InfluxDB 2.x initialised with org, bucket and token, and the hub on it, with volumes and health checks', () => {
    const res = dockerCompose(['config']);
    expect(res.status).toBe(0);
    // The resolved file (defaults substituted, short syntax expanded), read as data, not as text.
    const compose = parse(res.stdout) as ComposeFile;
    const influx = compose.services.influxdb!;
    const hub = compose.services.hub!;
    expect(Object.keys(compose.services).sort()).toEqual(['hub', 'influxdb']);

    expect(influx.image).toBe('influxdb:2.7');
    const init = influx.environment!;
    expect(init.DOCKER_INFLUXDB_INIT_MODE).toBe('setup');
    for (const key of ['ORG', 'BUCKET', 'ADMIN_TOKEN', 'USERNAME', 'PASSWORD']) {
      expect(init[`DOCKER_INFLUXDB_INIT_${key}`], key).toMatch(/\S/);
    }

    // The hub writes to that InfluxDB, with the org, bucket and token it was initialised with.
    const env = hub.environment!;
    expect(env.HUB_STORE).toBe('influx');
    const influxUrl = new URL(env.HUB_INFLUX_URL!);
    expect(influxUrl.hostname).toBe('influxdb');
    expect(influxUrl.port).toBe('8086');
    expect(env.HUB_INFLUX_TOKEN).toBe(init.DOCKER_INFLUXDB_INIT_ADMIN_TOKEN);
    expect(env.HUB_INFLUX_ORG).toBe(init.DOCKER_INFLUXDB_INIT_ORG);
    expect(env.HUB_INFLUX_BUCKET).toBe(init.DOCKER_INFLUXDB_INIT_BUCKET);
    // ...and starts only once InfluxDB answers its health check.
    expect(hub.depends_on).toEqual({ influxdb: { condition: 'service_healthy' } });
    for (const service of [influx, hub]) {
      expect(service.healthcheck?.test?.[0]).toBe('CMD');
      expect(service.restart).toBe('unless-stopped');
    }

    // State lives in named volumes: InfluxDB's data, and the hub's data dir (registry and spool).
    const mounts = (service: ComposeService) =>
      Object.fromEntries((service.volumes ?? []).map((v) => v.split(':').slice(0, 2) as [string, string]));
    expect(mounts(influx)['influxdb-data']).toBe('/var/lib/influxdb2');
    expect(mounts(hub)['hub-data']).toBe(env.HUB_DATA_DIR);
    for (const volume of ['influxdb-data', 'hub-data']) expect(compose.volumes).toHaveProperty(volume);
  });

  it('publishes the hub on loopback unless HUB_BIND says otherwise (issue 14, finding 7)', () => {
    type Port = string | { host_ip?: string; published?: string | number };
    const compose = parse(dockerCompose(['config']).stdout) as {
      services: Record<string, { ports?: Port[] }>;
    };
    // Short syntax ("127.0.0.1:8080:8080") or long ({host_ip, published}), depending on docker-compose's version.
    const ports = (compose.services.hub!.ports ?? []).map((p) =>
      typeof p === 'string'
        ? { host: p.split(':').length === 3 ? p.split(':')[0] : '', published: p.split(':').at(-2) }
        : { host: p.host_ip ?? '', published: String(p.published) },
    );
    expect(ports.map((p) => p.published).sort()).toEqual(['1883', '8080', '8883']);
    for (const p of ports) expect(p.host).toBe('127.0.0.1');
  });
});
