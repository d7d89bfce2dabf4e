import {
  type ChannelKind,
  EmailConfig,
  SECRET_MASK,
  TelegramConfig,
  WebhookConfig,
  ZaloBotConfig,
  ZaloZnsConfig,
} from '@commune-hub/protocol';
import type { TSchema } from '@sinclair/typebox';
import { Value } from '@sinclair/typebox/value';

/** A refused channel field: `field` is the path the admin sees, e.g. `config.to[1]`. */
export interface ChannelProblem {
  field: string;
  message: string;
}

const SCHEMAS: Record<ChannelKind, TSchema> = {
  webhook: WebhookConfig,
  email: EmailConfig,
  telegram: TelegramConfig,
  zalo_bot: ZaloBotConfig,
  zalo_zns: ZaloZnsConfig,
};

/** Which config fields are secrets (write-only, masked in answers). */
export const SECRET_FIELDS: Record<ChannelKind, readonly string[]> = {
  webhook: ['secret'],
  email: ['password'],
  telegram: ['botToken'],
  zalo_bot: ['botToken'],
  zalo_zns: ['accessToken'],
};

// Deliberately plain: one @, no spaces, a dot in the domain. RFC 5322 in full accepts things no
// commune mail server does; nodemailer rejects the rest at send time.
const EMAIL = /^[^\s@<>(),;:"[\]]+@[^\s@<>(),;:"[\]]+\.[^\s@<>(),;:"[\]]+$/;
/** `Name <addr@x.vn>` or a bare address. */
const FROM = /^(?:[^<>]*<([^<>]+)>|([^<>]+))$/;
/** Telegram: numeric ids (groups and channels are negative) or a public @channelname. */
const TELEGRAM_CHAT = /^(?:-?\d{1,20}|@[A-Za-z][A-Za-z0-9_]{4,31})$/;
/** Zalo Bot chat ids are opaque: hex-like tokens, no spaces or punctuation besides . _ - */
const ZALO_CHAT = /^[A-Za-z0-9._-]{4,64}$/;
/** Bot tokens of both platforms: `<digits>:<token>`. */
const BOT_TOKEN = /^\d{3,20}:[A-Za-z0-9_-]{10,200}$/;
/** ZNS phone numbers are sent in international form without +: 84 then 9 digits. */
const VN_PHONE = /^84\d{9}$/;
const HOSTNAME =
  /^(?=.{1,253}$)(?:[A-Za-z0-9](?:[A-Za-z0-9-]{0,61}[A-Za-z0-9])?)(?:\.[A-Za-z0-9](?:[A-Za-z0-9-]{0,61}[A-Za-z0-9])?)*$|^\[?[0-9A-Fa-f:.]+\]?$/;

function checkHttpUrl(value: unknown, field: string, out: ChannelProblem[]): void {
  if (typeof value !== 'string') return;
  let url: URL;
  try {
    url = new URL(value);
  } catch {
    out.push({ field, message: `must be an http(s) URL, got ${JSON.stringify(value)}` });
    return;
  }
  if (url.protocol !== 'http:' && url.protocol !== 'https:') {
    out.push({ field, message: `must be an http(s) URL, got protocol ${url.protocol}` });
  } else if (!url.hostname) {
    out.push({ field, message: 'must name a host' });
  }
}

function check(ok: boolean, field: string, message: string, out: ChannelProblem[]): void {
  if (!ok) out.push({ field, message });
}

/**
 * Every problem of a channel's config, with the field that has it. Schema shape first (types, unknown
 * fields), then the formats a schema cannot say: URLs, addresses, chat ids, tokens, phone numbers.
 * `keptSecrets`: secret fields that were sent as `***` and will keep their stored value.
 */
export function channelProblems(kind: ChannelKind, config: Record<string, unknown>): ChannelProblem[] {
  const out: ChannelProblem[] = [];
  for (const err of Value.Errors(SCHEMAS[kind], config)) {
    const path = err.path
      .replace(/^\//, '')
      .replace(/\/(\d+)/g, '[$1]')
      .replace(/\//g, '.');
    out.push({ field: path ? `config.${path}` : 'config', message: err.message });
  }
  if (out.length > 0) return out;
  const c = config as Record<string, unknown>;
  const isMask = (v: unknown) => v === SECRET_MASK;
  switch (kind) {
    case 'webhook':
      checkHttpUrl(c.url, 'config.url', out);
      break;
    case 'email': {
      const e = c as EmailConfig;
      check(HOSTNAME.test(e.host), 'config.host', `not a host name: ${JSON.stringify(e.host)}`, out);
      const from = FROM.exec(e.from.trim());
      const fromAddr = (from?.[1] ?? from?.[2] ?? '').trim();
      check(EMAIL.test(fromAddr), 'config.from', `not an email address: ${JSON.stringify(e.from)}`, out);
      for (const [i, addr] of e.to.entries()) {
        check(
          EMAIL.test(addr.trim()),
          `config.to[${i}]`,
          `not an email address: ${JSON.stringify(addr)}`,
          out,
        );
      }
      if (e.password && !e.username)
        out.push({ field: 'config.username', message: 'required with a password' });
      break;
    }
    case 'telegram':
    case 'zalo_bot': {
      const t = c as TelegramConfig;
      if (!isMask(t.botToken)) {
        check(
          BOT_TOKEN.test(t.botToken),
          'config.botToken',
          'expected <bot id>:<token> as given by the platform',
          out,
        );
      }
      const chat = kind === 'telegram' ? TELEGRAM_CHAT : ZALO_CHAT;
      check(
        chat.test(t.chatId),
        'config.chatId',
        kind === 'telegram'
          ? `not a Telegram chat id (a number, or @channelname): ${JSON.stringify(t.chatId)}`
          : `not a Zalo chat id (letters and digits from the bot's first message): ${JSON.stringify(t.chatId)}`,
        out,
      );
      if (t.apiBaseUrl !== undefined) checkHttpUrl(t.apiBaseUrl, 'config.apiBaseUrl', out);
      break;
    }
    case 'zalo_zns': {
      const z = c as ZaloZnsConfig;
      check(
        VN_PHONE.test(z.phone),
        'config.phone',
        `expected 84 followed by 9 digits, got ${JSON.stringify(z.phone)}`,
        out,
      );
      check(
        /^\d{1,32}$/.test(z.templateId),
        'config.templateId',
        'expected the numeric id of an approved template',
        out,
      );
      check(z.accessToken.length > 0, 'config.accessToken', 'required', out);
      if (z.apiBaseUrl !== undefined) checkHttpUrl(z.apiBaseUrl, 'config.apiBaseUrl', out);
      break;
    }
  }
  return out;
}

/** The config with secrets replaced by the mask, for answers. */
export function maskSecrets(kind: ChannelKind, config: Record<string, unknown>): Record<string, unknown> {
  const copy = { ...config };
  for (const f of SECRET_FIELDS[kind]) if (copy[f]) copy[f] = SECRET_MASK;
  return copy;
}

/** An update that sends `***` for a secret keeps the stored one (the editor never sees secrets). */
export function keepMaskedSecrets(
  kind: ChannelKind,
  incoming: Record<string, unknown>,
  stored: Record<string, unknown> | undefined,
): Record<string, unknown> {
  const out = { ...incoming };
  for (const f of SECRET_FIELDS[kind]) if (out[f] === SECRET_MASK) out[f] = stored?.[f];
  return out;
}
