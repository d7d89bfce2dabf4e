// Alerting, alert delivery, criteria and probe rows shared by two nodes through a real PostgreSQL (the
// global setup's server, a database of its own): each "node" is a SharedTables replica with the modules'
// own stores on it, exactly as the plugins build them with HUB_DB=postgres.
import pg from 'pg';
import pino from 'pino';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { DeliveryStore } from '../../alert-delivery/store.ts';
import { AlertStore } from '../../alerts/store.ts';
import { CriteriaStore } from '../../criteria/store.ts';
import { ProbeTargetRepository } from '../../probes/repository.ts';
import { createTestDatabase } from '../contract/harness.ts';
import { type SharedChanges, SharedTables } from './shared-tables.ts';

const log = pino({ level: process.env.SHARED_TEST_LOG ?? 'silent' });
const eventually = <T>(check: () => T) => vi.waitFor(check, { timeout: 15_000, interval: 20 });

describe('SharedTables: two nodes on one PostgreSQL', () => {
  let url: string;
  let pool: pg.Pool;
  let a: SharedTables;
  let b: SharedTables;
  const heardByB: SharedChanges[] = [];

  const open = (origin: string, node: string) => SharedTables.open(pool, url, origin, node, log, () => {});

  beforeEach(async () => {
    url = await createTestDatabase();
    pool = new pg.Pool({ connectionString: url, max: 6 });
    a = await open('origin-a', 'node-a');
    b = await open('origin-b', 'node-b');
    heardByB.length = 0;
    b.onChange((c) => heardByB.push(c));
  });
  afterEach(async () => {
    await a.close();
    await b.close();
    await pool.end();
  });

  it('an alert rule, an alert with its history and a mute written on A are read on B', async () => {
    const onA = new AlertStore(a.database);
    const onB = new AlertStore(b.database);
    onA.putRule({ id: 'r1', name: 'Mất kết nối' } as never);
    const alert = {
      id: 'al-1',
      key: 'r1:cam-1',
      ruleId: 'r1',
      state: 'firing',
      since: 1000,
      resolvedAt: null,
      villageId: 'thon-1',
      deviceIds: ['cam-1'],
    };
    onA.saveAlert(alert as never);
    onA.addHistory('al-1', 1000, 'firing', 'Camera mất kết nối');
    onA.addHistory('al-1', 1001, 'notified', 'tg');
    onA.addMute({ id: 'm1', deviceId: 'cam-1', villageId: null, from: 1, until: 2, by: 'x', reason: 'y' });
    await a.durable();
    await eventually(() => expect(onB.getAlert('al-1')?.state).toBe('firing'));
    await eventually(() => expect(onB.history('al-1').map((h) => h.event)).toEqual(['firing', 'notified']));
    expect(onB.rules().map((r) => r.id)).toEqual(['r1']);
    expect(onB.mutes().map((m) => m.id)).toEqual(['m1']);
    expect(heardByB.some((c) => c.get('alert_alerts')?.has('al-1'))).toBe(true);

    // The acknowledgement the leader records, and a deletion, follow too.
    onA.saveAlert({ ...alert, state: 'acknowledged' } as never);
    expect(onA.deleteRule('r1')).toBe(true);
    await eventually(() => expect(onB.getAlert('al-1')?.state).toBe('acknowledged'));
    await eventually(() => expect(onB.rules()).toEqual([]));
  });

  it('delivery rows written on both nodes never take the same id, and the queue follows', async () => {
    const onA = new DeliveryStore(a.database);
    const onB = new DeliveryStore(b.database);
    const channel = {
      id: 'tg',
      name: 'Telegram xã',
      kind: 'telegram',
      enabled: true,
      digestMinutes: 0,
      config: { chatId: '-1' },
      createdAt: 1,
      updatedAt: 1,
    };
    onB.upsertChannel(channel as never);
    await eventually(() => expect(onA.getChannel('tg')?.name).toBe('Telegram xã'));
    const message = {
      channelId: 'tg',
      alertIds: ['al-1'],
      reason: 'notify',
      subject: 's',
      text: 't',
      payload: {},
    };
    const idA = onA.enqueue(message as never, 10);
    const idB = onB.enqueue(message as never, 11);
    expect(idA).not.toBe(idB);
    await eventually(() =>
      expect(
        onA
          .queueHeads()
          .map((d) => d.id)
          .sort(),
      ).toEqual([idA]),
    );
    await eventually(() => expect(onB.listDeliveries({ from: 0, to: 100, limit: 10 })).toHaveLength(2));
    await eventually(() => expect(onA.listDeliveries({ from: 0, to: 100, limit: 10 })).toHaveLength(2));
    const head = onA.getDelivery(idA)!;
    onA.recordAttempt(
      head,
      20,
      { ok: true, status: 200, error: null, retryAt: null, providerMessageId: '7' },
      false,
    );
    await eventually(() => expect(onB.getDelivery(idA)?.state).toBe('sent'));
    expect(onB.lastAttempts('tg', 5)).toHaveLength(1);
    // json_each in the store's own SQL keeps working on the replica, and its effect is shared.
    const reminder = onA.enqueue({ ...message, reason: 'renotify' } as never, 30);
    expect(onA.cancelQueuedReminders('al-1')).toBe(1);
    await eventually(() => expect(onB.getDelivery(reminder)?.state).toBe('cancelled'));
  });

  it('claims each try of a message for one living node; a dead node’s claim is taken over', async () => {
    const alive = new Set(['node-a', 'node-b']);
    const isAlive = (n: string) => alive.has(n);
    expect(await a.claimDelivery(5, 0, 1, isAlive)).toBe(true);
    expect(await b.claimDelivery(5, 0, 1, isAlive)).toBe(false);
    expect(await a.claimDelivery(5, 0, 1, isAlive)).toBe(true); // its own claim again
    expect(await b.claimDelivery(5, 1, 1, isAlive)).toBe(true); // the next try is another claim
    alive.delete('node-a');
    expect(await b.claimDelivery(5, 0, 2, isAlive)).toBe(true);
  });

  it('criteria entries and frozen reports written on either node are the same on both', async () => {
    const onA = new CriteriaStore(a.database);
    const onB = new CriteriaStore(b.database);
    const entry = {
      setId: 's',
      type: 'value',
      target: '1.1',
      from: 0,
      to: 100,
      value: 3,
      evidence: { text: 'biên bản' },
      reason: null,
      by: 'can-bo',
      at: 5,
    } as const;
    const e1 = onA.addEntry(entry as never);
    const e2 = onB.addEntry({ ...entry, value: 4 } as never);
    expect(e1.id).not.toBe(e2.id);
    await eventually(() => expect(onA.entriesInForce('s', 0, 100)).toHaveLength(2));
    await eventually(() => expect(onB.entriesInForce('s', 0, 100)).toHaveLength(2));
    onB.withdraw(e1.id, 'can-bo', 9);
    await eventually(() => expect(onA.entriesInForce('s', 0, 100)).toHaveLength(1));

    const key = { setId: 's', from: 0, to: 100 };
    const build = (version: number) =>
      ({ version, submittedAt: new Date(50).toISOString(), submittedBy: 'chu-tich', rows: [] }) as never;
    const first = onA.insertReport(key, undefined, build);
    await eventually(() => expect(onB.report(first)?.sha256).toBe(onA.report(first)!.sha256));
    const second = onB.insertReport(key, first, build);
    await eventually(() => expect(onA.report(first)?.superseded_by).toBe(second));
    expect(onA.report(second)?.version).toBe(2);
  });

  it('probe targets follow', async () => {
    const onA = new ProbeTargetRepository(a.database);
    const onB = new ProbeTargetRepository(b.database);
    onA.save({ deviceId: 'cam-1', publicJson: '{"kind":"icmp"}', sealedSecrets: null, updatedAt: 1 });
    await eventually(() => expect(onB.all().map((r) => r.deviceId)).toEqual(['cam-1']));
    expect(onA.delete('cam-1')).toBe(true);
    await eventually(() => expect(onB.all()).toEqual([]));
  });

  it('a node opened later reads everything written before', async () => {
    new AlertStore(a.database).putRule({ id: 'r9', name: 'x' } as never);
    new CriteriaStore(b.database).addEntry({
      setId: 's',
      type: 'value',
      target: '1',
      from: 0,
      to: 1,
      value: true,
      evidence: {},
      reason: null,
      by: 'x',
      at: 1,
    } as never);
    await a.durable();
    await b.durable();
    const c = await open('origin-c', 'node-c');
    try {
      expect(new AlertStore(c.database).rules().map((r) => r.id)).toEqual(['r9']);
      expect(new CriteriaStore(c.database).entriesInForce('s', 0, 1)).toHaveLength(1);
    } finally {
      await c.close();
    }
  });
});
