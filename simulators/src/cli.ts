/**
 * npm run sim -- <scenario> [options]      run a scenario live or as a backfill
 * npm run sim -- uptime <truth.json> [...]  expected uptime from a ground-truth file
 */
import fs, { writeFileSync } from 'node:fs';
import { parseArgs } from 'node:util';
import { runBackfill } from './backfill/run-backfill.ts';
import { SimError } from './errors.ts';
import { runLive } from './live/run-live.ts';
import { createLogger } from './logger.ts';
import { writeCredentials } from './provision.ts';
import { loadScenario } from './scenario/load.ts';
import type { Truth } from './truth/types.ts';
import { readTruth, uptimeReport } from './truth/uptime.ts';

const HELP = `Commune Hub simulators

Usage:
  npm run sim -- <scenario> [options]
  npm run sim -- uptime <truth.json> [--from ISO] [--to ISO] [--device ID]

<scenario> is a YAML file or a shipped scenario name: hoang-kim, son-tra, ho-tung-mau, nam-thuong, district.

Options:
  --mode live|backfill      live (default): every device its own MQTT connection, real time;
                            backfill: generate [from, to) and deliver it as buffered heartbeats
  --hub URL                 hub base URL for provisioning (default http://127.0.0.1:8080)
  --mqtt URL                broker URL (default mqtt://127.0.0.1:1883; mqtts://host:8883 for TLS)
  --ca FILE                 CA (PEM) of the hub's certificate (mqtts:// with a commune's own CA;
                            for an HTTPS --hub also set NODE_EXTRA_CA_CERTS=FILE)
  --cert FILE --key FILE    client certificate and key (PEM) for a hub that asks devices for one
                            (HUB_TLS_CA, mutual TLS); every simulated device presents this one
  --token T                 an admin's personal API token (default: $HUB_TOKEN)
  --credentials FILE        read device secrets from FILE ({id: secret}) instead of provisioning
  --save-credentials FILE   write the provisioned secrets to FILE
  --no-provision            plain broker without authentication: skip provisioning
  --from ISO --to ISO       backfill range (default: the last 7 days)
  --speed N                 live: divide intervals and failure durations by N (default 1)
  --devices N               only the first N devices of the scenario
  --ids A,B,…               backfill: only these devices (their histories are those of the full scenario)
  --no-failures             no scheduled failures: every device stays up
  --bad-actors              live: also run the scenario's misbehaving devices
  --rate N                  live: new connections per second during ramp-up (default 200)
  --concurrency N           backfill: devices delivering at once (default 50)
  --rate-per-device N       backfill: publishes per second per connection (default 450, under the
                            hub's per-client limit HUB_MQTT_RATE_PER_S=500)
  --window N                backfill: unacknowledged publishes per connection (default 200)
  --truth FILE              write the ground truth (JSON) to FILE when the run ends
  --help                    this text

Ctrl-C stops a live run cleanly: every device says offline, disconnects, and the truth is written.
`;

function fail(message: string): never {
  throw new SimError('SIM_ERR_USAGE', `${message}\nRun with --help for usage.`);
}

function num(v: string | undefined, name: string): number | undefined {
  if (v === undefined) return undefined;
  const n = Number(v);
  if (!Number.isFinite(n) || n <= 0) fail(`--${name} needs a positive number, got "${v}"`);
  return n;
}

function readPem(file: string, name: string): Buffer {
  try {
    return fs.readFileSync(file);
  } catch (err) {
    fail(`--${name} ${file}: ${(err as Error).message}`);
  }
}

function time(v: string, name: string): number {
  const t = Date.parse(v);
  if (!Number.isFinite(t)) fail(`--${name} needs an ISO 8601 time, got "${v}"`);
  return t;
}

function writeTruth(file: string | undefined, truth: Truth): void {
  if (!file) return;
  writeFileSync(file, JSON.stringify(truth));
  process.stderr.write(`truth written to ${file} (${truth.devices.length} devices)\n`);
}

function bar(done: number, total: number): string {
  const ratio = total > 0 ? Math.min(1, done / total) : 0;
  const width = 30;
  const full = Math.round(ratio * width);
  return `[${'#'.repeat(full)}${'-'.repeat(width - full)}] ${(ratio * 100).toFixed(1).padStart(5)}%`;
}

