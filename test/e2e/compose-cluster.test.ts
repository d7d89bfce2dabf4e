// Validates docker-compose.cluster.yml (two hub nodes, Redis, PostgreSQL, InfluxDB 2.x, HAProxy) with
// Debian's docker-compose, which needs no Docker engine for `config`, and its haproxy.cfg with Debian's
// haproxy (`haproxy -c`). Both are installed by scripts/install-system-deps.sh; a missing one fails the test.
import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { parse } from 'yaml';
import { HubConfigSchema } from '../../hub/src/config.ts';
import { type ComposeFile, dockerCompose as compose, needCommand as need } from '../support/compose.ts';

const root = fileURLToPath(new URL('../..', import.meta.url));
const dockerCompose = (args: string[], env?: NodeJS.ProcessEnv) =>
  compose('docker-compose.cluster.yml', args, env);

const HUB_NODES = ['hub-a', 'hub-b'];

describe('docker-compose.cluster.yml', () => {
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

  it('runs two hub nodes on shared Redis, PostgreSQL and InfluxDB 2.x, behind HAProxy', () => {
    const res = dockerCompose(['config']);
    expect(res.status).toBe(0);
    const compose = parse(res.stdout) as ComposeFile;
    const { redis, postgres, influxdb, haproxy } = compose.services;
    expect(Object.keys(compose.services).sort()).toEqual(
      ['haproxy', 'influxdb', 'postgres', 'redis', ...HUB_NODES].sort(),
    );
    expect(influxdb!.image).toMatch(/^influxdb:2\./);
    expect(redis!.image).toMatch(/^redis:/);
    expect(postgres!.image).toMatch(/^postgres:/);
    expect(haproxy!.image).toMatch(/^haproxy:/);

    const pg = postgres!.environment!;
    const influxInit = influxdb!.environment!;
    const settings = new Set(
      Object.values(HubConfigSchema.properties).map((p) => (p as unknown as { env: string }).env),
    );
    const nodeIds = new Set<string>();
    for (const name of HUB_NODES) {
      const node = compose.services[name]!;
      const env = node.environment!;
      // Every HUB_* the file sets is a setting the hub reads (a typo would be silently ignored).
      expect(
        Object.keys(env).filter((k) => k.startsWith('HUB_') && !settings.has(k)),
        name,
      ).toEqual([]);
      expect(env.HUB_DB).toBe('postgres');
      const db = new URL(env.HUB_DATABASE_URL!);
      expect([db.protocol, db.hostname, db.port]).toEqual(['postgres:', 'postgres', '5432']);
      expect([decodeURIComponent(db.username), decodeURIComponent(db.password), db.pathname]).toEqual([
        pg.POSTGRES_USER,
        pg.POSTGRES_PASSWORD,
        `/${pg.POSTGRES_DB}`,
      ]);
      expect(new URL(env.HUB_CLUSTER_REDIS_URL!).hostname).toBe('redis');
      expect(env.HUB_STORE).toBe('influx');
      expect(new URL(env.HUB_INFLUX_URL!).host).toBe('influxdb:8086');
      expect(env.HUB_INFLUX_TOKEN).toBe(influxInit.DOCKER_INFLUXDB_INIT_ADMIN_TOKEN);
      expect(env.HUB_INFLUX_ORG).toBe(influxInit.DOCKER_INFLUXDB_INIT_ORG);
      expect(env.HUB_INFLUX_BUCKET).toBe(influxInit.DOCKER_INFLUXDB_INIT_BUCKET);
      nodeIds.add(env.HUB_CLUSTER_NODE_ID!);
      // A node starts once its shared stores answer their health checks, and has its own data volume.
      expect(node.depends_on).toEqual({
        redis: { condition: 'service_healthy' },
        postgres: { condition: 'service_healthy' },
        influxdb: { condition: 'service_healthy' },
      });
      expect(node.build).toBeDefined();
      expect(node.healthcheck?.test?.[0]).toBe('CMD');
      expect(node.restart).toBe('unless-stopped');
      // Devices and officials reach the nodes only through HAProxy.
      expect(node.ports ?? []).toEqual([]);
    }
    expect(nodeIds).toEqual(new Set(HUB_NODES));
    const dataVolumes = HUB_NODES.map((n) => compose.services[n]!.volumes![0]!.split(':')[0]);
    expect(new Set(dataVolumes).size).toBe(2);

    // HAProxy publishes MQTT and HTTP and reads haproxy.cfg.
    const published = (haproxy!.ports ?? []).map((p) =>
      typeof p === 'string' ? p.split(':').slice(-2).join(':') : `${p.published}:${p.target}`,
    );
    expect(published.sort()).toEqual(['1883:1883', '8080:8080']);
    expect(
      haproxy!.volumes!.some((v) => /haproxy\.cfg:\/usr\/local\/etc\/haproxy\/haproxy\.cfg/.test(v)),
    ).toBe(true);
    for (const volume of ['redis-data', 'postgres-data', 'influxdb-data', ...dataVolumes])
      expect(compose.volumes).toHaveProperty(volume!);
  });
});

describe('haproxy.cfg', () => {
  const cfg = fs.readFileSync(`${root}/haproxy.cfg`, 'utf8');

  it('is valid for HAProxy (haproxy -c); only the nodes’ names are unresolvable outside compose', () => {
    need('haproxy');
    const res = spawnSync('haproxy', ['-c', '-f', 'haproxy.cfg'], { cwd: root, encoding: 'utf8' });
    expect(res.status, res.stderr + res.stdout).toBe(0);
    const warnings = `${res.stdout}\n${res.stderr}`
      .split('\n')
      .filter((l) => l.includes('[WARNING]') && !/could not resolve address 'hub-[ab]'/.test(l));
    expect(warnings).toEqual([]);
  });

  it('sends MQTT (TCP, leastconn) and HTTP (sticky for socket.io) to both nodes, health-checked on /healthz', () => {
    const section = (name: string) => {
      const start = cfg.indexOf(`\nbackend ${name}\n`);
      expect(start, name).toBeGreaterThan(0);
      const rest = cfg.slice(start + 1);
      const end = rest.search(/\n(frontend|backend|defaults|global|resolvers) /);
      return end < 0 ? rest : rest.slice(0, end);
    };
    const mqtt = section('hub_mqtt');
    expect(mqtt).toMatch(/mode tcp/);
    expect(mqtt).toMatch(/balance leastconn/);
    expect(mqtt).toMatch(/option httpchk GET \/healthz/);
    for (const node of HUB_NODES)
      expect(mqtt).toMatch(new RegExp(`server ${node} ${node}:1883 check port 8080`));
    const http = section('hub_http');
    expect(http).toMatch(/mode http/);
    expect(http).toMatch(/cookie HUBNODE insert/);
    for (const node of HUB_NODES)
      expect(http).toMatch(new RegExp(`server ${node} ${node}:8080 cookie ${node}`));
    expect(cfg).toMatch(/bind :1883/);
    expect(cfg).toMatch(/bind :8080/);
  });
});
