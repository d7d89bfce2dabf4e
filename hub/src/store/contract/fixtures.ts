import type { HeartbeatRow, TransitionRow } from '../types.ts';

export const MINUTE = 60_000;
export const HOUR = 60 * MINUTE;
export const DAY = 24 * HOUR;
/** A fixed, round start: 2025-01-01T00:00:00Z. */
export const T0 = Date.UTC(2025, 0, 1);

export function hb(
  deviceId: string,
  ts: number,
  seq: number,
  over: Partial<HeartbeatRow> = {},
): HeartbeatRow {
  return {
    deviceId,
    kind: 'loudspeaker',
    village: 'Thôn 1',
    ts,
    receivedAt: ts + 250,
    seq,
    up: 1000 + seq * 30.5,
    st: 'ok',
    m: { signal: -60 - (seq % 10), volume: 70, playing: seq % 2 === 0, source: 'mains' },
    faults: [],
    late: false,
    ...over,
  };
}

export function tr(deviceId: string, at: number, over: Partial<TransitionRow> = {}): TransitionRow {
  return {
    deviceId,
    kind: 'wifi',
    village: 'Thôn 2',
    at,
    from: 'online',
    to: 'offline',
    reason: 'timeout',
    ...over,
  };
}

/** Strings that break naive line protocol, InfluxQL, SQL or JSON handling. */
export const HOSTILE = {
  village: 'Thôn "Đông", 1\nx',
  villageTrailingBackslash: "Xóm 'Bãi'=2 \\",
  villageTabs: 'a\tb\r\nc, d=e \\n',
  text: `he said "hi", it's 100% = ok\\ \n\ttab; DROP MEASUREMENT heartbeat; -- 🐃 ,=`,
  fault: 'amp "A", 1\nfailed\\',
};
