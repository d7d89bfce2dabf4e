import { describe, expect, it } from 'vitest';
import { loadConfig } from '../config.ts';
import { clusterProblems } from './settings.ts';

const ok = { clusterRedisUrl: 'redis://127.0.0.1:6379', workers: 2, db: 'postgres', store: 'influx' };

describe('cluster settings', () => {
  it.each([
    [
      'one node, SQLite: nothing to say',
      { clusterRedisUrl: '', workers: 1, db: 'sqlite', store: 'sqlite' },
      [],
    ],
    ['a cluster on Redis, PostgreSQL and InfluxDB', ok, []],
    ['workers without Redis', { ...ok, clusterRedisUrl: '' }, ['HUB_CLUSTER_REDIS_URL']],
    ['a cluster on SQLite', { ...ok, workers: 1, db: 'sqlite' }, ['HUB_DB']],
    ['workers on the SQLite time series', { ...ok, store: 'sqlite' }, ['HUB_STORE']],
    [
      'workers with nothing shared',
      { clusterRedisUrl: '', workers: 4, db: 'sqlite', store: 'sqlite' },
      ['HUB_CLUSTER_REDIS_URL', 'HUB_DB', 'HUB_STORE'],
    ],
  ])('%s', (_name, config, settings) => {
    expect(clusterProblems(config).map((p) => p.split(':')[0])).toEqual(settings);
  });

  it('refuses HUB_WORKERS=2 on SQLite at boot with HUB_ERR_CONFIG naming what is missing', () => {
    expect(() => loadConfig({ HUB_WORKERS: '2', HUB_ADMIN_TOKEN: 'x'.repeat(20) })).toThrow(
      /HUB_CLUSTER_REDIS_URL: required when HUB_WORKERS > 1[\s\S]*HUB_DB: must be postgres/,
    );
    try {
      loadConfig({ HUB_WORKERS: '2', HUB_ADMIN_TOKEN: 'x'.repeat(20) });
    } catch (err) {
      expect((err as { code: string }).code).toBe('HUB_ERR_CONFIG');
    }
  });
});
