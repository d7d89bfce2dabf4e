import { type Static, Type } from '@sinclair/typebox';
import { AlertObjectId } from './alerts.ts';

/**
 * Alert delivery channels (issue 11, item 5): where alert messages go, how delivery went, and the
 * channel's health. Secrets (bot tokens, SMTP passwords, HMAC keys, ZNS access tokens) are write-only:
 * answers carry `"***"` in their place, and an update that sends `"***"` back keeps the stored value.
 */
export const CHANNEL_KINDS = ['webhook', 'email', 'telegram', 'zalo_bot', 'zalo_zns'] as const;
export const ChannelKind = Type.Union(CHANNEL_KINDS.map((k) => Type.Literal(k)));
export type ChannelKind = Static<typeof ChannelKind>;

/** Placeholder that stands for a stored secret in answers. */
export const SECRET_MASK = '***';

/** JSON POST of the alert; with `secret`, header `X-Hub-Signature-256: sha256=<hex HMAC-SHA256 of the body>`. */
export const WebhookConfig = Type.Object(
  {
    url: Type.String({ maxLength: 2000, description: 'http(s) URL that receives the JSON POST' }),
    secret: Type.Optional(Type.String({ maxLength: 256, description: 'HMAC-SHA256 key; empty = unsigned' })),
  },
  { additionalProperties: false },
);
export type WebhookConfig = Static<typeof WebhookConfig>;

/** SMTP via nodemailer. `security`: `tls` = implicit TLS (port 465), `starttls` = upgrade required (587), `none`. */
export const EmailConfig = Type.Object(
  {
    host: Type.String({ maxLength: 253 }),
    port: Type.Integer({ minimum: 1, maximum: 65535 }),
    security: Type.Union([Type.Literal('tls'), Type.Literal('starttls'), Type.Literal('none')]),
    username: Type.Optional(Type.String({ maxLength: 256 })),
    password: Type.Optional(Type.String({ maxLength: 256 })),
    from: Type.String({ maxLength: 320 }),
    to: Type.Array(Type.String({ maxLength: 320 }), { minItems: 1, maxItems: 50 }),
    /** PEM of a private CA or self-signed server certificate to trust (a commune's own mail server). */
    caPem: Type.Optional(Type.String({ maxLength: 20000 })),
  },
  { additionalProperties: false },
);
export type EmailConfig = Static<typeof EmailConfig>;

/** Telegram Bot API `sendMessage`. `chatId`: a numeric chat id (groups are negative) or `@channelname`. */
export const TelegramConfig = Type.Object(
  {
    botToken: Type.String({ maxLength: 200 }),
    chatId: Type.String({ maxLength: 64 }),
    apiBaseUrl: Type.Optional(
      Type.String({ maxLength: 2000, description: 'default https://api.telegram.org' }),
    ),
  },
  { additionalProperties: false },
);
export type TelegramConfig = Static<typeof TelegramConfig>;

/**
 * Zalo Bot Platform (mirrors Telegram's Bot API). The official must first message the bot: the chat id
 * comes from that message (see the hub README, "Alert channels").
 */
export const ZaloBotConfig = Type.Object(
  {
    botToken: Type.String({ maxLength: 200 }),
    chatId: Type.String({ maxLength: 64 }),
    apiBaseUrl: Type.Optional(
      Type.String({ maxLength: 2000, description: 'default https://bot-api.zaloplatforms.com' }),
    ),
  },
  { additionalProperties: false },
);
export type ZaloBotConfig = Static<typeof ZaloBotConfig>;

/**
 * Zalo ZNS template message (optional, HUB_ALERTS_ZNS_ENABLED): needs a verified OA with ZNS permission,
 * a template approved by Zalo, and is paid per message. `phone` in 84… form. The template's parameters
 * are filled from the alert: title, place, since, link (names mapped by `params`).
 */
export const ZaloZnsConfig = Type.Object(
  {
    accessToken: Type.String({ maxLength: 2000 }),
    phone: Type.String({ maxLength: 15 }),
    templateId: Type.String({ maxLength: 32 }),
    params: Type.Optional(
      Type.Object(
        {
          title: Type.Optional(Type.String({ maxLength: 64 })),
          place: Type.Optional(Type.String({ maxLength: 64 })),
          since: Type.Optional(Type.String({ maxLength: 64 })),
          link: Type.Optional(Type.String({ maxLength: 64 })),
        },
        { additionalProperties: false },
      ),
    ),
    apiBaseUrl: Type.Optional(
      Type.String({ maxLength: 2000, description: 'default https://business.openapi.zalo.me' }),
    ),
  },
  { additionalProperties: false },
);
export type ZaloZnsConfig = Static<typeof ZaloZnsConfig>;

