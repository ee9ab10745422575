// Attachments: what asking for an upload costs over a presign alone. Starts the real local runtime
// (in memory) with a user, a workspace and items made over HTTP, then:
// - times POST /items/{id}/attachments/upload (authorisation, the item's read, the PENDING record's
//   transaction, the presigned form, the answer) against the same POST form presigned in this process
//   with shared/aws/s3-presign.ts, interleaved request by request;
// - times that presign against @aws-sdk/s3-presigned-post's createPresignedPost (the S3 client's way,
//   which the product avoids for bundle size) for the same key and conditions;
// - reads the route's consumed capacity (local-only `x-consumed-capacity` header) against its access
//   pattern's floor, made directly;
// - uploads a tiny PDF with the form, waits until the verifier makes it READY, and times
//   GET /attachments/{id}/download (302) against a raw presignGet of the same object.
import { S3Client } from '@aws-sdk/client-s3';
import { createPresignedPost } from '@aws-sdk/s3-presigned-post';
import { BatchGetCommand, GetCommand } from '@aws-sdk/lib-dynamodb';
import { Agent, request } from 'node:http';
// The baselines pass the signing source and bucket explicitly: nothing is taken from this process's environment
// (its config only picks the bucket's base URL, which costs the same either way).
import { presignGet, presignPost } from '../../../shared/aws/s3-presign.js';
import { keepAliveGetter, timeInterleaved } from '../loop.js';
import { record, table } from '../report.js';
import { callJson, capacityUnits, withSeededRuntime } from '../seeded-runtime.js';
import { medianOfRuns, summarize, type LatencySummary } from '../stats.js';
import type { BenchContext } from './types.js';

const repetitions = 3;
const warmup = 30;
const routeCount = 300;
const presignCount = 2_000;
/** an item holds at most 100 attachments (409 TOO_MANY_ATTACHMENTS past that): a fresh item every 90 */
const perItem = 90;
const uploadBody = { file_name: 'receipt.pdf', mime_type: 'application/pdf', size_bytes: 1000, attachment_type: 'RECEIPT' };
/** the credentials the local runtime gives its handlers (infra/local/environment.ts); a signature needs no network */
const localCredentials = { accessKeyId: 'S3RVER', secretAccessKey: 'S3RVER' };
const region = 'us-east-1';

/** POSTs JSON over one keep-alive connection (loopback only): loop.ts's getter, for a POST. */
function keepAlivePoster(api: string, token: string) {
  const target = new URL(api);
  if (!['127.0.0.1', 'localhost', '[::1]'].includes(target.hostname)) throw new Error(`the bench only talks to loopback addresses, not ${target.hostname}`);
  const agent = new Agent({ keepAlive: true, maxSockets: 1 });
  const post = (path: string, body: unknown) =>
    new Promise<{ status: number; headers: Record<string, unknown>; text: string }>((done, fail) => {
      const payload = JSON.stringify(body);
      const outgoing = request({
        host: target.hostname.replace(/^\[|\]$/g, ''), port: target.port, path: `${target.pathname.replace(/\/+$/, '')}${path}`, method: 'POST', agent,
        headers: { authorization: `Bearer ${token}`, accept: 'application/json', 'content-type': 'application/json', 'content-length': Buffer.byteLength(payload) },
      }, (response) => {
        const chunks: Buffer[] = [];
        response.on('data', (chunk: Buffer) => chunks.push(chunk));
        response.on('error', fail);
        response.on('end', () => done({ status: response.statusCode ?? 0, headers: response.headers, text: Buffer.concat(chunks).toString('utf8') }));
      });
      outgoing.setTimeout(10_000, () => outgoing.destroy(new Error(`POST ${path} took longer than 10 s`)));
      outgoing.on('error', fail);
      outgoing.end(payload);
    });
  return { post, close: () => agent.destroy() };
}

/** `repetitions` runs of the operations interleaved request by request; the median of each percentile per operation. */
async function interleaved(operations: (() => Promise<void>)[], count: number, warm = warmup): Promise<LatencySummary[]> {
  const runs: LatencySummary[][] = operations.map(() => []);
  for (let repetition = 0; repetition < repetitions; repetition += 1) {
    (await timeInterleaved(operations, { warmup: warm, count })).forEach((latencies, index) => runs[index]!.push(summarize(latencies)));
  }
  return runs.map(medianOfRuns);
}

function report(prefix: string, labels: [string, string], [candidate, baseline]: LatencySummary[], log: BenchContext['log']) {
  const rows = (['p50', 'p90', 'p99'] as const).map((p) => {
    const figure = record(`${prefix}.${p}`, candidate![p], 'ms', baseline![p]);
    return [p, candidate![p].toFixed(3), baseline![p].toFixed(3), `${figure.ratio!.toFixed(2)}×`];
  });
  log(table(['percentile', `>${labels[0]} ms`, `>${labels[1]} ms`, '>ratio'], rows));
}

