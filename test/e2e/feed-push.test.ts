/**
 * `feed:changed` over socket.io: a citizen's report, maintenance scheduled and an alert that fired each
 * tell every open dashboard that the home feed has news, so it refetches at once (the home page listens;
 * see manage-public.test.ts for the page). A status change needs no nudge: it comes as `devices:diff`.
 */
import type { StartedHub } from '@commune-hub/hub';
import type {
  Alert,
  ClientToServerEvents,
  FeedChanged,
  HubClient,
  ServerToClientEvents,
} from '@commune-hub/protocol';
import { io, type Socket } from 'socket.io-client';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { hubClient, provision, startTestHub, waitFor } from '../support/hub.ts';

describe('feed:changed: the home feed is pushed, not polled', () => {
  let hub: StartedHub;
  let api: HubClient;
  let socket: Socket<ServerToClientEvents, ClientToServerEvents>;
  const pushes: FeedChanged[] = [];
  const causes = () => pushes.flatMap((p) => p.causes);

  beforeAll(async () => {
    hub = await startTestHub();
    api = hubClient(hub);
    await provision(hub, { id: 'hk-wifi-01', kind: 'wifi', name: 'Wifi nhà văn hoá', village: 'Thôn 1' });
    await api.publicGroupCreate({
      body: { slug: 'wifi', name: 'Wifi công cộng', selector: { kind: 'wifi' }, published: true },
    });
    socket = io(hub.httpUrl, {
      auth: { token: hub.adminToken },
      transports: ['websocket'],
      reconnection: false,
    });
    socket.on('feed:changed', (p) => pushes.push(p));
    let ready = false;
    socket.on('devices:snapshot', () => {
      ready = true;
    });
    await waitFor(() => ready, 'the first snapshot');
  }, 60_000);

  afterAll(async () => {
    socket?.close();
    await hub?.close();
  });

  it("a citizen's report is pushed, and the feed it points at has it", async () => {
    await api.publicReportCreate({ params: { group: 'wifi' }, body: { text: 'Wifi không vào được' } });
    await waitFor(() => causes().includes('report'), 'feed:changed for the report');
    expect(pushes[0]).toMatchObject({ causes: ['report'] });
    expect(Number.isNaN(Date.parse(pushes[0]!.at))).toBe(false);
    // And the feed it tells the page to refetch has the report.
    const feed = await api.feed({ query: { since: String(Date.now() - 3_600_000) } });
    expect(feed.items.some((i) => i.kind === 'report' && i.text === 'Wifi không vào được')).toBe(true);
    // Coalesced per flush window: a push names each cause once.
    for (const p of pushes) expect(new Set(p.causes).size).toBe(p.causes.length);
  });

  it('maintenance scheduled for a device', async () => {
    const before = pushes.length;
    const now = Date.now();
    await api.maintenanceCreate({
      body: {
        deviceIds: ['hk-wifi-01'],
        from: String(now - 60_000),
        to: String(now + 3_600_000),
        note: 'Thay bộ phát',
      },
    });
    await waitFor(
      () => pushes.slice(before).some((p) => p.causes.includes('maintenance')),
      'feed:changed for maintenance',
    );
  });

  it('an alert that fired (from the bus), but not one that is still pending', async () => {
    const at = Date.now();
    const alert = { id: 'a-1', state: 'pending', firedAt: null } as unknown as Alert;
    hub.app.events.emit('alert.changed', { alert, previous: null, at });
    const fired = { ...alert, state: 'firing', firedAt: new Date(at).toISOString() } as Alert;
    hub.app.events.emit('alert.changed', { alert: fired, previous: 'pending', at });
    const alertPushes = () => pushes.filter((p) => p.causes.includes('alert')).length;
    await waitFor(() => alertPushes() === 1, 'feed:changed for the fired alert');
    // A change that leaves the state as it was (a silence, an ack note) is not feed news.
    // Followed by a report: once its push is in, a push for the unchanged alert would have been too.
    const pushesBefore = pushes.length;
    hub.app.events.emit('alert.changed', { alert: fired, previous: 'firing', at });
    await api.publicReportCreate({ params: { group: 'wifi' }, body: { text: 'Lần hai: vẫn mất' } });
    await waitFor(
      () => pushes.slice(pushesBefore).some((p) => p.causes.includes('report')),
      'the report after it',
    );
    expect(alertPushes()).toBe(1);
  });
});
