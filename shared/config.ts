// The only place that reads process.env. Lambda (set by the CDK app) and the local runtime (set by
// infra/local) use the same variable names; everything else receives the parsed `config`.
import * as z from 'zod/mini';

// Checks written with the schema pieces every route carries anyway (string, regex, refine): zod's
// url, email, enum, default and coerced-number types would add ~6 KB to every route's bundle.
const isUrl = (text: string) => URL.canParse(text) && /^https?:$/.test(new URL(text).protocol);
const url = () => z.string().check(z.refine(isUrl, 'must be an http(s) URL'));
const optionalUrl = z.optional(url());
/** Digits, at least `min` once read; `toConfig` reads them (`Number`). */
const integer = (min: number) => z.string().check(z.regex(/^[0-9]{1,15}$/), z.refine((text) => Number(text) >= min, `must be at least ${min}`));
/** Digits, from `min` to `max` once read. */
const integerWithin = (min: number, max: number) =>
  z.string().check(z.regex(/^[0-9]{1,15}$/), z.refine((text) => Number(text) >= min && Number(text) <= max, `must be from ${min} to ${max}`));

const Environment = z.object({
  /** `local` when served by infra/local, `aws` in Lambda. */
  STAGE: z.optional(z.string().check(z.regex(/^(local|aws)$/))),
  AWS_REGION: z.optional(z.string()),
  TABLE_NAME: z.optional(z.string().check(z.minLength(3))),
  BUCKET_NAME: z.optional(z.string().check(z.minLength(3))),
  MAIL_FROM: z.optional(z.string().check(z.regex(/^[^\s@]+@[^\s@]+$/))),
  /** Endpoints of the local engines; unset in AWS, where the SDK finds the regional ones. */
  DYNAMODB_ENDPOINT: optionalUrl,
  S3_ENDPOINT: optionalUrl,
  SES_ENDPOINT: optionalUrl,
  /** Signing secret for access tokens: given directly (local) or read from SSM (AWS). */
  JWT_SECRET: z.optional(z.string().check(z.minLength(32))),
  JWT_SECRET_PARAMETER: z.optional(z.string()),
  /** Set by Lambda; authenticates calls to the Parameters and Secrets extension. */
  AWS_SESSION_TOKEN: z.optional(z.string()),
  PARAMETERS_SECRETS_EXTENSION_HTTP_PORT: z.optional(integer(1)),
  /** Comma-separated origins allowed by CORS; `*` for any. */
  CORS_ORIGINS: z.optional(z.string()),
  /** Request bodies above this many bytes answer 413. */
  MAX_BODY_BYTES: z.optional(integer(1)),
  ATTACHMENT_MAX_BYTES: z.optional(integer(1)),
  /** Folder holding the reference page's assets (swagger-ui-dist), shipped beside the docs bundle. */
  DOCS_ASSETS_DIR: z.optional(z.string()),
  /** Public base URL of the API, used in the OpenAPI `servers` list and in mail links. */
  PUBLIC_URL: optionalUrl,
  /** Origin of the PWA, used in links the product mails (password reset). */
  APP_URL: optionalUrl,
  SERVICE_NAME: z.optional(z.string()),
  METRICS_NAMESPACE: z.optional(z.string()),
  /** Milliseconds a single AWS call may take before it is abandoned (then retried). */
  AWS_REQUEST_TIMEOUT_MS: z.optional(integer(100)),
  AWS_MAX_ATTEMPTS: z.optional(integer(1)),
  /** δ of the change log (SYNC.md): readers never return entries younger than this; milliseconds. */
  SYNC_SETTLE_MS: z.optional(integer(100)),
  /** How long the change log keeps entries; an older `modified_since` answers resync_required. */
  CHANGE_LOG_RETENTION_DAYS: z.optional(integer(1)),
  /** DynamoDB calls at least this slow log one `slow dynamodb call` line and count as SlowDynamoDbCalls. */
  DYNAMODB_SLOW_MS: z.optional(integer(1)),
  /** Barcode lookup (GET /barcode/{barcode}): base URLs of the providers, asked in this order, and how long each may take. */
  BARCODE_OFF_URL: z.optional(url()),
  BARCODE_UPCITEMDB_URL: z.optional(url()),
  BARCODE_TIMEOUT_MS: z.optional(integer(100)),
  /** Loan reminders: when the job runs (an EventBridge Scheduler expression, UTC), how many days ahead a loan is "due soon", how many overdue reminders at most (weekly). */
  LOAN_REMINDER_SCHEDULE: z.optional(z.string().check(z.regex(/^(cron|rate)\([^()]+\)$/))),
  LOAN_REMINDER_DUE_SOON_DAYS: z.optional(integerWithin(0, 30)),
  LOAN_REMINDER_OVERDUE_LIMIT: z.optional(integerWithin(1, 52)),
});

