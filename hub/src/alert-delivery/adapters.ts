import { createHmac } from 'node:crypto';
import type {
  ChannelKind,
  EmailConfig,
  TelegramConfig,
  WebhookConfig,
  ZaloBotConfig,
  ZaloZnsConfig,
} from '@commune-hub/protocol';

/** One message ready for one channel. `text` is already short enough for a phone's preview. */
export interface OutgoingMessage {
  deliveryId: number;
  subject: string;
  text: string;
  /** What a webhook receives (and where ZNS template parameters come from). */
  payload: Record<string, unknown>;
  alertIds: string[];
  /** Offer an "acknowledge" button or hint (a single alert that can still be acknowledged). */
  ackable: boolean;
}

export interface SendOk {
  status: number | null;
  /** Chat message id (Telegram/Zalo), SMTP message id, ZNS msg_id: lets a reply find its alert. */
  providerMessageId?: string;
}

/** A failed try. `retryAfterMs` when the service said how long to wait (Telegram 429 `retry_after`). */
export class DeliveryFailure extends Error {
  constructor(
    message: string,
    readonly status: number | null,
    readonly retryAfterMs?: number,
  ) {
    super(message);
    this.name = 'DeliveryFailure';
  }
}

export const DEFAULT_BASE_URLS = {
  telegram: 'https://api.telegram.org',
  zalo_bot: 'https://bot-api.zaloplatforms.com',
  zalo_zns: 'https://business.openapi.zalo.me',
} as const;

const REQUEST_TIMEOUT_MS = 15_000;
/** Telegram allows 4096 characters, Zalo Bot 2000: cut with an ellipsis rather than be refused. */
const TEXT_LIMIT: Partial<Record<ChannelKind, number>> = { telegram: 4000, zalo_bot: 2000 };

export const WEBHOOK_SIGNATURE_HEADER = 'x-hub-signature-256';
export const signWebhookBody = (secret: string, body: string) =>
  `sha256=${createHmac('sha256', secret).update(body).digest('hex')}`;

function clip(text: string, max: number | undefined): string {
  return max !== undefined && text.length > max ? `${text.slice(0, max - 1)}…` : text;
}

function retryAfterHeader(res: Response): number | undefined {
  const h = res.headers.get('retry-after');
  if (!h) return undefined;
  const s = Number(h);
  if (Number.isFinite(s)) return Math.max(0, s) * 1000;
  const at = Date.parse(h);
  return Number.isFinite(at) ? Math.max(0, at - Date.now()) : undefined;
}

async function post(url: string, body: string, headers: Record<string, string>): Promise<Response> {
  try {
    return await fetch(url, {
      method: 'POST',
      headers: { 'content-type': 'application/json; charset=utf-8', ...headers },
      body,
      signal: AbortSignal.timeout(REQUEST_TIMEOUT_MS),
    });
  } catch (err) {
    // undici says "fetch failed"; the reason (ECONNREFUSED, a timeout, a TLS error) is in its cause.
    const cause = (err as { cause?: { code?: string; message?: string } }).cause;
    const why = cause?.code ?? cause?.message ?? (err as Error).message;
    throw new DeliveryFailure(`connection failed: ${why}`, null);
  }
}

/** Strips the bot token out of anything that may be logged or shown. */
const redact = (s: string, secret: string) => (secret ? s.split(secret).join('***') : s);

async function sendWebhook(c: WebhookConfig, m: OutgoingMessage): Promise<SendOk> {
  const body = JSON.stringify({ ...m.payload, deliveryId: m.deliveryId, subject: m.subject, text: m.text });
  const headers: Record<string, string> = {};
  if (c.secret) headers[WEBHOOK_SIGNATURE_HEADER] = signWebhookBody(c.secret, body);
  const res = await post(c.url, body, headers);
  await res.arrayBuffer().catch(() => undefined);
  if (!res.ok) throw new DeliveryFailure(`HTTP ${res.status}`, res.status, retryAfterHeader(res));
  return { status: res.status };
}

interface BotAnswer {
  ok?: boolean;
  result?: { message_id?: string | number };
  description?: string;
  error_code?: number;
  parameters?: { retry_after?: number };
}

