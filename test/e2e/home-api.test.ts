import type { StartedHub } from '@commune-hub/hub';
import type { FeedPage, VillageHealth } from '@commune-hub/protocol';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { connectDevice, type TestDevice } from '../support/device.ts';
import { authHeaders, getJson, provision, startTestHub, TEST_TOKEN } from '../support/hub.ts';
import { waitFor } from '../support/wait.ts';

/**
 * The home page's routes on a real hub with real MQTT devices: the feed merges status changes and
 * maintenance newest first, and the village health counts a degraded device apart from the working ones.
 */
describe('GET /api/feed and GET /api/villages/health', () => {
  let hub: StartedHub;
  const devices: TestDevice[] = [];

  beforeAll(async () => {
    hub = await startTestHub();
    for (const id of ['feed-a', 'feed-b', 'feed-c']) {
      const creds = await provision(hub, {
        id,
        kind: 'wifi',
        name: `Wifi ${id}`,
        village: 'Thôn Feed',
        intervalS: 600,
      });
      const d = await connectDevice(hub.mqttUrl, creds);
      await d.beat();
      devices.push(d);
    }
    await waitFor(async () => {
      const health = await getJson<VillageHealth[]>(hub, '/api/villages/health');
      return health.find((v) => v.village === 'Thôn Feed')?.working === 3;
    }, 'three devices working');
  });

  afterAll(async () => {
    for (const d of devices) d.client.end(true);
    await hub?.close();
  });

  it('lists a drop and a maintenance window, newest first, with names and village', async () => {
    const start = Date.now();
    const res = await fetch(`${hub.httpUrl}/api/maintenance`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', authorization: `Bearer ${TEST_TOKEN}` },
      body: JSON.stringify({
        deviceIds: ['feed-c'],
        from: String(start),
        to: String(start + 3_600_000),
        note: 'Thay nguồn',
      }),
    });
    expect(res.status).toBe(201);
    devices[0]!.kill();
    const feed = await waitFor(async () => {
      const page = await getJson<FeedPage>(hub, '/api/feed');
      return (
        page.items.some((i) => i.kind === 'transition' && i.deviceId === 'feed-a' && i.to === 'offline') &&
        page
      );
    }, 'the drop in the feed');
    const drop = feed.items.find((i) => i.kind === 'transition' && i.to === 'offline');
    expect(drop).toMatchObject({ deviceName: 'Wifi feed-a', village: 'Thôn Feed', reason: 'disconnect' });
    expect(feed.items.find((i) => i.kind === 'maintenance')).toMatchObject({
      deviceId: 'feed-c',
      deviceName: 'Wifi feed-c',
      note: 'Thay nguồn',
    });
    const times = feed.items.map((i) => i.at);
    expect(times).toEqual([...times].sort().reverse());
    expect(feed.truncated).toBe(false);

    // `limit` cuts and says so; `since` after everything gives nothing.
    const one = await getJson<FeedPage>(hub, '/api/feed?limit=1');
    expect(one.items).toHaveLength(1);
    expect(one.truncated).toBe(true);
    const later = await getJson<FeedPage>(hub, `/api/feed?since=${Date.now() + 60_000}`);
    expect(later.items).toEqual([]);
  });

  it('counts by status (degraded is not working) and refuses a bad `since` with HUB_ERR_BAD_TIME_RANGE', async () => {
    await devices[1]!.beat({ st: 'degraded' });
    const row = await waitFor(async () => {
      const health = await getJson<VillageHealth[]>(hub, '/api/villages/health');
      const v = health.find((h) => h.village === 'Thôn Feed');
      return v?.degraded === 1 && v;
    }, 'the degraded device counted');
    expect(row).toMatchObject({
      total: 3,
      working: 0,
      degraded: 1,
      offline: 1,
      maintenance: 1,
      outage: null,
    });

    const bad = await fetch(`${hub.httpUrl}/api/feed?since=yesterday`, { headers: authHeaders(hub) });
    expect(bad.status).toBe(400);
    expect(((await bad.json()) as { code: string }).code).toBe('HUB_ERR_BAD_TIME_RANGE');
  });
});