/** One status line on stderr: redrawn in place on a terminal, a plain line every few seconds otherwise. */
function statusLine(): (line: string, force?: boolean) => void {
  let last = 0;
  return (line, force) => {
    if (process.stderr.isTTY) process.stderr.write(`\r${line}\u001b[K${force ? '\n' : ''}`);
    else if (force || Date.now() - last > 5000) {
      last = Date.now();
      process.stderr.write(`${line}\n`);
    }
  };
}

async function uptimeCommand(args: string[]): Promise<void> {
  const { values, positionals } = parseArgs({
    args,
    allowPositionals: true,
    options: { from: { type: 'string' }, to: { type: 'string' }, device: { type: 'string' } },
  });
  const file = positionals[0] ?? fail('uptime needs a truth file');
  const truth = readTruth(file);
  const from = values.from ? time(values.from, 'from') : truth.from;
  const to = values.to ? time(values.to, 'to') : truth.to;
  const report = uptimeReport(truth, from, to, (d) => !values.device || d.id === values.device);
  if (values.device && report.devices.length === 0) fail(`device "${values.device}" is not in ${file}`);
  const pct = (r: number | null) => (r === null ? '   n/a' : `${(r * 100).toFixed(2).padStart(6)}%`);
  console.log(`window ${new Date(from).toISOString()} .. ${new Date(to).toISOString()}`);
  console.log('device                          real  hub-model');
  for (const u of report.devices) console.log(`${u.deviceId.padEnd(28)} ${pct(u.ratio)}  ${pct(u.hubRatio)}`);
  console.log(`${'mean'.padEnd(28)} ${pct(report.meanRatio)}  ${pct(report.meanHubRatio)}`);
}