/** Telegram and the Zalo Bot Platform share the shape: POST {base}/bot<token>/sendMessage. */
async function sendBotMessage(
  kind: 'telegram' | 'zalo_bot',
  c: TelegramConfig | ZaloBotConfig,
  m: OutgoingMessage,
): Promise<SendOk> {
  const base = (c.apiBaseUrl || DEFAULT_BASE_URLS[kind]).replace(/\/+$/, '');
  const body: Record<string, unknown> = { chat_id: c.chatId, text: clip(m.text, TEXT_LIMIT[kind]) };
  if (kind === 'telegram') {
    body.link_preview_options = { is_disabled: true };
    if (m.ackable && m.alertIds.length === 1) {
      body.reply_markup = {
        inline_keyboard: [[{ text: '✅ Đã nhận', callback_data: `ack:${m.alertIds[0]}` }]],
      };
    }
  }
  const res = await post(`${base}/bot${c.botToken}/sendMessage`, JSON.stringify(body), {});
  const answer = (await res.json().catch(() => ({}))) as BotAnswer;
  if (!res.ok || answer.ok !== true) {
    const retryAfterS = answer.parameters?.retry_after;
    const why = redact(answer.description ?? `HTTP ${res.status}`, c.botToken);
    throw new DeliveryFailure(
      `${res.status}: ${why}`,
      res.status,
      retryAfterS !== undefined ? retryAfterS * 1000 : retryAfterHeader(res),
    );
  }
  const id = answer.result?.message_id;
  return { status: res.status, providerMessageId: id === undefined ? undefined : String(id) };
}

async function sendEmail(c: EmailConfig, m: OutgoingMessage): Promise<SendOk> {
  // ~15 MiB once loaded: only a hub with an e-mail channel pays for it, on its first message (issue 15).
  const { default: nodemailer } = await import('nodemailer');
  const transport = nodemailer.createTransport({
    host: c.host,
    port: c.port,
    secure: c.security === 'tls',
    requireTLS: c.security === 'starttls',
    ignoreTLS: c.security === 'none',
    auth: c.username ? { user: c.username, pass: c.password ?? '' } : undefined,
    tls: c.caPem ? { ca: [c.caPem] } : undefined,
    connectionTimeout: REQUEST_TIMEOUT_MS,
    greetingTimeout: REQUEST_TIMEOUT_MS,
    socketTimeout: REQUEST_TIMEOUT_MS,
  });
  try {
    const info = await transport.sendMail({ from: c.from, to: c.to, subject: m.subject, text: m.text });
    return { status: 250, providerMessageId: info.messageId };
  } catch (err) {
    const e = err as { responseCode?: number; message: string };
    throw new DeliveryFailure(e.message, e.responseCode ?? null);
  } finally {
    transport.close();
  }
}

/** ZNS template parameter names default to these; an approved template may name them otherwise (config.params). */
const ZNS_DEFAULT_PARAMS = { title: 'title', place: 'place', since: 'since', link: 'link' } as const;

async function sendZns(c: ZaloZnsConfig, m: OutgoingMessage): Promise<SendOk> {
  const base = (c.apiBaseUrl || DEFAULT_BASE_URLS.zalo_zns).replace(/\/+$/, '');
  const names = { ...ZNS_DEFAULT_PARAMS, ...c.params };
  const p = m.payload as { title?: string; place?: string; sinceText?: string; link?: string };
  const templateData: Record<string, string> = {};
  // A ZNS template parameter is short (Zalo caps them); the template carries the fixed wording.
  templateData[names.title] = clip(p.title ?? m.subject, 100);
  templateData[names.place] = clip(p.place ?? '', 100);
  templateData[names.since] = clip(p.sinceText ?? '', 30);
  templateData[names.link] = clip(p.link ?? '', 200);
  const body = JSON.stringify({
    phone: c.phone,
    template_id: c.templateId,
    template_data: templateData,
    tracking_id: `hub-${m.deliveryId}`,
  });
  const res = await post(`${base}/message/template`, body, { access_token: c.accessToken });
  const answer = (await res.json().catch(() => ({}))) as {
    error?: number;
    message?: string;
    data?: { msg_id?: string };
  };
  if (!res.ok || answer.error !== 0) {
    throw new DeliveryFailure(
      `${res.status}: ZNS error ${answer.error ?? '?'} ${answer.message ?? ''}`.trim(),
      res.status,
      retryAfterHeader(res),
    );
  }
  return { status: res.status, providerMessageId: answer.data?.msg_id };
}

/** Hands one message to its channel; resolves when the service accepted it, throws DeliveryFailure otherwise. */
export async function sendToChannel(
  kind: ChannelKind,
  config: Record<string, unknown>,
  message: OutgoingMessage,
): Promise<SendOk> {
  switch (kind) {
    case 'webhook':
      return sendWebhook(config as WebhookConfig, message);
    case 'email':
      return sendEmail(config as EmailConfig, message);
    case 'telegram':
    case 'zalo_bot':
      return sendBotMessage(kind, config as TelegramConfig, message);
    case 'zalo_zns':
      return sendZns(config as ZaloZnsConfig, message);
  }
}
