import http from 'node:http';
import https from 'node:https';
import type { TLSSocket } from 'node:tls';
import { type ProbeTarget, TLS_EXPIRY_WARN_DAYS } from '@commune-hub/protocol';
import { authorizationFor } from './rtsp-client.ts';
import { type ChildProbeResult, fault, faultOfError, type ProbeContext, ProbeTimeout } from './types.ts';

const MAX_BODY_BYTES = 64 * 1024;
const DAY_MS = 86_400_000;

/**
 * GET the target: status, latency, an expected text or JSON field, and for HTTPS the certificate's days
 * to expiry. Device web interfaces have self-signed certificates, so the chain is not verified: the
 * probe reports what the certificate says, it does not trust it.
 */
export async function probeHttp(target: ProbeTarget, ctx: ProbeContext): Promise<ChildProbeResult> {
  const started = performance.now();
  let answer: HttpAnswer;
  try {
    answer = await httpGet(target, ctx.timeoutMs);
    // NVR and controller web interfaces often want Digest: answer the challenge once.
    if (answer.status === 401 && target.username !== undefined && /digest/i.test(answer.challenge ?? '')) {
      const authorization = authorizationFor(
        answer.challenge!,
        'GET',
        target.path ?? '/',
        target.username,
        target.password ?? '',
      );
      if (authorization) answer = await httpGet(target, ctx.timeoutMs, authorization);
    }
  } catch (err) {
    return fault(faultOfError(err));
  }
  const latencyMs = Math.round((performance.now() - started) * 10) / 10;
  const metrics: ChildProbeResult['metrics'] = { reachable: true, httpStatus: answer.status, latencyMs };
  const faults: string[] = [];
  let health: ChildProbeResult['health'] = 'ok';
  if (answer.validTo !== undefined) {
    const days = Math.floor((answer.validTo - ctx.now()) / DAY_MS);
    metrics.tlsDaysLeft = days;
    if (days < 0) {
      faults.push('tls_expired');
      health = 'fault';
    } else if (days < TLS_EXPIRY_WARN_DAYS) {
      faults.push('tls_expiring');
      health = 'degraded';
    }
  }
  if (answer.status === 401 || answer.status === 403) {
    faults.unshift('auth_failed');
    health = 'fault';
  } else if (answer.status >= 400) {
    faults.unshift('http_status');
    health = 'fault';
  }
  if (target.expectText !== undefined || target.expectJsonField !== undefined) {
    const contentOk = checkContent(answer.body, target);
    metrics.contentOk = contentOk;
    if (!contentOk) {
      faults.push('content_mismatch');
      if (health === 'ok') health = 'degraded';
    }
  }
  return { metrics, faults, health };
}

/** The expected text is in the body, or the dotted JSON field exists (and equals expectValue when given). */
export function checkContent(
  body: string,
  target: Pick<ProbeTarget, 'expectText' | 'expectJsonField' | 'expectValue'>,
): boolean {
  if (target.expectText !== undefined && !body.includes(target.expectText)) return false;
  if (target.expectJsonField !== undefined) {
    let value: unknown;
    try {
      value = JSON.parse(body);
    } catch {
      return false;
    }
    for (const key of target.expectJsonField.split('.')) {
      if (value === null || typeof value !== 'object' || !Object.hasOwn(value, key)) return false;
      value = (value as Record<string, unknown>)[key];
    }
    if (target.expectValue !== undefined && String(value) !== target.expectValue) return false;
  }
  return true;
}

interface HttpAnswer {
  status: number;
  /** WWW-Authenticate of a 401, one challenge per line. */
  challenge?: string;
  body: string;
  /** Certificate expiry (epoch ms), HTTPS only. */
  validTo?: number;
}

function httpGet(target: ProbeTarget, timeoutMs: number, authorization?: string): Promise<HttpAnswer> {
  const secure = target.tls === true;
  const lib = secure ? https : http;
  const headers: Record<string, string> = { 'user-agent': 'commune-hub-gateway/1', accept: '*/*' };
  if (authorization) headers.authorization = authorization;
  else if (target.username !== undefined) {
    headers.authorization = `Basic ${Buffer.from(`${target.username}:${target.password ?? ''}`).toString('base64')}`;
  }
  return new Promise((resolve, reject) => {
    let settled = false;
    const finish = (err: unknown, answer?: HttpAnswer) => {
      if (settled) return;
      settled = true;
      clearTimeout(timer);
      req.destroy();
      if (err) reject(err);
      else resolve(answer!);
    };
    const req = lib.request(
      {
        host: target.address,
        port: target.port ?? (secure ? 443 : 80),
        path: target.path ?? '/',
        method: 'GET',
        headers,
        agent: false,
        ...(secure && {
          rejectUnauthorized: false,
          servername: isIp(target.address) ? undefined : target.address,
        }),
      },
      (res) => {
        let validTo: number | undefined;
        if (secure) {
          const cert = (res.socket as TLSSocket).getPeerCertificate?.();
          if (cert?.valid_to) validTo = Date.parse(cert.valid_to);
        }
        const wwwAuth = res.headers['www-authenticate'];
        const challenge = Array.isArray(wwwAuth) ? wwwAuth.join('\n') : wwwAuth;
        const chunks: Buffer[] = [];
        let size = 0;
        res.on('data', (chunk: Buffer) => {
          if (size < MAX_BODY_BYTES) chunks.push(chunk);
          size += chunk.length;
          if (size >= MAX_BODY_BYTES) {
            finish(null, {
              status: res.statusCode ?? 0,
              body: Buffer.concat(chunks).toString('utf8'),
              validTo,
              challenge,
            });
          }
        });
        res.on('end', () =>
          finish(null, {
            status: res.statusCode ?? 0,
            body: Buffer.concat(chunks).toString('utf8'),
            validTo,
            challenge,
          }),
        );
        res.on('error', (err) => finish(err));
      },
    );
    const timer = setTimeout(() => finish(new ProbeTimeout(timeoutMs)), timeoutMs);
    req.on('error', (err) => finish(/HPE_|Parse Error/i.test(err.message) ? badResponse(err) : err));
    req.end();
  });
}

function badResponse(err: Error): Error {
  return Object.assign(new Error(`not HTTP: ${err.message}`), { code: 'BAD_RESPONSE' });
}

function isIp(address: string): boolean {
  return /^\d+\.\d+\.\d+\.\d+$/.test(address);
}
