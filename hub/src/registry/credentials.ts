import { type RegistryStorage, statement } from '../db/registry-storage.ts';
import { VerifiedSecretCache, verifySecret } from './secrets.ts';

/**
 * Devices' hashed secrets (the `secret_hash` column), mirrored in memory for the broker's CONNECT checks,
 * with the cache of secrets already verified (scrypt is slow on purpose). Statements prepared once.
 */
export class CredentialRepository {
  private hashes = new Map<string, string>();
  private readonly verified = new VerifiedSecretCache();
  private readonly setHash;

  constructor(storage: RegistryStorage) {
    this.setHash = statement(
      storage,
      'UPDATE devices SET secret_hash = ? WHERE id = ?',
      "UPDATE devices SET secret_hash = $1, change_seq = nextval('hub_change_seq') WHERE id = $2",
    );
  }

  /** Loads a hash read with its device (no write). */
  load(id: string, hash: string): void {
    this.hashes.set(id, hash);
  }

  /** The hash of a device just inserted with it. */
  remember(id: string, hash: string): void {
    this.hashes.set(id, hash);
  }

  replace(id: string, hash: string): void {
    this.setHash(hash, id);
    this.hashes.set(id, hash);
    this.verified.forget(id);
  }

  /** Another node rotated the secret (read from the database): no write, the verified cache forgets it. */
  replaceRead(id: string, hash: string): void {
    this.hashes.set(id, hash);
    this.verified.forget(id);
  }

  /** A disabled device's verified secret must be checked again (and refused) on its next CONNECT. */
  forgetVerified(id: string): void {
    this.verified.forget(id);
  }

  current(id: string): string | undefined {
    return this.hashes.get(id);
  }

  /** True when `secret` already passed scrypt for this device (no hashing: a SHA-256 comparison). */
  alreadyVerified(id: string, secret: string): boolean {
    return this.hashes.has(id) && this.verified.matches(id, secret);
  }

  /** True when `secret` is the device's current one. `stillValid` re-checks after the slow hash. */
  async check(id: string, secret: string, stillValid: () => boolean): Promise<boolean> {
    const stored = this.hashes.get(id);
    if (!stored) return false;
    if (this.verified.matches(id, secret)) return true;
    if (!(await verifySecret(secret, stored))) return false;
    // The secret may have been rotated or the device disabled while scrypt ran.
    if (this.hashes.get(id) !== stored || !stillValid()) return false;
    this.verified.remember(id, secret);
    return true;
  }

  /** For a transaction: a copy to work on, and a way back to the state before it. */
  snapshot(): Map<string, string> {
    const saved = this.hashes;
    this.hashes = new Map(saved);
    return saved;
  }

  restore(saved: Map<string, string>): void {
    this.hashes = saved;
  }
}
