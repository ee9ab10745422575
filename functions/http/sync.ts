// Sync: deletions, and the delta or snapshot (shared/domain/sync); batch writes come next.
import * as contract from '../../shared/contract/sync.js';
import { httpRoute } from '../../shared/http/route.js';
import { deletedSince } from '../../shared/domain/tombstones/service.js';
import { delta } from '../../shared/domain/sync/service.js';

export const listDeleted = /* @__PURE__ */ httpRoute(contract.listDeleted, ({ scope, query }) => deletedSince(scope, query));

export const syncDelta = /* @__PURE__ */ httpRoute(contract.syncDelta, ({ scope, query }) => delta(scope, query));
