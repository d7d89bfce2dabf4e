import type { ProbeTarget } from '@commune-hub/protocol';
import { authorizationFor, TextConnection, type TextResponse } from './rtsp-client.ts';
import { type ChildProbeResult, fault, faultOfError, type ProbeContext } from './types.ts';

/** RTP static payload types that name a video codec without an rtpmap line. */
const STATIC_VIDEO_PT: Record<string, string> = { '26': 'JPEG', '32': 'MPV', '34': 'H263' };

/**
 * RTSP OPTIONS then DESCRIBE against the stream URL, answering a Digest or Basic challenge: the stream
 * is OK when DESCRIBE returns 200 with an SDP that has a video track. No media is set up or decoded.
 */
export async function probeRtsp(target: ProbeTarget, ctx: ProbeContext): Promise<ChildProbeResult> {
  const port = target.port ?? 554;
  const uri = `rtsp://${target.address}:${port}${target.path ?? '/'}`;
  const started = performance.now();
  const conn = new TextConnection('RTSP', ctx.timeoutMs);
  let cseq = 0;
  let authorization: string | undefined;
  const send = async (method: string, extra: string[] = []): Promise<TextResponse> => {
    const build = () =>
      [
        `${method} ${uri} RTSP/1.0`,
        `CSeq: ${++cseq}`,
        'User-Agent: commune-hub-gateway/1',
        ...(authorization ? [`Authorization: ${authorization}`] : []),
        ...extra,
        '',
        '',
      ].join('\r\n');
    let response = await conn.request(build());
    if (response.status === 401 && target.username !== undefined) {
      const challenge = response.headers.get('www-authenticate');
      authorization = challenge
        ? authorizationFor(challenge, method, uri, target.username, target.password ?? '')
        : undefined;
      if (authorization) response = await conn.request(build());
    }
    return response;
  };
  try {
    await conn.connect(target.address, port);
    const options = await send('OPTIONS');
    const describe = await send('DESCRIBE', ['Accept: application/sdp']);
    const latencyMs = Math.round((performance.now() - started) * 10) / 10;
    const metrics: ChildProbeResult['metrics'] = {
      reachable: true,
      latencyMs,
      rtspStatus: describe.status,
    };
    if (describe.status === 401 || describe.status === 403 || options.status === 401) {
      return { metrics: { ...metrics, streamOk: false }, faults: ['auth_failed'], health: 'fault' };
    }
    const codec = describe.status === 200 ? codecFromSdp(describe.body) : undefined;
    if (describe.status !== 200 || !codec) {
      return { metrics: { ...metrics, streamOk: false }, faults: ['stream_down'], health: 'fault' };
    }
    return { metrics: { ...metrics, streamOk: true, codec }, faults: [], health: 'ok' };
  } catch (err) {
    // No stream either way; the second code says why (refused, timeout, reset, bad_response...).
    const result = fault('stream_down', { streamOk: false });
    result.faults.push(faultOfError(err));
    return result;
  } finally {
    conn.close();
  }
}

/** The first video track's codec: `a=rtpmap:96 H264/90000` → H264; static payload 26 → JPEG. */
export function codecFromSdp(sdp: string): string | undefined {
  const lines = sdp.split(/\r?\n/);
  let inVideo = false;
  let payloads: string[] = [];
  for (const line of lines) {
    if (line.startsWith('m=')) {
      if (inVideo) break;
      inVideo = line.startsWith('m=video');
      payloads = inVideo ? line.split(' ').slice(3) : [];
      continue;
    }
    if (!inVideo) continue;
    const rtpmap = /^a=rtpmap:(\d+)\s+([A-Za-z0-9.-]+)\//.exec(line);
    if (rtpmap && payloads.includes(rtpmap[1]!)) return rtpmap[2]!.toUpperCase();
  }
  if (inVideo) {
    for (const pt of payloads) if (STATIC_VIDEO_PT[pt]) return STATIC_VIDEO_PT[pt];
  }
  return undefined;
}
