import type { StartedHub } from '@commune-hub/hub';
import {
  createHubClient,
  type DeviceCredentials,
  type DevicesDiff,
  type DevicesSnapshot,
  type FeedPage,
  type HubClient,
} from '@commune-hub/protocol';
import { io, type Socket } from 'socket.io-client';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { connectDevice } from '../support/device.ts';
import { hubClient, startTestHub, waitFor } from '../support/hub.ts';

/** A live socket as the dashboard opens it, recording every snapshot, diff and its disconnect. */
interface Live {
  socket: Socket;
  snapshots: DevicesSnapshot[];
  diffs: DevicesDiff[];
  disconnected: string | null;
  /** Device ids in the client's list after applying everything received, like the dashboard's store. */
  ids(): string[];
}

/**
 * Issue 14, the scope gaps left after the first pass: open sockets follow a user's access the moment it
 * changes; a village or device that moves commune leaves the old commune's lists and enters the new one's;
 * a commune user's feed is a full page on a hub busy with another commune. Two communes, real MQTT
 * devices, real socket.io clients.
 */
describe('scope gaps: live sockets follow access and moves; the feed pages within scope', () => {
  let hub: StartedHub;
  let admin: HubClient;
  const sockets: Socket[] = [];
  const creds = new Map<string, DeviceCredentials>();

  const open = async (auth: { token?: string; cookie?: string }): Promise<Live> => {
    const socket = io(hub.httpUrl, {
      transports: ['websocket'],
      reconnection: false,
      ...(auth.token && { auth: { token: auth.token } }),
      ...(auth.cookie && { extraHeaders: { cookie: auth.cookie } }),
    });
    sockets.push(socket);
    // The client's list, kept as the dashboard keeps it: a snapshot replaces it, diffs apply on top.
    const held = new Set<string>();
    const live: Live = {
      socket,
      snapshots: [],
      diffs: [],
      disconnected: null,
      ids: () => [...held].sort(),
    };
    socket.on('devices:snapshot', (snapshot) => {
      live.snapshots.push(snapshot);
      held.clear();
      for (const d of snapshot.devices) held.add(d.id);
    });
    socket.on('devices:diff', (diff) => {
      live.diffs.push(diff);
      for (const c of diff.changes) held.add(c.id);
      for (const id of diff.removed ?? []) held.delete(id);
    });
    socket.on('disconnect', (reason) => {
      live.disconnected = reason;
    });
    await expect.poll(() => live.snapshots.length).toBe(1);
    return live;
  };

  /** A user of some communes with a personal API token; answers its id, token and token id. */
  const user = async (username: string, role: 'viewer' | 'operator' | 'admin', communeIds: string[]) => {
    const created = await admin.userCreate({
      body: { username, password: `${username}-password-0`, role, communeIds, apiTokenName: 'e2e' },
    });
    return {
      id: created.user.id,
      token: created.apiToken!.token,
      tokenId: created.apiToken!.info.id,
      client: createHubClient({ baseUrl: hub.httpUrl, token: created.apiToken!.token }),
    };
  };

  /** A browser session: the cookie header and the CSRF token of its writes. */
  const signIn = async (username: string) => {
    const res = await fetch(`${hub.httpUrl}/api/session`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ username, password: `${username}-password-0` }),
    });
    expect(res.status).toBe(200);
    const cookie = /hub_session=[^;]+/.exec(res.headers.get('set-cookie') ?? '')![0];
    const { csrfToken } = (await res.json()) as { csrfToken: string };
    return { cookie, csrfToken };
  };

  beforeAll(async () => {
    hub = await startTestHub({ livenessSweepMs: 10 });
    admin = hubClient(hub);
    await admin.communeCreate({ body: { id: 'xa-a', name: 'Xã A', province: 'Thanh Hóa' } });
    await admin.communeCreate({ body: { id: 'xa-b', name: 'Xã B', province: 'Thanh Hóa' } });
    for (const [id, name, communeId] of [
      ['thon-a', 'Thôn A1', 'xa-a'],
      ['thon-a2', 'Thôn A2', 'xa-a'],
      ['thon-b', 'Thôn B1', 'xa-b'],
    ] as const) {
      await admin.villageCreate({ body: { id, name, communeId } });
    }
    for (const [id, village] of [
      ['a-kiosk', 'thon-a'],
      ['a2-wifi', 'thon-a2'],
      ['a-camera', 'thon-a'],
      ['b-kiosk', 'thon-b'],
    ] as const) {
      const created = await admin.deviceCreate({
        body: { id, kind: id.includes('wifi') ? 'wifi' : 'kiosk', name: `Thiết bị ${id}`, village },
      });
      creds.set(id, created);
    }
  });

  afterAll(async () => {
    for (const s of sockets) s.close();
    await hub?.close();
  });

  it('a user given other communes: their open socket gets the new scope and a new snapshot at once', async () => {
    const lan = await user('lan', 'viewer', ['xa-a']);
    const live = await open({ token: lan.token });
    expect(live.ids()).toEqual(['a-camera', 'a-kiosk', 'a2-wifi']);
    await admin.userUpdate({ params: { id: lan.id }, body: { communeIds: ['xa-b'] } });
    await expect.poll(() => live.snapshots.length).toBe(2);
    expect(live.ids()).toEqual(['b-kiosk']);
    expect(live.disconnected).toBeNull();
    // …and the diffs that follow are B's, not A's.
    await admin.deviceUpdate({ params: { id: 'a-kiosk' }, body: { name: 'Kiosk A (mới)' } });
    await admin.deviceUpdate({ params: { id: 'b-kiosk' }, body: { name: 'Kiosk B (mới)' } });
    await expect.poll(() => live.diffs.flatMap((d) => d.changes).some((c) => c.id === 'b-kiosk')).toBe(true);
    expect(live.diffs.flatMap((d) => d.changes).map((c) => c.id)).not.toContain('a-kiosk');
  });

  it('disabled, removed, token revoked, role changed, logged out: the open socket is closed at once', async () => {
    const disabled = await user('disabled', 'viewer', ['xa-a']);
    const removed = await user('removed', 'viewer', ['xa-a']);
    const revoked = await user('revoked', 'viewer', ['xa-a']);
    const demoted = await user('demoted', 'operator', ['xa-a']);
    await user('leaving', 'viewer', ['xa-a']);
    const bystander = await user('bystander', 'viewer', ['xa-a']);

    const viaDisabled = await open({ token: disabled.token });
    const viaRemoved = await open({ token: removed.token });
    const viaRevoked = await open({ token: revoked.token });
    const demotedSession = await signIn('demoted');
    const viaDemoted = await open({ cookie: demotedSession.cookie });
    const leavingSession = await signIn('leaving');
    const viaLeaving = await open({ cookie: leavingSession.cookie });
    // The same user's other session stays up when one logs out.
    const leavingOther = await signIn('leaving');
    const viaLeavingOther = await open({ cookie: leavingOther.cookie });
    const viaBystander = await open({ token: bystander.token });

    await admin.userUpdate({ params: { id: disabled.id }, body: { disabled: true } });
    await expect.poll(() => viaDisabled.disconnected).toBe('io server disconnect');

    await admin.userDelete({ params: { id: removed.id } });
    await expect.poll(() => viaRemoved.disconnected).toBe('io server disconnect');

    await admin.tokenRevoke({ params: { id: revoked.tokenId } });
    await expect.poll(() => viaRevoked.disconnected).toBe('io server disconnect');

    // A new role ends the sessions opened under the old one.
    await admin.userUpdate({ params: { id: demoted.id }, body: { role: 'viewer' } });
    await expect.poll(() => viaDemoted.disconnected).toBe('io server disconnect');

    const logout = await fetch(`${hub.httpUrl}/api/session`, {
      method: 'DELETE',
      headers: { cookie: leavingSession.cookie, 'x-csrf-token': leavingSession.csrfToken },
    });
    expect(logout.status).toBe(204);
    await expect.poll(() => viaLeaving.disconnected).toBe('io server disconnect');

    // The others were checked again and kept: still connected, and still served.
    expect(viaLeavingOther.disconnected).toBeNull();
    expect(viaBystander.disconnected).toBeNull();
    await admin.deviceUpdate({ params: { id: 'a-camera' }, body: { name: 'Camera A (mới)' } });
    await expect
      .poll(() => viaLeavingOther.diffs.flatMap((d) => d.changes).some((c) => c.id === 'a-camera'))
      .toBe(true);
    expect(viaBystander.socket.connected).toBe(true);
    // A closed socket cannot come back with the same credentials.
    const again = io(hub.httpUrl, {
      transports: ['websocket'],
      reconnection: false,
      auth: { token: revoked.token },
    });
    sockets.push(again);
    const refused = await new Promise<string>((resolve) => {
      again.once('connect_error', (err) => resolve(err.message));
      again.once('devices:snapshot', () => resolve('snapshot'));
    });
    expect(refused).toMatch(/HUB_ERR_UNAUTHORIZED/);
  });

  it("a village moved to another commune leaves the old commune's lists and enters the new one's", async () => {
    const a = await user('viewer.a', 'viewer', ['xa-a']);
    const b = await user('viewer.b', 'viewer', ['xa-b']);
    const liveA = await open({ token: a.token });
    const liveB = await open({ token: b.token });
    const everything = await open({ token: hub.adminToken });
    expect(liveA.ids()).toContain('a2-wifi');
    expect(liveB.ids()).not.toContain('a2-wifi');

    await admin.villageUpdate({ params: { id: 'thon-a2' }, body: { communeId: 'xa-b' } });
    await expect.poll(() => liveA.ids()).not.toContain('a2-wifi');
    expect(liveA.diffs.flatMap((d) => d.removed ?? [])).toContain('a2-wifi');
    // B had never seen the device: it gets all of it, not a partial diff.
    await expect.poll(() => liveB.ids()).toContain('a2-wifi');
    const arrived = liveB.diffs.flatMap((d) => d.changes).find((c) => c.id === 'a2-wifi');
    expect(arrived).toMatchObject({
      id: 'a2-wifi',
      kind: 'wifi',
      villageId: 'thon-a2',
      name: 'Thiết bị a2-wifi',
    });
    // A province-wide socket just sees the change.
    await expect
      .poll(() => everything.diffs.flatMap((d) => d.changes).some((c) => c.id === 'a2-wifi'))
      .toBe(true);
    expect(everything.diffs.flatMap((d) => d.removed ?? [])).not.toContain('a2-wifi');

    // A device moved to a village of the other commune: the same, the other way.
    await admin.deviceUpdate({ params: { id: 'b-kiosk' }, body: { village: 'thon-a' } });
    await expect.poll(() => liveB.ids()).not.toContain('b-kiosk');
    await expect.poll(() => liveA.ids()).toContain('b-kiosk');
    expect(liveA.ids()).toEqual(['a-camera', 'a-kiosk', 'b-kiosk']);
    expect(liveB.ids()).toEqual(['a2-wifi']);
    // Put things back for the tests after this one.
    await admin.deviceUpdate({ params: { id: 'b-kiosk' }, body: { village: 'thon-b' } });
    await admin.villageUpdate({ params: { id: 'thon-a2' }, body: { communeId: 'xa-a' } });
    await expect.poll(() => liveA.ids()).toEqual(['a-camera', 'a-kiosk', 'a2-wifi']);
  });

  it("the feed: a commune A user gets a full page though commune B's changes are newer", async () => {
    const a = await user('feed.a', 'viewer', ['xa-a']);
    // A's kiosk comes online and drops: two changes of A's.
    const dA = await connectDevice(hub.mqttUrl, creds.get('a-kiosk')!);
    await dA.beat();
    dA.kill();
    // Then B's kiosk flaps, far more often: 12 changes newer than A's.
    for (let i = 0; i < 6; i++) {
      const dB = await connectDevice(hub.mqttUrl, creds.get('b-kiosk')!);
      await dB.beat();
      dB.kill();
      await waitFor(
        async () => (await admin.deviceGet({ params: { id: 'b-kiosk' } })).status === 'offline',
        'b-kiosk offline',
      );
    }
    const transitionsOf = (page: FeedPage, id: string) =>
      page.items.filter((i) => i.kind === 'transition' && i.deviceId === id);
    await waitFor(
      async () => transitionsOf(await admin.feed({ query: { limit: 100 } }), 'b-kiosk').length >= 12,
      "twelve of B's changes in the feed",
    );
    const page = await a.client.feed({ query: { limit: 2 } });
    expect(page.items.map((i) => (i.kind === 'transition' ? i.deviceId : i.kind))).toEqual([
      'a-kiosk',
      'a-kiosk',
    ]);
  });

  describe('alert configuration is scoped like the alerts: rules, recurring windows, mutes, schedules', () => {
    const hours = [{ days: [7], from: '00:00', to: '06:00' }];
    const rule = (id: string, scope: Record<string, string[]>) =>
      ({
        id,
        name: id,
        scope,
        condition: { kind: 'offline_for', forMin: 5 },
        notify: { channelIds: [] },
      }) as never;
    /** The status and code a call fails with (the test fails if it succeeds). */
    const failure = async (call: Promise<unknown>) => {
      const err = (await call.then(
        () => null,
        (e: unknown) => e,
      )) as { status: number; code: string } | null;
      expect(err).not.toBeNull();
      return [err!.status, err!.code];
    };
    let viewerA: HubClient;
    let operatorA: HubClient;
    let adminA: HubClient;
    let muteB: string;

    beforeAll(async () => {
      viewerA = (await user('cfg.viewer', 'viewer', ['xa-a'])).client;
      operatorA = (await user('cfg.operator', 'operator', ['xa-a'])).client;
      adminA = (await user('cfg.admin', 'admin', ['xa-a'])).client;
      await admin.alertRuleCreate({ body: rule('rule-a', { villageIds: ['thon-a'] }) });
      await admin.alertRuleCreate({ body: rule('rule-b', { communeIds: ['xa-b'] }) });
      await admin.alertRuleCreate({ body: rule('rule-ab', { deviceIds: ['a-kiosk', 'b-kiosk'] }) });
      await admin.alertRuleCreate({ body: rule('rule-all', { kinds: ['kiosk'] } as never) });
      for (const [id, scope] of [
        ['win-a', { deviceIds: ['a-kiosk'] }],
        ['win-b', { villageIds: ['thon-b'] }],
        ['win-all', { kinds: ['wifi'] }],
      ] as const) {
        await admin.alertRecurringCreate({ body: { id, name: id, scope, hours } as never });
      }
      muteB = (
        await admin.alertMuteCreate({
          body: { deviceId: 'b-kiosk', hours: 2, by: 'Tỉnh', reason: 'Sửa nguồn' },
        })
      ).id;
    });

    it("a commune's viewer reads its own and the hub-wide ones; another commune's are 404", async () => {
      expect((await viewerA.alertRuleList()).map((r) => r.id).sort()).toEqual(['rule-a', 'rule-all']);
      expect((await viewerA.alertRuleGet({ params: { id: 'rule-all' } })).id).toBe('rule-all');
      const unknown = await failure(viewerA.alertRuleGet({ params: { id: 'no-such-rule' } }));
      expect(unknown).toEqual([404, 'HUB_ERR_NOT_FOUND']);
      // A rule that names B's kiosk, alone or beside A's, does not exist for A.
      expect(await failure(viewerA.alertRuleGet({ params: { id: 'rule-b' } }))).toEqual(unknown);
      expect(await failure(viewerA.alertRuleGet({ params: { id: 'rule-ab' } }))).toEqual(unknown);
      expect((await viewerA.alertRecurringList()).map((w) => w.id).sort()).toEqual(['win-a', 'win-all']);
      expect((await viewerA.alertMuteList()).map((m) => m.id)).not.toContain(muteB);
      expect((await admin.alertMuteList()).map((m) => m.id)).toContain(muteB);
      expect((await admin.alertRuleList()).map((r) => r.id)).toEqual(
        expect.arrayContaining(['rule-a', 'rule-b', 'rule-ab', 'rule-all']),
      );
      // Schedules name no place: every commune reads them. Channels are admins' contact data.
      expect(await viewerA.alertScheduleList()).toEqual([]);
      expect((await failure(viewerA.alertChannelList()))[0]).toBe(403);
    });

    it("an operator's windows and mutes stay in their communes; B's ids answer like unknown ones", async () => {
      const unknownDevice = await failure(
        operatorA.alertRecurringCreate({
          body: { name: 'x', scope: { deviceIds: ['no-such-kiosk'] }, hours } as never,
        }),
      );
      expect(unknownDevice[0]).toBe(400);
      expect(
        await failure(
          operatorA.alertRecurringCreate({
            body: { name: 'x', scope: { deviceIds: ['b-kiosk'] }, hours } as never,
          }),
        ),
      ).toEqual(unknownDevice);
      // Replacing B's window under its id, or deleting it: not found.
      expect(
        await failure(
          operatorA.alertRecurringCreate({
            body: { id: 'win-b', name: 'x', scope: { deviceIds: ['a-kiosk'] }, hours } as never,
          }),
        ),
      ).toEqual([404, 'HUB_ERR_NOT_FOUND']);
      expect(await failure(operatorA.alertRecurringDelete({ params: { id: 'win-b' } }))).toEqual([
        404,
        'HUB_ERR_NOT_FOUND',
      ]);
      // A hub-wide window reaches every commune: read-only to a commune's operator.
      expect(
        await failure(
          operatorA.alertRecurringCreate({
            body: { name: 'all', scope: { kinds: ['kiosk'] }, hours } as never,
          }),
        ),
      ).toEqual([403, 'HUB_ERR_FORBIDDEN']);
      expect(await failure(operatorA.alertRecurringDelete({ params: { id: 'win-all' } }))).toEqual([
        403,
        'HUB_ERR_FORBIDDEN',
      ]);
      // An id a commune's operator names must be one of theirs to replace: an unknown id answers like B's.
      expect(
        await failure(
          operatorA.alertRecurringCreate({
            body: { id: 'win-a2', name: 'win-a2', scope: { villageIds: ['thon-a'] }, hours } as never,
          }),
        ),
      ).toEqual([404, 'HUB_ERR_NOT_FOUND']);
      // Their own: fine, under an id the hub chooses (a name like B's window's does not collide with it).
      const mine = await operatorA.alertRecurringCreate({
        body: { name: 'win-b', scope: { villageIds: ['thon-a'] }, hours } as never,
      });
      expect(mine.id).toMatch(/^win-[0-9a-f]{10}$/);
      await operatorA.alertRecurringDelete({ params: { id: 'win-a' } });
      expect((await admin.alertRecurringList()).map((w) => w.id).sort()).toEqual(
        [mine.id, 'win-all', 'win-b'].sort(),
      );

      // Mutes: B's kiosk is refused like an unknown one; B's mute is not found.
      const body = { hours: 1, by: 'Minh', reason: 'Bảo trì' };
      const unknownMute = await failure(
        operatorA.alertMuteCreate({ body: { ...body, deviceId: 'no-such' } }),
      );
      expect(await failure(operatorA.alertMuteCreate({ body: { ...body, deviceId: 'b-kiosk' } }))).toEqual(
        unknownMute,
      );
      expect(await failure(operatorA.alertMuteCreate({ body: { ...body, villageId: 'thon-b' } }))).toEqual([
        unknownMute[0],
        unknownMute[1],
      ]);
      expect(await failure(operatorA.alertMuteDelete({ params: { id: muteB } }))).toEqual([
        404,
        'HUB_ERR_NOT_FOUND',
      ]);
      expect((await admin.alertMuteList()).map((m) => m.id)).toContain(muteB);
      const own = await operatorA.alertMuteCreate({ body: { ...body, deviceId: 'a-kiosk' } });
      await operatorA.alertMuteDelete({ params: { id: own.id } });
    });

    it("a commune's admin writes rules of its communes only; hub-wide rules and schedules are the province's", async () => {
      const unknown = await failure(
        adminA.alertRuleCreate({ body: rule('r-x', { deviceIds: ['no-such-kiosk'] }) }),
      );
      expect(unknown[0]).toBe(400);
      expect(await failure(adminA.alertRuleCreate({ body: rule('r-x', { communeIds: ['xa-b'] }) }))).toEqual(
        unknown,
      );
      expect(
        await failure(
          adminA.alertRuleUpdate({
            params: { id: 'rule-b' },
            body: rule('rule-b', { villageIds: ['thon-a'] }),
          }),
        ),
      ).toEqual([404, 'HUB_ERR_NOT_FOUND']);
      expect(await failure(adminA.alertRuleDelete({ params: { id: 'rule-ab' } }))).toEqual([
        404,
        'HUB_ERR_NOT_FOUND',
      ]);
      expect(await failure(adminA.alertRuleDelete({ params: { id: 'rule-all' } }))).toEqual([
        403,
        'HUB_ERR_FORBIDDEN',
      ]);
      expect(
        await failure(adminA.alertRuleCreate({ body: rule('r-all', { kinds: ['wifi'] } as never) })),
      ).toEqual([403, 'HUB_ERR_FORBIDDEN']);
      expect(
        await failure(
          adminA.alertScheduleCreate({ body: { id: 'office', name: 'Giờ hành chính', hours } as never }),
        ),
      ).toEqual([403, 'HUB_ERR_FORBIDDEN']);
      const own = await adminA.alertRuleCreate({
        body: {
          name: 'rule-a2',
          scope: { communeIds: ['xa-a'] },
          condition: { kind: 'offline_for', forMin: 5 },
          notify: { channelIds: [] },
        },
      });
      expect(own.id).toMatch(/^rule-[0-9a-f]{10}$/);
      await adminA.alertRuleDelete({ params: { id: own.id } });
      // Channels (contacts) and what was sent on them are the province's: none for a commune admin.
      await admin.alertChannelCreate({
        body: {
          id: 'hook',
          name: 'Webhook tỉnh',
          kind: 'webhook',
          config: { url: 'http://127.0.0.1:9/hook' },
        } as never,
      });
      expect((await admin.alertChannelList()).channels.map((c) => c.id)).toEqual(['hook']);
      expect((await adminA.alertChannelList()).channels).toEqual([]);
      expect(await failure(adminA.alertChannelGet({ params: { id: 'hook' } }))).toEqual([
        404,
        'HUB_ERR_NOT_FOUND',
      ]);
      expect(await failure(adminA.alertChannelDelete({ params: { id: 'hook' } }))).toEqual([
        403,
        'HUB_ERR_FORBIDDEN',
      ]);
      expect(await failure(adminA.alertChannelTest({ params: { id: 'hook' } }))).toEqual([
        403,
        'HUB_ERR_FORBIDDEN',
      ]);
      await admin.alertChannelTest({ params: { id: 'hook' } });
      expect((await admin.alertDeliveryList()).deliveries.length).toBeGreaterThan(0);
      expect((await adminA.alertDeliveryList()).deliveries).toEqual([]);
      // The province admin still changes everything.
      await admin.alertScheduleCreate({ body: { id: 'office', name: 'Giờ hành chính', hours } as never });
      await admin.alertRuleDelete({ params: { id: 'rule-b' } });
    });

    it("rules and schedules say whether the caller may change them; a hidden rule's id is not told by a create", async () => {
      // Editable, as the service decides it (../alerts/access.ts): a commune admin's own rules yes,
      // hub-wide rules and every schedule no; a province admin everything.
      const editable = (list: Array<{ id: string; editable: boolean }>) =>
        Object.fromEntries(list.map((x) => [x.id, x.editable]));
      expect(editable(await adminA.alertRuleList())).toMatchObject({ 'rule-a': true, 'rule-all': false });
      expect((await adminA.alertRuleGet({ params: { id: 'rule-all' } })).editable).toBe(false);
      expect(Object.values(editable(await admin.alertRuleList()))).not.toContain(false);
      await admin.alertScheduleCreate({ body: { id: 'office-hours', name: 'Giờ làm việc', hours } as never });
      const schedules = await adminA.alertScheduleList();
      expect(schedules.length).toBeGreaterThan(0);
      expect(schedules.every((s) => s.editable === false)).toBe(true);
      expect((await admin.alertScheduleList()).every((s) => s.editable)).toBe(true);
      // A viewer's answer says the same about scope (its role is what stops its writes).
      expect(editable(await viewerA.alertRuleList())).toMatchObject({ 'rule-a': true, 'rule-all': false });

      // Creating under an id: the same refusal whether the id is free, visible, or another commune's rule.
      const body = (id: string) => rule(id, { villageIds: ['thon-a'] });
      await admin.alertRuleCreate({ body: rule('rule-b-hidden', { communeIds: ['xa-b'] }) });
      const free = await failure(adminA.alertRuleCreate({ body: body('no-such-rule-id') }));
      expect(free).toEqual([400, 'HUB_ERR_VALIDATION']);
      expect(await failure(adminA.alertRuleCreate({ body: body('rule-b-hidden') }))).toEqual(free);
      expect(await failure(adminA.alertRuleCreate({ body: body('rule-a') }))).toEqual(free);
      // Nor through the name: a rule named like the hidden one gets an id that says nothing of it.
      const named = await adminA.alertRuleCreate({
        body: {
          name: 'rule-b-hidden',
          scope: { villageIds: ['thon-a'] },
          condition: { kind: 'offline_for', forMin: 5 },
          notify: { channelIds: [] },
        },
      });
      expect(named.id).toMatch(/^rule-[0-9a-f]{10}$/);
      expect(named.editable).toBe(true);
      // The province admin still chooses ids, and a taken one is 409 (it sees every rule).
      expect(
        await failure(admin.alertRuleCreate({ body: rule('rule-b-hidden', { kinds: ['wifi'] }) })),
      ).toEqual([409, 'HUB_ERR_EXISTS']);
    });
  });
});