/** What an admin sends to create or replace a channel. `config` is checked against `kind` by the hub. */
export const AlertChannelInput = Type.Object(
  {
    /** Lower-case slug, referenced by rules' `notify.channelIds`; chosen by the hub when absent. */
    id: Type.Optional(AlertObjectId),
    name: Type.String({ minLength: 1, maxLength: 120 }),
    kind: ChannelKind,
    enabled: Type.Optional(Type.Boolean({ default: true })),
    /** 0 = one message per notification; N = notifications gathered for N minutes become one message. */
    digestMinutes: Type.Optional(Type.Integer({ minimum: 0, maximum: 1440, default: 0 })),
    config: Type.Record(Type.String(), Type.Unknown()),
  },
  { additionalProperties: false },
);
export type AlertChannelInput = Static<typeof AlertChannelInput>;

export const ChannelHealth = Type.Object({
  /** The last attempt failed (and no success came after it). */
  failing: Type.Boolean(),
  lastError: Type.Union([Type.String(), Type.Null()]),
  lastAttemptAt: Type.Union([Type.String(), Type.Null()]),
  lastSuccessAt: Type.Union([Type.String(), Type.Null()]),
  consecutiveFailures: Type.Integer(),
  /** Messages waiting to go out on this channel (including those waiting for a retry). */
  queued: Type.Integer(),
});
export type ChannelHealth = Static<typeof ChannelHealth>;

export const AlertChannel = Type.Object({
  id: Type.String(),
  name: Type.String(),
  kind: ChannelKind,
  enabled: Type.Boolean(),
  digestMinutes: Type.Integer(),
  /** The config with secrets replaced by `***`. */
  config: Type.Record(Type.String(), Type.Unknown()),
  createdAt: Type.String(),
  updatedAt: Type.String(),
  health: ChannelHealth,
});
export type AlertChannel = Static<typeof AlertChannel>;

/** `cancelled`: a re-notification or escalation still queued when its alert was acknowledged or resolved. */
export const DELIVERY_STATES = ['queued', 'sent', 'failed', 'cancelled'] as const;
export const DeliveryState = Type.Union(DELIVERY_STATES.map((s) => Type.Literal(s)));
export type DeliveryState = Static<typeof DeliveryState>;

/** One try to hand one message to one channel. */
export const DeliveryAttempt = Type.Object({
  id: Type.Integer(),
  deliveryId: Type.Integer(),
  channelId: Type.String(),
  at: Type.String(),
  ok: Type.Boolean(),
  /** HTTP status, SMTP response code, or null when the connection itself failed. */
  status: Type.Union([Type.Integer(), Type.Null()]),
  error: Type.Union([Type.String(), Type.Null()]),
  /** When the next try is due after this failure (null: sent, or given up). */
  retryAt: Type.Union([Type.String(), Type.Null()]),
});
export type DeliveryAttempt = Static<typeof DeliveryAttempt>;

export const AlertDelivery = Type.Object({
  id: Type.Integer(),
  channelId: Type.String(),
  alertIds: Type.Array(Type.String()),
  /** `notify`, `renotify`, `escalate`, `resolved`, `digest` or `test`. */
  reason: Type.String(),
  state: DeliveryState,
  attempts: Type.Integer(),
  text: Type.String(),
  createdAt: Type.String(),
  sentAt: Type.Union([Type.String(), Type.Null()]),
});
export type AlertDelivery = Static<typeof AlertDelivery>;

export const DeliveryAttemptsQuery = Type.Object(
  {
    channelId: Type.Optional(Type.String({ maxLength: 64 })),
    from: Type.Optional(Type.String()),
    to: Type.Optional(Type.String()),
    limit: Type.Optional(Type.Integer({ minimum: 1, maximum: 5000, default: 200 })),
  },
  { additionalProperties: false },
);
export type DeliveryAttemptsQuery = Static<typeof DeliveryAttemptsQuery>;

export const ChannelTestResult = Type.Object({ deliveryId: Type.Integer(), queued: Type.Boolean() });
export type ChannelTestResult = Static<typeof ChannelTestResult>;

export const AlertChannelList = Type.Object({ channels: Type.Array(AlertChannel) });
export type AlertChannelList = Static<typeof AlertChannelList>;
export const DeliveryAttemptList = Type.Object({ attempts: Type.Array(DeliveryAttempt) });
export type DeliveryAttemptList = Static<typeof DeliveryAttemptList>;
export const AlertDeliveryList = Type.Object({ deliveries: Type.Array(AlertDelivery) });
export type AlertDeliveryList = Static<typeof AlertDeliveryList>;
