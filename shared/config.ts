// The only place that reads process.env. Lambda (set by the CDK app) and the local runtime (set by
// infra/local) use the same variable names; everything else receives the parsed `config`.
/** Digits, from `min` to `max` once read (`toConfig` reads them with `Number`). */
const within = (min: number, max = 1e15) => (text: string) => /^[0-9]{1,15}$/.test(text) && Number(text) >= min && Number(text) <= max;
const isUrl = (text: string) => URL.canParse(text) && /^https?:$/.test(new URL(text).protocol);
const atLeastThree = (text: string) => text.length >= 3;

/**
 * What is checked (an unset variable takes its default in `toConfig`; variables any string may
 * hold are read as they are):
 * - STAGE: `local` when served by infra/local, `aws` in Lambda;
 * - *_ENDPOINT: the local engines (unset in AWS); PUBLIC_URL: the API's base URL (OpenAPI
 *   `servers`, mail links); APP_URL: the PWA's origin (links in mails); BARCODE_*_URL: the barcode
 *   providers, asked in this order;
 * - JWT_SECRET: the access-token secret given directly (locally; in AWS it is read from SSM);
 * - numbers (at least the minimum given): the Parameters and Secrets extension's port, body and
 *   attachment limits in bytes (per file, per workspace), an AWS call's timeout and attempts, the change log's δ (SYNC.md)
 *   and retention, the slow-DynamoDB-call threshold, the barcode providers' timeout, the lists' settling window and
 *   in-container cache size (README, "Caching"), background jobs' step bounds;
 * - ATTACHMENT_TYPES: the media types uploads may declare, comma-separated (checked where read);
 * - loan reminders: when the job runs (a Scheduler expression, UTC), how many days ahead a loan is
 *   "due soon" (0–30), how many weekly overdue reminders at most (1–52).
 * Plain predicates, not a zod schema: every Lambda checks its environment when it loads, and a
 * schema of ~30 variables cost ~0.7 KB of every route's bundle and its construction at every cold start.
 */
const checks: Record<string, (text: string) => boolean> = {
  STAGE: (text) => /^(local|aws)$/.test(text),
  TABLE_NAME: atLeastThree,
  BUCKET_NAME: atLeastThree,
  MAIL_FROM: (text) => /^[^\s@]+@[^\s@]+$/.test(text),
  JWT_SECRET: (text) => text.length >= 32,
  LOAN_REMINDER_SCHEDULE: (text) => /^(cron|rate)\([^()]+\)$/.test(text),
  LOAN_REMINDER_DUE_SOON_DAYS: within(0, 30),
  LOAN_REMINDER_OVERDUE_LIMIT: within(1, 52),
  ...Object.fromEntries(['DYNAMODB_ENDPOINT', 'S3_ENDPOINT', 'SES_ENDPOINT', 'PUBLIC_URL', 'APP_URL', 'BARCODE_OFF_URL', 'BARCODE_UPCITEMDB_URL'].map((name) => [name, isUrl])),
  ...Object.fromEntries(Object.entries({
    PARAMETERS_SECRETS_EXTENSION_HTTP_PORT: 1, MAX_BODY_BYTES: 1, ATTACHMENT_MAX_BYTES: 1, ATTACHMENT_QUOTA_BYTES: 1, AWS_REQUEST_TIMEOUT_MS: 100, AWS_MAX_ATTEMPTS: 1,
    SYNC_SETTLE_MS: 100, CHANGE_LOG_RETENTION_DAYS: 1, DYNAMODB_SLOW_MS: 1, BARCODE_TIMEOUT_MS: 100, EXPORT_DIRECT_BYTES: 1, LIST_SETTLE_MS: 0, LIST_CACHE_BYTES: 0,
    JOB_STEP_SECONDS: 1, IMPORT_STEP_ROWS: 1, BACKUP_STEP_UNITS: 1,
  }).map(([name, minimum]) => [name, within(minimum)])),
};

export type Config = ReturnType<typeof toConfig>;

function toConfig(env: Record<string, string | undefined>) {
  return {
    stage: (env.STAGE ?? 'aws') as 'local' | 'aws',
    region: env.AWS_REGION ?? 'us-east-1',
    tableName: env.TABLE_NAME ?? 'home-warehouse',
    bucketName: env.BUCKET_NAME ?? 'home-warehouse-attachments',
    mailFrom: env.MAIL_FROM ?? 'no-reply@home-warehouse.local',
    /** the SES configuration set sends go through: it publishes bounces and complaints (shared/domain/mail/feedback.ts) */
    mailConfigurationSet: env.MAIL_CONFIGURATION_SET,
    endpoints: { dynamodb: env.DYNAMODB_ENDPOINT, s3: env.S3_ENDPOINT, ses: env.SES_ENDPOINT },
    jwt: { secret: env.JWT_SECRET, secretParameter: env.JWT_SECRET_PARAMETER },
    parametersExtension: { extensionPort: Number(env.PARAMETERS_SECRETS_EXTENSION_HTTP_PORT ?? 2773), sessionToken: env.AWS_SESSION_TOKEN },
    corsOrigins: (env.CORS_ORIGINS ?? '*').split(',').map((origin) => origin.trim()).filter(Boolean),
    limits: { maxBodyBytes: Number(env.MAX_BODY_BYTES ?? 1048576) },
    docsAssetsDir: env.DOCS_ASSETS_DIR,
    publicUrl: env.PUBLIC_URL,
    appUrl: env.APP_URL ?? env.PUBLIC_URL ?? 'http://127.0.0.1:3000',
    serviceName: env.SERVICE_NAME ?? 'home-warehouse',
    metricsNamespace: env.METRICS_NAMESPACE ?? 'HomeWarehouse',
    aws: { requestTimeoutMs: Number(env.AWS_REQUEST_TIMEOUT_MS ?? 3000), maxAttempts: Number(env.AWS_MAX_ATTEMPTS ?? 3) },
    dynamodbSlowMs: Number(env.DYNAMODB_SLOW_MS ?? 100),
  };
}

