// Sync: deletions, the delta or snapshot, and the batch of offline writes (shared/domain/sync).
import * as contract from '../../shared/contract/sync.js';
import { httpRoute } from '../../shared/http/route.js';
import { idempotency } from '../../shared/http/idempotency.js';
import { loopback } from '../../shared/http/loopback.js';
import { runBatch } from '../../shared/domain/sync/batch.js';
import { deletedSince } from '../../shared/domain/tombstones/service.js';
import { delta } from '../../shared/domain/sync/service.js';

export const listDeleted = /* @__PURE__ */ httpRoute(contract.listDeleted, ({ scope, query }) => deletedSince(scope, query));

export const syncDelta = /* @__PURE__ */ httpRoute(contract.syncDelta, ({ scope, query }) => delta(scope, query));

// Each operation runs through its own REST route (shared/domain/sync/batch.ts says why).
export const syncBatch = /* @__PURE__ */ httpRoute(contract.syncBatch, ({ scope, body, event, requestId }) =>
  runBatch(scope.workspace.id, body.operations, loopback(event.headers.authorization ?? '', requestId)), { idempotency });
