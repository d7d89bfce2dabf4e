import type { TelegramConfig, ZaloBotConfig } from '@commune-hub/protocol';
import type { Logger } from '../logger.ts';
import { DEFAULT_BASE_URLS } from './adapters.ts';
import type { ChannelRow, DeliveryStore } from './store.ts';

/**
 * Acknowledging by replying to the bot. Telegram: the "✅ Đã nhận" button under an alert (callback_query
 * `ack:<alert id>`), or a text command. Zalo Bot (no buttons): a text command. Commands, case-insensitive:
 * `ok`, `/ok`, `/ack`, `nhận`, `đã nhận`, optionally followed by the alert id and a note:
 * "ok a-12 đang cử người đi sửa". Without an id, the alert is the one of the message replied to, else the
 * last alert message sent to that chat.
 */
export interface AckCommand {
  alertId?: string;
  note?: string;
}

const COMMAND = /^\s*(?:\/(?:ack|ok)(?:@\w+)?|ok|đã nhận|da nhan|nhận|nhan)(?=\s|$)\s*(.*)$/isu;

export function parseAckCommand(text: string): AckCommand | null {
  const m = COMMAND.exec(text.normalize('NFC'));
  if (!m) return null;
  const rest = m[1]!.trim();
  if (!rest) return {};
  const [first, ...others] = rest.split(/\s+/);
  // An alert id always carries a digit; a first word without one is the start of the note ("ok đang đi").
  if (/\d/.test(first!) && /^[A-Za-z0-9._:-]{1,64}$/.test(first!)) {
    const note = others.join(' ').trim();
    return note ? { alertId: first, note } : { alertId: first };
  }
  return { note: rest };
}

/**
 * An acknowledgement that came from a chat: the alerts part applies it (`alert.ackRequested`).
 * Returns whether the alert is now acknowledged, so the bot never says "noted" when it was not.
 */
export type AckRequest = (r: {
  alertId: string;
  by: string;
  note?: string;
  via: 'telegram' | 'zalo';
}) => boolean;

interface TgUser {
  id?: number | string;
  first_name?: string;
  last_name?: string;
  username?: string;
  display_name?: string;
}
interface BotMessage {
  message_id?: number | string;
  chat?: { id?: number | string };
  from?: TgUser;
  text?: string;
  reply_to_message?: { message_id?: number | string };
}
interface BotUpdate {
  update_id?: number;
  message?: BotMessage;
  callback_query?: { id: string; from?: TgUser; data?: string; message?: BotMessage };
}

function who(u: TgUser | undefined, platform: string): string {
  const name =
    [u?.first_name, u?.last_name].filter(Boolean).join(' ') ||
    u?.display_name ||
    u?.username ||
    String(u?.id ?? '?');
  return `${name} (${platform})`;
}

/**
 * Polls getUpdates of each Telegram and Zalo Bot channel (start/stop, one poll at a time per channel,
 * every timer guarded). Only messages from the channel's own chat count: a stranger who finds the bot
 * cannot acknowledge anything.
 */
export class BotReplies {
  private timer: NodeJS.Timeout | undefined;
  private readonly polling = new Set<string>();
  private readonly aborts = new Set<AbortController>();

  constructor(
    private readonly store: DeliveryStore,
    private readonly requestAck: AckRequest,
    private readonly reply: (channel: ChannelRow, text: string) => void,
    private readonly logger: Logger,
    private readonly pollMs: number,
  ) {}

  start(): void {
    if (this.timer || this.pollMs <= 0) return;
    this.timer = setInterval(() => this.pollAll(), this.pollMs);
    this.timer.unref();
  }

  async stop(): Promise<void> {
    if (this.timer) clearInterval(this.timer);
    this.timer = undefined;
    for (const a of this.aborts) a.abort();
  }

  pollAll(): void {
    for (const c of this.store.listChannels()) {
      if (!c.enabled || (c.kind !== 'telegram' && c.kind !== 'zalo_bot') || this.polling.has(c.id)) continue;
      this.polling.add(c.id);
      this.pollOne(c)
        .catch((err) => this.logger.debug({ err, channel: c.id }, 'bot getUpdates failed'))
        .finally(() => this.polling.delete(c.id));
    }
  }