export type Config = ReturnType<typeof toConfig>;

function toConfig(env: z.infer<typeof Environment>) {
  return {
    stage: (env.STAGE ?? 'aws') as 'local' | 'aws',
    region: env.AWS_REGION ?? 'us-east-1',
    tableName: env.TABLE_NAME ?? 'home-warehouse',
    bucketName: env.BUCKET_NAME ?? 'home-warehouse-attachments',
    mailFrom: env.MAIL_FROM ?? 'no-reply@home-warehouse.local',
    endpoints: { dynamodb: env.DYNAMODB_ENDPOINT, s3: env.S3_ENDPOINT, ses: env.SES_ENDPOINT },
    jwt: { secret: env.JWT_SECRET, secretParameter: env.JWT_SECRET_PARAMETER },
    parametersExtension: { extensionPort: Number(env.PARAMETERS_SECRETS_EXTENSION_HTTP_PORT ?? 2773), sessionToken: env.AWS_SESSION_TOKEN },
    corsOrigins: (env.CORS_ORIGINS ?? '*').split(',').map((origin) => origin.trim()).filter(Boolean),
    limits: { maxBodyBytes: Number(env.MAX_BODY_BYTES ?? 1048576), attachmentMaxBytes: Number(env.ATTACHMENT_MAX_BYTES ?? 25 * 1024 * 1024) },
    docsAssetsDir: env.DOCS_ASSETS_DIR,
    publicUrl: env.PUBLIC_URL,
    appUrl: env.APP_URL ?? env.PUBLIC_URL ?? 'http://127.0.0.1:3000',
    serviceName: env.SERVICE_NAME ?? 'home-warehouse',
    metricsNamespace: env.METRICS_NAMESPACE ?? 'HomeWarehouse',
    aws: { requestTimeoutMs: Number(env.AWS_REQUEST_TIMEOUT_MS ?? 3000), maxAttempts: Number(env.AWS_MAX_ATTEMPTS ?? 3) },
    dynamodbSlowMs: Number(env.DYNAMODB_SLOW_MS ?? 100),
    sync: { settleMs: Number(env.SYNC_SETTLE_MS ?? 5000), retentionDays: Number(env.CHANGE_LOG_RETENTION_DAYS ?? 30) },
    loanReminders: {
      schedule: env.LOAN_REMINDER_SCHEDULE ?? 'cron(0 9 * * ? *)',
      dueSoonDays: Number(env.LOAN_REMINDER_DUE_SOON_DAYS ?? 3),
      overdueLimit: Number(env.LOAN_REMINDER_OVERDUE_LIMIT ?? 13),
    },
    barcode: { openFoodFactsUrl: env.BARCODE_OFF_URL ?? 'https://world.openfoodfacts.org', upcItemDbUrl: env.BARCODE_UPCITEMDB_URL ?? 'https://api.upcitemdb.com', timeoutMs: Number(env.BARCODE_TIMEOUT_MS ?? 2500) },
  };
}

/** Parses an environment; exported for tests. Throws one error naming every bad variable. */
export function loadConfig(env: Record<string, string | undefined>): Config {
  const parsed = z.safeParse(Environment, env);
  if (!parsed.success) {
    const problems = parsed.error.issues.map((issue) => `${issue.path.join('.')}: ${issue.code}`).join(', ');
    throw new Error(`Invalid configuration: ${problems}`);
  }
  return toConfig(parsed.data);
}

export const config: Config = loadConfig(process.env);
