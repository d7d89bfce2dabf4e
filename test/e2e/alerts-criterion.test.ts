import type { StartedHub } from '@commune-hub/hub';
import type { Alert, Evaluation } from '@commune-hub/protocol';
import { createLogger, type LiveHandle, loadScenario, runLive } from '@commune-hub/simulators';
import { afterEach, describe, expect, it } from 'vitest';
import { backfillRecord, registerScenario } from '../support/criteria-world.ts';
import { startTestHub, TEST_TOKEN } from '../support/hub.ts';

/**
 * Issue 11 × issue 10: a `criterion_at_risk` rule fed by the criteria part's live evaluations
 * (`criteria.evaluated`). Real hub, real MQTT, the Hoàng Kim simulator; hub and simulator share one
 * injected clock running SCALE× faster than real time, so the rule's minutes pass in seconds.
 */
const SCALE = 20;
const MIN = 60_000;
const SET = 'thanh-hoa-1829-2023';
const scenario = loadScenario('hoang-kim');

function acceleratedClock(startAt: number) {
  const r0 = Date.now();
  return {
    now: () => startAt + (Date.now() - r0) * SCALE,
    setTimeout: (fn: () => void, ms: number) => setTimeout(fn, ms / SCALE),
    clearTimeout: (h: unknown) => clearTimeout(h as NodeJS.Timeout),
  };
}

let running: { hub: StartedHub; sim: LiveHandle } | undefined;
let debug = () => '';
afterEach(async () => {
  if (!running) return;
  await running.sim.stop().catch(() => undefined);
  await running.hub.close();
  running = undefined;
});

