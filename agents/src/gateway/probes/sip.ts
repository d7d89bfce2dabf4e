import { randomBytes } from 'node:crypto';
import dgram from 'node:dgram';
import type { ProbeTarget } from '@commune-hub/protocol';
import { parseTextResponse, TextConnection, type TextResponse } from './rtsp-client.ts';
import { type ChildProbeResult, fault, faultOfError, type ProbeContext, ProbeTimeout } from './types.ts';

/**
 * SIP OPTIONS, the "are you there" of SIP: any final response means the endpoint's SIP stack is alive;
 * 2xx is healthy, another final code (404, 483, 503...) is reported as `sip_error` with the code.
 */
export async function probeSip(target: ProbeTarget, ctx: ProbeContext): Promise<ChildProbeResult> {
  const port = target.port ?? 5060;
  const transport = target.transport ?? 'udp';
  const started = performance.now();
  try {
    const response =
      transport === 'tcp'
        ? await optionsOverTcp(target.address, port, ctx.timeoutMs)
        : await optionsOverUdp(target.address, port, ctx.timeoutMs);
    const latencyMs = Math.round((performance.now() - started) * 10) / 10;
    const metrics = { reachable: true, latencyMs, sipStatus: response.status };
    if (response.status >= 200 && response.status < 300) return { metrics, faults: [], health: 'ok' };
    return { metrics, faults: ['sip_error'], health: 'degraded' };
  } catch (err) {
    return fault(faultOfError(err));
  }
}

export function buildOptions(
  host: string,
  port: number,
  transport: 'udp' | 'tcp',
  localPort: number,
): string {
  const branch = `z9hG4bK${randomBytes(8).toString('hex')}`;
  const tag = randomBytes(4).toString('hex');
  const callId = `${randomBytes(8).toString('hex')}@commune-hub`;
  const proto = transport.toUpperCase();
  return [
    `OPTIONS sip:${host}:${port} SIP/2.0`,
    `Via: SIP/2.0/${proto} 127.0.0.1:${localPort};branch=${branch};rport`,
    'Max-Forwards: 70',
    `From: <sip:probe@commune-hub>;tag=${tag}`,
    `To: <sip:${host}:${port}>`,
    `Call-ID: ${callId}`,
    'CSeq: 1 OPTIONS',
    `Contact: <sip:probe@127.0.0.1:${localPort};transport=${transport}>`,
    'Accept: application/sdp',
    'User-Agent: commune-hub-gateway/1',
    'Content-Length: 0',
    '',
    '',
  ].join('\r\n');
}

function optionsOverUdp(host: string, port: number, timeoutMs: number): Promise<TextResponse> {
  return new Promise((resolve, reject) => {
    const socket = dgram.createSocket('udp4');
    let done = false;
    const finish = (err: unknown, response?: TextResponse) => {
      if (done) return;
      done = true;
      clearTimeout(timer);
      socket.close();
      if (err) reject(err);
      else resolve(response!);
    };
    const timer = setTimeout(() => finish(new ProbeTimeout(timeoutMs)), timeoutMs);
    socket.on('error', (err) => finish(err));
    socket.on('message', (msg) => {
      try {
        const response = parseTextResponse(msg, 'SIP');
        // 1xx are provisional: keep waiting for the final answer.
        if (response && response.status >= 200) finish(null, response);
        else if (!response)
          finish(Object.assign(new Error('truncated SIP datagram'), { code: 'BAD_RESPONSE' }));
      } catch (err) {
        finish(err);
      }
    });
    socket.bind(0, () => {
      const message = buildOptions(host, port, 'udp', socket.address().port);
      socket.send(message, port, host, (err) => {
        if (err) finish(err);
      });
    });
  });
}

async function optionsOverTcp(host: string, port: number, timeoutMs: number): Promise<TextResponse> {
  const conn = new TextConnection('SIP', timeoutMs);
  try {
    await conn.connect(host, port);
    let response = await conn.request(buildOptions(host, port, 'tcp', 5060));
    while (response.status < 200) response = await conn.request('');
    return response;
  } finally {
    conn.close();
  }
}
