// Search across a workspace (shared/domain/search): the index the change feed keeps, read per query word.
import * as contract from '../../shared/contract/search.js';
import { httpRoute } from '../../shared/http/route.js';
import { search } from '../../shared/domain/search/service.js';

export const searchWorkspace = /* @__PURE__ */ httpRoute(contract.searchWorkspace, ({ scope, query }) => search(scope, query));
