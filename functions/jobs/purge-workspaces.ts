// Finishes workspace deletions: DELETE /workspaces/{id} hides a workspace at once and puts it
// in the purge index; this job removes its contents page by page, the workspace item last.
// It stops early when its time runs short and carries on at its next run (every step is
// idempotent), so a workspace of any size is purged without one long transaction.
import type { Context } from 'aws-lambda';
import { MetricUnit } from '@aws-lambda-powertools/metrics';
import { instrumented } from '../../shared/observability/instrumented.js';
import { logger, metrics } from '../../shared/observability/telemetry.js';
import * as metricNames from '../../shared/observability/metric-names.js';
import { purgeWorkspacePage, workspacesToPurge } from '../../shared/domain/workspaces/repository.js';

const reserveMs = 20_000;

export const handler = instrumented(async (_event: unknown, context: Context) => {
  let purged = 0;
  for (const workspace of await workspacesToPurge(20)) {
    let done = false;
    while (!done && context.getRemainingTimeInMillis() > reserveMs) done = await purgeWorkspacePage(workspace.id);
    if (!done) break;
    purged += 1;
    logger.info('workspace purged', { workspaceId: workspace.id, deletedAt: workspace.deleted_at });
  }
  metrics.addMetric(metricNames.workspacesPurged, MetricUnit.Count, purged);
  return { purged };
});
