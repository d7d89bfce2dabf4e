import { describe, expect, it } from 'vitest';
import { skipUplink, skipUplinkLookups } from './uplink.ts';

// Device uplinks have no subscribers by policy (policy.ts): aedes' emitter and its offline-queue lookup are
// skipped for them, and only for them.
describe.each([
  ['commune/v1/dev-1/hb', true],
  ['commune/v1/dev-1/status', true],
  ['commune/v1/dev-1/meta', true],
  ['commune/v1/dev-1/event', true],
  ['commune/v1/dev-1/cmd', false],
  ['commune/v1/dev-1/hb/extra', false],
  ['$SYS/broker/new/clients', false],
])('%s', (topic, uplink) => {
  it(`${uplink ? 'skips' : 'keeps'} aedes' subscription lookup`, async () => {
    const asked: string[] = [];
    const persistence = skipUplinkLookups({
      subscriptionsByTopic: async (t: string) => {
        asked.push(t);
        return [{ clientId: 'gw-1', topic: t, qos: 1 }];
      },
    });
    const subs = await persistence.subscriptionsByTopic(topic);
    expect(asked).toEqual(uplink ? [] : [topic]);
    expect(subs).toHaveLength(uplink ? 0 : 1);
  });

  it(`${uplink ? 'skips' : 'keeps'} aedes' emitter`, () => {
    const emitted: string[] = [];
    const mq = skipUplink({
      emit: (p: { topic: string }, cb?: () => void) => {
        emitted.push(p.topic);
        cb?.();
      },
    });
    let done = false;
    mq.emit({ topic }, () => {
      done = true;
    });
    expect(done).toBe(true);
    expect(emitted).toEqual(uplink ? [] : [topic]);
  });
});
