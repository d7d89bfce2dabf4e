// Validates docker-compose.yml (the production deployment) with Debian's docker-compose, which needs no
// Docker engine for `config`. A missing docker-compose fails the test: scripts/install-system-deps.sh installs it.
import { execFileSync, spawnSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';

const root = fileURLToPath(new URL('../..', import.meta.url));

function dockerCompose(args: string[]) {
  try {
    execFileSync('sh', ['-c', 'command -v docker-compose'], { stdio: 'ignore' });
  } catch {
    throw new Error('docker-compose is not installed: run `bash scripts/install-system-deps.sh` first');
  }
  // Only the file's own defaults: the developer's environment must not make a broken file pass.
  const env: NodeJS.ProcessEnv = { PATH: process.env.PATH, HOME: process.env.HOME };
  return spawnSync('docker-compose', ['-f', 'docker-compose.yml', ...args], {
    cwd: root,
    env,
    encoding: 'utf8',
  });
}

describe('docker-compose.yml', () => {
  it('is valid (docker-compose config -q)', () => {
    const res = dockerCompose(['config', '-q']);
    expect(res.stderr).toBe('');
    expect(res.status).toBe(0);
  });

  it('runs InfluxDB 2.x initialised with org, bucket and token, and the hub on it, with volumes and health checks', () => {
    const res = dockerCompose(['config']);
    expect(res.status).toBe(0);
    const text = res.stdout;
    expect(text).toContain('image: influxdb:2.7');
    for (const key of ['MODE: setup', 'ORG:', 'BUCKET:', 'ADMIN_TOKEN:']) {
      expect(text).toContain(`DOCKER_INFLUXDB_INIT_${key}`);
    }
    for (const key of [
      'HUB_STORE: influx',
      'HUB_INFLUX_URL: http://influxdb:8086',
      'HUB_INFLUX_TOKEN:',
      'HUB_INFLUX_ORG:',
      'HUB_INFLUX_BUCKET:',
    ]) {
      expect(text).toContain(key);
    }
    expect(text).toContain('condition: service_healthy');
    expect(text.match(/healthcheck:/g)).toHaveLength(2);
    for (const volume of ['influxdb-data:/var/lib/influxdb2', 'hub-data:/data'])
      expect(text).toContain(volume);
  });
});
