// Favorites: each member bookmarks items, locations and containers of a workspace. A toggle adds or
// removes; the target must exist in the workspace; a deleted target's favorites go with it (the
// change feed's favoriteCleanup projector).
import type { Caller, WorkspaceScope } from '../../http/caller.js';
import { DomainError } from '../errors.js';
import { newId } from '../ids.js';
import { pageInMemory } from '../paging.js';
import { targetField, type FavoriteRecord, type FavoriteType } from './model.js';
import * as repository from './repository.js';

const noTarget = (type: FavoriteType) => new DomainError('FAVORITE_TARGET_NOT_FOUND', `No ${type.toLowerCase()} with that id in this workspace.`, {
  errors: [{ location: 'body.target_id', message: `is not a ${type.toLowerCase()} of this workspace` }],
});

/** Adds the favorite, or removes it when it is there; answers whether it is one now. */
export async function toggle(scope: WorkspaceScope, caller: Caller, type: FavoriteType, targetId: string): Promise<{ added: boolean }> {
  const workspaceId = scope.workspace.id;
  if (await repository.removeFavorite(workspaceId, caller.user.id, type, targetId)) return { added: false };
  const favorite: FavoriteRecord = {
    id: newId(), workspace_id: workspaceId, user_id: caller.user.id, favorite_type: type, [targetField[type]]: targetId, created_at: new Date().toISOString(),
  };
  const outcome = await repository.addFavorite(favorite);
  if (outcome === 'no-target') throw noTarget(type);
  if (outcome === 'added') return { added: true };
  // Two toggles at once: the one that lost the race to add removes it, as two taps would.
  return { added: !(await repository.removeFavorite(workspaceId, caller.user.id, type, targetId)) };
}

export async function check(scope: WorkspaceScope, caller: Caller, type: FavoriteType, targetId: string) {
  return { is_favorite: await repository.isFavorite(scope.workspace.id, caller.user.id, type, targetId) };
}

/** Newest first. */
export async function list(scope: WorkspaceScope, caller: Caller, query: { limit: number; cursor?: string }) {
  const favorites = await repository.favoritesOf(scope.workspace.id, caller.user.id);
  // sort key: inverted time, so the in-memory page goes newest first
  return pageInMemory('favorites', favorites, (favorite) => `${String(9e15 - Date.parse(favorite.created_at)).padStart(16, '0')}#${favorite.id}`, query.limit, query.cursor);
}
