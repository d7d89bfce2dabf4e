import net from 'node:net';
import { describe, expect, it } from 'vitest';
import { ManualClock, systemTimers } from '../clock.ts';
import { gateConnect, peekConnect } from './connect-gate.ts';

const str = (s: string | Buffer) => {
  const b = typeof s === 'string' ? Buffer.from(s, 'utf8') : s;
  return Buffer.concat([Buffer.from([b.length >> 8, b.length & 0xff]), b]);
};
function connect(o: {
  name?: string;
  level?: number;
  flags?: number;
  id?: string;
  will?: boolean;
  user?: string;
  pass?: string;
  extra?: Buffer;
}): Buffer {
  let flags = o.flags ?? 0x02;
  const parts = [str(o.id ?? 'dev-1')];
  if (o.will) {
    flags |= 0x04;
    parts.push(str('will/topic'), str('bye'));
  }
  if (o.user !== undefined) {
    flags |= 0x80;
    parts.push(str(o.user));
  }
  if (o.pass !== undefined) {
    flags |= 0x40;
    parts.push(str(o.pass));
  }
  const body = Buffer.concat([
    str(o.name ?? 'MQTT'),
    Buffer.from([o.level ?? 4, flags, 0, 60]),
    ...parts,
    o.extra ?? Buffer.alloc(0),
  ]);
  const len = body.length < 128 ? [body.length] : [(body.length & 0x7f) | 0x80, body.length >> 7];
  return Buffer.concat([Buffer.from([0x10, ...len]), body]);
}

describe('peekConnect: only a whole MQTT 3.1/3.1.1 CONNECT is read; anything else goes to aedes', () => {
  const whole = connect({ user: 'dev-1', pass: 'secret', will: true });
  const cases: Array<[string, Buffer, object | null]> = [
    ['3.1.1 with will, user, password', whole, { clientId: 'dev-1', username: 'dev-1' }],
    ['3.1 (MQIsdp)', connect({ name: 'MQIsdp', level: 3, user: 'a', pass: 'b', id: 'a' }), { clientId: 'a' }],
    ['no user or password', connect({}), { clientId: 'dev-1', username: undefined, password: undefined }],
    [
      'a long id (two length bytes)',
      connect({ id: 'x'.repeat(200), user: 'u', pass: 'p' }),
      { username: 'u' },
    ],
    ['MQTT 5', connect({ level: 5, user: 'u', pass: 'p' }), null],
    ['the reserved flag', connect({ flags: 0x03, user: 'u', pass: 'p' }), null],
    ['cut short', whole.subarray(0, whole.length - 1), null],
    ['followed by another packet', Buffer.concat([whole, Buffer.from([0xc0, 0])]), { clientId: 'dev-1' }],
    [
      'bytes after the password inside the packet',
      connect({ user: 'u', pass: 'p', extra: Buffer.from([1]) }),
      null,
    ],
    ['not a CONNECT', Buffer.from([0xc0, 0x00]), null],
    ['a length of five bytes', Buffer.from([0x10, 0xff, 0xff, 0xff, 0xff, 0x7f]), null],
    ['empty', Buffer.alloc(0), null],
  ];
  it.each(cases)('%s', (_name, buf, want) => {
    const got = peekConnect(buf);
    if (want === null) expect(got).toBeNull();
    else expect(got).toMatchObject(want);
  });
  it('reads the password as bytes', () => {
    expect(peekConnect(whole)?.password?.toString()).toBe('secret');
  });
});

/** A server whose connections go through the gate; `passed` receives what the next stage reads. */
async function gatedServer(refuse: boolean, timeoutMs = 10_000, timers = systemTimers) {
  const passed: Buffer[] = [];
  let timeouts = 0;
  const server = net.createServer((socket) =>
    gateConnect(
      socket,
      () => refuse,
      (s) => {
        s.on('readable', () => {
          for (let chunk = s.read() as Buffer | null; chunk !== null; chunk = s.read() as Buffer | null)
            passed.push(chunk);
        });
      },
      timeoutMs,
      () => {
        timeouts++;
      },
      timers,
    ),
  );
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const port = (server.address() as net.AddressInfo).port;
  return { server, port, passed, timeouts: () => timeouts };
}

function talk(port: number, bytes: Buffer | null): Promise<{ got: Buffer; closed: boolean }> {
  return new Promise((resolve) => {
    const got: Buffer[] = [];
    const socket = net.connect(port, '127.0.0.1', () => {
      if (bytes) socket.write(bytes);
    });
    socket.on('data', (d) => got.push(d));
    socket.on('close', () => resolve({ got: Buffer.concat(got), closed: true }));
    socket.on('error', () => {});
    setTimeout(() => {
      socket.destroy();
    }, 2_000).unref();
  });
}

describe('gateConnect', () => {
  it('answers a refused CONNECT with CONNACK code 4 and closes; the next stage never sees it', async () => {
    const g = await gatedServer(true);
    const r = await talk(g.port, connect({ user: 'dev-1', pass: 'wrong' }));
    expect([...r.got]).toEqual([0x20, 0x02, 0x00, 0x04]);
    expect(g.passed).toEqual([]);
    g.server.close();
  });

  it('hands anything else on with every byte, in order', async () => {
    const g = await gatedServer(false);
    const bytes = Buffer.concat([connect({ user: 'dev-1', pass: 'right' }), Buffer.from([0xc0, 0x00])]);
    const socket = net.connect(g.port, '127.0.0.1', () => socket.write(bytes));
    await expect.poll(() => Buffer.concat(g.passed).length).toBe(bytes.length);
    expect(Buffer.concat(g.passed).equals(bytes)).toBe(true);
    socket.destroy();
    g.server.close();
  });

  it('closes a socket that sends nothing within the connect timeout (fake time), and says so', async () => {
    const clock = new ManualClock();
    const g = await gatedServer(true, 30_000, clock);
    let closed = false;
    const socket = net.connect(g.port, '127.0.0.1');
    socket.on('close', () => {
      closed = true;
    });
    socket.on('error', () => {});
    await expect.poll(() => clock.pending).toBe(1); // the server accepted and armed the gate's timer
    clock.advance(29_999);
    expect(g.timeouts()).toBe(0);
    expect(socket.destroyed).toBe(false);
    clock.advance(1);
    expect(g.timeouts()).toBe(1);
    await expect.poll(() => closed).toBe(true);
    g.server.close();
  });

  it('a first packet in time disarms the timeout: the socket is handed on and stays open', async () => {
    const clock = new ManualClock();
    const g = await gatedServer(false, 30_000, clock);
    const bytes = connect({ user: 'dev-1', pass: 'right' });
    const socket = net.connect(g.port, '127.0.0.1', () => socket.write(bytes));
    socket.on('error', () => {});
    await expect.poll(() => Buffer.concat(g.passed).length).toBe(bytes.length);
    expect(clock.pending).toBe(0);
    clock.advance(60_000);
    expect(g.timeouts()).toBe(0);
    expect(socket.destroyed).toBe(false);
    socket.destroy();
    g.server.close();
  });
});
