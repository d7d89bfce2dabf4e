import fp from 'fastify-plugin';
import client from 'prom-client';
import { DeliveryFailure, sendToChannel } from '../alert-delivery/adapters.ts';
import { BotReplies } from '../alert-delivery/bot-replies.ts';
import { type DigestNotice, type MessageContext, renderDigest } from '../alert-delivery/message.ts';
import { DEFAULT_QUEUE_OPTIONS, DeliveryQueue } from '../alert-delivery/queue.ts';
import { ChannelService } from '../alert-delivery/service.ts';
import { DeliveryStore } from '../alert-delivery/store.ts';

export interface AlertDelivery {
  channels: ChannelService;
  queue: DeliveryQueue;
  store: DeliveryStore;
  replies: BotReplies;
}

declare module 'fastify' {
  interface FastifyInstance {
    alertDelivery: AlertDelivery;
  }
}

/**
 * Alert delivery: channels, the retrying queue, digests and bot replies. Listens to `alert.notify`
 * (what to tell) and `alert.changed` (stop reminders once acknowledged); publishes `alert.ackRequested`
 * when an official answers a Telegram or Zalo message.
 */
export const alertDeliveryPlugin = fp(
  async (app) => {
    const { config, clock, events, registry } = app;
    const log = app.log.child({ module: 'alert-delivery' });
    const store = new DeliveryStore(app.sharedDb);
    const registers = [app.metrics.registry];
    const attempts = new client.Counter({
      name: 'hub_alert_delivery_attempts_total',
      help: 'Alert delivery attempts, by channel kind and outcome (ok, failed)',
      labelNames: ['kind', 'outcome'] as const,
      registers,
    });
    const rejected = new client.Counter({
      name: 'hub_alert_channel_rejected_total',
      help: 'Alert channel inputs refused, by field',
      labelNames: ['field'] as const,
      registers,
    });
    new client.Gauge({
      name: 'hub_alert_channels_failing',
      help: 'Alert channels whose last delivery attempt failed',
      registers,
      collect() {
        this.set(channels.list().filter((c) => c.health.failing).length);
      },
    });
    new client.Gauge({
      name: 'hub_alert_deliveries_queued',
      help: 'Alert messages waiting to be sent (including retries)',
      registers,
      collect() {
        this.set(store.listChannels().reduce((n, c) => n + store.queuedCount(c.id), 0));
      },
    });

    const message: MessageContext = {
      publicUrl: config.publicUrl,
      siteOf: (deviceId) => {
        const siteId = registry.get(deviceId)?.siteId;
        return siteId ? registry.places.site(siteId)?.name : undefined;
      },
    };
    // Cluster mode: a message is claimed in PostgreSQL (per message and try) before it is sent, so a leader
    // that takes over sends what the old one had not, and never what it had.
    const { sharedTables, leadership } = app;
    const node = app.cluster;
    const claimer =
      sharedTables && node
        ? async (d: { id: number; attempts: number }) => {
            await sharedTables.durable().catch(() => {});
            return sharedTables.claimDelivery(d.id, d.attempts, clock.now(), (n) => node.leases.isAlive(n));
          }
        : undefined;
    const queue = new DeliveryQueue(
      store,
      clock,
      async (channel, m) => {
        if (channel.kind === 'zalo_zns' && !config.alertsZnsEnabled) {
          throw new DeliveryFailure('ZNS is off on this hub (HUB_ALERTS_ZNS_ENABLED)', null);
        }
        return sendToChannel(channel.kind, channel.config, m);
      },
      log,
      {
        ...DEFAULT_QUEUE_OPTIONS,
        buildDigest: (channel, notices) => {
          const list = notices as DigestNotice[];
          const m = renderDigest(list, channel.digestMinutes, message);
          const alertIds = [...new Set(list.map((n) => n.alert.id))];
          return { channelId: channel.id, alertIds, reason: 'digest', ...m };
        },
      },
      {
        onAttempt: (channel, ok) => attempts.inc({ kind: channel.kind, outcome: ok ? 'ok' : 'failed' }),
        claim: claimer,
      },
    );
    const channels = new ChannelService(store, queue, clock, log, {
      znsEnabled: config.alertsZnsEnabled,
      message,
      countRejected: (field) => rejected.inc({ field }),
    });
    const replies = new BotReplies(
      store,
      (r) => {
        // The bus is synchronous: the alerts part applies the ack inside emit(), and says so on alert.changed.
        let accepted = false;
        const off = events.on('alert.changed', ({ alert }) => {
          if (alert.id === r.alertId && alert.state === 'acknowledged') accepted = true;
        });
        try {
          events.emit('alert.ackRequested', { ...r, at: clock.now() });
        } finally {
          off();
        }
        return accepted;
      },
      (channel, text) => {
        store.enqueue(
          {
            channelId: channel.id,
            alertIds: [],
            reason: 'reply',
            subject: text,
            text,
            payload: { type: 'reply', text },
          },
          clock.now(),
        );
        queue.kick();
      },
      log,
      config.alertsBotPollMs,
    );
    const unsubscribe = [
      events.on('alert.notify', (e) => channels.onNotify(e)),
      events.on('alert.changed', ({ alert }) => {
        // Only the leader changes the queue; other nodes hear of the same alert through the shared rows.
        if (!leadership.isLeader) return;
        if (alert.state === 'acknowledged' || alert.state === 'resolved') channels.onAlertSettled(alert.id);
      }),
    ];
    // Sending and reading bots' replies are the leader's (a sole node's) duties: once per cluster.
    if (leadership.isLeader) {
      queue.start();
      replies.start();
    }
    unsubscribe.push(
      leadership.onChange((leading) => {
        if (leading) {
          queue.start();
          replies.start();
        } else {
          void queue.stop();
          void replies.stop();
        }
      }),
    );
    app.decorate('alertDelivery', { channels, queue, store, replies });
    app.addHook('onClose', async () => {
      for (const off of unsubscribe) off();
      await replies.stop();
      await queue.stop();
    });
  },
  { name: 'alert-delivery', dependencies: ['events', 'registry', 'shared-state'] },
);