/** Parses an environment; exported for tests. Throws one error naming every bad variable. */
export function loadConfig(env: Record<string, string | undefined>): Config {
  const bad = Object.entries(checks).filter(([name, valid]) => env[name] !== undefined && !valid(env[name]!)).map(([name]) => name);
  if (bad.length > 0) throw new Error(`Invalid configuration: ${bad.join(', ')} (see shared/config.ts)`);
  return toConfig(env);
}

export const config: Config = loadConfig(process.env);

// Settings only some functions read: each is its own function, so a route's bundle carries only
// those it calls (every variable is still checked above, when `config` loads).
type Env = Record<string, string | undefined>;

/** The loan reminder job: when it runs (UTC), how many days ahead "due soon" starts, how many weekly overdue reminders at most. */
export const loanReminderSettings = (env: Env = process.env) => ({
  schedule: env.LOAN_REMINDER_SCHEDULE ?? 'cron(0 9 * * ? *)',
  dueSoonDays: Number(env.LOAN_REMINDER_DUE_SOON_DAYS ?? 3),
  overdueLimit: Number(env.LOAN_REMINDER_OVERDUE_LIMIT ?? 13),
});

/** The barcode providers, asked in this order, and how long each may take. */
export const barcodeSettings = (env: Env = process.env) => ({
  openFoodFactsUrl: env.BARCODE_OFF_URL ?? 'https://world.openfoodfacts.org', upcItemDbUrl: env.BARCODE_UPCITEMDB_URL ?? 'https://api.upcitemdb.com',
  timeoutMs: Number(env.BARCODE_TIMEOUT_MS ?? 2500),
});

/** The change log's δ and retention (SYNC.md). */
export const syncSettings = (env: Env = process.env) => ({ settleMs: Number(env.SYNC_SETTLE_MS ?? 5000), retentionDays: Number(env.CHANGE_LOG_RETENTION_DAYS ?? 30) });

/** Attachments: bytes per file (25 MiB) and per workspace (5 GiB); the media types uploads may declare (malformed entries ignored). */
export const attachmentSettings = (env: Env = process.env) => ({
  maxBytes: Number(env.ATTACHMENT_MAX_BYTES ?? 25 * 1024 * 1024),
  quotaBytes: Number(env.ATTACHMENT_QUOTA_BYTES ?? 5 * 1024 ** 3),
  types: (env.ATTACHMENT_TYPES ?? 'image/jpeg,image/png,image/webp,image/heic,image/heif,application/pdf,text/plain')
    .split(',').map((type) => type.trim().toLowerCase()).filter((type) => /^[a-z0-9.+-]+\/[a-z0-9.+-]+$/.test(type)),
});

/**
 * Lists (README, "Caching"): how long after a write to a collection its lists are neither cached
 * nor tagged by version (their indexes may not show the write yet), and the bytes of answers a
 * container keeps (0 turns the cache off; version ETags and 304s stay).
 */
export const listCacheSettings = (env: Env = process.env) => ({
  settleMs: Number(env.LIST_SETTLE_MS ?? 5000),
  maxBytes: Number(env.LIST_CACHE_BYTES ?? 8 * 1024 * 1024),
});

/**
 * Exports (README, "Import and export"): the most bytes an export answers directly, its JSON
 * envelope included (Lambda's synchronous answer holds 6 MB); a larger one is made by a job.
 */
export const exportSettings = (env: Env = process.env) => ({ directBytes: Number(env.EXPORT_DIRECT_BYTES ?? 5_500_000) });

/**
 * Background jobs run in steps (README, "Import and export"), each a fresh invocation of the job
 * runner: a step stops after `seconds` (well inside Lambda's 15 minutes), an import step after
 * `importRows` rows, a backup or restore step after `backupUnits` records and files.
 */
export const jobStepSettings = (env: Env = process.env) => ({
  seconds: Number(env.JOB_STEP_SECONDS ?? 600),
  importRows: Number(env.IMPORT_STEP_ROWS ?? 1000),
  backupUnits: Number(env.BACKUP_STEP_UNITS ?? 2000),
});
