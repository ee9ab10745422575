// Every Lambda that is not an HTTP route, declared once. The CDK jobs stack and the local runtime
// both read this list, so a schedule or a stream consumer is written in one place.
import type { RouteContract } from '../shared/contract/route.js';

export interface FunctionEntry {
  /** path from the repository root to the module */
  module: string;
  /** name of the exported handler */
  export: string;
}

export interface ScheduledJob extends FunctionEntry {
  /** used by `npm run job <name>` and as the Lambda's logical name */
  name: string;
  /** EventBridge Scheduler expression: `cron(min hour dom month dow year)` or `rate(n unit)`, UTC */
  schedule: string;
  description: string;
}

/** The HTTP module that implements a route: `functions/http/<domain>.ts`, export `<id>`. */
export function routeEntry(contract: Pick<RouteContract, 'domain' | 'id'>): FunctionEntry {
  return { module: `functions/http/${contract.domain}.ts`, export: contract.id };
}

/** Reads the table's stream (NEW_AND_OLD_IMAGES) and runs the projectors. */
export const changeFeed: FunctionEntry = { module: 'functions/streams/change-feed.ts', export: 'handler' };

/** Runs on every object created in the attachments bucket (EventBridge `Object Created`). */
export const uploadVerifier: FunctionEntry = { module: 'functions/s3/verify-upload.ts', export: 'handler' };

export const scheduledJobs: readonly ScheduledJob[] = [
  {
    name: 'purge-workspaces',
    module: 'functions/jobs/purge-workspaces.ts',
    export: 'handler',
    schedule: 'rate(15 minutes)',
    description: 'Removes the contents of deleted workspaces, page by page',
  },
];
