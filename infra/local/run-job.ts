// `npm run job <name>`: runs one scheduled job now, against the engines of a running local runtime
// (`npm start` in another terminal), with the environment `npm start` gives the handlers for the
// same PORT, DATA_DIR and engine ports.
import { ListTablesCommand } from '@aws-sdk/client-dynamodb';
import { applyEnvironment, handlerEnvironment, jwtSecret, region, runtimeOptions, UsageError } from './environment.js';

const say = (line: string) => process.stdout.write(`${line}\n`);
const fail = (message: string): never => {
  process.stderr.write(`${message}\n`);
  process.exit(1);
};

const name = process.argv[2];
let options;
try {
  options = runtimeOptions([], process.env);
} catch (error) {
  fail(error instanceof UsageError ? error.message : String(error));
}
// Before any product module is imported: shared/config.ts reads the environment at import.
applyEnvironment(handlerEnvironment(options!, jwtSecret(options!, process.env, false), process.env));

const { scheduledJobs } = await import('../functions.js');
const job = scheduledJobs.find((candidate) => candidate.name === name);
if (!job) {
  const known = scheduledJobs.length
    ? scheduledJobs.map((candidate) => `  ${candidate.name.padEnd(24)} ${candidate.schedule.padEnd(24)} ${candidate.description}`).join('\n')
    : '  (none: infra/functions.ts declares no scheduledJobs yet)';
  fail(`${name ? `unknown job '${name}'` : 'which job?'}\nusage: npm run job <name>\nknown jobs:\n${known}`);
}

const { dynamoDbClient } = await import('./dynamodb-local.js');
const endpoint = process.env.DYNAMODB_ENDPOINT!;
const client = dynamoDbClient(endpoint, { maxAttempts: 1, timeoutMs: 2_000 });
try {
  await client.send(new ListTablesCommand({ Limit: 1 }));
} catch {
  fail(
    `DynamoDB Local is not reachable at ${endpoint}.\n` +
      'Start the local runtime first (`npm start` in another terminal), with the same DYNAMODB_PORT, S3_PORT, SES_PORT and DATA_DIR.',
  );
} finally {
  client.destroy();
}

const { invoke } = await import('./lambda.js');
const { scheduledJobEvent } = await import('./scheduler.js');
say(`running job ${job!.name} (${job!.module}#${job!.export})…`);
const started = Date.now();
try {
  const result = await invoke(job!, scheduledJobEvent(job!, new Date(), region), { timeoutMs: 15 * 60_000 });
  if (result !== undefined) say(JSON.stringify(result, null, 2));
  say(`job ${job!.name} finished in ${Date.now() - started} ms`);
  process.exit(0);
} catch (error) {
  fail(`job ${job!.name} failed after ${Date.now() - started} ms: ${error instanceof Error ? error.stack : String(error)}`);
}
