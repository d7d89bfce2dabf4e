import type { ChannelKind, DeliveryState } from '@commune-hub/protocol';
import type Database from 'better-sqlite3';

export interface ChannelRow {
  id: string;
  name: string;
  kind: ChannelKind;
  enabled: boolean;
  digestMinutes: number;
  config: Record<string, unknown>;
  createdAt: number;
  updatedAt: number;
}

export interface DeliveryRow {
  id: number;
  channelId: string;
  alertIds: string[];
  reason: string;
  subject: string;
  text: string;
  payload: Record<string, unknown>;
  state: DeliveryState;
  attempts: number;
  nextAt: number;
  createdAt: number;
  sentAt: number | null;
  providerMessageId: string | null;
}

export interface AttemptRow {
  id: number;
  deliveryId: number;
  channelId: string;
  at: number;
  ok: boolean;
  status: number | null;
  error: string | null;
  retryAt: number | null;
}

export interface NewDelivery {
  channelId: string;
  alertIds: string[];
  reason: string;
  subject: string;
  text: string;
  payload: Record<string, unknown>;
}

type Raw = Record<string, unknown>;

const toChannel = (r: Raw): ChannelRow => ({
  id: r.id as string,
  name: r.name as string,
  kind: r.kind as ChannelKind,
  enabled: r.enabled === 1,
  digestMinutes: r.digest_minutes as number,
  config: JSON.parse(r.config_json as string),
  createdAt: r.created_at as number,
  updatedAt: r.updated_at as number,
});

const toDelivery = (r: Raw): DeliveryRow => ({
  id: r.id as number,
  channelId: r.channel_id as string,
  alertIds: JSON.parse(r.alert_ids_json as string),
  reason: r.reason as string,
  subject: r.subject as string,
  text: r.text as string,
  payload: JSON.parse(r.payload_json as string),
  state: r.state as DeliveryState,
  attempts: r.attempts as number,
  nextAt: r.next_at as number,
  createdAt: r.created_at as number,
  sentAt: (r.sent_at as number | null) ?? null,
  providerMessageId: (r.provider_message_id as string | null) ?? null,
});

const toAttempt = (r: Raw): AttemptRow => ({
  id: r.id as number,
  deliveryId: r.delivery_id as number,
  channelId: r.channel_id as string,
  at: r.at as number,
  ok: r.ok === 1,
  status: (r.status as number | null) ?? null,
  error: (r.error as string | null) ?? null,
  retryAt: (r.retry_at as number | null) ?? null,
});

/** Every row of alert delivery: channels, the outgoing queue, each attempt, digest buffers, bot offsets. */
export class DeliveryStore {
  /** `db`: the registry database, whose migrator made the tables (./migrations.ts). */
  constructor(private readonly db: Database.Database) {}

  // --- channels
  listChannels(): ChannelRow[] {
    return (this.db.prepare('SELECT * FROM alert_channels ORDER BY created_at, id').all() as Raw[]).map(
      toChannel,
    );
  }

  getChannel(id: string): ChannelRow | undefined {
    const r = this.db.prepare('SELECT * FROM alert_channels WHERE id = ?').get(id) as Raw | undefined;
    return r ? toChannel(r) : undefined;
  }

  upsertChannel(c: ChannelRow): void {
    this.db
      .prepare(
        `INSERT INTO alert_channels (id, name, kind, enabled, digest_minutes, config_json, created_at, updated_at)
         VALUES (@id, @name, @kind, @enabled, @digestMinutes, @config, @createdAt, @updatedAt)
         ON CONFLICT(id) DO UPDATE SET name = @name, kind = @kind, enabled = @enabled,
           digest_minutes = @digestMinutes, config_json = @config, updated_at = @updatedAt`,
      )
      .run({ ...c, enabled: c.enabled ? 1 : 0, config: JSON.stringify(c.config) });
  }

  /** Removes the channel and cancels what still waits for it; sent messages and attempts stay as history. */
  deleteChannel(id: string): boolean {
    return this.db.transaction(() => {
      this.db
        .prepare(
          `UPDATE alert_delivery_messages SET state = 'cancelled' WHERE channel_id = ? AND state = 'queued'`,
        )
        .run(id);
      this.db.prepare('DELETE FROM alert_delivery_digest_items WHERE channel_id = ?').run(id);
      return this.db.prepare('DELETE FROM alert_channels WHERE id = ?').run(id).changes > 0;
    })();
  }

