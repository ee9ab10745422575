// Rebuilds one workspace's search index (shared/domain/search/reindex.ts), on demand:
// `npm run job search-reindex -- --workspace ID` locally; in AWS, invoke the Lambda with
// `{"workspace_id": "…"}`. Searches keep answering while it runs; running it twice changes nothing.
import { instrumented } from '../../shared/observability/instrumented.js';
import { logger } from '../../shared/observability/telemetry.js';
import { reindexWorkspace } from '../../shared/domain/search/reindex.js';

const uuid = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/;

export const handler = instrumented(async (event: { workspace_id?: unknown }) => {
  const workspaceId = typeof event?.workspace_id === 'string' ? event.workspace_id.toLowerCase() : '';
  if (!uuid.test(workspaceId)) throw new Error('search-reindex needs {"workspace_id": "<uuid>"}');
  const outcome = await reindexWorkspace(workspaceId);
  logger.info('search index rebuilt', { workspace_id: workspaceId, ...outcome });
  return outcome;
});
