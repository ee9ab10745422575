// Every Lambda that is not an HTTP route, declared once. The CDK jobs stack and the local runtime
// both read this list, so a schedule or a stream consumer is written in one place. Each declares
// what it may touch (`grants`, turned into its IAM role by infra/constructs/permissions.ts) and
// the concurrency reserved for it, so a new job states its needs where it is added.
import type { RouteContract } from '../shared/contract/route.js';
import { loanReminderSettings } from '../shared/config.js';

export interface FunctionEntry {
  /** path from the repository root to the module */
  module: string;
  /** name of the exported handler */
  export: string;
}

/**
 * Access to the attachments bucket, each a separate grant: `list` is s3:ListBucket (HeadBucket,
 * and a 404 instead of a 403 for a missing key), `read` GetObject (HeadObject, ranged reads),
 * `write` PutObject, `delete` DeleteObject.
 */
export type AttachmentAccess = 'list' | 'read' | 'write' | 'delete';

/** What a background Lambda may use beyond its own logs (routes declare theirs in the route table). */
export interface FunctionGrants {
  /** `read`: GetItem, BatchGetItem, Query; `write`: also PutItem, UpdateItem, DeleteItem, BatchWriteItem, ConditionCheckItem */
  table: 'none' | 'read' | 'write';
  attachments: readonly AttachmentAccess[];
  /** SES SendEmail/SendRawEmail from the configured sender */
  mail: boolean;
  /** the JWT signing secret (an SSM parameter, read through the Parameters extension): to sign links */
  signingSecret?: boolean;
}

export interface BackgroundEntry extends FunctionEntry {
  grants: FunctionGrants;
  /**
   * Concurrent executions reserved for it, out of the account's pool: a burst of API traffic
   * cannot take them (and it cannot take more). Unset: none reserved.
   */
  reservedConcurrency?: number;
}

/** A job as the schedulers see it: EventBridge Scheduler in AWS, infra/local/scheduler.ts locally. */
export interface ScheduledJob extends FunctionEntry {
  /** used by `npm run job <name>` and as the Lambda's logical name */
  name: string;
  /**
   * EventBridge Scheduler expression: `cron(min hour dom month dow year)` or `rate(n unit)`, UTC.
   * Absent for a job run on demand only (an operator invokes its Lambda; `npm run job` locally).
   */
  schedule?: string;
  description: string;
}

/** A job as declared here: also what it may touch and what it reserves (the CDK app reads these). */
export interface JobDeclaration extends ScheduledJob, BackgroundEntry {
  /** every job reserves at least one execution, so API traffic never keeps it from running */
  reservedConcurrency: number;
}

/** The HTTP module that implements a route: `functions/http/<domain>.ts`, export `<id>`. */
export function routeEntry(contract: Pick<RouteContract, 'domain' | 'id'>): FunctionEntry {
  return { module: `functions/http/${contract.domain}.ts`, export: contract.id };
}

/**
 * Reads the table's stream (NEW_AND_OLD_IMAGES) and runs the projectors; the mail outbox
 * projector sends the product's mail (password reset, loan reminders), hence SES.
 * Five executions reserved: one per stream shard (parallelization factor 1) covers an on-demand
 * table of this size, and the feed must keep up even while the API uses the rest of the account.
 */
export const changeFeed: BackgroundEntry = {
  module: 'functions/streams/change-feed.ts', export: 'handler',
  // `delete`: an attachment's object goes when its record does (projectors/attachment-objects.ts)
  grants: { table: 'write', attachments: ['delete'], mail: true },
  reservedConcurrency: 5,
};

/**
 * Reads the same stream, filtered to queued jobs, and runs them (functions/streams/job-runner.ts):
 * reads photos for reports, puts the files jobs make under `jobs/` and backups under `backups/`,
 * writes an import's rows through the API. Four executions reserved, as many as the mapping's
 * parallelization factor (jobs-stack.ts): jobs of different workspaces run side by side (one
 * workspace's long import does not hold up another's label sheet), and jobs, rare and long, can
 * never starve the API.
 */
export const jobRunner: BackgroundEntry = {
  module: 'functions/streams/job-runner.ts', export: 'handler',
  // delete: a backup's parts once joined into its archive; the signing secret: an import writes its rows through the routes as the person who started it
  grants: { table: 'write', attachments: ['read', 'write', 'delete'], mail: false, signingSecret: true },
  reservedConcurrency: 4,
};