  /** One getUpdates round for one channel; resolves when its updates are handled. */
  async pollOne(c: ChannelRow): Promise<void> {
    const cfg = c.config as unknown as TelegramConfig | ZaloBotConfig;
    const kind = c.kind as 'telegram' | 'zalo_bot';
    const base = (cfg.apiBaseUrl || DEFAULT_BASE_URLS[kind]).replace(/\/+$/, '');
    const body: Record<string, unknown> = { timeout: 0 };
    if (kind === 'telegram') {
      body.offset = this.store.botOffset(c.id);
      body.allowed_updates = ['message', 'callback_query'];
    }
    const abort = new AbortController();
    this.aborts.add(abort);
    try {
      const res = await fetch(`${base}/bot${cfg.botToken}/getUpdates`, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify(body),
        signal: AbortSignal.any([abort.signal, AbortSignal.timeout(15_000)]),
      });
      const answer = (await res.json().catch(() => ({}))) as {
        ok?: boolean;
        result?: BotUpdate[] | BotUpdate;
      };
      if (!res.ok || !answer.ok || !answer.result) return;
      // Telegram answers a list; the Zalo Bot Platform one update object.
      const updates = Array.isArray(answer.result) ? answer.result : [answer.result];
      for (const u of updates) {
        this.handle(c, cfg, base, u);
        if (kind === 'telegram' && typeof u.update_id === 'number')
          this.store.setBotOffset(c.id, u.update_id + 1);
      }
    } finally {
      this.aborts.delete(abort);
    }
  }

  private handle(c: ChannelRow, cfg: TelegramConfig | ZaloBotConfig, base: string, u: BotUpdate): void {
    const platform = c.kind === 'telegram' ? 'telegram' : 'zalo';
    const label = c.kind === 'telegram' ? 'Telegram' : 'Zalo';
    const sameChat = (m: BotMessage | undefined) =>
      m?.chat?.id !== undefined && String(m.chat.id) === cfg.chatId;
    if (u.callback_query) {
      const q = u.callback_query;
      const alertId = /^ack:(.+)$/.exec(q.data ?? '')?.[1];
      const accepted =
        alertId !== undefined &&
        sameChat(q.message) &&
        this.requestAck({ alertId, by: who(q.from, label), via: platform });
      // Stops the button's spinner and says what happened; best effort.
      void fetch(`${base}/bot${cfg.botToken}/answerCallbackQuery`, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({
          callback_query_id: q.id,
          text: accepted ? 'Đã ghi nhận' : 'Cảnh báo này không còn chờ ai nhận',
        }),
        signal: AbortSignal.timeout(10_000),
      }).catch(() => undefined);
      return;
    }
    const m = u.message;
    if (!m?.text || !sameChat(m)) return;
    const cmd = parseAckCommand(m.text);
    if (!cmd) return;
    let alertId = cmd.alertId;
    if (!alertId && m.reply_to_message?.message_id !== undefined) {
      alertId = this.store.findByProviderMessage(c.id, String(m.reply_to_message.message_id))?.alertIds[0];
    }
    if (!alertId) {
      const last = this.store.latestAlertMessage(c.id);
      if (last?.alertIds.length === 1) alertId = last.alertIds[0];
    }
    if (!alertId) {
      this.reply(c, 'Không rõ cảnh báo nào. Gửi "ok <mã cảnh báo>", ví dụ: ok a-12');
      return;
    }
    const by = who(m.from, label);
    if (this.requestAck({ alertId, by, note: cmd.note, via: platform })) {
      this.reply(c, `Đã ghi nhận: ${by} đã nhận cảnh báo ${alertId}.`);
    } else {
      this.reply(c, `Không ghi nhận được: cảnh báo ${alertId} không có hoặc không còn chờ ai nhận.`);
    }
  }
}
