/**
 * One load-generator process: holds its share of device connections (MQTT.js, QoS 1, credentials, last
 * will) and publishes heartbeats on command from the bench over IPC. Several of these run side by side
 * because one process may hold at most `ulimit -n` sockets and one core.
 */
import net from 'node:net';
import { DEVICE_QOS, deviceTopic, STATUS_OFFLINE, STATUS_ONLINE } from '@commune-hub/protocol';
import { MqttClient } from 'mqtt';
import { heartbeatPayload, heartbeatTopic } from './heartbeat.ts';
import type {
  ConnectCommand,
  RateCommand,
  RunReport,
  SaturateCommand,
  WorkerCommand,
  WorkerReport,
} from './messages.ts';

interface Device {
  id: string;
  topic: string;
  client: MqttClient;
  seq: number;
}

const ACK_SAMPLE_LIMIT = 20_000;
const startedAt = Date.now();
let devices: Device[] = [];
// seq only has to grow per device across processes and rounds: start from the wall clock in ms.
const seqBase = Date.now();

function send(report: WorkerReport): void {
  process.send?.(report);
}

function openDevice(cmd: ConnectCommand, id: string, secret: string, localAddress: string): Promise<Device> {
  return new Promise((resolve, reject) => {
    // MQTT.js' own tcp builder ignores localAddress, so the stream is built here.
    const client = new MqttClient(
      () => net.createConnection({ host: cmd.host, port: cmd.port, localAddress }),
      {
        clientId: id,
        username: id,
        password: secret,
        keepalive: cmd.keepaliveS,
        reconnectPeriod: 0,
        connectTimeout: cmd.connectTimeoutMs,
        clean: true,
        will: {
          topic: deviceTopic(id, 'status'),
          payload: Buffer.from(STATUS_OFFLINE),
          qos: DEVICE_QOS,
          retain: true,
        },
      },
    );
    const fail = (err: Error) => {
      client.off('error', fail);
      client.off('close', onClose);
      client.end(true);
      reject(err);
    };
    const onClose = () => fail(new Error(`connection closed before CONNACK (${id})`));
    client.once('error', fail);
    client.once('close', onClose);
    client.once('connect', () => {
      // Only our own listeners go: MQTT.js keeps its internal 'close' handler (timers, cleanup).
      client.off('error', fail);
      client.off('close', onClose);
      client.on('error', () => {});
      client.publish(deviceTopic(id, 'status'), STATUS_ONLINE, { qos: DEVICE_QOS, retain: true });
      resolve({ id, topic: heartbeatTopic(id), client, seq: seqBase });
    });
  });
}

async function connectAll(cmd: ConnectCommand): Promise<void> {
  const t0 = Date.now();
  let next = 0;
  let failed = 0;
  let firstError: string | undefined;
  const opened: Device[] = [];
  const lane = async () => {
    while (next < cmd.devices.length) {
      const i = next++;
      const cred = cmd.devices[i]!;
      const localAddress = cmd.localAddresses[i % cmd.localAddresses.length]!;
      try {
        opened.push(await openDevice(cmd, cred.id, cred.secret, localAddress));
      } catch (err) {
        failed++;
        firstError ??= (err as Error).message;
      }
    }
  };
  await Promise.all(Array.from({ length: cmd.concurrency }, lane));
  devices = opened;
  send({ type: 'connected', connected: opened.length, failed, firstError, ms: Date.now() - t0 });
}

/** Shared bookkeeping of one publishing phase. */
class Phase {
  sent = 0;
  acked = 0;
  errors = 0;
  firstError: string | undefined;
  ackMs: number[] = [];
  private readonly t0 = Date.now();

  publish(device: Device, onDone?: () => void): void {
    device.seq++;
    const sentAt = Date.now();
    this.sent++;
    const payload = heartbeatPayload(device.seq, sentAt, Math.round((sentAt - startedAt) / 1000));
    device.client.publish(device.topic, payload, { qos: DEVICE_QOS }, (err) => {
      if (err) {
        this.errors++;
        this.firstError ??= err.message;
      } else {
        this.acked++;
        // Reservoir-free sampling: the first N acks of a phase are plenty for a median and p99.
        if (this.ackMs.length < ACK_SAMPLE_LIMIT) this.ackMs.push(Date.now() - sentAt);
      }
      onDone?.();
    });
  }

  /** Gives late PUBACKs up to `graceMs` to arrive, then reports. */
  async finish(graceMs: number): Promise<RunReport> {
    const deadline = Date.now() + graceMs;
    while (this.acked + this.errors < this.sent && Date.now() < deadline) {
      await new Promise((r) => setTimeout(r, 50));
    }
    return {
      type: 'ran',
      sent: this.sent,
      acked: this.acked,
      unacked: this.sent - this.acked - this.errors,
      errors: this.errors,
      firstError: this.firstError,
      ackMs: this.ackMs,
      ms: Date.now() - this.t0,
    };
  }
}

async function runRate(cmd: RateCommand): Promise<void> {
  const phase = new Phase();
  // One tick every 10 ms publishes the devices whose phase falls in it: load is spread evenly over the interval.
  const tickMs = 10;
  const t0 = Date.now();
  let cursor = 0;
  await new Promise<void>((resolve) => {
    const timer = setInterval(() => {
      const elapsed = Date.now() - t0;
      if (elapsed >= cmd.durationMs) {
        clearInterval(timer);
        resolve();
        return;
      }
      // How many publishes should have happened by now over all devices.
      const due = Math.floor((elapsed / cmd.intervalMs) * devices.length);
      while (cursor < due && devices.length > 0) {
        phase.publish(devices[cursor % devices.length]!);
        cursor++;
      }
    }, tickMs);
  });
  send(await phase.finish(10_000));
}

async function runSaturate(cmd: SaturateCommand): Promise<void> {
  const phase = new Phase();
  const deadline = Date.now() + cmd.durationMs;
  let cursor = 0;
  let inflight = 0;
  const pump = () => {
    while (inflight < cmd.window && Date.now() < deadline && devices.length > 0) {
      inflight++;
      phase.publish(devices[cursor++ % devices.length]!, () => {
        inflight--;
        // Refill from a fresh tick so a burst of acks does not recurse deeply.
        if (inflight === cmd.window - 1) setImmediate(pump);
      });
    }
  };
  pump();
  while (Date.now() < deadline) await new Promise((r) => setTimeout(r, 100));
  send(await phase.finish(10_000));
}

async function disconnectAll(): Promise<void> {
  await Promise.all(devices.map((d) => d.client.endAsync(false).catch(() => {})));
  devices = [];
  send({ type: 'disconnected' });
}

process.on('message', (cmd: WorkerCommand) => {
  const run = {
    connect: () => connectAll(cmd as ConnectCommand),
    rate: () => runRate(cmd as RateCommand),
    saturate: () => runSaturate(cmd as SaturateCommand),
    disconnect: () => disconnectAll(),
  }[cmd.type];
  run().catch((err: Error) => {
    process.stderr.write(`loadgen worker: ${err.stack ?? err.message}\n`);
    process.exit(1);
  });
});
process.on('disconnect', () => process.exit(0));
