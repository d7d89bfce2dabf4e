import type { Duplex } from 'node:stream';
import type { Timers } from '../clock.ts';

/**
 * Refuses a CONNECT the auth budget already refuses (./auth-guard.ts) before aedes sees the connection.
 *
 * Profiled under the storm bench (BENCHMARKS.md, issue 14), each refused CONNECT cost the hub's main thread
 * an aedes client (its parser, stream buffers, listeners and connect timer), about a third of the main
 * thread's time; the TCP accept, the CONNACK write and the close stay. On a loaded machine the hub's one
 * event loop then falls behind the storm, and a real device's CONNECT waits in line behind it. Here the
 * first packet is read by hand: when it is a whole MQTT 3.1/3.1.1 CONNECT and `refuse` says so, the CONNACK
 * (return code 4, as aedes sends for the same refusal) is written and the socket closed. Anything else
 * (a partial packet, MQTT 5, a malformed or unexpected packet) goes to aedes untouched, bytes and all.
 */
export interface PeekedConnect {
  clientId: string;
  username: string | undefined;
  password: Buffer | undefined;
}

/** The CONNECT at the start of `buf`, or null when it is not a whole MQTT 3.1/3.1.1 CONNECT. */
export function peekConnect(buf: Buffer): PeekedConnect | null {
  if (buf.length < 2 || buf[0] !== 0x10) return null;
  let length = 0;
  let multiplier = 1;
  let i = 1;
  for (;;) {
    if (i >= buf.length || i > 4) return null;
    const byte = buf[i++]!;
    length += (byte & 0x7f) * multiplier;
    multiplier *= 128;
    if ((byte & 0x80) === 0) break;
  }
  const end = i + length;
  if (end > buf.length) return null;
  const field = (): Buffer | null => {
    if (i + 2 > end) return null;
    const n = buf.readUInt16BE(i);
    if (i + 2 + n > end) return null;
    const b = buf.subarray(i + 2, i + 2 + n);
    i += 2 + n;
    return b;
  };
  const name = field()?.toString('latin1');
  if (i + 4 > end) return null;
  const level = buf[i]!;
  const flags = buf[i + 1]!;
  i += 4; // level, flags, keep-alive
  if (!((name === 'MQTT' && level === 4) || (name === 'MQIsdp' && level === 3))) return null;
  if (flags & 0x01) return null; // reserved bit: malformed, aedes says so
  const clientId = field();
  if (!clientId) return null;
  if (flags & 0x04 && (!field() || !field())) return null; // will topic and message
  const username = flags & 0x80 ? field() : undefined;
  const password = flags & 0x40 ? field() : undefined;
  if (username === null || password === null || i !== end) return null;
  return { clientId: clientId.toString('utf8'), username: username?.toString('utf8'), password };
}

/** CONNACK, session present 0, return code 4 (bad user name or password). */
const REFUSED = Buffer.from([0x20, 0x02, 0x00, 0x04]);

/**
 * Waits for the socket's first chunk: a CONNECT that `refuse` refuses gets its CONNACK and the socket is
 * closed; otherwise the chunk is put back and `pass` hands the socket on. A socket that sends nothing within
 * `timeoutMs` is closed and `onTimeout` told (as aedes' own connect timeout would). The timer comes from the
 * injected `timers` so a test drives the timeout with fake time while the socket stays real.
 */
export function gateConnect(
  socket: Duplex,
  refuse: (connect: PeekedConnect) => boolean,
  pass: (socket: Duplex) => void,
  timeoutMs: number,
  onTimeout: () => void,
  timers: Timers,
): void {
  const timer = timers.setTimeout(() => {
    socket.off('data', first);
    socket.destroy();
    onTimeout();
  }, timeoutMs);
  const first = (chunk: Buffer) => {
    timer.clear();
    socket.off('data', first);
    socket.pause();
    const connect = peekConnect(chunk);
    if (connect && refuse(connect)) {
      socket.end(REFUSED, () => socket.destroy());
      return;
    }
    socket.unshift(chunk);
    pass(socket);
  };
  socket.on('data', first);
  socket.once('close', () => timer.clear());
  socket.on('error', () => timer.clear());
}
