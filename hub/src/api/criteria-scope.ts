import type { FastifyRequest } from 'fastify';
import { HubError } from '../errors.ts';

/**
 * The criteria in a caller's scope: evaluations, breakdowns, trends and annex files count only the
 * villages (and their devices) of the caller's communes.
 */
export function visibleVillageOf(request: FastifyRequest): {
  visibleVillage?: (villageId: string) => boolean;
} {
  const scope = request.scope;
  return scope.isAll ? {} : { visibleVillage: (villageId) => scope.allowsVillage(villageId) };
}

/**
 * A submitted report is a frozen snapshot of the whole hub (every device it counted): only callers who
 * see every commune may read one. Others get an empty list, and 404 for an id.
 */
export function reportsVisible(request: FastifyRequest, id?: string | number): boolean {
  if (request.scope.isAll) return true;
  if (id !== undefined) throw new HubError('HUB_ERR_NOT_FOUND', `no criteria report ${id}`);
  return false;
}