describe('scope gaps: a change the bus did not announce (another node, the users CLI) reaches open sockets', () => {
  let hub: StartedHub;
  let t = Date.parse('2026-12-01T02:00:00Z');
  const sockets: Socket[] = [];

  beforeAll(async () => {
    hub = await startTestHub({}, { clock: { now: () => t } });
    const admin = hubClient(hub);
    await admin.communeCreate({ body: { id: 'xa-a', name: 'Xã A', province: 'Thanh Hóa' } });
    await admin.communeCreate({ body: { id: 'xa-b', name: 'Xã B', province: 'Thanh Hóa' } });
    await admin.villageCreate({ body: { id: 'thon-a', name: 'Thôn A1', communeId: 'xa-a' } });
    await admin.villageCreate({ body: { id: 'thon-b', name: 'Thôn B1', communeId: 'xa-b' } });
    await admin.deviceCreate({ body: { id: 'a-kiosk', kind: 'kiosk', name: 'A', village: 'thon-a' } });
    await admin.deviceCreate({ body: { id: 'b-kiosk', kind: 'kiosk', name: 'B', village: 'thon-b' } });
  });

  afterAll(async () => {
    for (const s of sockets) s.close();
    await hub?.close();
  });

  it('every socket is checked again within a minute of hub time: re-scoped, or closed', async () => {
    const admin = hubClient(hub);
    const made = async (username: string) =>
      admin.userCreate({
        body: {
          username,
          password: `${username}-password-0`,
          role: 'viewer',
          communeIds: ['xa-a'],
          apiTokenName: 'e2e',
        },
      });
    const moved = await made('moved');
    const gone = await made('gone');
    const connect = (token: string) => {
      const socket = io(hub.httpUrl, { transports: ['websocket'], reconnection: false, auth: { token } });
      sockets.push(socket);
      const snapshots: string[][] = [];
      let disconnected: string | null = null;
      const diffs: string[] = [];
      socket.on('devices:snapshot', (s: DevicesSnapshot) => snapshots.push(s.devices.map((d) => d.id)));
      socket.on('devices:diff', (d: DevicesDiff) => diffs.push(...d.changes.map((c) => c.id)));
      socket.on('disconnect', (reason) => {
        disconnected = reason;
      });
      return { snapshots, diffs, disconnected: () => disconnected };
    };
    const liveMoved = connect(moved.apiToken!.token);
    const liveGone = connect(gone.apiToken!.token);
    await expect.poll(() => liveMoved.snapshots).toEqual([['a-kiosk']]);
    await expect.poll(() => liveGone.snapshots.length).toBe(1);

    // Written straight to the database, as another node or the CLI would: no event on this hub's bus.
    const store = hub.app.auth.store;
    await store.updateUser({ ...(await store.user(moved.user.id))!, communeIds: ['xa-b'] });
    await store.updateUser({ ...(await store.user(gone.user.id))!, disabled: true });
    t += 30_000;
    // Not yet due: a diff goes out through the same flush that would re-check, and nothing else changes.
    await admin.deviceUpdate({ params: { id: 'a-kiosk' }, body: { name: 'A (mới)' } });
    await expect.poll(() => liveMoved.diffs).toContain('a-kiosk');
    await expect.poll(() => liveGone.diffs).toContain('a-kiosk');
    expect(liveMoved.snapshots).toHaveLength(1);
    expect(liveGone.disconnected()).toBeNull();
    t += 30_000;
    await expect.poll(() => liveMoved.snapshots).toEqual([['a-kiosk'], ['b-kiosk']]);
    await expect.poll(() => liveGone.disconnected()).toBe('io server disconnect');
  });
});