  // --- queue
  enqueue(d: NewDelivery, now: number): number {
    const info = this.db
      .prepare(
        `INSERT INTO alert_delivery_messages
           (channel_id, alert_ids_json, reason, subject, text, payload_json, state, attempts, next_at, created_at)
         VALUES (?, ?, ?, ?, ?, ?, 'queued', 0, ?, ?)`,
      )
      .run(
        d.channelId,
        JSON.stringify(d.alertIds),
        d.reason,
        d.subject,
        d.text,
        JSON.stringify(d.payload),
        now,
        now,
      );
    return Number(info.lastInsertRowid);
  }

  getDelivery(id: number): DeliveryRow | undefined {
    const r = this.db.prepare('SELECT * FROM alert_delivery_messages WHERE id = ?').get(id) as
      | Raw
      | undefined;
    return r ? toDelivery(r) : undefined;
  }

  /** The oldest queued message of each channel: a channel sends in order, one at a time. */
  queueHeads(): DeliveryRow[] {
    return (
      this.db
        .prepare(
          `SELECT m.* FROM alert_delivery_messages m
           JOIN (SELECT channel_id, MIN(id) AS id FROM alert_delivery_messages WHERE state = 'queued' GROUP BY channel_id) h
             ON h.id = m.id`,
        )
        .all() as Raw[]
    ).map(toDelivery);
  }

  queuedCount(channelId: string): number {
    const r = this.db
      .prepare(`SELECT COUNT(*) AS n FROM alert_delivery_messages WHERE channel_id = ? AND state = 'queued'`)
      .get(channelId) as { n: number };
    return r.n;
  }

  recordAttempt(
    delivery: DeliveryRow,
    at: number,
    outcome: {
      ok: boolean;
      status: number | null;
      error: string | null;
      retryAt: number | null;
      providerMessageId?: string;
    },
    giveUp: boolean,
  ): void {
    this.db.transaction(() => {
      this.db
        .prepare(
          `INSERT INTO alert_delivery_attempts (delivery_id, channel_id, at, ok, status, error, retry_at)
           VALUES (?, ?, ?, ?, ?, ?, ?)`,
        )
        .run(
          delivery.id,
          delivery.channelId,
          at,
          outcome.ok ? 1 : 0,
          outcome.status,
          outcome.error,
          outcome.retryAt,
        );
      const state: DeliveryState = outcome.ok ? 'sent' : giveUp ? 'failed' : 'queued';
      this.db
        .prepare(
          `UPDATE alert_delivery_messages SET state = ?, attempts = attempts + 1, next_at = ?, sent_at = ?,
             provider_message_id = COALESCE(?, provider_message_id) WHERE id = ?`,
        )
        .run(
          state,
          outcome.retryAt ?? delivery.nextAt,
          outcome.ok ? at : null,
          outcome.providerMessageId ?? null,
          delivery.id,
        );
    })();
  }

  listAttempts(q: { channelId?: string; from: number; to: number; limit: number }): AttemptRow[] {
    const rows = q.channelId
      ? this.db
          .prepare(
            'SELECT * FROM alert_delivery_attempts WHERE channel_id = ? AND at BETWEEN ? AND ? ORDER BY id DESC LIMIT ?',
          )
          .all(q.channelId, q.from, q.to, q.limit)
      : this.db
          .prepare('SELECT * FROM alert_delivery_attempts WHERE at BETWEEN ? AND ? ORDER BY id DESC LIMIT ?')
          .all(q.from, q.to, q.limit);
    return (rows as Raw[]).map(toAttempt);
  }

  listDeliveries(q: { channelId?: string; from: number; to: number; limit: number }): DeliveryRow[] {
    const rows = q.channelId
      ? this.db
          .prepare(
            'SELECT * FROM alert_delivery_messages WHERE channel_id = ? AND created_at BETWEEN ? AND ? ORDER BY id DESC LIMIT ?',
          )
          .all(q.channelId, q.from, q.to, q.limit)
      : this.db
          .prepare(
            'SELECT * FROM alert_delivery_messages WHERE created_at BETWEEN ? AND ? ORDER BY id DESC LIMIT ?',
          )
          .all(q.from, q.to, q.limit);
    return (rows as Raw[]).map(toDelivery);
  }

