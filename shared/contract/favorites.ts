// Favorites: each member's bookmarks of items, locations and containers in a workspace.
import * as z from 'zod/mini';
import { example, IdOut, named, PageQuery, pageOf, TimestampOut, Uuid, WorkspaceParams } from './common.js';
import { document, route } from './route.js';

export const favoriteTypes = ['ITEM', 'LOCATION', 'CONTAINER'] as const;
const FavoriteType = /* @__PURE__ */ z.enum(favoriteTypes);

export const Favorite = /* @__PURE__ */ named('Favorite', z.object({
  id: IdOut,
  workspace_id: IdOut,
  user_id: IdOut,
  favorite_type: FavoriteType,
  item_id: z.optional(IdOut),
  location_id: z.optional(IdOut),
  container_id: z.optional(IdOut),
  created_at: TimestampOut,
}), 'One of my favorites; the id field of its type names the target.');
DOCS: example(Favorite, {
  id: '0193a5e2-7c1a-7b3e-9f00-000000000f11', workspace_id: '0193a5e2-7c1a-7b3e-9f00-aaaaaaaaaaaa', user_id: '0193a5e2-7c1a-7b3e-9f00-1c2d3e4f5a6b',
  favorite_type: 'LOCATION', location_id: '0193a5e2-7c1a-7b3e-9f00-000000000a02', created_at: '2026-11-26T09:00:00.000Z',
});

export const listFavorites = /* @__PURE__ */ route({
  id: 'listFavorites', method: 'GET', path: '/workspaces/{workspace_id}/favorites', domain: 'favorites', access: 'viewer',
  summary: 'My favorites in this workspace, newest first', params: WorkspaceParams, query: PageQuery, response: pageOf(Favorite), status: 200,
});

export const toggleFavorite = /* @__PURE__ */ route({
  id: 'toggleFavorite', method: 'POST', path: '/workspaces/{workspace_id}/favorites', domain: 'favorites', access: 'viewer',
  summary: 'Mark something a favorite, or unmark it if it is one (`added` says which)',
  description: 'Favorites are personal: a viewer may keep them too. The target must exist in the workspace.',
  params: WorkspaceParams, body: z.strictObject({ favorite_type: FavoriteType, target_id: Uuid }),
  response: z.object({ added: z.boolean() }), status: 200, errors: ['FAVORITE_TARGET_NOT_FOUND'],
});
DOCS: document(toggleFavorite, { body: { favorite_type: 'LOCATION', target_id: '0193a5e2-7c1a-7b3e-9f00-000000000a02' }, response: { added: true } });

export const checkFavorite = /* @__PURE__ */ route({
  id: 'checkFavorite', method: 'GET', path: '/workspaces/{workspace_id}/favorites/check/{favorite_type}/{target_id}', domain: 'favorites', access: 'viewer',
  summary: 'Whether something is one of my favorites', params: z.object({ workspace_id: Uuid, favorite_type: FavoriteType, target_id: Uuid }),
  response: z.object({ is_favorite: z.boolean() }), status: 200,
});
DOCS: document(checkFavorite, { response: { is_favorite: true } });