async function main(argv: string[]): Promise<void> {
  if (argv[0] === 'uptime') return uptimeCommand(argv.slice(1));
  const { values, positionals } = parseArgs({
    args: argv,
    allowPositionals: true,
    options: {
      mode: { type: 'string', default: 'live' },
      hub: { type: 'string', default: 'http://127.0.0.1:8080' },
      mqtt: { type: 'string', default: 'mqtt://127.0.0.1:1883' },
      ca: { type: 'string' },
      cert: { type: 'string' },
      key: { type: 'string' },
      token: { type: 'string' },
      credentials: { type: 'string' },
      'save-credentials': { type: 'string' },
      'no-provision': { type: 'boolean', default: false },
      from: { type: 'string' },
      to: { type: 'string' },
      speed: { type: 'string' },
      devices: { type: 'string' },
      'no-failures': { type: 'boolean', default: false },
      'bad-actors': { type: 'boolean', default: false },
      rate: { type: 'string' },
      concurrency: { type: 'string' },
      window: { type: 'string' },
      'rate-per-device': { type: 'string' },
      ids: { type: 'string' },
      truth: { type: 'string' },
      help: { type: 'boolean', short: 'h', default: false },
    },
  });
  if (values.help) {
    process.stdout.write(HELP);
    return;
  }
  if (positionals.length !== 1) fail('give exactly one scenario (a file or a shipped name)');
  if (values.mode !== 'live' && values.mode !== 'backfill')
    fail(`--mode is live or backfill, got "${values.mode}"`);
  if ((values.cert === undefined) !== (values.key === undefined)) fail('--cert and --key go together');
  if (values.cert !== undefined && !/^(mqtts|wss):\/\//.test(values.mqtt))
    fail(`--cert/--key are for an mqtts:// or wss:// broker, got "${values.mqtt}"`);
  const scenario = loadScenario(positionals[0]!);
  const logger = createLogger(process.env.LOG_LEVEL ?? 'warn');
  const limit = num(values.devices, 'devices');
  const status = statusLine();
  const provisioning = values['no-provision']
    ? {}
    : {
        hubUrl: values.hub,
        ...((values.token ?? process.env.HUB_TOKEN) && {
          adminToken: values.token ?? process.env.HUB_TOKEN,
        }),
        ...(values.credentials && { credentials: values.credentials }),
        onProvisionProgress: (done: number, total: number) =>
          status(`provisioning ${bar(done, total)} ${done}/${total}`, done === total),
      };
  const common = {
    scenario,
    mqttUrl: values.mqtt,
    ...(values.ca && { ca: readPem(values.ca, 'ca') }),
    ...(values.cert && values.key && { cert: readPem(values.cert, 'cert'), key: readPem(values.key, 'key') }),
    ...(limit !== undefined && { limit }),
    ...(values['no-failures'] && { failures: false }),
    logger,
    ...provisioning,
  };

  if (values.mode === 'backfill') {
    const to = values.to ? time(values.to, 'to') : Date.now();
    const from = values.from ? time(values.from, 'from') : to - 7 * 86_400_000;
    const concurrency = num(values.concurrency, 'concurrency');
    const window = num(values.window, 'window');
    const ratePerDevice = num(values['rate-per-device'], 'rate-per-device');
    const summary = await runBackfill({
      ...common,
      from,
      to,
      ...(concurrency !== undefined && { concurrency }),
      ...(window !== undefined && { window }),
      ...(ratePerDevice !== undefined && { ratePerDevice }),
      ...(values.ids && { ids: values.ids.split(',').map((id) => id.trim()) }),
      onProgress: (p) =>
        status(
          `backfill ${bar(p.heartbeats, p.expected)} devices ${p.devicesDone}/${p.devices} heartbeats ${p.heartbeats} (${p.msgsPerS} msg/s)`,
        ),
    });
    status(
      `backfill ${bar(1, 1)} devices ${summary.devicesDone}/${summary.devices} heartbeats ${summary.heartbeats}`,
      true,
    );
    console.log(
      JSON.stringify({
        scenario: scenario.name,
        devices: summary.devices,
        heartbeats: summary.heartbeats,
        seconds: Math.round(summary.elapsedMs / 100) / 10,
        msgsPerS: summary.msgsPerS,
      }),
    );
    writeTruth(values.truth, summary.truth);
    return;
  }

  const speed = num(values.speed, 'speed');
  const rate = num(values.rate, 'rate');
  const started = Date.now();
  const sim = await runLive({
    ...common,
    ...(speed !== undefined && { speed }),
    ...(rate !== undefined && { connectsPerSecond: rate }),
    badActors: values['bad-actors'],
    waitReady: false,
    onProgress: (p) =>
      status(
        `live ${p.connected}/${p.total} connected, ${p.settled} settled, ${p.heartbeats} heartbeats, ${p.errors} errors, rss ${p.rssMB} MB`,
      ),
  });
  if (values['save-credentials'] && sim.credentials)
    writeCredentials(values['save-credentials'], sim.credentials);
  void sim.ready.then(() => {
    const p = sim.progress();
    status(
      `live: all ${p.total} devices settled in ${((Date.now() - started) / 1000).toFixed(1)} s, rss ${p.rssMB} MB`,
      true,
    );
  });
  await new Promise<void>((resolve) => {
    let stopping = false;
    const onSignal = () => {
      if (stopping) process.exit(130); // a second Ctrl-C: do not wait any more
      stopping = true;
      status('stopping: every device says offline and disconnects…', true);
      void sim.stop().then((truth) => {
        writeTruth(values.truth, truth);
        const p = sim.progress();
        console.log(
          JSON.stringify({
            scenario: scenario.name,
            devices: p.total,
            heartbeats: p.heartbeats,
            rssMB: p.rssMB,
          }),
        );
        resolve();
      });
    };
    process.on('SIGINT', onSignal);
    process.on('SIGTERM', onSignal);
  });
}

main(process.argv.slice(2)).then(
  () => process.exit(0),
  (err: unknown) => {
    if (err instanceof SimError) process.stderr.write(`\nerror ${err.code}: ${err.message}\n`);
    else if ((err as { code?: string }).code?.startsWith('ERR_PARSE_ARGS'))
      process.stderr.write(`\nerror: ${(err as Error).message}\nRun with --help for usage.\n`);
    else process.stderr.write(`\nerror: ${(err as Error).stack ?? String(err)}\n`);
    process.exit(1);
  },
);
