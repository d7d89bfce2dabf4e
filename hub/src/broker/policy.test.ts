import { describe, expect, it } from 'vitest';
import { decidePublish, maySubscribe } from './policy.ts';

const children: Record<string, string> = { 'cam-01': 'gw-01' };
const isChildOf = (id: string, gw: string) => children[id] === gw;

describe('broker policy', () => {
  it.each([
    ['dev-a', 'commune/v1/dev-a/hb', { allow: true, deviceId: 'dev-a', channel: 'hb' }],
    ['dev-a', 'commune/v1/dev-a/status', { allow: true, deviceId: 'dev-a', channel: 'status' }],
    ['dev-a', 'commune/v1/dev-b/hb', { allow: false, reason: 'foreign_topic' }],
    ['dev-a', 'commune/v1/dev-a/cmd', { allow: false, reason: 'command_topic' }],
    ['dev-a', '$SYS/broker/load', { allow: false, reason: 'sys_topic' }],
    ['dev-a', 'commune/v1/dev-a/hb/extra', { allow: false, reason: 'bad_topic' }],
    ['dev-a', 'commune/v2/dev-a/hb', { allow: false, reason: 'bad_topic' }],
    ['dev-a', 'commune/v1/DEV-A/hb', { allow: false, reason: 'bad_topic' }],
    ['dev-a', 'commune/v1/+/hb', { allow: false, reason: 'bad_topic' }],
    ['gw-01', 'commune/v1/cam-01/hb', { allow: true, deviceId: 'cam-01', channel: 'hb' }],
    ['gw-02', 'commune/v1/cam-01/hb', { allow: false, reason: 'foreign_topic' }],
    ['cam-01', 'commune/v1/gw-01/hb', { allow: false, reason: 'foreign_topic' }],
  ])('%s publishing on %s', (client, topic, expected) => {
    expect(decidePublish(client, topic, isChildOf)).toEqual(expected);
  });

  it('lets a device subscribe to its own command topic only', () => {
    expect(maySubscribe('dev-a', 'commune/v1/dev-a/cmd')).toBe(true);
    expect(maySubscribe('dev-a', 'commune/v1/dev-b/cmd')).toBe(false);
    expect(maySubscribe('dev-a', 'commune/v1/#')).toBe(false);
    expect(maySubscribe('dev-a', '#')).toBe(false);
  });
});
