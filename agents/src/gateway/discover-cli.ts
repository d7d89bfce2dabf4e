import { parseArgs } from 'node:util';
import { discover, hostsOf, MAX_PREFIX_WITHOUT_FORCE, parseCidr, toImportCsv } from './discover.ts';

/**
 * `npm run agent -- discover --range 192.168.1.0/24`: prints the import CSV on stdout, progress on
 * stderr. Scans only the range given; a range larger than a /22 needs --force.
 */
export async function runDiscoverCli(argv: string[]): Promise<number> {
  const { values } = parseArgs({
    args: argv,
    options: {
      range: { type: 'string' },
      force: { type: 'boolean', default: false },
      'timeout-ms': { type: 'string', default: '1000' },
      community: { type: 'string', default: 'public' },
      concurrency: { type: 'string', default: '128' },
      'port-rtsp': { type: 'string' },
      'port-http': { type: 'string' },
      'port-https': { type: 'string' },
      'port-snmp': { type: 'string' },
    },
    strict: true,
  });
  if (!values.range) {
    console.error('commune-agent discover: --range <cidr> is required (e.g. --range 192.168.1.0/24)');
    return 2;
  }
  let cidr: ReturnType<typeof parseCidr>;
  try {
    cidr = parseCidr(values.range);
  } catch (err) {
    console.error(`commune-agent discover: ${(err as Error).message}`);
    return 2;
  }
  if (cidr.prefix < MAX_PREFIX_WITHOUT_FORCE && !values.force) {
    console.error(
      `commune-agent discover: ${values.range} has ${2 ** (32 - cidr.prefix)} addresses, more than a /${MAX_PREFIX_WITHOUT_FORCE}; add --force if you really mean it`,
    );
    return 2;
  }
  const hosts = hostsOf(cidr);
  console.error(`scanning ${hosts.length} address(es) of ${values.range} (ICMP, RTSP, HTTP, HTTPS, SNMP)`);
  const port = (v: string | undefined, d: number) => (v ? Number(v) : d);
  const found = await discover(hosts, {
    timeoutMs: Number(values['timeout-ms']),
    community: values.community,
    concurrency: Number(values.concurrency),
    ports: {
      rtsp: port(values['port-rtsp'], 554),
      http: port(values['port-http'], 80),
      https: port(values['port-https'], 443),
      snmp: port(values['port-snmp'], 161),
    },
  });
  process.stdout.write(toImportCsv(found));
  console.error(
    `${found.length} device(s) answered; fill in name and village, check kind, then import the CSV`,
  );
  return 0;
}