/**
 * Runs on every object created under the attachments prefix (EventBridge `Object Created`):
 * reads the object's head and first bytes, deletes a rejected object (or a version nobody asked
 * for) and records the verdict. It never writes objects. Not reserved: EventBridge and Lambda retry a throttled event for hours,
 * and what still fails lands in its failure queue, which alarms.
 */
export const uploadVerifier: BackgroundEntry = {
  module: 'functions/s3/verify-upload.ts', export: 'handler',
  grants: { table: 'write', attachments: ['list', 'read', 'delete'], mail: false },
};

/**
 * SES bounce and complaint events (configuration set → SNS → this): marks undeliverable addresses
 * and tells the lender of a bounced loan reminder (shared/domain/mail/feedback.ts). Sends nothing.
 * Not reserved: SNS retries a throttled delivery, and what still fails lands in the
 * subscription's dead-letter queue, which alarms.
 */
export const mailFeedback: BackgroundEntry = {
  module: 'functions/sns/mail-feedback.ts', export: 'handler',
  grants: { table: 'write', attachments: [], mail: false },
};

export const scheduledJobs: readonly JobDeclaration[] = [
  {
    name: 'purge-workspaces',
    module: 'functions/jobs/purge-workspaces.ts',
    export: 'handler',
    schedule: 'rate(15 minutes)',
    description: 'Removes the contents of deleted workspaces, page by page',
    // Deletes a deleted workspace's items (their attachment objects go through the change feed); sends no mail.
    grants: { table: 'write', attachments: [], mail: false },
    // One run at a time is all it needs (each run carries on where the last stopped).
    reservedConcurrency: 1,
  },
  {
    name: 'loan-reminders',
    module: 'functions/jobs/loan-reminders.ts',
    export: 'handler',
    // daily at 09:00 UTC unless LOAN_REMINDER_SCHEDULE (locally) or `-c loanReminderSchedule` (CDK) says otherwise
    schedule: loanReminderSettings().schedule,
    description: 'Records due-soon and overdue loan reminders: mails to borrowers (through the outbox), notifications to lenders',
    // Reads the due-day index and writes reminders and notifications; the change feed sends the
    // mails (the reminder is the outbox entry), so the job itself holds no SES permission.
    // The secret signs the borrower link each reminder mail carries (shared/domain/loans/borrower-links.ts).
    grants: { table: 'write', attachments: [], mail: false, signingSecret: true },
    // Runs may overlap (a retry, `npm run job`): records keep them from reminding twice.
    reservedConcurrency: 1,
  },
  {
    name: 'attachment-cleanup',
    module: 'functions/jobs/attachment-cleanup.ts',
    export: 'handler',
    schedule: 'rate(1 hour)',
    description: 'Deletes attachments whose upload never arrived (still PENDING a day after it was asked for)',
    // Reads the pending-uploads index and deletes records; their objects (if any) go through the
    // change feed's attachment-objects projector, so the job holds no bucket permission.
    grants: { table: 'write', attachments: [], mail: false },
    reservedConcurrency: 1,
  },
  {
    name: 'analytics-recount',
    module: 'functions/jobs/analytics-recount.ts',
    export: 'handler',
    // weekly, Sunday 05:00 UTC: every registered workspace, carrying on from where the last run stopped;
    // one workspace on demand: `npm run job analytics-recount -- --workspace ID`, or invoke with `{"workspace_id": "…"}`
    schedule: 'cron(0 5 ? * SUN *)',
    description: 'Recounts analytics aggregates from the entities, reports drift (metric AnalyticsDrift) and repairs it',
    grants: { table: 'write', attachments: [], mail: false },
    reservedConcurrency: 1,
  },
  {
    name: 'search-reindex',
    module: 'functions/jobs/search-reindex.ts',
    export: 'handler',
    // on demand: `npm run job search-reindex -- --workspace ID`; in AWS, invoke its Lambda with `{"workspace_id": "…"}`
    description: 'Rebuilds one workspace\'s search index from its entities, without taking it away (after a change of what is indexed, or to repair it)',
    grants: { table: 'write', attachments: [], mail: false },
    reservedConcurrency: 1,
  },
];
