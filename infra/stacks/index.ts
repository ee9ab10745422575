// Builds the whole CDK app. infra/app.ts calls it for `cdk synth/deploy`; tests call it with
// injected routes, jobs and bundles to synthesise without the CLI.
import { App, Validations, type Environment } from 'aws-cdk-lib';
import * as logs from 'aws-cdk-lib/aws-logs';
import { AwsSolutionsChecks } from 'cdk-nag';
import { routeTable } from '../../shared/contract/index.js';
import type { RouteContract } from '../../shared/contract/route.js';
import { loadConfig, loanReminderSettings } from '../../shared/config.js';
import { bundleFunctions, changeFeedEntryName, jobEntryName, jobRunnerEntryName, mailFeedbackEntryName, uploadVerifierEntryName, type BundleResult } from '../bundle.js';
import { lambdaFunctionName } from '../constructs/app-function.js';
import { scheduledJobs, type JobDeclaration } from '../functions.js';
import { ApiStack } from './api-stack.js';
import { DataStack, type StreamViewType } from './data-stack.js';
import { JobsStack } from './jobs-stack.js';
import { ObservabilityStack, type MonitoredFunction } from './observability-stack.js';
import { flagUnsafeDefaults } from './unsafe-defaults.js';

export { ApiStack, DataStack, JobsStack, ObservabilityStack };

/** The defaults of shared/config.ts, so the stacks and the code agree without a second copy. */
const configDefaults = loadConfig({});

export interface BuildAppProps {
  /** an existing app; default a new one with `featureFlags` as context */
  app?: App;
  /** cloud assembly folder of a new app (default: the CLI's, or a temporary folder) */
  outdir?: string;
  /** extra context for a new app (tests: `aws:cdk:disable-asset-staging`, ...) */
  context?: Record<string, unknown>;
  /** prefix of stack names and Lambda function names; context `prefix`, default `hw` */
  prefix?: string;
  env?: Environment;
  /** default the route table (shared/contract) */
  routes?: readonly RouteContract[];
  /** default infra/functions.ts `scheduledJobs` */
  jobs?: readonly JobDeclaration[];
  /**
   * Where each Lambda's package is: a bundle result, or a function from entry name to folder
   * (tests point many routes at one folder). Default: `bundleFunctions()` for these routes and jobs.
   */
  bundle?: BundleResult | ((entryName: string) => string);
  /** PWA origins for CORS; context `corsOrigins` (comma-separated), default `*` */
  corsOrigins?: readonly string[];
  /** context `mailFrom`, default the config default */
  mailFrom?: string;
  /** SSM SecureString holding the JWT signing secret; context `jwtSecretParameter` */
  jwtSecretParameterName?: string;
  /** context `alarmEmail`; subscribed to the alarm topic */
  alarmEmail?: string;
  /** context `publicUrl`; default the API endpoint */
  publicUrl?: string;
  /** context `appUrl`: the PWA's origin, for links in mail (password reset); default the first CORS origin */
  appUrl?: string;
  logRetention?: logs.RetentionDays;
  /** run cdk-nag's AwsSolutions checks at synth (default true) */
  nag?: boolean;
  /** nested stacks hold at most this many routes (default 60) */
  maxRoutesPerStack?: number;
  /** context `stage`; `prod` refuses unsafe defaults (see unsafe-defaults.ts) instead of warning */
  stage?: string;
  /** context `dynamodbSlowMs`: DynamoDB calls at least this slow are logged and counted (DYNAMODB_SLOW_MS) */
  dynamodbSlowMs?: number;
  /**
   * Loan reminders: context `loanReminderSchedule` (the job's EventBridge Scheduler expression, UTC;
   * default daily 09:00), `loanReminderDueSoonDays`, `loanReminderOverdueLimit` (LOAN_REMINDER_*
   * of shared/config.ts, checked by it)
   */
  loanReminders?: { schedule?: string; dueSoonDays?: number; overdueLimit?: number };
  /** the table's stream view type (default shared/db/table-definition.ts); tests change it */
  streamViewType?: StreamViewType;
}

export interface BuiltApp {
  app: App;
  data: DataStack;
  api: ApiStack;
  jobs: JobsStack;
  observability: ObservabilityStack;
}

