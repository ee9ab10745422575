// `npm run job <name> [-- --date YYYY-MM-DD]`: runs one scheduled job now, against the engines of a
// running local runtime (`npm start` in another terminal), with the environment `npm start` gives
// the handlers for the same PORT, DATA_DIR and engine ports. With --date the job's event says it was
// scheduled on that day (at this time of day, UTC): the loan reminders run as if on that day.
import { ListTablesCommand } from '@aws-sdk/client-dynamodb';
import { applyEnvironment, handlerEnvironment, jwtSecret, region, runtimeOptions, UsageError } from './environment.js';

const say = (line: string) => process.stdout.write(`${line}\n`);
const fail = (message: string): never => {
  process.stderr.write(`${message}\n`);
  process.exit(1);
};

const name = process.argv[2];
// `--date YYYY-MM-DD`: run as if scheduled on that day (now's time of day, UTC);
// `--workspace ID`: the workspace a job of one workspace works on (search-reindex)
const extra = process.argv.slice(3);
let scheduledAt = new Date();
let workspaceId: string | undefined;
for (let i = 0; i < extra.length; i += 1) {
  const arg = extra[i]!;
  if (arg === '--workspace' || arg.startsWith('--workspace=')) {
    workspaceId = arg === '--workspace' ? extra[++i] : arg.slice('--workspace='.length);
    if (!workspaceId || !/^[0-9a-f-]{36}$/i.test(workspaceId)) fail(`--workspace wants a workspace id (a UUID), not '${workspaceId ?? ''}'`);
    continue;
  }
  const date = arg === '--date' ? extra[++i] : arg.startsWith('--date=') ? arg.slice('--date='.length) : undefined;
  if (date === undefined) fail(`unknown argument '${arg}'\nusage: npm run job <name> [-- --date YYYY-MM-DD] [--workspace ID]`);
  const at = new Date(`${date}T${scheduledAt.toISOString().slice(11)}`);
  if (!/^\d{4}-\d{2}-\d{2}$/.test(date!) || Number.isNaN(at.getTime()) || at.toISOString().slice(0, 10) !== date) {
    fail(`--date wants a calendar day (YYYY-MM-DD), not '${date ?? ''}'`);
  }
  scheduledAt = at;
}
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
    ? scheduledJobs.map((candidate) => `  ${candidate.name.padEnd(24)} ${(candidate.schedule ?? 'on demand').padEnd(24)} ${candidate.description}`).join('\n')
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
const { withCapacityTally } = await import('../../shared/observability/capacity.js');
const { scheduledJobEvent } = await import('./scheduler.js');
say(`running job ${job!.name} (${job!.module}#${job!.export}) as scheduled at ${scheduledAt.toISOString()}…`);
const started = Date.now();
try {
  // what the run cost in DynamoDB capacity, as DynamoDB Local reports it (the bench reads this line)
  const result = await withCapacityTally(async (tally) => {
    const event = scheduledJobEvent(job!, scheduledAt, region);
    const answer = await invoke(job!, workspaceId ? { ...event, workspace_id: workspaceId } : event, { timeoutMs: 15 * 60_000 });
    say(`consumed capacity: read ${tally.read} RCU, write ${tally.write} WCU in ${tally.calls} DynamoDB calls`);
    return answer;
  });
  if (result !== undefined) say(JSON.stringify(result, null, 2));
  say(`job ${job!.name} finished in ${Date.now() - started} ms`);
  process.exit(0);
} catch (error) {
  fail(`job ${job!.name} failed after ${Date.now() - started} ms: ${error instanceof Error ? error.stack : String(error)}`);
}
