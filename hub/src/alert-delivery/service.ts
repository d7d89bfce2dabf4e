import type { AlertChannel, AlertChannelInput, ChannelHealth } from '@commune-hub/protocol';
import { mustReachAll } from '../alerts/access.ts';
import { Scope } from '../auth/scope.ts';
import type { Clock } from '../clock.ts';
import { HubError } from '../errors.ts';
import type { DomainEvents } from '../events/events.ts';
import type { Logger } from '../logger.ts';
import { type DigestNotice, type MessageContext, renderAlertMessage, renderTestMessage } from './message.ts';
import type { DeliveryQueue } from './queue.ts';
import type { ChannelRow, DeliveryStore } from './store.ts';
import { channelProblems, keepMaskedSecrets, maskSecrets } from './validate.ts';

export interface ChannelServiceOptions {
  znsEnabled: boolean;
  message: MessageContext;
  /** Counts refused channel inputs by field (prom-client). */
  countRejected: (field: string) => void;
}

const iso = (ms: number | null) => (ms === null ? null : new Date(ms).toISOString());

/** "Telegram trưởng thôn 3" → "telegram-truong-thon-3": ids an admin can read in rules. */
export function slugify(name: string): string {
  const base = name
    .normalize('NFD')
    .replace(/[\u0300-\u036f]/g, '')
    .replace(/đ/g, 'd')
    .replace(/Đ/g, 'D')
    .toLowerCase()
    .replace(/[^a-z0-9]+/g, '-')
    .replace(/^-+|-+$/g, '')
    .slice(0, 56);
  return base || 'kenh';
}

/** Internal callers (alerts' notifications, the queue) act for the whole hub. */
const ALL = Scope.all();

/**
 * Channels over the API, and what the alerts part asks to tell: each `alert.notify` becomes one queued
 * message per channel (or a digest item), each in Vietnamese, sent by the queue with retries.
 */
export class ChannelService {
  constructor(
    private readonly store: DeliveryStore,
    private readonly queue: DeliveryQueue,
    private readonly clock: Clock,
    private readonly logger: Logger,
    private readonly options: ChannelServiceOptions,
  ) {}

  // `scope`: the caller's communes (issue 14). A channel carries no commune and any rule may use it, so
  // channels and what was sent on them are the province's: a commune-scoped admin sees none of them
  // (another commune's contacts and alert texts) and changes none.
  list(scope: Scope = ALL): AlertChannel[] {
    if (!scope.isAll) return [];
    return this.store.listChannels().map((c) => this.view(c));
  }

  get(id: string, scope: Scope = ALL): AlertChannel {
    if (!scope.isAll) throw new HubError('HUB_ERR_NOT_FOUND', `no alert channel ${id}`);
    return this.view(this.require(id));
  }

  /** The delivery record and its attempts (what was sent where): province users only, like the channels. */
  deliveries(q: Parameters<DeliveryStore['listDeliveries']>[0], scope: Scope = ALL) {
    return scope.isAll ? this.store.listDeliveries(q) : [];
  }

  attempts(q: Parameters<DeliveryStore['listAttempts']>[0], scope: Scope = ALL) {
    return scope.isAll ? this.store.listAttempts(q) : [];
  }

  create(input: AlertChannelInput, scope: Scope = ALL): AlertChannel {
    mustReachAll(scope, 'an alert channel');
    const id = input.id ?? this.freeId(slugify(input.name));
    if (this.store.getChannel(id)) throw new HubError('HUB_ERR_EXISTS', `a channel with id ${id} exists`);
    const now = this.clock.now();
    const row = this.checked(id, input, undefined, now, now);
    this.store.upsertChannel(row);
    this.logger.info({ channel: id, kind: row.kind }, 'alert channel created');
    return this.view(row);
  }

  replace(id: string, input: AlertChannelInput, scope: Scope = ALL): AlertChannel {
    mustReachAll(scope, 'an alert channel');
    const existing = this.require(id);
    if (input.id !== undefined && input.id !== id) {
      this.options.countRejected('id');
      throw new HubError('HUB_ERR_VALIDATION', `id: cannot change a channel's id (${id} → ${input.id})`);
    }
    const stored = existing.kind === input.kind ? existing.config : undefined;
    const row = this.checked(id, input, stored, existing.createdAt, this.clock.now());
    this.store.upsertChannel(row);
    // A corrected config (a fixed token) should not wait out a long backoff of the old one.
    this.queue.kick();
    return this.view(row);
  }

  remove(id: string, scope: Scope = ALL): void {
    mustReachAll(scope, 'an alert channel');
    if (!this.store.deleteChannel(id)) throw new HubError('HUB_ERR_NOT_FOUND', `no alert channel ${id}`);
  }