async function until<T>(fn: () => Promise<T | undefined | false> | T | undefined | false, what: string) {
  const deadline = Date.now() + 90_000;
  for (;;) {
    const v = await fn();
    if (v) return v;
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}${debug()}`);
    await new Promise((r) => setTimeout(r, 50));
  }
}

describe('alerts: a criterion about to fail (real hub, real MQTT, Hoàng Kim simulator)', () => {
  it('a rule on Thanh Hóa 4.5 fires when enough wifi points go offline and resolves when they return', async () => {
    // 09:00 on 2 December in Hà Nội; the month began 33 hours earlier.
    const monthStart = Date.parse('2026-11-30T17:00:00Z');
    const clock = acceleratedClock(Date.parse('2026-12-02T02:00:00Z'));
    const hub = await startTestHub(
      { livenessSweepMs: 10, alertsTickMs: 20, criteriaDebounceMs: 50 },
      { clock },
    );
    const evaluations: Evaluation[] = [];
    hub.app.events.on('criteria.evaluated', ({ setId, evaluation }) => {
      if (setId === SET) evaluations.push(evaluation);
    });
    const notices: Array<{ kind: string; title: string; cause: string }> = [];
    hub.app.events.on('alert.notify', (e) =>
      notices.push({ kind: e.kind, title: e.alert.title, cause: e.alert.cause }),
    );
    // Villages, sites (their location types decide what 4.5 counts) and devices, as an installer would;
    // the simulator then finds its devices registered and takes new secrets. The month so far is backfilled
    // so that 4.5 is Đạt (every point well over 90% uptime) before the live part starts.
    await registerScenario(hub, scenario);
    await backfillRecord(hub, scenario, monthStart, clock.now());
    const sim = await runLive({
      scenario,
      hubUrl: hub.httpUrl,
      mqttUrl: hub.mqttUrl,
      adminToken: hub.adminToken,
      failures: false,
      clock,
      logger: createLogger('silent'),
    });
    running = { hub, sim };
    const api = async <T>(method: string, path: string, body?: unknown): Promise<T> => {
      const res = await fetch(`${hub.httpUrl}${path}`, {
        method,
        headers: {
          authorization: `Bearer ${TEST_TOKEN}`,
          ...(body ? { 'content-type': 'application/json' } : {}),
        },
        body: body ? JSON.stringify(body) : undefined,
      });
      const text = await res.text();
      if (res.status >= 300) throw new Error(`${method} ${path}: ${res.status} ${text}`);
      return (text ? JSON.parse(text) : undefined) as T;
    };
    const alerts = async (q = '') => (await api<{ alerts: Alert[] }>('GET', `/api/alerts?from=0${q}`)).alerts;
    const wifiRow = () => evaluations.at(-1)?.rows.find((r) => r.code === '4.5');
    debug = () => {
      const row = wifiRow();
      return ` (4.5: ${row?.result} ${row?.assessment}, live ${JSON.stringify(row?.liveNow)})`;
    };

    // Every wifi point up: the live count of 4.5 is complete (the scenario's public wifi points).
    const all = await until(() => {
      const row = wifiRow();
      const live = row?.liveNow;
      return row?.assessment === 'dat' && live && live.total > 0 && live.online === live.total && live;
    }, '4.5 Đạt with every wifi point working');
    expect(all.needed).toBe(1); // target "Có" (min 1)
    const total = all.total;
    const selected = [...(wifiRow()?.evidence.counted ?? []), ...(wifiRow()?.evidence.notCounted ?? [])]
      .filter((d) => d.reason !== 'location_type_excluded')
      .map((d) => ({ id: d.id, villageId: d.villageId }));
    expect(selected).toHaveLength(total);

    await api('POST', '/api/alerts/channels', {
      id: 'ops',
      name: 'Tổ CNTT xã',
      kind: 'webhook',
      config: { url: 'http://127.0.0.1:9/alerts' },
    });
    // A criterion naming a set that does not exist is refused, naming the field.
    await expect(
      api('POST', '/api/alerts/rules', {
        name: 'Sai bộ',
        scope: {},
        condition: { kind: 'criterion_at_risk', setId: 'khong-co', criterionIds: ['4.5'] },
        notify: { channelIds: ['ops'] },
      }),
    ).rejects.toThrow(/condition\.setId/);
    // Warn two points before the target: at risk once fewer than needed (1) + margin work now.
    await api('POST', '/api/alerts/rules', {
      name: 'Chỉ tiêu wifi công cộng',
      scope: {},
      condition: {
        kind: 'criterion_at_risk',
        setId: SET,
        criterionIds: ['4.5'],
        margin: total - 2,
        forMin: 3,
      },
      notify: { channelIds: ['ops'] },
    });

    // Two points in different villages: one down is within the margin, the second puts 4.5 at risk.
    const first = selected[0]!;
    const second = selected.find((d) => d.villageId !== first.villageId)!;
    sim.kill(first.id);
    await until(() => wifiRow()?.liveNow?.online === total - 1, 'one wifi point down');
    await new Promise((r) => setTimeout(r, 200));
    expect((await alerts()).map((a) => `${a.state} ${a.title}`)).toEqual([]);

    sim.kill(second.id);
    const pending = await until(async () => (await alerts('&state=pending'))[0], 'pending');
    expect(pending).toMatchObject({
      cause: 'criterion',
      condition: 'criterion_at_risk',
      village: null,
      title: `Chỉ tiêu 4.5 (điểm wifi công cộng) có nguy cơ không đạt: ${total - 2}/${total} đang hoạt động`,
    });
    expect(pending.devices.map((d) => d.id).sort()).toEqual([first.id, second.id].sort());
    expect(notices).toEqual([]);
    const since = Date.parse(pending.since);
    const fired = await until(async () => (await alerts('&state=firing'))[0], 'firing');
    expect(fired.id).toBe(pending.id);
    expect(Date.parse(fired.firedAt ?? '') - since).toBeGreaterThanOrEqual(3 * MIN);
    expect(notices).toEqual([{ kind: 'fired', title: pending.title, cause: 'criterion' }]);

    sim.revive(first.id);
    sim.revive(second.id);
    const resolved = await until(
      async () => (await alerts('&state=resolved')).find((a) => a.id === fired.id),
      'resolved',
    );
    expect(resolved.durationS).toBeGreaterThanOrEqual(3 * 60);
    expect(notices.map((n) => n.kind)).toEqual(['fired', 'resolved']);
    await until(() => wifiRow()?.liveNow?.online === total, 'every wifi point back');
  }, 240_000);
});
