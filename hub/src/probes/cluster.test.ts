// Probe configs in a cluster: two ProbeServices on one shared set of targets (one SQLite database here,
// as the PostgreSQL replica gives each node; the replica itself is tested in db/postgres). Device events
// reach every node: only the leader publishes for them, and at boot; the node a target is written on
// publishes that change; a node that becomes leader publishes every gateway from the shared targets.
import Database from 'better-sqlite3';
import pino from 'pino';
import client from 'prom-client';
import { describe, expect, it } from 'vitest';
import { EventBus } from '../events/bus.ts';
import type { DeviceRecord } from '../registry/registry.ts';
import { probesMigrations } from './migrations.ts';
import { ProbeTargetRepository } from './repository.ts';
import { ProbeService } from './service.ts';

const log = pino({ level: 'silent' });
const device = (id: string, kind: DeviceRecord['kind'], parentId: string | null): DeviceRecord =>
  ({
    id,
    kind,
    name: id,
    village: 'Thôn 1',
    villageId: 'thon-1',
    siteId: null,
    parentId,
    tags: [],
    intervalS: 60,
    createdAt: 0,
    disabled: false,
  }) as unknown as DeviceRecord;

function world() {
  const db = new Database(':memory:');
  db.exec(probesMigrations[0]!.up as string);
  const devices = new Map([
    ['gw-1', device('gw-1', 'gateway', null)],
    ['cam-1', device('cam-1', 'camera', 'gw-1')],
  ]);
  const node = (leading: { value: boolean }) => {
    const published: string[] = [];
    const events = new EventBus(log);
    const service = new ProbeService({
      repository: new ProbeTargetRepository(db),
      devices: { get: (id: string) => devices.get(id), update: async () => {} } as never,
      listDevices: () => [...devices.values()],
      events,
      clock: { now: () => 1_000 },
      logger: log,
      key: undefined,
      publish: async (topic) => {
        published.push(topic);
      },
      rejected: new client.Counter({
        name: `r_${Math.random().toString(36).slice(2)}`,
        help: 'x',
        labelNames: ['field'],
        registers: [],
      }),
      published: new client.Counter({
        name: `p_${Math.random().toString(36).slice(2)}`,
        help: 'x',
        registers: [],
      }),
      isLeader: () => leading.value,
    });
    return { service, events, published, leading };
  };
  return { devices, node };
}

describe('probe configs on two nodes', () => {
  it('one publish per change across the cluster; the new leader publishes from the shared targets', async () => {
    const w = world();
    const a = w.node({ value: true });
    const b = w.node({ value: false });
    await a.service.start();
    await b.service.start();
    expect(a.published).toEqual(['commune/v1/gw-1/cmd']);
    expect(b.published).toEqual([]); // not the leader: no configs at boot

    // A target written on B: B publishes its change; A (the leader) hears the shared row and republishes.
    await b.service.set('cam-1', { type: 'rtsp', address: '10.0.0.5', intervalS: 60 });
    expect(b.published).toEqual(['commune/v1/gw-1/cmd']);
    a.service.followed(['cam-1']);
    expect(a.service.targetOf('cam-1')?.address).toBe('10.0.0.5');

    // A device event every node hears: the leader alone publishes for it.
    const before = { a: a.published.length, b: b.published.length };
    const cam = w.devices.get('cam-1')!;
    for (const n of [a, b]) n.events.emit('device.disabled', { device: cam, at: 2 });
    await new Promise((r) => setImmediate(r));
    expect(a.published.length).toBe(before.a + 1); // its gateway's config
    expect(b.published.length).toBe(before.b);

    // B becomes the leader: every gateway's config, from the targets both share.
    b.leading.value = true;
    await b.service.publishAll();
    expect(b.published.at(-1)).toBe('commune/v1/gw-1/cmd');
  });
});
