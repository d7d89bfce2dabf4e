// The public status repository (groups, per-device public tokens, citizens' reports) on SQLite and
// PostgreSQL: the same answers from both, what a restart keeps, and on PostgreSQL what a second node sees.
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import {
  type GroupRow,
  PostgresPublicStatusRepository,
  type PublicStatusRepository,
  SqlitePublicStatusRepository,
} from '../../public-status/repository.ts';
import type { Registry } from '../../registry/registry.ts';
import { DIALECTS, openStorage, type StorageHarness } from './harness.ts';

const repositoryOf = (registry: Registry): PublicStatusRepository =>
  registry.postgresPool
    ? new PostgresPublicStatusRepository(registry.postgresPool)
    : new SqlitePublicStatusRepository(registry.database);

const wifi: GroupRow = {
  slug: 'wifi',
  name: 'Wifi công cộng',
  description: 'Điểm wifi miễn phí',
  deviceIds: null,
  selector: { kind: 'wifi' },
  published: true,
  createdAt: 1_000,
  updatedAt: 1_000,
};
const loa: GroupRow = {
  ...wifi,
  slug: 'loa',
  name: 'Loa truyền thanh',
  selector: null,
  deviceIds: ['l1', 'l2'],
};

const report = (at: number, text: string) => ({
  groupSlug: 'wifi',
  groupName: 'Wifi công cộng',
  deviceId: at % 2 === 0 ? 'w1' : null,
  deviceName: at % 2 === 0 ? 'Wifi chợ' : null,
  text,
  at,
});

describe.each(DIALECTS)('public status repository contract: %s', (dialect) => {
  let h: StorageHarness;
  let repo: PublicStatusRepository;
  beforeEach(async () => {
    h = await openStorage(dialect);
    repo = repositoryOf(h.registry);
  });
  afterEach(async () => {
    await h.close();
  });

  it('creates a group once, updates it keeping its creation time, removes it, and keeps it across a restart', async () => {
    expect(await repo.insertGroup(wifi)).toBe(true);
    expect(await repo.insertGroup({ ...wifi, name: 'other' })).toBe(false);
    expect(await repo.insertGroup(loa)).toBe(true);
    await repo.saveGroup({ ...wifi, published: false, description: '', createdAt: 9, updatedAt: 2_000 });
    repo = repositoryOf(await h.reopen());
    expect(await repo.group('wifi')).toEqual({
      ...wifi,
      published: false,
      description: '',
      updatedAt: 2_000,
    });
    expect((await repo.groups()).map((g) => g.slug)).toEqual(['loa', 'wifi']);
    expect((await repo.group('loa'))!.deviceIds).toEqual(['l1', 'l2']);
    expect(await repo.removeGroup('loa')).toBe(true);
    expect(await repo.removeGroup('loa')).toBe(false);
    expect(await repo.group('loa')).toBeUndefined();
  });

  it('gives a device one token forever: the first one stored wins', async () => {
    expect(await repo.ensureToken('w1', 'aaaaaaaaaaaa', 1)).toBe('aaaaaaaaaaaa');
    expect(await repo.ensureToken('w1', 'bbbbbbbbbbbb', 2)).toBe('aaaaaaaaaaaa');
    expect(await repo.deviceOfToken('aaaaaaaaaaaa')).toBe('w1');
    expect(await repo.deviceOfToken('bbbbbbbbbbbb')).toBeUndefined();
    repo = repositoryOf(await h.reopen());
    expect(await repo.tokens()).toEqual([{ deviceId: 'w1', token: 'aaaaaaaaaaaa' }]);
  });

  it('lists reports of a range newest first, with their ids', async () => {
    const ids: number[] = [];
    for (let at = 1_000; at < 1_005; at++) ids.push(await repo.addReport(report(at, `r${at}`)));
    expect(new Set(ids).size).toBe(5);
    const page = await repo.reports(1_001, 1_004, 10);
    expect(page.map((r) => r.text)).toEqual(['r1003', 'r1002', 'r1001']);
    expect(page[1]).toEqual({ id: ids[2], ...report(1_002, 'r1002') });
    expect((await repo.reports(0, 10_000, 2)).map((r) => r.text)).toEqual(['r1004', 'r1003']);
  });

  it.runIf(dialect === 'postgres')('a second node sees the same groups, tokens and reports', async () => {
    const other = repositoryOf(await h.another());
    await repo.insertGroup(wifi);
    expect(await other.insertGroup(wifi)).toBe(false);
    expect(await other.group('wifi')).toEqual(wifi);
    // Both nodes give w1 a token at once: both end up with the same one.
    const [a, b] = await Promise.all([
      repo.ensureToken('w1', 'aaaaaaaaaaaa', 1),
      other.ensureToken('w1', 'bbbbbbbbbbbb', 1),
    ]);
    expect(a).toBe(b);
    await other.addReport(report(1_000, 'from B'));
    expect((await repo.reports(0, 2_000, 10)).map((r) => r.text)).toEqual(['from B']);
  });
});
