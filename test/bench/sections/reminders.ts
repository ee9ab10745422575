// Issue 9: the loan-reminder job's cost follows the loans that are due, not the loans that exist.
// Starts the real local runtime (in memory); makes 20 loans over HTTP that are due on each of two
// far-apart run days (10 due tomorrow, 10 on their first overdue day), then adds open loans that
// are not due on either day (copies of a real loan item, written in batches, spread over the year
// after the runs, some undated) until 1,000 loans are open, runs the job on the first day through
// `npm run job loan-reminders -- --date` (which prints the run's consumed capacity), adds more
// until 10,000 are open and runs it on the second day. The ratio of the two runs' capacity is the
// figure (goal ≤ 1.1): what the job reads and writes should be the same for 20 due loans whatever
// else is lent.
import { randomUUID } from 'node:crypto';
import { BatchWriteCommand, QueryCommand } from '@aws-sdk/lib-dynamodb';
import { runScript } from '../../integration/runtime-process.js';
import { formatRatio, record, table } from '../report.js';
import { callJson, withSeededRuntime } from '../seeded-runtime.js';
import type { BenchContext } from './types.js';

const dueEachRun = 20;
const dayMs = 86_400_000;
const addDays = (day: string, count: number) => new Date(Date.parse(`${day}T00:00:00Z`) + count * dayMs).toISOString().slice(0, 10);

export async function run({ log }: BenchContext) {
  await withSeededRuntime(async ({ runtime, documents, token, workspaceId, base }) => {
    const { state } = runtime;
    // Two run days 200 days apart, far ahead: neither reads the other's due days (a run reads
    // 3 days ahead and 13 overdue steps back, 92 days), nor today's loans of other sections.
    const first = addDays(new Date().toISOString().slice(0, 10), 4_000);
    const second = addDays(first, 200);

    const item = (await callJson('POST', `${base}/items`, token, { name: 'Folding chair' })).json;
    const shed = (await callJson('POST', `${base}/locations`, token, { name: 'Shed' })).json;
    const row = (await callJson('POST', `${base}/inventory`, token, { item_id: item.id, location_id: shed.id, quantity: 1_000 })).json;
    const borrowers = [];
    for (let index = 0; index < 5; index += 1) {
      borrowers.push((await callJson('POST', `${base}/borrowers`, token, { name: `Neighbour ${index}`, email: `neighbour-${index}-${randomUUID().slice(0, 8)}@example.com` })).json);
    }
    for (const day of [first, second]) {
      for (let index = 0; index < dueEachRun; index += 1) {
        const due = index % 2 === 0 ? addDays(day, 1) : addDays(day, -1);
        await callJson('POST', `${base}/loans`, token, { inventory_id: row.id, borrower_id: borrowers[index % borrowers.length]!.id, due_date: due });
      }
    }
    log(`made ${2 * dueEachRun} loans over HTTP: ${dueEachRun} due on each run day (${first}, ${second}): half due the next day, half on their first overdue day`);

    // The filler: copies of a real open loan, not due on either run day.
    const template = (await documents.send(new QueryCommand({
      TableName: state.tableName, KeyConditionExpression: 'PK = :pk AND begins_with(SK, :loan)',
      ExpressionAttributeValues: { ':pk': `WS#${workspaceId}`, ':loan': 'LOAN#' }, Limit: 1,
    }))).Items![0]!;
    let open = 2 * dueEachRun;
    const fillTo = async (target: number) => {
      const items = [];
      for (; open < target; open += 1) {
        const id = randomUUID();
        const due = open % 10 === 0 ? undefined : addDays(first, 400 + (open % 365));
        const copy: Record<string, unknown> = { ...template, id, SK: `LOAN#${id}`, GSI1SK: `${due ?? '~'}#${id}` };
        delete copy.GSI4PK;
        delete copy.GSI4SK;
        delete copy.due_date;
        if (due) Object.assign(copy, { due_date: due, GSI4PK: `LOANS#DUE#${due}`, GSI4SK: `${workspaceId}#${id}` });
        items.push(copy);
      }
      for (let start = 0; start < items.length; start += 25) {
        let requests: Record<string, any[]> | undefined = { [state.tableName]: items.slice(start, start + 25).map((Item) => ({ PutRequest: { Item } })) };
        while (requests && Object.keys(requests).length) requests = (await documents.send(new BatchWriteCommand({ RequestItems: requests }))).UnprocessedItems as typeof requests;
      }
    };

    const port = (url: string) => new URL(url).port;
    const env = {
      PORT: port(state.api), DYNAMODB_PORT: port(state.dynamodb), S3_PORT: port(state.s3), SES_PORT: port(state.ses),
      TABLE_NAME: state.tableName, BUCKET_NAME: state.bucketName, POWERTOOLS_LOG_LEVEL: 'ERROR',
    };
    const runJob = async (day: string) => {
      const result = await runScript('infra/local/run-job.ts', ['loan-reminders', '--date', day], env, 300_000);
      if (result.code !== 0) throw new Error(`npm run job loan-reminders failed:\n${result.output}`);
      const capacity = /consumed capacity: read ([\d.]+) RCU, write ([\d.]+) WCU in (\d+) DynamoDB calls/.exec(result.output);
      const outcome = /^\{$[\s\S]*?^\}$/m.exec(result.output);
      if (!capacity || !outcome) throw new Error(`no capacity or result in the job's output:\n${result.output}`);
      const run = JSON.parse(outcome[0]) as { loans: number; mailed: number; daysRead: number };
      if (run.loans !== dueEachRun || run.mailed !== dueEachRun) throw new Error(`the run on ${day} reminded ${run.loans} loans (${run.mailed} mailed), not ${dueEachRun}`);
      return { read: Number(capacity[1]), write: Number(capacity[2]), calls: Number(capacity[3]), daysRead: run.daysRead };
    };

    await fillTo(1_000);
    const small = await runJob(first);
    log(`1,000 open loans: the run on ${first} reminded ${dueEachRun}: ${small.read} RCU, ${small.write} WCU in ${small.calls} calls (${small.daysRead} due days read)`);
    await fillTo(10_000);
    const large = await runJob(second);
    log(`10,000 open loans: the run on ${second} reminded ${dueEachRun}: ${large.read} RCU, ${large.write} WCU in ${large.calls} calls`);

    record('reminders.job.1k.read', small.read, 'RCU');
    record('reminders.job.1k.write', small.write, 'WCU');
    const read = record('reminders.job.10k.read', large.read, 'RCU', small.read, { budget: 1.1 });
    const write = record('reminders.job.10k.write', large.write, 'WCU', small.write, { budget: 1.1 });
    const total = record('reminders.job.10k.capacity', large.read + large.write, 'units', small.read + small.write, { budget: 1.1 });
    log(table(['open loans', `>RCU (${dueEachRun} due)`, '>WCU', '>calls', '>capacity ×1k'], [
      ['1,000', String(small.read), String(small.write), String(small.calls), '1.00×'],
      ['10,000', String(large.read), String(large.write), String(large.calls), formatRatio(total.ratio)],
    ]));
    log(`read ${formatRatio(read.ratio)}, write ${formatRatio(write.ratio)} of the 1,000-loan run (goal ≤ 1.1×): the job reads only the due days' index partitions (one Query each) and what the due loans name.`);
  });
}