  /** Queues the "Gửi thử" message; the answer comes back through the channel's health and attempts. */
  sendTest(id: string, scope: Scope = ALL): number {
    mustReachAll(scope, 'an alert channel');
    const channel = this.require(id);
    const now = this.clock.now();
    const m = renderTestMessage(channel.name, now, this.options.message);
    const deliveryId = this.store.enqueue(
      { channelId: id, alertIds: [], reason: 'test', subject: m.subject, text: m.text, payload: m.payload },
      now,
    );
    this.queue.kick();
    return deliveryId;
  }

  /** `alert.notify`: one message per listed channel, or a digest item for channels in digest mode. */
  onNotify(event: DomainEvents['alert.notify']): void {
    const reason = event.kind === 'fired' ? 'notify' : event.kind;
    for (const channelId of new Set(event.channelIds)) {
      const channel = this.store.getChannel(channelId);
      if (!channel) {
        this.logger.warn(
          { channel: channelId, alert: event.alert.id },
          'alert names a channel that does not exist',
        );
        continue;
      }
      if (!channel.enabled) continue;
      if (channel.digestMinutes > 0) {
        const notice: DigestNotice = { alert: event.alert, kind: event.kind, at: event.at };
        this.store.addDigestItem(channelId, notice, event.at);
        continue;
      }
      const m = renderAlertMessage(event.alert, event.kind, this.options.message);
      this.store.enqueue(
        {
          channelId,
          alertIds: [event.alert.id],
          reason,
          subject: m.subject,
          text: m.text,
          payload: m.payload,
        },
        event.at,
      );
    }
    this.queue.kick();
  }

  /** An acknowledged or resolved alert: reminders still queued for it are no longer worth sending. */
  onAlertSettled(alertId: string): void {
    const n = this.store.cancelQueuedReminders(alertId);
    if (n > 0) this.logger.info({ alert: alertId, cancelled: n }, 'queued reminders cancelled');
  }

  health(c: ChannelRow): ChannelHealth {
    const recent = this.store.lastAttempts(c.id, 50);
    const lastFailIdx = recent.findIndex((a) => a.ok);
    const consecutiveFailures = lastFailIdx === -1 ? recent.length : lastFailIdx;
    const last = recent[0];
    return {
      failing: last !== undefined && !last.ok,
      lastError: recent.find((a) => !a.ok)?.error ?? null,
      lastAttemptAt: iso(last?.at ?? null),
      lastSuccessAt: iso(this.store.lastSuccessAt(c.id)),
      consecutiveFailures,
      queued: this.store.queuedCount(c.id),
    };
  }

  private view(c: ChannelRow): AlertChannel {
    return {
      id: c.id,
      name: c.name,
      kind: c.kind,
      enabled: c.enabled,
      digestMinutes: c.digestMinutes,
      config: maskSecrets(c.kind, c.config),
      createdAt: new Date(c.createdAt).toISOString(),
      updatedAt: new Date(c.updatedAt).toISOString(),
      health: this.health(c),
    };
  }

  private require(id: string): ChannelRow {
    const c = this.store.getChannel(id);
    if (!c) throw new HubError('HUB_ERR_NOT_FOUND', `no alert channel ${id}`);
    return c;
  }

  private freeId(base: string): string {
    let id = base;
    for (let n = 2; this.store.getChannel(id); n++) id = `${base}-${n}`;
    return id;
  }

  /** Validates (naming the field) before anything is stored: a refused input leaves the channel as it was. */
  private checked(
    id: string,
    input: AlertChannelInput,
    storedConfig: Record<string, unknown> | undefined,
    createdAt: number,
    now: number,
  ): ChannelRow {
    if (input.kind === 'zalo_zns' && !this.options.znsEnabled) {
      this.options.countRejected('kind');
      throw new HubError(
        'HUB_ERR_VALIDATION',
        'kind: zalo_zns is off on this hub (set HUB_ALERTS_ZNS_ENABLED=true; it needs a verified OA and approved templates, and is paid per message)',
      );
    }
    const config = keepMaskedSecrets(input.kind, input.config, storedConfig);
    for (const k of Object.keys(config)) if (config[k] === undefined) delete config[k];
    const problems = channelProblems(input.kind, config);
    if (problems.length > 0) {
      for (const p of problems) this.options.countRejected(p.field);
      throw new HubError('HUB_ERR_VALIDATION', problems.map((p) => `${p.field}: ${p.message}`).join('; '));
    }
    return {
      id,
      name: input.name,
      kind: input.kind,
      enabled: input.enabled ?? true,
      digestMinutes: input.digestMinutes ?? 0,
      config,
      createdAt,
      updatedAt: now,
    };
  }
}
