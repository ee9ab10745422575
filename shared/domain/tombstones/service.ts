// Reading the tombstones: what was deleted since a time, oldest first (GET …/sync/deleted).
import type { WorkspaceScope } from '../../http/caller.js';
import * as keys from '../../db/keys.js';
import { withoutKeys } from '../../db/keys.js';
import { queryPage } from '../../db/table.js';
import { tombstoneDays, type Tombstone } from '../catalog/repository.js';

export async function deletedSince(scope: WorkspaceScope, query: { since?: string; limit: number; cursor?: string }) {
  const now = Date.now();
  const oldest = new Date(now - tombstoneDays * 86_400_000).toISOString();
  const requested = query.since ?? new Date(now - 7 * 86_400_000).toISOString();
  const since = requested > oldest ? requested : oldest;
  const partition = keys.tombstone(scope.workspace.id, '', '', '').PK;
  const page = await queryPage<Tombstone>({
    KeyConditionExpression: 'PK = :pk AND SK > :since',
    ExpressionAttributeValues: { ':pk': partition, ':since': since },
  }, { limit: query.limit, cursor: query.cursor, list: { list: 'tombstones', partition, sortAbove: since } });
  return { ...page, items: page.items.map((item) => withoutKeys(item as unknown as Record<string, unknown>) as unknown as Tombstone), since: requested };
}
