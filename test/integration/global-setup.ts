// Starts one local runtime for the whole integration run (in memory, on free ports) and hands its
// endpoints to the tests: `inject('apiUrl')` etc., and the same values in process.env.
import { randomBytes } from 'node:crypto';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { TestProject } from 'vitest/node';
import { freePorts, runtimePorts, startRuntime } from './runtime-process.js';

declare module 'vitest' {
  export interface ProvidedContext {
    apiUrl: string;
    dynamodbEndpoint: string;
    s3Endpoint: string;
    sesEndpoint: string;
    tableName: string;
    bucketName: string;
    /** the shared runtime's signing secret (access tokens, borrower links) */
    jwtSecret: string;
    /** everything the shared runtime prints (it runs with --verbose: a line per delivered event) */
    runtimeLog: string;
    /** JSON lines of per-file OpenAPI conformance counts (support/conformance.ts) */
    conformanceFile: string;
  }
}

export default async function setup(project: TestProject) {
  const scratch = mkdtempSync(join(tmpdir(), 'integration-runtime-'));
  const runtimeLog = join(scratch, 'runtime.log');
  writeFileSync(runtimeLog, '');
  // Tests reach no service beyond this machine: the barcode providers of the shared runtime are
  // ports nothing listens on (a lookup answers found: false with source_error). barcode.test.ts
  // runs its own runtime against local providers.
  const [offPort, upcItemDbPort] = await freePorts(2);
  const providers = { BARCODE_OFF_URL: `http://127.0.0.1:${offPort}`, BARCODE_UPCITEMDB_URL: `http://127.0.0.1:${upcItemDbPort}` };
  // One signing secret for the runtime and the tests' processes: a job run in a test (the loan
  // reminders) signs borrower links the runtime must accept.
  const jwtSecret = randomBytes(48).toString('base64url');
  // settling windows of 1 s (5 s by default) keep the sync and caching tests quick; the rules are the same;
  // exports beyond 60 KB (5.5 MB by default) go through a job, so the test reaches that path with small files
  const runtime = await startRuntime({
    env: { ...(await runtimePorts()), ...providers, JWT_SECRET: jwtSecret, SYNC_SETTLE_MS: '1000', LIST_SETTLE_MS: '1000', EXPORT_DIRECT_BYTES: '60000', BACKUP_STEP_UNITS: '7' }, args: ['--in-memory', '--verbose'], logFile: runtimeLog,
  });
  const { state } = runtime;

  project.provide('apiUrl', state.api);
  project.provide('dynamodbEndpoint', state.dynamodb);
  project.provide('s3Endpoint', state.s3);
  project.provide('sesEndpoint', state.ses);
  project.provide('tableName', state.tableName);
  project.provide('bucketName', state.bucketName);
  project.provide('jwtSecret', jwtSecret);
  project.provide('runtimeLog', runtimeLog);
  const conformanceFile = join(scratch, 'conformance.jsonl');
  writeFileSync(conformanceFile, '');
  project.provide('conformanceFile', conformanceFile);
  Object.assign(process.env, {
    API_URL: state.api,
    DYNAMODB_ENDPOINT: state.dynamodb,
    S3_ENDPOINT: state.s3,
    SES_ENDPOINT: state.ses,
    TABLE_NAME: state.tableName,
    BUCKET_NAME: state.bucketName,
    JWT_SECRET: jwtSecret,
    // what the engines accept (s3rver knows only this key pair)
    AWS_REGION: 'us-east-1',
    AWS_ACCESS_KEY_ID: 'S3RVER',
    AWS_SECRET_ACCESS_KEY: 'S3RVER',
    // the SDK's one-time notice that it will need Node 22 (Lambda runs 22)
    AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED: 'true',
  });

  return async () => {
    const perFile = readFileSync(conformanceFile, 'utf8').split('\n').filter(Boolean)
      .map((line) => JSON.parse(line) as { checked: number; unrouted: number; undocumented: number });
    const counts = perFile.reduce((sum, file) => ({
      checked: sum.checked + file.checked, unrouted: sum.unrouted + file.unrouted, undocumented: sum.undocumented + file.undocumented,
    }), { checked: 0, unrouted: 0, undocumented: 0 });
    // An undocumented answer also failed the test that received it; this is the run's tally.
    process.stdout.write(`openapi conformance: ${counts.checked} answers checked against the served document in ${perFile.length} files, ` +
      `${counts.undocumented} undocumented (${counts.unrouted} answers to paths no route has, not checked)\n`);
    const exit = await runtime.stop('SIGINT');
    // KEEP_RUNTIME_LOG=1 keeps the runtime's log (its path is printed) to read after a failure
    if (process.env.KEEP_RUNTIME_LOG) process.stdout.write(`runtime log kept: ${runtimeLog}\n`);
    else rmSync(scratch, { recursive: true, force: true });
    if (exit.code !== 0) throw new Error(`the local runtime exited with ${JSON.stringify(exit)}:\n${runtime.output()}`);
  };
}
