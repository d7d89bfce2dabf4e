import { describe, expect, it } from 'vitest';
import { DeviceOwnership } from './ownership.ts';

/** Who acts for a device's liveness, by its recorded node and which nodes are alive. */
describe('DeviceOwnership.acts', () => {
  const cases: Array<[string, { owner?: string; alive: string[]; self: string }, boolean]> = [
    ['held here', { owner: 'b', alive: ['a', 'b'], self: 'b' }, true],
    ['held by a living node', { owner: 'a', alive: ['a', 'b'], self: 'b' }, false],
    ['held by a dead node, this node leads', { owner: 'c', alive: ['a', 'b'], self: 'a' }, true],
    ['held by a dead node, another leads', { owner: 'c', alive: ['a', 'b'], self: 'b' }, false],
    ['held by nobody, this node leads', { alive: ['a', 'b'], self: 'a' }, true],
    ['held by nobody, another leads', { alive: ['a', 'b'], self: 'b' }, false],
    ['alone', { alive: ['b'], self: 'b' }, true],
  ];
  it.each(cases)('%s', (_name, { owner, alive, self }, acts) => {
    const leader = [...alive].sort()[0]!;
    const ownership = new DeviceOwnership(
      self,
      (id) => alive.includes(id),
      () => leader,
    );
    if (owner) ownership.assign('d1', owner);
    expect(ownership.acts('d1')).toBe(acts);
  });

  it('claims, and releases what a dead node held', () => {
    const ownership = new DeviceOwnership(
      'b',
      () => true,
      () => 'a',
    );
    ownership.assign('d1', 'a');
    ownership.assign('d2', 'a');
    ownership.claim('d3');
    expect(ownership.release('a').sort()).toEqual(['d1', 'd2']);
    expect(ownership.ownerOf('d1')).toBeUndefined();
    expect(ownership.ownerOf('d3')).toBe('b');
  });
});
