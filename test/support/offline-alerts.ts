/**
 * Firing offline alerts for the e2e tests that start from them (csp-pages, roles-browser, two-communes):
 * kiosks that beat once and drop, under the KIOSK_OFFLINE_RULE, on a hub with a fake clock.
 */
import type { StartedHub } from '@commune-hub/hub';
import type { DeviceCredentials, HubClient } from '@commune-hub/protocol';
import { connectDevice } from './device.ts';
import { waitFor } from './wait.ts';

/** An alert rule: a kiosk offline for five minutes. Notifies no channel. */
export const KIOSK_OFFLINE_RULE = {
  id: 'kiosk-offline',
  name: 'Kiosk mất kết nối',
  scope: { kinds: ['kiosk'] },
  condition: { kind: 'offline_for', forMin: 5 },
  notify: { channelIds: [] },
} as never;

/**
 * Each kiosk beats once at `ts` and drops (its last will fires); once all their alerts are pending,
 * `advance` moves the hub's fake clock past the rule's five minutes and the alerts are awaited firing.
 */
export async function fireOfflineAlerts(
  hub: StartedHub,
  admin: HubClient,
  kiosks: DeviceCredentials[],
  ts: number,
  advance: (ms: number) => void,
): Promise<void> {
  for (const creds of kiosks) {
    const d = await connectDevice(hub.mqttUrl, creds);
    await d.beat({ ts });
    d.kill();
  }
  const n = kiosks.length;
  await waitFor(
    async () => (await admin.alertList({ query: { state: 'pending' } })).alerts.length === n,
    `${n} pending alert(s)`,
  );
  advance(5 * 60_000);
  await waitFor(
    async () => (await admin.alertList({ query: { state: 'firing', from: '0' } })).alerts.length === n,
    `${n} firing alert(s)`,
  );
}
