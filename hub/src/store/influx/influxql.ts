import type { Transport } from '@influxdata/influxdb-client';
import { HubError } from '../../errors.ts';
import type { ResultTable } from './schema.ts';

/** An InfluxQL string literal: single quotes, with backslash and quote escaped. */
export function quoteLiteral(value: string): string {
  return `'${value.replace(/\\/g, '\\\\').replace(/'/g, "\\'")}'`;
}

/** An InfluxQL identifier (measurement, field, tag key): double quotes, with backslash and quote escaped. */
export function quoteIdent(name: string): string {
  return `"${name.replace(/\\/g, '\\\\').replace(/"/g, '\\"')}"`;
}

/** A time bound in InfluxQL: integer epoch ms with the `ms` unit, exact for any range the store accepts. */
export function msTime(ms: number): string {
  if (!Number.isSafeInteger(ms)) {
    throw new HubError('HUB_ERR_BAD_TIME_RANGE', `time bound must be an integer of epoch ms, got ${ms}`);
  }
  return `${ms}ms`;
}

interface QueryChunk {
  results?: Array<{
    statement_id?: number;
    error?: string;
    series?: Array<{ name: string; columns: string[]; values?: unknown[][] }>;
  }>;
  error?: string;
}

export interface QueryTarget {
  transport: Transport;
  database: string;
  retentionPolicy: string;
  timeoutMs: number;
}

/**
 * Runs one InfluxQL statement over the v1-compatible `/query` endpoint (served by InfluxDB 1.x, by 2.x
 * through a DBRP mapping and by 3.x) and returns its rows merged into one table. Results are streamed in
 * chunks so a year of one device's heartbeats never has to fit in one JSON document. Times come back as
 * epoch ms.
 */
export async function runQuery(target: QueryTarget, statement: string): Promise<ResultTable> {
  const params = new URLSearchParams({
    db: target.database,
    epoch: 'ms',
    chunked: 'true',
    chunk_size: '10000',
  });
  if (target.retentionPolicy) params.set('rp', target.retentionPolicy);
  const body = new URLSearchParams({ q: statement }).toString();
  const table: ResultTable = { columns: [], values: [] };
  const decoder = new TextDecoder();
  let pending = '';
  const consume = (line: string): void => {
    if (!line.trim()) return;
    const chunk = JSON.parse(line) as QueryChunk;
    const error = chunk.error ?? chunk.results?.find((r) => r.error)?.error;
    if (error) throw new InfluxQueryError(error, statement);
    for (const result of chunk.results ?? []) {
      for (const series of result.series ?? []) {
        if (table.columns.length === 0) table.columns = series.columns;
        // A later chunk may carry more columns (chunks of SELECT * are not guaranteed identical): realign.
        const values = series.values ?? [];
        if (series.columns.join('\u0000') === table.columns.join('\u0000')) {
          for (const v of values) table.values.push(v);
        } else {
          alignInto(table, series.columns, values);
        }
      }
    }
  };
  const signal = AbortSignal.timeout(target.timeoutMs);
  for await (const bytes of target.transport.iterate(`/query?${params.toString()}`, body, {
    method: 'POST',
    headers: { 'content-type': 'application/x-www-form-urlencoded', accept: 'application/json' },
    signal,
  })) {
    pending += decoder.decode(bytes, { stream: true });
    let nl = pending.indexOf('\n');
    while (nl >= 0) {
      consume(pending.slice(0, nl));
      pending = pending.slice(nl + 1);
      nl = pending.indexOf('\n');
    }
  }
  consume(pending + decoder.decode());
  return table;
}

function alignInto(table: ResultTable, columns: string[], values: unknown[][]): void {
  for (const c of columns) {
    if (!table.columns.includes(c)) {
      table.columns.push(c);
      for (const row of table.values) row.push(null);
    }
  }
  const map = columns.map((c) => table.columns.indexOf(c));
  for (const v of values) {
    const row: unknown[] = new Array(table.columns.length).fill(null);
    v.forEach((cell, i) => {
      row[map[i]!] = cell;
    });
    table.values.push(row);
  }
}

/** The server understood the request and refused the statement (bad query, unknown field type...). */
export class InfluxQueryError extends Error {
  constructor(
    readonly serverMessage: string,
    readonly statement: string,
  ) {
    super(`InfluxDB refused the query: ${serverMessage}`);
    this.name = 'InfluxQueryError';
  }
}
