import { randomBytes } from 'node:crypto';
import type { AlertScope } from '@commune-hub/protocol';
import type { Scope } from '../auth/scope.ts';
import { HubError } from '../errors.ts';
import type { DeviceRecord } from '../registry/registry.ts';
import type { ScopeLookup } from './validate.ts';

/**
 * Where an alert rule's or recurring window's target lies for a caller (issue 14):
 * - `hub`: it names no device, village or commune (kinds or tags only, or nothing), so it reaches every
 *   commune: seen by everyone, changed only by a province-wide user;
 * - `inside`: every device, village and commune it names is in the caller's communes;
 * - `outside`: it names something of another commune: the caller does not see it at all (404).
 */
export type TargetReach = 'hub' | 'inside' | 'outside';

export function targetReach(
  scope: Scope,
  target: AlertScope,
  getDevice: (id: string) => DeviceRecord | undefined,
): TargetReach {
  if (!target.deviceIds && !target.villageIds && !target.communeIds) return 'hub';
  if (scope.isAll) return 'inside';
  const inside =
    (target.deviceIds ?? []).every((id) => scope.allowsDevice(getDevice(id))) &&
    (target.villageIds ?? []).every((id) => scope.allowsVillage(id)) &&
    (target.communeIds ?? []).every((id) => scope.allowsCommune(id));
  return inside ? 'inside' : 'outside';
}

/**
 * The ids a caller may name in a rule, mute or window: another commune's device, village or commune is
 * refused exactly like one that does not exist, so the answer does not tell that it exists.
 */
export function scopedLookup(
  lookup: ScopeLookup,
  scope: Scope,
  getDevice: (id: string) => DeviceRecord | undefined,
): ScopeLookup {
  if (scope.isAll) return lookup;
  return {
    deviceExists: (id) => lookup.deviceExists(id) && scope.allowsDevice(getDevice(id)),
    villageExists: (id) => lookup.villageExists(id) && scope.allowsVillage(id),
    communeExists: (id) => lookup.communeExists(id) && scope.allowsCommune(id),
  };
}

/**
 * A write to configuration that reaches every commune (a hub-wide rule, window or schedule) by a user
 * scoped to some communes: refused. Not a 404: hub-wide configuration is visible to them, only read-only.
 */
export function mustReachAll(scope: Scope, what: string): void {
  if (!scope.isAll) {
    throw new HubError(
      'HUB_ERR_FORBIDDEN',
      `${what} applies to every commune: only a province-wide user may change it (name your devices, villages or communes in its scope)`,
    );
  }
}

/**
 * Whether a caller's communes allow changing configuration of this reach (the role is checked apart):
 * what lies inside their communes, and hub-wide configuration only for a province-wide user. Answered to
 * the dashboard as `editable`, so it offers no control the hub would refuse.
 */
export function mayChange(scope: Scope, reach: TargetReach): boolean {
  return reach === 'inside' || (reach === 'hub' && scope.isAll);
}

/**
 * The id of a new rule or window made by a user scoped to some communes. Ids are one space across every
 * commune, so an id the caller chose, or one made from the name, could collide with another commune's
 * hidden rule and the refusal would tell that it exists: such a user gets a random id from the hub, and
 * may not choose one (answered the same whether the id is free or taken).
 */
export function hubChosenId(prefix: string, taken: (id: string) => boolean): string {
  for (;;) {
    const id = `${prefix}-${randomBytes(5).toString('hex')}`;
    if (!taken(id)) return id;
  }
}

/** The refusal of a chosen id for a new rule or window by a user scoped to some communes (see hubChosenId). */
export function chosenIdRefused(what: string): HubError {
  return new HubError(
    'HUB_ERR_VALIDATION',
    `id: a new ${what} of a commune's user gets its id from the hub: leave id out`,
  );
}
