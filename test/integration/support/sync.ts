// A client of the sync routes as the OpenAPI description tells one to behave: every page of a
// snapshot or delta, applied by id with the higher version winning, deletions dropped.
import { expect } from 'vitest';
import { call, expectStatus } from './api.js';

export type Entity = Record<string, unknown> & { id: string; version: number; is_archived?: boolean };

export interface SyncPage {
  items: Entity[];
  locations: Entity[];
  containers: Entity[];
  inventory: Entity[];
  categories: Entity[];
  labels: Entity[];
  companies: Entity[];
  borrowers: Entity[];
  loans: Entity[];
  attachments: Entity[];
  deleted: { entity_type: string; entity_id: string; deleted_at: string }[];
  synced_at: string;
  has_more: boolean;
  next_cursor?: string;
  resync_required?: boolean;
}

export const keysOfTypes = ['items', 'locations', 'containers', 'inventory', 'categories', 'labels', 'companies', 'borrowers', 'loans', 'attachments'] as const;

/** Every page of one sync (a snapshot, or a delta from `since`), merged as a client applies them: by id, the higher version winning. */
export async function syncAll(token: string, workspaceId: string, options: { since?: string; limit?: number; types?: string } = {}) {
  const state = new Map<string, Entity & { type: string }>();
  const deleted = new Set<string>();
  let cursor: string | undefined;
  let pages = 0;
  let page: SyncPage;
  do {
    page = expectStatus(await call<SyncPage>('GET', `/workspaces/${workspaceId}/sync/delta`, {
      token, query: { modified_since: cursor ? undefined : options.since, cursor, limit: options.limit, entity_types: options.types },
    }), 200).json;
    pages += 1;
    for (const key of keysOfTypes) {
      const seen = new Set<string>();
      for (const entity of page[key]) {
        expect(seen.has(entity.id), `${key} ${entity.id} twice on one page`).toBe(false);
        seen.add(entity.id);
        const known = state.get(entity.id);
        if (!known || known.version <= entity.version) state.set(entity.id, { ...entity, type: key });
      }
    }
    for (const gone of page.deleted) {
      deleted.add(gone.entity_id);
      state.delete(gone.entity_id);
    }
    cursor = page.next_cursor;
    expect(page.has_more).toBe(cursor !== undefined);
  } while (cursor && pages < 200);
  return { state, deleted, syncedAt: page.synced_at, pages, resync: page.resync_required === true };
}

