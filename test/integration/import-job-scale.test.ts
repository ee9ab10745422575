// The import of a file too large for one request (issue 14), at the size the issue names: 10,000
// rows of CSV through a presigned upload and an import job that runs in steps of 1,000 rows (the
// progress figure moves while it runs; two duplicate names fail alone, with their code). On a
// runtime of its own: 10,000 rows and what the change feed projects from them would queue ahead of
// every other test file's projections on the shared one.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { call, createWorkspace, postUploadForm, expectStatus, signUp, useApi } from './support/api.js';
import { eventually } from './support/eventually.js';
import { runtimePorts, startRuntime, type RuntimeProcess } from './runtime-process.js';

type Row = Record<string, any>;
interface Job { id: string; kind: string; status: string; progress: { processed: number; total: number }; upload?: { url: string; fields: Record<string, string> }; report?: Row; error?: { code: string } }

let runtime: RuntimeProcess;

beforeAll(async () => {
  runtime = await startRuntime({ env: { ...(await runtimePorts()), JWT_SECRET: 'a-secret-of-this-runtime-only-0123456789abcdef' }, args: ['--in-memory'] });
  useApi(runtime.state.api);
}, 120_000);

afterAll(async () => {
  useApi(undefined);
  await runtime?.stop('SIGINT');
}, 60_000);


describe('an import of 10,000 rows', () => {
  it('10,000 rows: presigned upload, a job in steps with progress, duplicates fail alone with their code', async () => {
    const owner = await signUp();
    const ws = await createWorkspace(owner.token);
    const rows = Array.from({ length: 10_000 }, (_, index) => `Label ${String(index + 1).padStart(5, '0')},"Row ${index + 1}, imported"`);
    // two rows name a label of a row above them: LABEL_NAME_TAKEN, those rows only
    rows[4_999] = 'Label 00010,"a duplicate"';
    rows[9_999] = 'label 00020,"a duplicate, other case"';
    const file = Buffer.from(`\uFEFFName,Description\r\n${rows.join('\r\n')}\r\n`, 'utf8');
    const started = expectStatus(await call<Job>('POST', `/workspaces/${ws.id}/imports`, { token: owner.token, body: { entity_type: 'label', format: 'csv', size_bytes: file.length } }), 202);
    const job = started.json;
    expect(started.headers.get('location')).toBe(`/workspaces/${ws.id}/jobs/${job.id}`);
    expect(job).toMatchObject({ kind: 'IMPORT', status: 'AWAITING_UPLOAD' });
    await postUploadForm(job.upload!, file, 'text/csv');

    const seen: Job[] = [];
    const done = await eventually('the import job finished', async () => {
      const now = expectStatus(await call<Job>('GET', `/workspaces/${ws.id}/jobs/${job.id}`, { token: owner.token }), 200).json;
      seen.push(now);
      return now;
    }, (now) => now.status === 'DONE' || now.status === 'FAILED', 600_000);
    expect(done.error).toBeUndefined();
    expect(done.status).toBe('DONE');
    expect(done.report).toMatchObject({ total_rows: 10_000, succeeded: 9_998, failed: 2, created: 9_998, updated: 0, dry_run: false });
    expect(done.report!.errors).toEqual([
      { row: 5_000, column: 'name', code: 'LABEL_NAME_TAKEN', message: expect.any(String) },
      { row: 10_000, column: 'name', code: 'LABEL_NAME_TAKEN', message: expect.any(String) },
    ]);
    expect(done.progress).toEqual({ processed: 10_000, total: 10_000 });
    // it was seen part-way: the progress figure moves while the steps run
    expect(seen.some((status) => status.progress.total === 10_000 && status.progress.processed > 0 && status.progress.processed < 10_000)).toBe(true);
    // the labels are there, each once, with what the file said
    const stored = expectStatus(await call<Row[]>('GET', `/workspaces/${ws.id}/export/label`, { token: owner.token, query: { format: 'json' } }), 200).json;
    expect(stored).toHaveLength(9_998);
    expect(new Set(stored.map((label) => label.name.toLowerCase())).size).toBe(9_998);
    expect(stored.find((label) => label.name === 'Label 09999')).toMatchObject({ description: 'Row 9999, imported' });
  }, 900_000);

});
