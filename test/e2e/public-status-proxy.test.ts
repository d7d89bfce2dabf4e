/**
 * The public status page's per-address report limit behind a reverse proxy (HUB_TRUST_PROXY). With the
 * proxy trusted, each citizen's address from X-Forwarded-For gets its own budget, and a peer that is not
 * the trusted proxy cannot choose its budget by sending the header. Without the setting (the default) the
 * header is ignored: every request from the proxy's address shares one budget.
 */
import http from 'node:http';
import type { StartedHub } from '@commune-hub/hub';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { hubClient, provision, startTestHub } from '../support/hub.ts';

const GROUP = 'wifi';

/** POST a report from a chosen loopback address (fetch cannot choose it), with an optional X-Forwarded-For. */
function report(hub: StartedHub, from: string, forwardedFor?: string): Promise<number> {
  return new Promise((resolve, reject) => {
    const req = http.request(
      new URL(`/api/public/status/${GROUP}/reports`, hub.httpUrl),
      {
        method: 'POST',
        localAddress: from,
        headers: {
          'content-type': 'application/json',
          ...(forwardedFor && { 'x-forwarded-for': forwardedFor }),
        },
      },
      (res) => {
        res.resume();
        res.on('end', () => resolve(res.statusCode ?? 0));
      },
    );
    req.on('error', reject);
    req.end(JSON.stringify({ text: 'Wifi nhà văn hoá không vào được' }));
  });
}

async function hubWithGroup(trustProxy?: string): Promise<StartedHub> {
  // One report per address per hour: the second from the same budget is refused.
  const hub = await startTestHub({ publicReportsPerHour: 1, ...(trustProxy && { trustProxy }) });
  await provision(hub, { id: 'hk-wifi-01', kind: 'wifi', name: 'Wifi nhà văn hoá', village: 'Thôn 1' });
  await hubClient(hub).publicGroupCreate({
    body: { slug: GROUP, name: 'Wifi công cộng', selector: { kind: 'wifi' }, published: true },
  });
  return hub;
}

describe('report limit behind a reverse proxy', () => {
  let trusting: StartedHub;
  let plain: StartedHub;

  beforeAll(async () => {
    // One after the other: two hubs booting at once on a loaded machine can exceed a plugin's start timeout.
    trusting = await hubWithGroup('127.0.0.1');
    plain = await hubWithGroup();
  }, 120_000);

  afterAll(async () => {
    await Promise.all([trusting?.close(), plain?.close()]);
  });

  it('HUB_TRUST_PROXY=127.0.0.1: each forwarded citizen address has its own budget', async () => {
    expect(await report(trusting, '127.0.0.1', '203.0.113.5')).toBe(202);
    expect(await report(trusting, '127.0.0.1', '203.0.113.6')).toBe(202);
    // A chain through another proxy: the client is the left-most address the trusted proxy was given.
    expect(await report(trusting, '127.0.0.1', '203.0.113.7, 127.0.0.1')).toBe(202);
    expect(await report(trusting, '127.0.0.1', '203.0.113.5')).toBe(429);
    expect(await report(trusting, '127.0.0.1', '203.0.113.6')).toBe(429);
    // A peer that is not the trusted proxy is counted by its own address, whatever header it sends.
    expect(await report(trusting, '127.0.0.2', '203.0.113.8')).toBe(202);
    expect(await report(trusting, '127.0.0.2', '203.0.113.9')).toBe(429);
  });

  it('default (off): X-Forwarded-For is ignored, the peer address is the budget', async () => {
    expect(await report(plain, '127.0.0.1', '203.0.113.5')).toBe(202);
    expect(await report(plain, '127.0.0.1', '203.0.113.6')).toBe(429);
    expect(await report(plain, '127.0.0.1')).toBe(429);
    expect(await report(plain, '127.0.0.3', '203.0.113.5')).toBe(202);
  });
});