  /** Recent attempts of a channel, newest first, for its health. */
  lastAttempts(channelId: string, n: number): AttemptRow[] {
    return (
      this.db
        .prepare('SELECT * FROM alert_delivery_attempts WHERE channel_id = ? ORDER BY id DESC LIMIT ?')
        .all(channelId, n) as Raw[]
    ).map(toAttempt);
  }

  lastSuccessAt(channelId: string): number | null {
    const r = this.db
      .prepare('SELECT MAX(at) AS at FROM alert_delivery_attempts WHERE channel_id = ? AND ok = 1')
      .get(channelId) as { at: number | null };
    return r.at;
  }

  /** The newest sent message of a chat channel that covered an alert, for "ok" replies without an id. */
  findByProviderMessage(channelId: string, providerMessageId: string): DeliveryRow | undefined {
    const r = this.db
      .prepare('SELECT * FROM alert_delivery_messages WHERE channel_id = ? AND provider_message_id = ?')
      .get(channelId, providerMessageId) as Raw | undefined;
    return r ? toDelivery(r) : undefined;
  }

  latestAlertMessage(channelId: string): DeliveryRow | undefined {
    const r = this.db
      .prepare(
        `SELECT * FROM alert_delivery_messages WHERE channel_id = ? AND state = 'sent'
           AND reason IN ('notify', 'renotify', 'escalate') ORDER BY id DESC LIMIT 1`,
      )
      .get(channelId) as Raw | undefined;
    return r ? toDelivery(r) : undefined;
  }

  /** Re-notifications and escalations still waiting for an alert someone has acknowledged (or that resolved). */
  cancelQueuedReminders(alertId: string): number {
    return this.db
      .prepare(
        `UPDATE alert_delivery_messages SET state = 'cancelled'
         WHERE state = 'queued' AND reason IN ('renotify', 'escalate')
           AND EXISTS (SELECT 1 FROM json_each(alert_ids_json) WHERE value = ?)`,
      )
      .run(alertId).changes;
  }

  // --- digests
  addDigestItem(channelId: string, notice: unknown, now: number): void {
    this.db
      .prepare(
        'INSERT INTO alert_delivery_digest_items (channel_id, notice_json, created_at) VALUES (?, ?, ?)',
      )
      .run(channelId, JSON.stringify(notice), now);
  }

  /** Channels whose oldest buffered notice is at least `windowMs(channel)` old. */
  digestOldest(): Array<{ channelId: string; oldest: number }> {
    return this.db
      .prepare(
        'SELECT channel_id AS channelId, MIN(created_at) AS oldest FROM alert_delivery_digest_items GROUP BY channel_id',
      )
      .all() as Array<{ channelId: string; oldest: number }>;
  }

  /** Moves a channel's buffered notices into one message, atomically: nothing is both buffered and queued. */
  flushDigest(
    channelId: string,
    build: (notices: unknown[]) => NewDelivery,
    now: number,
  ): number | undefined {
    return this.db.transaction(() => {
      const rows = this.db
        .prepare('SELECT id, notice_json FROM alert_delivery_digest_items WHERE channel_id = ? ORDER BY id')
        .all(channelId) as Array<{ id: number; notice_json: string }>;
      if (rows.length === 0) return undefined;
      const id = this.enqueue(build(rows.map((r) => JSON.parse(r.notice_json))), now);
      this.db
        .prepare('DELETE FROM alert_delivery_digest_items WHERE channel_id = ? AND id <= ?')
        .run(channelId, rows.at(-1)!.id);
      return id;
    })();
  }

  // --- bot replies
  botOffset(channelId: string): number {
    const r = this.db
      .prepare('SELECT next_offset FROM alert_delivery_bot_offsets WHERE channel_id = ?')
      .get(channelId) as { next_offset: number } | undefined;
    return r?.next_offset ?? 0;
  }

  setBotOffset(channelId: string, offset: number): void {
    this.db
      .prepare(
        'INSERT INTO alert_delivery_bot_offsets (channel_id, next_offset) VALUES (?, ?) ON CONFLICT(channel_id) DO UPDATE SET next_offset = excluded.next_offset',
      )
      .run(channelId, offset);
  }
}
