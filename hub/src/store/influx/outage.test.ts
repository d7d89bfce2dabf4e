// InfluxDB outages against a real influxd that is killed and started again (its own instance, so the
// shared server of the contract suite is never disturbed).
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type InfluxdServer, startInfluxd } from '../../../../test/setup/influxd.ts';
import { waitFor } from '../../../../test/support/wait.ts';
import { hb, T0 } from '../contract/fixtures.ts';
import type { HeartbeatRow } from '../types.ts';
import { type InfluxStoreOptions, InfluxTimeSeriesStore } from './influx-store.ts';

const ALL = { from: 0, to: T0 + 1e10 };
const DEVICES = ['ls-01', 'wf-02', 'cam-03'];

let server: InfluxdServer;
const dirs: string[] = [];

beforeAll(async () => {
  server = await startInfluxd({ database: 'outage' });
});
afterAll(async () => {
  await server?.stop();
  for (const d of dirs) rmSync(d, { recursive: true, force: true });
});

function makeStore(database: string, over: Partial<InfluxStoreOptions> = {}, dataDir?: string) {
  const dir = dataDir ?? mkdtempSync(join(tmpdir(), 'hub-outage-'));
  dirs.push(dir);
  const store = new InfluxTimeSeriesStore({
    url: server.url,
    username: server.username,
    password: server.password,
    database,
    retentionMs: 1e12,
    dataDir: dir,
    batchSize: 200,
    flushIntervalMs: 50,
    replayMinMs: 50,
    timeoutMs: 2000,
    ...over,
  });
  return { store, dir };
}

/** `count` heartbeats round-robin over DEVICES, seq continuing from `start` per device. */
function burst(start: number, count: number): HeartbeatRow[] {
  return Array.from({ length: count }, (_, i) => {
    const n = start + i;
    return hb(DEVICES[n % DEVICES.length]!, T0 + n * 10, n, { village: 'Thôn "Đông", 1\nx' });
  });
}

async function storedSeqs(store: InfluxTimeSeriesStore): Promise<number[]> {
  const seqs: number[] = [];
  for (const d of DEVICES) for (const r of await store.heartbeats(d, ALL, 100_000)) seqs.push(r.seq);
  return seqs.sort((a, b) => a - b);
}

describe('InfluxDB outage', () => {
  it('spools while the server is down, replays in order when it returns, loses nothing', async () => {
    const { store } = makeStore('outage_a');
    await store.open();
    store.writeHeartbeats(burst(0, 600));
    await store.flush();

    // Writes in flight (still in the client's buffer) when the server dies.
    store.writeHeartbeats(burst(600, 600));
    await server.kill();
    for (let i = 0; i < 10; i++) store.writeHeartbeats(burst(1200 + i * 150, 150));
    // What a PUBACK waits for (group commit): every line is on the server or in the spool, fsynced.
    // It does not wait for the outage to end, unlike flush().
    await store.commit();
    expect(store.spooledLines).toBeGreaterThanOrEqual(1500);
    await expect(store.flush()).rejects.toMatchObject({ code: 'HUB_ERR_STORE_UNREACHABLE' });
    // Batches the client had already sent may or may not have landed before the kill.
    expect(store.spooledLines).toBeGreaterThanOrEqual(1500);
    const depth = store.spooledLines;
    expect(await store.metrics().depthLines.get()).toMatchObject({ values: [{ value: depth }] });

    await server.restart();
    store.writeHeartbeats(burst(2700, 300));
    await waitFor(() => store.spooledLines === 0, 'the spool to drain', 20_000);
    await store.flush();
    expect(await storedSeqs(store)).toEqual(Array.from({ length: 3000 }, (_, i) => i));
    expect(store.droppedLines).toBe(0);
    await store.close();
  });

  it('keeps the spool on disk across a hub restart and replays it on open', async () => {
    const first = makeStore('outage_b');
    await first.store.open();
    await server.kill();
    first.store.writeHeartbeats(burst(0, 900));
    await first.store.close();
    expect(first.store.spooledLines).toBe(900);

    await server.restart();
    const second = makeStore('outage_b', {}, first.dir);
    await second.store.open();
    await waitFor(() => second.store.spooledLines === 0, 'the spool to drain', 20_000);
    await second.store.flush();
    expect(await storedSeqs(second.store)).toEqual(Array.from({ length: 900 }, (_, i) => i));
    await second.store.close();
  });

  it('past its bound drops the oldest lines, counted exactly', async () => {
    const { store } = makeStore('outage_c', { spoolMaxBytes: 64 * 1024 });
    await store.open();
    await server.kill();
    const total = 3000;
    // The first failure switches the store to spooling; from then on lines enter the spool in order.
    store.writeHeartbeats(burst(0, 100));
    await expect(store.flush()).rejects.toMatchObject({ code: 'HUB_ERR_STORE_UNREACHABLE' });
    for (let i = 100; i < total; i += 100) store.writeHeartbeats(burst(i, 100));
    await expect(store.flush()).rejects.toMatchObject({ code: 'HUB_ERR_STORE_UNREACHABLE' });
    const dropped = store.droppedLines;
    expect(dropped).toBeGreaterThan(0);
    expect(dropped + store.spooledLines).toBe(total);
    expect(await store.metrics().droppedLines.get()).toMatchObject({ values: [{ value: dropped }] });

    await server.restart();
    await waitFor(() => store.spooledLines === 0, 'the spool to drain', 20_000);
    await store.flush();
    // Exactly the oldest `dropped` heartbeats are gone, every newer one is there.
    expect(await storedSeqs(store)).toEqual(Array.from({ length: total - dropped }, (_, i) => dropped + i));
    await store.close();
  });

  it('open() names the problem: unreachable server, wrong password', async () => {
    const wrong = makeStore('outage_d', { password: 'wrong' }).store;
    await expect(wrong.open()).rejects.toMatchObject({ code: 'HUB_ERR_STORE_UNAUTHORIZED' });
    const down = makeStore('outage_d', { url: 'http://127.0.0.1:9' }).store;
    await expect(down.open()).rejects.toMatchObject({ code: 'HUB_ERR_STORE_UNREACHABLE' });
  });
});
