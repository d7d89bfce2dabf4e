import { createHash, randomBytes } from 'node:crypto';
import net from 'node:net';
import { ProbeTimeout } from './types.ts';

/** One RTSP (or SIP: same text format) response. */
export interface TextResponse {
  status: number;
  headers: Map<string, string>;
  body: string;
}

const MAX_RESPONSE_BYTES = 64 * 1024;

/**
 * Parses `RTSP/1.0 200 OK` / `SIP/2.0 200 OK` + headers + Content-Length body from the start of `buffer`.
 * Returns undefined while incomplete; throws a `BAD_RESPONSE` error on anything that is not such a reply.
 */
export function parseTextResponse(buffer: Buffer, protocol: 'RTSP' | 'SIP'): TextResponse | undefined {
  const text = buffer.toString('latin1');
  const headerEnd = text.indexOf('\r\n\r\n');
  if (headerEnd < 0) {
    if (buffer.length > 8 && !text.startsWith(`${protocol}/`)) throw badResponse(`not ${protocol}`);
    if (buffer.length > MAX_RESPONSE_BYTES) throw badResponse('header too large');
    return undefined;
  }
  const lines = text.slice(0, headerEnd).split('\r\n');
  const statusMatch = new RegExp(`^${protocol}/\\d\\.\\d (\\d{3})`).exec(lines[0] ?? '');
  if (!statusMatch) throw badResponse(`bad status line ${JSON.stringify((lines[0] ?? '').slice(0, 40))}`);
  const headers = new Map<string, string>();
  for (const line of lines.slice(1)) {
    const colon = line.indexOf(':');
    if (colon <= 0) continue;
    const name = line.slice(0, colon).trim().toLowerCase();
    const value = line.slice(colon + 1).trim();
    // WWW-Authenticate may come twice (Digest and Basic): keep both, Digest first.
    headers.set(name, headers.has(name) ? `${headers.get(name)}\n${value}` : value);
  }
  const length = Number(headers.get('content-length') ?? headers.get('l') ?? '0');
  if (!Number.isInteger(length) || length < 0 || length > MAX_RESPONSE_BYTES)
    throw badResponse('bad Content-Length');
  const bodyStart = Buffer.byteLength(text.slice(0, headerEnd + 4), 'latin1');
  if (buffer.length < bodyStart + length) return undefined;
  return {
    status: Number(statusMatch[1]),
    headers,
    body: buffer.subarray(bodyStart, bodyStart + length).toString('utf8'),
  };
}

export function badResponse(message: string): Error {
  return Object.assign(new Error(message), { code: 'BAD_RESPONSE' });
}

/** An `Authorization` header for a challenge, Digest (RFC 2617, MD5, qop=auth or none) or Basic. */
export function authorizationFor(
  challenge: string,
  method: string,
  uri: string,
  username: string,
  password: string,
): string | undefined {
  const options = challenge.split('\n');
  const digest = options.find((c) => /^digest\s/i.test(c));
  if (digest) {
    const params = new Map<string, string>();
    for (const m of digest.slice(7).matchAll(/(\w+)=(?:"([^"]*)"|([^,\s]+))/g)) {
      params.set(m[1]!.toLowerCase(), m[2] ?? m[3] ?? '');
    }
    const realm = params.get('realm') ?? '';
    const nonce = params.get('nonce') ?? '';
    const md5 = (s: string) => createHash('md5').update(s).digest('hex');
    const ha1 = md5(`${username}:${realm}:${password}`);
    const ha2 = md5(`${method}:${uri}`);
    const qop = params
      .get('qop')
      ?.split(',')
      .map((q) => q.trim())
      .includes('auth')
      ? 'auth'
      : undefined;
    if (qop) {
      const cnonce = randomBytes(8).toString('hex');
      const nc = '00000001';
      const response = md5(`${ha1}:${nonce}:${nc}:${cnonce}:${qop}:${ha2}`);
      return `Digest username="${username}", realm="${realm}", nonce="${nonce}", uri="${uri}", qop=${qop}, nc=${nc}, cnonce="${cnonce}", response="${response}"${params.has('opaque') ? `, opaque="${params.get('opaque')}"` : ''}`;
    }
    const response = md5(`${ha1}:${nonce}:${ha2}`);
    return `Digest username="${username}", realm="${realm}", nonce="${nonce}", uri="${uri}", response="${response}"${params.has('opaque') ? `, opaque="${params.get('opaque')}"` : ''}`;
  }
  if (options.some((c) => /^basic/i.test(c))) {
    return `Basic ${Buffer.from(`${username}:${password}`).toString('base64')}`;
  }
  return undefined;
}

/**
 * A TCP connection that sends text requests and reads one response each, with one deadline for the
 * whole exchange: a target that hangs, resets or talks nonsense rejects, it never stalls the caller.
 */
export class TextConnection {
  private socket: net.Socket | undefined;
  private buffer = Buffer.alloc(0);
  private waiter: { resolve: (r: TextResponse) => void; reject: (e: unknown) => void } | undefined;
  private failure: unknown;
  private readonly timer: NodeJS.Timeout;

  constructor(
    private readonly protocol: 'RTSP' | 'SIP',
    timeoutMs: number,
  ) {
    this.timer = setTimeout(() => this.fail(new ProbeTimeout(timeoutMs)), timeoutMs);
  }

  connect(host: string, port: number): Promise<void> {
    return new Promise((resolve, reject) => {
      const socket = net.connect({ host, port });
      this.socket = socket;
      socket.once('connect', () => resolve());
      socket.on('data', (chunk: Buffer) => this.onData(chunk));
      socket.on('error', (err) => {
        this.fail(err);
        reject(err);
      });
      socket.on('close', () =>
        this.fail(Object.assign(new Error('connection closed'), { code: 'ECONNRESET' })),
      );
      this.connectReject = reject;
    });
  }

  private connectReject: ((e: unknown) => void) | undefined;

  request(text: string): Promise<TextResponse> {
    if (this.failure) return Promise.reject(this.failure);
    return new Promise((resolve, reject) => {
      this.waiter = { resolve, reject };
      this.socket!.write(text);
    });
  }

  close(): void {
    clearTimeout(this.timer);
    this.socket?.destroy();
  }

  private onData(chunk: Buffer): void {
    this.buffer = Buffer.concat([this.buffer, chunk]);
    if (!this.waiter) return;
    try {
      const response = parseTextResponse(this.buffer, this.protocol);
      if (!response) return;
      this.buffer = Buffer.alloc(0);
      const waiter = this.waiter;
      this.waiter = undefined;
      waiter.resolve(response);
    } catch (err) {
      this.fail(err);
    }
  }

  private fail(err: unknown): void {
    if (this.failure) return;
    this.failure = err;
    clearTimeout(this.timer);
    this.connectReject?.(err);
    const waiter = this.waiter;
    this.waiter = undefined;
    waiter?.reject(err);
    this.socket?.destroy();
  }
}