/** Feature flags this app is written for (the CLI's cdk.json context still wins). */
export const featureFlags = {
  '@aws-cdk/aws-iam:minimizePolicies': true,
  '@aws-cdk/aws-s3:serverAccessLogsUseBucketPolicy': true,
  '@aws-cdk/aws-iam:standardizedServicePrincipals': true,
  '@aws-cdk/core:enablePartitionLiterals': true,
  // The data stack is read through SSM parameters (data-stack.ts), never through exports. What
  // remains exported is the API's id and URL and the alarm topic: values that change only when
  // the API or the topic is replaced, which is a deliberate migration anyway.
  '@aws-cdk/core:defaultCrossStackReferences': 'strong',
};

function contextString(app: App, key: string): string | undefined {
  const value: unknown = app.node.tryGetContext(key);
  return typeof value === 'string' && value.trim() !== '' ? value.trim() : undefined;
}

export function buildApp(props: BuildAppProps = {}): BuiltApp {
  const app = props.app ?? new App({
    context: { ...featureFlags, ...props.context },
    ...(props.outdir === undefined ? {} : { outdir: props.outdir }),
  });
  const prefix = props.prefix ?? contextString(app, 'prefix') ?? 'hw';
  if (!/^[a-z][a-z0-9-]{0,19}$/.test(prefix)) throw new Error(`prefix ${prefix}: lower-case letters, digits and dashes, at most 20 characters (it names the bucket)`);
  const routes = props.routes ?? routeTable;
  // Loan reminders' settings, checked by shared/config.ts like any environment, handed to the jobs
  // as LOAN_REMINDER_* and the schedule to the job's declaration.
  const reminderSettings = Object.fromEntries(Object.entries({
    LOAN_REMINDER_SCHEDULE: props.loanReminders?.schedule ?? contextString(app, 'loanReminderSchedule'),
    LOAN_REMINDER_DUE_SOON_DAYS: props.loanReminders?.dueSoonDays?.toString() ?? contextString(app, 'loanReminderDueSoonDays'),
    LOAN_REMINDER_OVERDUE_LIMIT: props.loanReminders?.overdueLimit?.toString() ?? contextString(app, 'loanReminderOverdueLimit'),
  }).filter((entry): entry is [string, string] => entry[1] !== undefined));
  loadConfig(reminderSettings); // refuses values out of range
  const reminders = loanReminderSettings(reminderSettings);
  const jobs = (props.jobs ?? scheduledJobs).map((job) =>
    (job.name === 'loan-reminders' && reminderSettings.LOAN_REMINDER_SCHEDULE ? { ...job, schedule: reminders.schedule } : job));
  const corsOrigins = props.corsOrigins
    ?? contextString(app, 'corsOrigins')?.split(',').map((origin) => origin.trim()).filter(Boolean)
    ?? configDefaults.corsOrigins;
  const mailFrom = props.mailFrom ?? contextString(app, 'mailFrom') ?? configDefaults.mailFrom;
  // the configuration set of every send: it publishes bounces and complaints (infra/stacks/jobs-stack.ts)
  const mailConfigurationSetName = `${prefix}-mail`;
  const jwtSecretParameterName = props.jwtSecretParameterName ?? contextString(app, 'jwtSecretParameter') ?? `/${prefix}/jwt-secret`;
  const alarmEmail = props.alarmEmail ?? contextString(app, 'alarmEmail');
  const publicUrl = props.publicUrl ?? contextString(app, 'publicUrl');
  const appUrl = props.appUrl ?? contextString(app, 'appUrl') ?? corsOrigins.find((origin) => origin !== '*');
  const logRetention = props.logRetention ?? logs.RetentionDays.ONE_MONTH;
  const bundle = props.bundle ?? bundleFunctions({ routes, jobs });
  const codeDirOf = typeof bundle === 'function' ? bundle : (name: string) => bundle.dirOf(name);
  const env = props.env ?? { account: process.env.CDK_DEFAULT_ACCOUNT, region: process.env.CDK_DEFAULT_REGION };
  const stage = props.stage ?? contextString(app, 'stage');
  const dynamodbSlowMs = props.dynamodbSlowMs ?? Number(contextString(app, 'dynamodbSlowMs') ?? configDefaults.dynamodbSlowMs);
  if (!Number.isInteger(dynamodbSlowMs) || dynamodbSlowMs < 1) throw new Error(`dynamodbSlowMs ${dynamodbSlowMs}: a whole number of milliseconds, at least 1`);

  const attachmentLimits = Object.fromEntries(Object.entries({
    ATTACHMENT_MAX_BYTES: contextString(app, 'attachmentMaxBytes'),
    ATTACHMENT_QUOTA_BYTES: contextString(app, 'attachmentQuotaBytes'),
    ATTACHMENT_TYPES: contextString(app, 'attachmentTypes'),
  }).filter((entry): entry is [string, string] => entry[1] !== undefined));
  loadConfig(attachmentLimits); // refuses malformed values before anything deploys

  // Acknowledged rules are also written into the templates' Metadata (cdk_nag.rules_to_suppress) for review.
  if (props.nag ?? true) Validations.of(app).addPlugins(new AwsSolutionsChecks(app, { writeSuppressionsToCloudFormation: true }));

  const data = new DataStack(app, `${prefix}-data`, {
    env, corsOrigins, prefix, description: 'Home Warehouse: the single table and the attachments bucket (retained)',
    ...(props.streamViewType === undefined ? {} : { streamViewType: props.streamViewType }),
  });
  const { parameters: dataParameters } = data;

  // The names shared/config.ts reads (each stack adds TABLE_NAME from the data stack's
  // parameter); Powertools reads its own two.
  const environment: Record<string, string> = {
    STAGE: 'aws',
    BUCKET_NAME: data.bucketName,
    MAIL_FROM: mailFrom,
    JWT_SECRET_PARAMETER: jwtSecretParameterName,
    CORS_ORIGINS: corsOrigins.join(','),
    SERVICE_NAME: configDefaults.serviceName,
    METRICS_NAMESPACE: configDefaults.metricsNamespace,
    POWERTOOLS_SERVICE_NAME: configDefaults.serviceName,
    POWERTOOLS_METRICS_NAMESPACE: configDefaults.metricsNamespace,
    DYNAMODB_SLOW_MS: String(dynamodbSlowMs),
    ...(appUrl ? { APP_URL: appUrl } : {}),
    // attachment limits, when the deployment sets them (context attachmentMaxBytes, attachmentQuotaBytes, attachmentTypes)
    ...attachmentLimits,
  };

  const api = new ApiStack(app, `${prefix}-api`, {
    env,
    description: 'Home Warehouse: HTTP API, one Lambda per route (nested stacks by domain)',
    routes, codeDirOf, dataParameters, bucketName: data.bucketName, environment, corsOrigins, mailFrom,
    jwtSecretParameterName, functionNamePrefix: prefix, logRetention, maxRoutesPerStack: props.maxRoutesPerStack,
    ...(publicUrl === undefined ? {} : { publicUrl }),
  });

  const background = [changeFeedEntryName, jobRunnerEntryName, uploadVerifierEntryName, mailFeedbackEntryName, ...jobs.map(jobEntryName)];
  const monitored: MonitoredFunction[] = [
    ...api.routeFunctions.map((fn) => ({ functionName: fn.functionName, group: fn.contract.domain, label: fn.contract.id })),
    ...background.map((name) => ({ functionName: lambdaFunctionName(prefix, name), group: 'background', label: name })),
  ];
  const observability = new ObservabilityStack(app, `${prefix}-observability`, {
    env,
    description: 'Home Warehouse: dashboard, alarms and the alarm topic',
    api: api.api, functions: monitored, metricsNamespace: configDefaults.metricsNamespace,
    serviceName: configDefaults.serviceName, dashboardName: `${prefix}-home-warehouse`, dataParameters,
    ...(alarmEmail === undefined ? {} : { alarmEmail }),
  });

  const jobsStack = new JobsStack(app, `${prefix}-jobs`, {
    env,
    description: 'Home Warehouse: change feed, upload verifier and scheduled jobs',
    jobs, codeDirOf, dataParameters, bucketName: data.bucketName,
    environment: { ...environment, ...reminderSettings, PUBLIC_URL: publicUrl ?? api.api.apiEndpoint, MAIL_CONFIGURATION_SET: mailConfigurationSetName },
    mailFrom, mailConfigurationSetName, jwtSecretParameterName, functionNamePrefix: prefix, logRetention, alarmActions: [observability.alarmAction],
  });

  // Names and SSM parameters, not references, tie these to the data stack: keep the deploy order
  // explicit, so each reads the data stack's current parameters. The rest follows from references:
  // observability after api (the API's id), jobs after both (the API's URL, the alarm topic).
  api.addStackDependency(data);
  jobsStack.addStackDependency(data);
  observability.addStackDependency(data);

  flagUnsafeDefaults({ stage, corsOrigins, mailFrom, alarmEmail }, {
    cors: [api, data], mail: [jobsStack], alarms: [observability],
  });
  return { app, data, api, jobs: jobsStack, observability };
}
