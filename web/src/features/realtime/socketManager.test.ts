import { createServer, type Server as HttpServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { QueryClient } from '@tanstack/react-query';
import { Server } from 'socket.io';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { SocketManager } from './socketManager.ts';

/**
 * The live socket against a real socket.io server on loopback: when the hub closes a socket (it does when a
 * session ends or a user is disabled, and when it shuts down) or refuses one at the handshake, the manager
 * tells the app (`onRefused`), which asks the hub whether the session is still there; a socket the hub
 * closed still reconnects by itself, so a restart is only a short "reconnecting".
 */
describe('SocketManager: the hub closing or refusing the socket', () => {
  let http: HttpServer | undefined;
  let io: Server | undefined;
  let manager: SocketManager | undefined;

  afterEach(async () => {
    manager?.stop();
    await io?.close();
    http?.close();
  });

  async function hub(refuse: () => boolean): Promise<string> {
    http = createServer();
    io = new Server(http);
    io.use((_socket, next) => (refuse() ? next(new Error('unauthorized')) : next()));
    await new Promise<void>((resolve) => http!.listen(0, '127.0.0.1', resolve));
    return `http://127.0.0.1:${(http.address() as AddressInfo).port}`;
  }

  const start = (url: string, onRefused: () => void) => {
    manager = new SocketManager(new QueryClient(), {
      url,
      onRefused,
      scheduler: { request: (cb) => setTimeout(cb, 0) as unknown as number, cancel: clearTimeout },
    });
    manager.start();
    return manager;
  };

  it('a socket the hub closes is reported, and reconnects while the hub accepts it', async () => {
    const url = await hub(() => false);
    const onRefused = vi.fn();
    const m = start(url, onRefused);
    await expect.poll(() => m.getState()).toBe('live');
    io!.disconnectSockets(true);
    await expect.poll(() => onRefused.mock.calls.length).toBe(1);
    // The hub still takes it (a restart, or a re-check that kept it): live again, nothing more reported.
    await expect.poll(() => m.getState()).toBe('live');
    expect(onRefused).toHaveBeenCalledTimes(1);
  });

  it('a socket the hub refuses at the handshake (no accepted credentials) is reported, and stays offline', async () => {
    let refuse = false;
    const url = await hub(() => refuse);
    const onRefused = vi.fn();
    const m = start(url, onRefused);
    await expect.poll(() => m.getState()).toBe('live');
    refuse = true;
    io!.disconnectSockets(true);
    // Closed, then refused on the way back: both reported (the app's check runs once for both).
    await expect.poll(() => onRefused.mock.calls.length).toBe(2);
    await expect.poll(() => m.getState()).toBe('offline');
  });

  it('our own stop is not reported', async () => {
    const url = await hub(() => false);
    const onRefused = vi.fn();
    const m = start(url, onRefused);
    await expect.poll(() => m.getState()).toBe('live');
    m.stop();
    expect(m.getState()).toBe('offline');
    expect(onRefused).not.toHaveBeenCalled();
  });
});
