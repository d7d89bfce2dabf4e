import fs from 'node:fs';
import { HubError } from './errors.ts';

/**
 * Tokens printed in this repository's docs and compose file. A hub started with one of them is reachable
 * by anyone who read the README (finding 7: `change-me-admin-token` was accepted without a word), so it
 * refuses to start instead of warning.
 */
export const EXAMPLE_TOKENS: readonly string[] = [
  'change-me-admin-token',
  'change-me-influx-token',
  'change-me-influx-password',
  'change-me-metrics-token',
];

interface EdgeSettings {
  adminToken: string;
  influxToken: string;
  metricsToken: string;
  metricsAccess: 'loopback' | 'token' | 'off';
  tlsCert: string;
  tlsKey: string;
  tlsCa: string;
}

function readable(file: string, env: string, problems: string[]): void {
  try {
    fs.accessSync(file, fs.constants.R_OK);
  } catch {
    problems.push(`${env}: cannot read ${JSON.stringify(file)}`);
  }
}

/** Checks at boot that go beyond the schema: example tokens, TLS files present and paired. */
export function checkEdgeSettings(config: EdgeSettings): void {
  const problems: string[] = [];
  const example = (value: string) => EXAMPLE_TOKENS.includes(value.trim().toLowerCase());
  if (example(config.adminToken))
    problems.push(
      'HUB_ADMIN_TOKEN: is the documented example token; choose your own (openssl rand -base64 24)',
    );
  if (config.influxToken && example(config.influxToken))
    problems.push('HUB_INFLUX_TOKEN: is the documented example token; choose your own');
  if (config.metricsToken && (example(config.metricsToken) || config.metricsToken.length < 16))
    problems.push('HUB_METRICS_TOKEN: at least 16 characters, not the documented example');
  if (config.metricsAccess === 'token' && !config.metricsToken)
    problems.push('HUB_METRICS_TOKEN: required when HUB_METRICS_ACCESS=token');
  if ((config.tlsCert === '') !== (config.tlsKey === ''))
    problems.push('HUB_TLS_CERT and HUB_TLS_KEY: give both or neither');
  if (config.tlsCa && !config.tlsCert) problems.push('HUB_TLS_CA: needs HUB_TLS_CERT and HUB_TLS_KEY');
  if (config.tlsCert) readable(config.tlsCert, 'HUB_TLS_CERT', problems);
  if (config.tlsKey) readable(config.tlsKey, 'HUB_TLS_KEY', problems);
  if (config.tlsCa) readable(config.tlsCa, 'HUB_TLS_CA', problems);
  if (problems.length > 0) {
    throw new HubError('HUB_ERR_CONFIG', `invalid configuration:\n  ${problems.join('\n  ')}`);
  }
}
