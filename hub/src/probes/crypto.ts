import { createCipheriv, createDecipheriv, randomBytes } from 'node:crypto';
import { HubError } from '../errors.ts';

/** Sealed values start with this, so a future key or algorithm change can be told apart. */
const PREFIX = 'v1:';
const IV_BYTES = 12;
const TAG_BYTES = 16;

/**
 * Parses HUB_PROBE_KEY: 32 bytes as 64 hex digits or as base64. Returns undefined for an empty setting
 * (probe targets without credentials still work; credentials are then refused).
 */
export function parseProbeKey(raw: string): Buffer | undefined {
  const text = raw.trim();
  if (text === '') return undefined;
  if (/^[0-9a-fA-F]{64}$/.test(text)) return Buffer.from(text, 'hex');
  if (/^[A-Za-z0-9+/_-]{43}=?$/.test(text)) {
    const key = Buffer.from(text.replaceAll('-', '+').replaceAll('_', '/'), 'base64');
    if (key.length === 32) return key;
  }
  throw new HubError(
    'HUB_ERR_CONFIG',
    'HUB_PROBE_KEY must be 32 bytes: 64 hex digits or 44 characters of base64 (openssl rand -hex 32)',
  );
}

/**
 * AES-256-GCM: confidentiality and integrity for probe credentials at rest. The device id is the
 * additional authenticated data, so a sealed value copied onto another device's row does not open.
 */
export function seal(key: Buffer, plaintext: string, deviceId: string): string {
  const iv = randomBytes(IV_BYTES);
  const cipher = createCipheriv('aes-256-gcm', key, iv);
  cipher.setAAD(Buffer.from(deviceId, 'utf8'));
  const body = Buffer.concat([cipher.update(plaintext, 'utf8'), cipher.final()]);
  return PREFIX + Buffer.concat([iv, cipher.getAuthTag(), body]).toString('base64');
}

export function open(key: Buffer, sealed: string, deviceId: string): string {
  if (!sealed.startsWith(PREFIX)) throw new HubError('HUB_ERR_INTERNAL', 'unknown sealed-value format');
  const raw = Buffer.from(sealed.slice(PREFIX.length), 'base64');
  const iv = raw.subarray(0, IV_BYTES);
  const tag = raw.subarray(IV_BYTES, IV_BYTES + TAG_BYTES);
  const decipher = createDecipheriv('aes-256-gcm', key, iv);
  decipher.setAAD(Buffer.from(deviceId, 'utf8'));
  decipher.setAuthTag(tag);
  try {
    return Buffer.concat([decipher.update(raw.subarray(IV_BYTES + TAG_BYTES)), decipher.final()]).toString(
      'utf8',
    );
  } catch (cause) {
    throw new HubError(
      'HUB_ERR_INTERNAL',
      `probe credentials of ${deviceId} do not open with HUB_PROBE_KEY`,
      {
        cause,
      },
    );
  }
}
