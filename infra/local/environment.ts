// Options of the local runtime (environment variables and flags) and the environment it gives the
// handlers: the same variable names Lambda gets (shared/config.ts), pointing at the local engines.
// This module imports no product code, so it can run before shared/config.ts is first imported.
import { randomBytes } from 'node:crypto';
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { defaultDataDir, repoRoot } from './paths.js';
export const region = 'us-east-1';

/** The account id in ARNs and events of the local runtime. */
export const localAccount = '000000000000';

/**
 * Dummy credentials for every local engine: DynamoDB Local (-sharedDb) and aws-ses-v2-local take
 * any, s3rver knows only this key pair (and accepts any signature made with it).
 */
export const localCredentials = { accessKeyId: 'S3RVER', secretAccessKey: 'S3RVER' };

export interface RuntimeOptions {
  port: number;
  dynamodbPort: number;
  s3Port: number;
  sesPort: number;
  /** data folder (persistent runs); a temporary folder replaces it with --in-memory */
  dataDir: string;
  inMemory: boolean;
  /** write the endpoints here once ready (tests) */
  stateFile?: string;
  /** print a line per change-feed batch, upload event and job run */
  verbose: boolean;
  tableName: string;
  bucketName: string;
}

export class UsageError extends Error {}

export const usage = `Usage: npm start [-- --in-memory] [--state-file FILE] [--verbose]

  --in-memory        DynamoDB Local in memory and a temporary S3 folder, deleted at exit
  --state-file FILE  write the endpoints and pids as JSON to FILE once everything is up
  --verbose          print a line per change-feed batch, upload event and job run

Environment: PORT (3000), DATA_DIR (.data/), DYNAMODB_PORT (8000), S3_PORT (4569), SES_PORT (8005),
TABLE_NAME, BUCKET_NAME, LOG_LEVEL (WARN; handler logs), METRICS=1 (print metrics).`;

function port(env: Record<string, string | undefined>, name: string, fallback: number): number {
  const text = env[name];
  if (text === undefined || text === '') return fallback;
  const value = Number(text);
  if (!Number.isInteger(value) || value < 1 || value > 65_535) throw new UsageError(`${name} must be a port number (1-65535), not '${text}'`);
  return value;
}

export function runtimeOptions(argv: readonly string[], env: Record<string, string | undefined>): RuntimeOptions {
  let inMemory = false;
  let verbose = false;
  let stateFile: string | undefined;
  for (let i = 0; i < argv.length; i += 1) {
    const arg = argv[i]!;
    if (arg === '--in-memory') inMemory = true;
    else if (arg === '--verbose') verbose = true;
    else if (arg === '--state-file' || arg.startsWith('--state-file=')) {
      stateFile = arg.includes('=') ? arg.slice(arg.indexOf('=') + 1) : argv[++i];
      if (!stateFile) throw new UsageError('--state-file needs a file name');
      stateFile = resolve(stateFile);
    } else throw new UsageError(`unknown argument '${arg}'`);
  }
  const options: RuntimeOptions = {
    port: port(env, 'PORT', 3000),
    dynamodbPort: port(env, 'DYNAMODB_PORT', 8000),
    s3Port: port(env, 'S3_PORT', 4569),
    sesPort: port(env, 'SES_PORT', 8005),
    dataDir: env.DATA_DIR ? resolve(env.DATA_DIR) : defaultDataDir,
    inMemory,
    stateFile,
    verbose,
    tableName: env.TABLE_NAME || 'home-warehouse',
    bucketName: env.BUCKET_NAME || 'home-warehouse-attachments',
  };
  const ports = [
    ['PORT', options.port],
    ['DYNAMODB_PORT', options.dynamodbPort],
    ['S3_PORT', options.s3Port],
    ['SES_PORT', options.sesPort],
  ] as const;
  for (const [name, value] of ports) {
    const other = ports.find(([otherName, otherValue]) => otherName !== name && otherValue === value);
    if (other) throw new UsageError(`${name} and ${other[0]} are both ${value}; each engine needs its own port`);
  }
  return options;
}

/**
 * The signing secret of access tokens. A data folder keeps one (created on first use, so tokens
 * survive a restart); in-memory runs get a fresh one. JWT_SECRET in the environment wins.
 */
export function jwtSecret(options: Pick<RuntimeOptions, 'dataDir' | 'inMemory'>, env: Record<string, string | undefined>, create = true): string {
  if (env.JWT_SECRET) return env.JWT_SECRET;
  const fresh = () => randomBytes(48).toString('base64url');
  if (options.inMemory) return fresh();
  const file = join(options.dataDir, 'jwt-secret');
  if (existsSync(file)) return readFileSync(file, 'utf8').trim();
  const secret = fresh();
  if (create) {
    mkdirSync(options.dataDir, { recursive: true });
    writeFileSync(file, `${secret}\n`, { mode: 0o600 });
  }
  return secret;
}

/** Variables that would let the SDK find real AWS credentials; the local runtime never uses them. */
const realCredentialVariables = [
  'AWS_SESSION_TOKEN',
  'AWS_PROFILE',
  'AWS_DEFAULT_PROFILE',
  'AWS_ROLE_ARN',
  'AWS_WEB_IDENTITY_TOKEN_FILE',
  'AWS_CONTAINER_CREDENTIALS_RELATIVE_URI',
  'AWS_CONTAINER_CREDENTIALS_FULL_URI',
];

/** The environment of the handlers (shared/config.ts) and the SDK inside the local runtime. */
export function handlerEnvironment(options: RuntimeOptions, secret: string, env: Record<string, string | undefined>): Record<string, string> {
  const logLevel = env.LOG_LEVEL || env.POWERTOOLS_LOG_LEVEL || 'WARN';
  return {
    STAGE: 'local',
    AWS_REGION: region,
    AWS_DEFAULT_REGION: region,
    AWS_ACCESS_KEY_ID: localCredentials.accessKeyId,
    AWS_SECRET_ACCESS_KEY: localCredentials.secretAccessKey,
    TABLE_NAME: options.tableName,
    BUCKET_NAME: options.bucketName,
    MAIL_FROM: env.MAIL_FROM || 'no-reply@home-warehouse.local',
    DYNAMODB_ENDPOINT: `http://127.0.0.1:${options.dynamodbPort}`,
    S3_ENDPOINT: `http://127.0.0.1:${options.s3Port}`,
    SES_ENDPOINT: `http://127.0.0.1:${options.sesPort}`,
    // sends name it, so the local SES can play back the mailbox simulator's bounces (infra/local/ses.ts)
    MAIL_CONFIGURATION_SET: 'home-warehouse-local',
    JWT_SECRET: secret,
    DOCS_ASSETS_DIR: join(repoRoot, 'node_modules', 'swagger-ui-dist'),
    PUBLIC_URL: `http://127.0.0.1:${options.port}`,
    // JSON logs as in Lambda, but only warnings and errors unless LOG_LEVEL says otherwise.
    POWERTOOLS_LOG_LEVEL: logLevel.toUpperCase(),
    POWERTOOLS_METRICS_DISABLED: env.METRICS === '1' ? 'false' : 'true',
    // The SDK warns once that it will need Node 22 (Lambda runs 22); known, and noise here.
    AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED: env.AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED ?? 'true',
  };
}

/** Sets the variables on process.env and removes any route to real AWS credentials. */
export function applyEnvironment(variables: Record<string, string>): void {
  for (const name of realCredentialVariables) delete process.env[name];
  Object.assign(process.env, variables);
}