/** A real (tiny) PDF: the verifier checks the magic bytes, and the declared size must be the real one. */
const tinyPdf = Buffer.from('%PDF-1.4\n1 0 obj << /Type /Catalog /Pages 2 0 R >> endobj\n2 0 obj << /Type /Pages /Kids [] /Count 0 >> endobj\ntrailer << /Root 1 0 R >>\n%%EOF\n');

export async function run({ log }: BenchContext) {
  await withSeededRuntime(async ({ runtime, documents, api, token, workspaceId, base, accessKeys }) => {
    const { state } = runtime;
    const poster = keepAlivePoster(api, token);
    const s3 = new S3Client({ region, credentials: localCredentials, endpoint: state.s3, forcePathStyle: true });
    try {
      // Every item the timed loop will fill, made before it (creating one is not what is measured).
      const uploads = repetitions * (warmup + routeCount);
      const items: string[] = [];
      for (let index = 0; index < Math.ceil((uploads + 2) / perItem); index += 1) {
        items.push((await callJson('POST', `${base}/items`, token, { name: `Drill ${index}` })).json.id as string);
      }
      const path = (n: number) => `/workspaces/${workspaceId}/items/${items[Math.floor(n / perItem)]}/attachments/upload`;
      let made = 0;
      const requestUpload = async () => {
        const answer = await poster.post(path(made++), uploadBody);
        if (answer.status !== 201) throw new Error(`POST ${path(made - 1)} answered ${answer.status} (expected 201): ${answer.text.slice(0, 500)}`);
        return answer;
      };

      // One answer checked against the contract, its capacity against the floor (untimed).
      const first = await requestUpload();
      const shown = JSON.parse(first.text) as { id: string; status: string; upload?: { method: string; url: string; fields: Record<string, string>; expires_at: string } };
      if (shown.status !== 'PENDING' || shown.upload?.method !== 'POST' || !shown.upload.fields?.key) throw new Error(`the upload request's answer is not a PENDING attachment with a POST form: ${first.text.slice(0, 500)}`);
      const key = shown.upload.fields.key;
      const capacity = /read=([\d.]+), write=([\d.]+)/.exec(String(first.headers['x-consumed-capacity'] ?? ''));
      const itemKey = { PK: `WS#${workspaceId}`, SK: `ITEM#${items[0]}` };
      const authorise = capacityUnits((await documents.send(new BatchGetCommand({ RequestItems: { [state.tableName]: { Keys: accessKeys } }, ReturnConsumedCapacity: 'TOTAL' }))).ConsumedCapacity);
      // the route reads the item consistently (its attachment count decides 409 before the write)
      const itemRead = capacityUnits((await documents.send(new GetCommand({ TableName: state.tableName, Key: itemKey, ConsistentRead: true, ReturnConsumedCapacity: 'TOTAL' }))).ConsumedCapacity);
      if (capacity) {
        const read = record('capacity.attachments.upload-request.read', Number(capacity[1]), 'RCU', authorise + itemRead);
        record('capacity.attachments.upload-request.write', Number(capacity[2]), 'WCU');
        log(`POST …/attachments/upload consumed ${read.value} RCU (floor ${authorise + itemRead}: authorizer's BatchGetItem of 3 keys + a consistent GetItem of the item, made directly; ${read.ratio?.toFixed(2)}×) and ${capacity[2]} WCU (one transaction: its items count twice)`);
      } else {
        log('POST …/attachments/upload answered no x-consumed-capacity header; capacity skipped');
      }

      // The baselines sign the same form in this process: same credentials, hash and conditions.
      const source = { credentials: async () => localCredentials, sha256: s3.config.sha256, region };
      const ours = async () => {
        await presignPost({ bucket: state.bucketName, key, contentType: 'application/pdf', maxBytes: uploadBody.size_bytes, expiresInSeconds: 900 }, source);
      };
      const sdk = async () => {
        await createPresignedPost(s3, {
          Bucket: state.bucketName, Key: key, Expires: 900,
          Conditions: [['content-length-range', 1, uploadBody.size_bytes], { 'Content-Type': 'application/pdf' }], Fields: { 'Content-Type': 'application/pdf' },
        });
      };

      log();
      log(`POST …/attachments/upload vs the same presigned POST made in this process: ${repetitions} runs of ${routeCount} (after ${warmup} warm-up), interleaved request by request; a fresh item every ${perItem} uploads`);
      report('attachments.upload-request', ['upload request', 'raw presignPost'], await interleaved([async () => void (await requestUpload()), ours], routeCount), log);
      log();
      log(`presignPost (shared/aws/s3-presign.ts) vs @aws-sdk/s3-presigned-post createPresignedPost, same key and conditions: ${repetitions} runs of ${presignCount}, interleaved`);
      report('attachments.presign-post.ours-vs-sdk', ['presignPost', 'createPresignedPost'], await interleaved([ours, sdk], presignCount, 200), log);

      // The download path needs a READY attachment: upload a real file with a fresh form, wait for the verifier.
      const pdfUpload = await poster.post(path(made++), { ...uploadBody, size_bytes: tinyPdf.length });
      if (pdfUpload.status !== 201) throw new Error(`upload request for the download figures answered ${pdfUpload.status}: ${pdfUpload.text.slice(0, 500)}`);
      const pending = JSON.parse(pdfUpload.text) as { id: string; upload: { url: string; fields: Record<string, string> } };
      const form = new FormData();
      for (const [name, value] of Object.entries(pending.upload.fields)) form.append(name, value);
      form.append('file', new Blob([tinyPdf], { type: 'application/pdf' }), 'receipt.pdf');
      const sent = await fetch(pending.upload.url, { method: 'POST', body: form, signal: AbortSignal.timeout(10_000) });
      if (sent.status >= 300) throw new Error(`the upload form answered ${sent.status}: ${(await sent.text()).slice(0, 300)}`);
      let ready: { status: string; download_url?: string } | undefined;
      for (const deadline = Date.now() + 20_000; Date.now() < deadline && ready?.status !== 'READY'; await new Promise((done) => setTimeout(done, 200))) {
        ready = (await callJson('GET', `${base}/attachments/${pending.id}`, token)).json;
        if (ready?.status === 'REJECTED') throw new Error(`the verifier rejected the uploaded PDF: ${JSON.stringify(ready)}`);
      }
      if (ready?.status !== 'READY' || !ready.download_url) throw new Error(`the uploaded attachment was not READY within 20 s: ${JSON.stringify(ready)}`);

      // The raw presign of the same GET: the key, version and response headers the route signs (read off its link).
      const link = new URL(ready.download_url);
      const responseHeaders = Object.fromEntries(['response-content-disposition', 'response-content-type'].map((name) => [name, link.searchParams.get(name) ?? '']));
      const versionId = link.searchParams.get('versionId') ?? undefined;
      const rawGet = async () => {
        await presignGet({ bucket: state.bucketName, key: pending.upload.fields.key!, versionId, responseHeaders, expiresInSeconds: 300 }, source);
      };
      const downloadUrl = `${base}/attachments/${pending.id}/download`;
      const once = await fetch(downloadUrl, { headers: { authorization: `Bearer ${token}` }, redirect: 'manual', signal: AbortSignal.timeout(10_000) });
      const downloadCapacity = /read=([\d.]+)/.exec(once.headers.get('x-consumed-capacity') ?? '');
      if (once.status !== 302 || !once.headers.get('location')) throw new Error(`GET …/download answered ${once.status}, expected a 302 with a location: ${(await once.text()).slice(0, 300)}`);
      const fetched = await fetch(once.headers.get('location')!, { signal: AbortSignal.timeout(10_000) });
      if (!Buffer.from(await fetched.arrayBuffer()).equals(tinyPdf)) throw new Error(`the download link answered ${fetched.status}, not the uploaded file`);
      if (downloadCapacity) {
        const floor = capacityUnits((await documents.send(new BatchGetCommand({
          RequestItems: { [state.tableName]: { Keys: [...accessKeys, { PK: `WS#${workspaceId}`, SK: `ATTACHMENT#${pending.id}` }] } }, ReturnConsumedCapacity: 'TOTAL',
        }))).ConsumedCapacity);
        const read = record('capacity.attachments.download.read', Number(downloadCapacity[1]), 'RCU', floor);
        log(`GET …/download consumed ${read.value} RCU (floor ${floor}: one BatchGetItem of user, workspace, membership and attachment, made directly; ${read.ratio?.toFixed(2)}×)`);
      }
      const download = keepAliveGetter(downloadUrl, { headers: { authorization: `Bearer ${token}` }, expectStatus: 302 });
      try {
        log();
        log(`GET …/attachments/{id}/download (302) vs a raw presignGet of the same object: ${repetitions} runs of ${routeCount}, interleaved`);
        report('attachments.download', ['download redirect', 'raw presignGet'], await interleaved([download.get, rawGet], routeCount), log);
      } finally {
        download.close();
      }
      log('(the runtime\'s change feed and upload verifier run in its process meanwhile, as they do beside any request locally)');
    } finally {
      poster.close();
      s3.destroy();
    }
  });
}
