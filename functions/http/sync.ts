// Sync: deletions (delta and batch come with the sync issue).
import * as contract from '../../shared/contract/sync.js';
import { httpRoute } from '../../shared/http/route.js';
import { deletedSince } from '../../shared/domain/tombstones/service.js';

export const listDeleted = /* @__PURE__ */ httpRoute(contract.listDeleted, ({ scope, query }) => deletedSince(scope, query));
