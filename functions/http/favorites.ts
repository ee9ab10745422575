// Favorites: each member's bookmarks.
import * as contract from '../../shared/contract/favorites.js';
import { httpRoute } from '../../shared/http/route.js';
import * as favorites from '../../shared/domain/favorites/service.js';

export const listFavorites = /* @__PURE__ */ httpRoute(contract.listFavorites, ({ scope, caller, query }) => favorites.list(scope, caller, query));

export const toggleFavorite = /* @__PURE__ */ httpRoute(contract.toggleFavorite, ({ scope, caller, body }) => favorites.toggle(scope, caller, body.favorite_type, body.target_id));

export const checkFavorite = /* @__PURE__ */ httpRoute(contract.checkFavorite, ({ scope, caller, params }) => favorites.check(scope, caller, params.favorite_type, params.target_id));
