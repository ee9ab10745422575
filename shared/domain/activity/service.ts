// Reading the activity log: the workspace's, one member's, one entity's, and what happened recently.
import type { WorkspaceScope } from '../../http/caller.js';
import { retainedSince } from './model.js';
import * as repository from './repository.js';

interface Paging {
  limit: number;
  cursor?: string;
}

export function list(scope: WorkspaceScope, query: Paging & { user_id?: string }) {
  const paging = { limit: query.limit, cursor: query.cursor, after: retainedSince() };
  return repository.listActivity(scope.workspace.id, paging, query.user_id ? { userId: query.user_id } : undefined);
}

export function listForEntity(scope: WorkspaceScope, entityType: string, entityId: string, query: Paging) {
  return repository.listActivity(scope.workspace.id, { limit: query.limit, cursor: query.cursor, after: retainedSince() }, { entityType, entityId });
}

/** Since `since` (default: the last 24 hours), newest first. */
export function recent(scope: WorkspaceScope, query: Paging & { since?: string }) {
  const oldest = retainedSince();
  const since = query.since ?? new Date(Date.now() - 86_400_000).toISOString();
  return repository.listActivity(scope.workspace.id, { limit: query.limit, cursor: query.cursor, after: since > oldest ? since : oldest });
}
