// Recounts analytics aggregates from the entities (shared/domain/analytics/recount.ts), reports
// drift as a metric and a log line per figure, and repairs what stays wrong once the feed settled.
// One workspace: `npm run job analytics-recount -- --workspace ID`, or invoke with
// `{"workspace_id": "…"}`. Scheduled weekly with no workspace: it walks every registered workspace
// (a Query of the registry index) from where its last run stopped, until its time runs short, and
// keeps its place in the table so the next run carries on.
import type { Context } from 'aws-lambda';
import { MetricUnit } from '@aws-lambda-powertools/metrics';
import { instrumented } from '../../shared/observability/instrumented.js';
import { logger, metrics } from '../../shared/observability/telemetry.js';
import * as metricNames from '../../shared/observability/metric-names.js';
import { recountWorkspace, type RecountOutcome } from '../../shared/domain/analytics/recount.js';
import { readRecountPlace, registeredWorkspaces, saveRecountPlace } from '../../shared/domain/analytics/repository.js';

const uuid = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/;
/** time kept back for the last workspace's second count (30 s settle) and the place's write */
const reserveMs = 120_000;

async function recount(workspaceId: string, settleMs: number | undefined): Promise<RecountOutcome> {
  const outcome = await recountWorkspace(workspaceId, settleMs === undefined ? {} : { settleMs });
  for (const drift of outcome.drift) logger.warn('analytics drift', { workspace_id: workspaceId, ...drift });
  metrics.addMetric(metricNames.analyticsDrift, MetricUnit.Count, outcome.drift.length);
  metrics.addMetric(metricNames.analyticsRecounted, MetricUnit.Count, 1);
  logger.info('analytics recounted', { workspace_id: workspaceId, entities: outcome.entities, drift: outcome.drift.length, repaired: outcome.repaired, unsettled: outcome.unsettled, transient: outcome.transient });
  return outcome;
}

export const handler = instrumented(async (event: { workspace_id?: unknown; settle_ms?: unknown } | undefined, context?: Context) => {
  const settleMs = typeof event?.settle_ms === 'number' && event.settle_ms >= 0 ? event.settle_ms : undefined;
  if (event?.workspace_id !== undefined) {
    const workspaceId = typeof event.workspace_id === 'string' ? event.workspace_id.toLowerCase() : '';
    if (!uuid.test(workspaceId)) throw new Error('analytics-recount needs {"workspace_id": "<uuid>"} (or no workspace: every registered one)');
    const outcome = await recount(workspaceId, settleMs);
    return { workspaces: 1, drift: outcome.drift, repaired: outcome.repaired, unsettled: outcome.unsettled, transient: outcome.transient };
  }
  let cursor = await readRecountPlace();
  let workspaces = 0;
  let drift = 0;
  do {
    const page = await registeredWorkspaces(25, cursor);
    for (const { workspace_id: workspaceId } of page.items) {
      if (context && context.getRemainingTimeInMillis() < reserveMs) {
        await saveRecountPlace(cursor);
        return { workspaces, drift, finished: false };
      }
      drift += (await recount(workspaceId, settleMs)).drift.length;
      workspaces += 1;
    }
    cursor = page.next_cursor;
  } while (cursor);
  await saveRecountPlace(undefined);
  return { workspaces, drift, finished: true };
});
