import { createHash, timingSafeEqual } from 'node:crypto';
import type { FastifyRequest } from 'fastify';
import { HubError } from '../errors.ts';

const digest = (s: string) => createHash('sha256').update(s).digest();

/** preHandler for writes: `Authorization: Bearer <HUB_ADMIN_TOKEN>`, compared in constant time. */
export function requireAdmin(adminToken: string) {
  const expected = digest(adminToken);
  return async (request: FastifyRequest) => {
    const header = request.headers.authorization ?? '';
    const match = /^Bearer\s+(.+)$/i.exec(header);
    if (!match || !timingSafeEqual(digest(match[1]!.trim()), expected)) {
      throw new HubError('HUB_ERR_UNAUTHORIZED', 'this request needs Authorization: Bearer <admin token>');
    }
  };
}
