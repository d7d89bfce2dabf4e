/**
 * Which node acts for each device's liveness (timeouts, disconnects, maintenance, disabling): the node
 * holding its connection, i.e. the last node whose tracker took a live heartbeat or connection for it.
 * A device no living node holds (never connected, offline, or its node died) is acted for by the leader,
 * so exactly one node records each transition. Single node: it acts for every device.
 */
export interface Ownership {
  acts(deviceId: string): boolean;
  /** This node took the device's connection or a live heartbeat: it acts for it from now on. */
  claim(deviceId: string): void;
}

export const SOLE_NODE: Ownership = { acts: () => true, claim: () => {} };

export class DeviceOwnership implements Ownership {
  private readonly owners = new Map<string, string>();

  constructor(
    readonly self: string,
    private readonly isAlive: (nodeId: string) => boolean,
    private readonly leader: () => string,
  ) {}

  acts(deviceId: string): boolean {
    const owner = this.owners.get(deviceId);
    if (owner === this.self) return true;
    if (owner !== undefined && this.isAlive(owner)) return false;
    return this.leader() === this.self;
  }

  claim(deviceId: string): void {
    this.owners.set(deviceId, this.self);
  }

  /** Another node said it acts for this device (its liveness change came over the relay). */
  assign(deviceId: string, nodeId: string): void {
    this.owners.set(deviceId, nodeId);
  }

  ownerOf(deviceId: string): string | undefined {
    return this.owners.get(deviceId);
  }

  /** A node died: nobody holds its devices until they reconnect; returns them. */
  release(nodeId: string): string[] {
    const released: string[] = [];
    for (const [id, owner] of this.owners) {
      if (owner === nodeId) {
        this.owners.delete(id);
        released.push(id);
      }
    }
    return released;
  }
}
