import pg from 'pg';
import type { Clock } from '../clock.ts';
import type { EventBus } from '../events/bus.ts';
import type { Logger } from '../logger.ts';
import type { Registry } from './registry.ts';
import { CHANGES_CHANNEL, type RegistryChanges } from './shared-storage.ts';

export interface FollowOptions {
  /** Read changes at least this often even without a notification (one missed while reconnecting). */
  pollMs?: number;
  /** After a notification, wait this long so a burst of them is read once. */
  settleMs?: number;
}

/**
 * HUB_DB=postgres with several nodes: when another node commits a change to devices, credentials, places,
 * maintenance or coverage, it notifies `hub_changes`; this node then reads what changed (by `change_seq`,
 * Registry.refresh()) and announces it on its own bus exactly as if it had been made here
 * (`device.created`, `device.updated`, `device.disabled`, `device.secretRotated`, `village.updated`;
 * uptime announces `maintenance.changed`), so liveness, the broker, realtime and alerts on every node
 * react. A notification is only a wake-up: the sequence is the truth, so none can be lost, and a poll
 * every `pollMs` covers a LISTEN connection that dropped. Returns the function that stops following.
 */
export async function followChanges(
  registry: Registry,
  url: string,
  events: EventBus,
  clock: Clock,
  log: Logger,
  options: FollowOptions = {},
): Promise<() => Promise<void>> {
  const pollMs = options.pollMs ?? 2000;
  // Coverage flushes notify up to every group commit under load: reads are spaced by this much at least.
  const settleMs = options.settleMs ?? 250;
  let stopped = false;
  let running: Promise<void> | undefined;
  let again = false;
  let wake: NodeJS.Timeout | undefined;

  const announce = (changes: RegistryChanges) => {
    const at = clock.now();
    for (const device of changes.created) events.emit('device.created', { device, at });
    for (const { device, before, changes: fields } of changes.updated) {
      events.emit('device.updated', { device, before, changes: fields, at });
      if (device.disabled && !before.disabled) events.emit('device.disabled', { device, at });
    }
    for (const deviceId of changes.secretRotated) events.emit('device.secretRotated', { deviceId, at });
    for (const villageId of changes.villages) {
      const devices = registry.list().filter((d) => d.villageId === villageId);
      events.emit('village.updated', { villageId, devices, at });
    }
  };

  const read = (): void => {
    if (stopped) return;
    if (running) {
      again = true;
      return;
    }
    running = registry
      .refresh()
      .then((changes) => {
        if (changes) announce(changes);
      })
      .catch((err) => log.warn({ err }, 'reading changes from PostgreSQL failed; retrying at the next poll'))
      .finally(() => {
        running = undefined;
        if (again) {
          again = false;
          soon();
        }
      });
  };

  const soon = () => {
    if (stopped || wake) return;
    wake = setTimeout(() => {
      wake = undefined;
      read();
    }, settleMs);
  };

  let listener: pg.Client | undefined;
  const listen = async () => {
    const client = new pg.Client({ connectionString: url, application_name: 'commune-hub-listen' });
    client.on('error', (err) => {
      log.warn({ err }, 'PostgreSQL LISTEN connection lost; polling until it is back');
      listener = undefined;
      client.end().catch(() => {});
    });
    client.on('notification', (n) => {
      if (n.payload !== registry.nodeId) soon();
    });
    await client.connect();
    await client.query(`LISTEN ${CHANGES_CHANNEL}`);
    listener = client;
  };
  await listen();
  const poll = setInterval(() => {
    if (!listener && !stopped) listen().catch(() => {});
    read();
  }, pollMs);
  poll.unref();

  return async () => {
    stopped = true;
    clearInterval(poll);
    if (wake) clearTimeout(wake);
    await running;
    await listener?.end().catch(() => {});
  };
}
