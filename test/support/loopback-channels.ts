import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import { createServer, type IncomingMessage, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { type ParsedMail, simpleParser } from 'mailparser';
import { SMTPServer } from 'smtp-server';

/**
 * Loopback stand-ins for the services the hub delivers alerts to, implementing their documented shapes:
 * the Telegram Bot API and the Zalo Bot Platform (`POST /bot<token>/<method>`, `{ok, result}` answers,
 * 429 with `parameters.retry_after`), Zalo ZNS (`POST /message/template`, `{error: 0, data: {msg_id}}`),
 * a plain webhook receiver, and a real SMTP server (smtp-server) with STARTTLS on a self-signed cert.
 */

export interface BotCall {
  token: string;
  method: string;
  body: Record<string, unknown>;
}

export interface ScriptedFailure {
  status: number;
  retryAfterS?: number;
}

function readBody(req: IncomingMessage): Promise<string> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => resolve(Buffer.concat(chunks).toString('utf8')));
    req.on('error', reject);
  });
}

async function listen(server: Server): Promise<string> {
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  return `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
}

const close = (server: Server) =>
  new Promise<void>((r) => {
    server.closeAllConnections();
    server.close(() => r());
  });

/** Telegram- or Zalo-flavoured bot API. `failNext` scripts the answers of the next sendMessage calls. */
export async function startBotApi(flavor: 'telegram' | 'zalo') {
  const calls: BotCall[] = [];
  const failures: ScriptedFailure[] = [];
  const updates: Array<Record<string, unknown>> = [];
  let nextMessageId = 100;
  let nextUpdateId = 5000;
  const server = createServer(async (req, res) => {
    const text = await readBody(req);
    const m = /^\/bot([^/]+)\/(\w+)$/.exec(req.url ?? '');
    const send = (status: number, body: unknown) => {
      res.writeHead(status, { 'content-type': 'application/json' });
      res.end(JSON.stringify(body));
    };
    if (!m || req.method !== 'POST')
      return send(404, { ok: false, error_code: 404, description: 'Not Found' });
    const [, token, method] = m;
    const body = text ? (JSON.parse(text) as Record<string, unknown>) : {};
    calls.push({ token: token!, method: method!, body });
    if (method === 'sendMessage') {
      const fail = failures.shift();
      if (fail?.status === 429) {
        return send(429, {
          ok: false,
          error_code: 429,
          description: `Too Many Requests: retry after ${fail.retryAfterS ?? 1}`,
          parameters: { retry_after: fail.retryAfterS ?? 1 },
        });
      }
      if (fail)
        return send(fail.status, {
          ok: false,
          error_code: fail.status,
          description: 'Internal Server Error',
        });
      if (typeof body.text !== 'string' || body.text.length === 0) {
        return send(400, { ok: false, error_code: 400, description: 'Bad Request: message text is empty' });
      }
      const id = nextMessageId++;
      return send(200, {
        ok: true,
        result:
          flavor === 'telegram'
            ? {
                message_id: id,
                chat: { id: Number(body.chat_id) },
                date: Math.floor(Date.now() / 1000),
                text: body.text,
              }
            : { message_id: `z${id.toString(16)}`, date: Date.now() },
      });
    }
    if (method === 'getUpdates') {
      if (flavor === 'telegram') {
        const offset = Number(body.offset ?? 0);
        const pending = updates.filter((u) => (u.update_id as number) >= offset);
        return send(200, { ok: true, result: pending });
      }
      // Zalo answers one update per call, and nothing when there is none.
      const next = updates.shift();
      return next
        ? send(200, { ok: true, result: next })
        : send(200, { ok: false, error_code: 408, description: 'timeout' });
    }
    if (method === 'answerCallbackQuery' || method === 'getMe') return send(200, { ok: true, result: true });
    return send(404, { ok: false, error_code: 404, description: 'Not Found: method not found' });
  });
  const url = await listen(server);
  return {
    url,
    calls,
    sent: () => calls.filter((c) => c.method === 'sendMessage'),
    /** Messages that were accepted (not the scripted failures). */
    failNext: (...f: ScriptedFailure[]) => failures.push(...f),
    /** A user's update, as the platform would deliver it. */
    pushUpdate: (u: Record<string, unknown>) => {
      if (flavor === 'telegram') updates.push({ update_id: nextUpdateId++, ...u });
      else updates.push(u);
    },
    close: () => close(server),
  };
}

/** Zalo ZNS `POST /message/template`, checking the `access_token` header as ZNS does. */
export async function startZnsApi(accessToken: string) {
  const calls: Array<{ headers: IncomingMessage['headers']; body: Record<string, unknown> }> = [];
  const server = createServer(async (req, res) => {
    const body = JSON.parse((await readBody(req)) || '{}') as Record<string, unknown>;
    calls.push({ headers: req.headers, body });
    res.writeHead(200, { 'content-type': 'application/json' });
    if (req.url !== '/message/template')
      return res.end(JSON.stringify({ error: -124, message: 'not found' }));
    if (req.headers.access_token !== accessToken) {
      return res.end(JSON.stringify({ error: -124, message: 'Access token is invalid' }));
    }
    res.end(
      JSON.stringify({
        error: 0,
        message: 'Success',
        data: { msg_id: `zns${calls.length}`, sent_time: `${Date.now()}` },
      }),
    );
  });
  const url = await listen(server);
  return { url, calls, close: () => close(server) };
}

export async function startWebhookReceiver() {
  const calls: Array<{ headers: IncomingMessage['headers']; raw: string }> = [];
  const server = createServer(async (req, res) => {
    calls.push({ headers: req.headers, raw: await readBody(req) });
    res.writeHead(204).end();
  });
  const url = await listen(server);
  return { url, calls, close: () => close(server) };
}

/** Self-signed certificate for 127.0.0.1 (openssl, in a temp dir). */
export function selfSignedCert(): { key: string; cert: string } {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'smtp-cert-'));
  try {
    execFileSync(
      'openssl',
      [
        'req',
        '-x509',
        '-newkey',
        'rsa:2048',
        '-nodes',
        '-days',
        '2',
        '-subj',
        '/CN=127.0.0.1',
        '-addext',
        'subjectAltName=IP:127.0.0.1,DNS:localhost',
        '-keyout',
        path.join(dir, 'key.pem'),
        '-out',
        path.join(dir, 'cert.pem'),
      ],
      { stdio: 'ignore' },
    );
    return {
      key: fs.readFileSync(path.join(dir, 'key.pem'), 'utf8'),
      cert: fs.readFileSync(path.join(dir, 'cert.pem'), 'utf8'),
    };
  } finally {
    fs.rmSync(dir, { recursive: true, force: true });
  }
}

export interface ReceivedMail {
  from: string;
  to: string[];
  raw: string;
  parsed: ParsedMail;
  secure: boolean;
}

/** A real SMTP server: STARTTLS offered (and required for AUTH), login checked, every message parsed. */
export async function startSmtp(opts: { user: string; pass: string }) {
  const { key, cert } = selfSignedCert();
  const received: ReceivedMail[] = [];
  const server = new SMTPServer({
    key,
    cert,
    authMethods: ['PLAIN', 'LOGIN'],
    // AUTH only after STARTTLS: a hub configured without TLS cannot leak the password.
    allowInsecureAuth: false,
    logger: false,
    onAuth(auth, _session, cb) {
      if (auth.username === opts.user && auth.password === opts.pass)
        return cb(null, { user: auth.username });
      return cb(new Error('Invalid username or password'));
    },
    onData(stream, session, cb) {
      const chunks: Buffer[] = [];
      stream.on('data', (c: Buffer) => chunks.push(c));
      stream.on('end', async () => {
        const raw = Buffer.concat(chunks).toString('utf8');
        received.push({
          from: session.envelope.mailFrom ? session.envelope.mailFrom.address : '',
          to: session.envelope.rcptTo.map((r) => r.address),
          raw,
          parsed: await simpleParser(raw),
          secure: session.secure,
        });
        cb();
      });
    },
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  const port = (server.server.address() as AddressInfo).port;
  return { port, cert, received, close: () => new Promise<void>((r) => server.close(() => r())) };
}
