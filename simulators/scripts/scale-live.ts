/**
 * Scale check of live mode: N devices (default 10,000), each its own MQTT connection, in this one process,
 * against a broker given by --mqtt (e.g. a local mosquitto). Prints ramp-up time, heartbeats, RSS and event-loop
 * delay as JSON. Not a test: numbers depend on the machine. Usage:
 *   tsx simulators/scripts/scale-live.ts --mqtt mqtt://127.0.0.1:1883 [--devices 10000] [--rate 500] [--seconds 60]
 */
import { monitorEventLoopDelay } from 'node:perf_hooks';
import { parseArgs } from 'node:util';
import { createLogger, runLive } from '../src/index.ts';
import { scenarioFromObject } from '../src/scenario/load.ts';

const { values } = parseArgs({
  options: {
    mqtt: { type: 'string', default: 'mqtt://127.0.0.1:1883' },
    devices: { type: 'string', default: '10000' },
    rate: { type: 'string', default: '500' },
    seconds: { type: 'string', default: '60' },
  },
});
const n = Number(values.devices);
const villages = Array.from({ length: 100 }, (_, i) => ({ id: `v${i}`, name: `Thôn ${i + 1}` }));
const scenario = scenarioFromObject(
  {
    name: 'scale',
    commune: 'Scale test',
    seed: 1,
    villages,
    devices: [
      { kind: 'wifi', idPrefix: 'scale-wifi', count: Math.ceil(n / 2), villages: 'all', name: 'Wifi {n}' },
      {
        kind: 'loudspeaker',
        idPrefix: 'scale-loa',
        count: Math.floor(n / 2),
        villages: 'all',
        name: 'Loa {n}',
      },
    ],
  },
  'scale',
);
const loop = monitorEventLoopDelay({ resolution: 20 });
loop.enable();
const rss0 = process.memoryUsage().rss;
const t0 = Date.now();
const sim = await runLive({
  scenario,
  mqttUrl: values.mqtt,
  connectsPerSecond: Number(values.rate),
  failures: false,
  logger: createLogger('warn'),
  onProgress: (p) =>
    process.stderr.write(`\r${p.connected}/${p.total} connected, ${p.heartbeats} hb, rss ${p.rssMB} MB`),
});
const readyS = (Date.now() - t0) / 1000;
const hb0 = sim.progress().heartbeats;
await new Promise((r) => setTimeout(r, Number(values.seconds) * 1000));
const p = sim.progress();
const t1 = Date.now();
await sim.stop();
process.stderr.write('\n');
console.log(
  JSON.stringify({
    devices: n,
    connectsPerSecond: Number(values.rate),
    readySeconds: readyS,
    heartbeatsPerSecond: Math.round((p.heartbeats - hb0) / Number(values.seconds)),
    connected: p.connected,
    errors: p.errors,
    rssMB: p.rssMB,
    rssPerDeviceKB: Math.round((process.memoryUsage().rss - rss0) / n / 1024),
    eventLoopDelayP99Ms: Math.round(loop.percentile(99) / 1e6),
    stopSeconds: (Date.now() - t1) / 1000,
  }),
);
process.exit(0);
