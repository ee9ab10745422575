// A favorite: one user's bookmark of an item, a location or a container, in one workspace.
import type { favoriteTypes } from '../../contract/favorites.js';

export type FavoriteType = (typeof favoriteTypes)[number];

export interface FavoriteRecord {
  id: string;
  workspace_id: string;
  user_id: string;
  favorite_type: FavoriteType;
  item_id?: string;
  location_id?: string;
  container_id?: string;
  created_at: string;
}

/** The answer field naming the target, by type (the earlier API's shape). */
export const targetField = { ITEM: 'item_id', LOCATION: 'location_id', CONTAINER: 'container_id' } as const satisfies Record<FavoriteType, string>;

export const targetOf = (favorite: FavoriteRecord): string => favorite[targetField[favorite.favorite_type]]!;
