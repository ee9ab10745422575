// Large imports and whole-workspace backups (issue 14), over real HTTP, s3rver and DynamoDB Local:
// an import through a presigned upload and a job (dry run, unreadable file, access; the
// 10,000-row import is import-job-scale.test.ts, on a runtime of its own); a seeded workspace
// (a category tree, locations, a container, items with labels, inventory moved and lent, a
// borrower, a favorite, two attachments) is backed up, its archive downloaded and uploaded again,
// and restored into a new workspace whose records equal the original's record by record (ids
// kept, workspace id swapped), whose files are byte for byte the same, and whose derived data
// (search, analytics) the change feed rebuilt; a changed archive is refused and makes nothing.
// The test runtime runs backups and restores in steps of a few records (BACKUP_STEP_UNITS).
import { createHash } from 'node:crypto';
import * as tar from 'tar-stream';
import { describe, expect, it } from 'vitest';
import { call, createWorkspace, postUploadForm, expectProblem, expectStatus, signUp, type SignedInUser } from './support/api.js';
import { eventually } from './support/eventually.js';
import { queryAll } from './support/table.js';

type Row = Record<string, any>;
interface Job { id: string; kind: string; status: string; progress: { processed: number; total: number }; upload?: { url: string; fields: Record<string, string> }; report?: Row; restored_workspace_id?: string; download_url?: string; file?: { name: string; size_bytes: number }; error?: { code: string } }


const jobOf = async (token: string, workspaceId: string, id: string) => expectStatus(await call<Job>('GET', `/workspaces/${workspaceId}/jobs/${id}`, { token }), 200).json;

/** Polls a job until it is DONE or FAILED, keeping every status seen (to show progress moved). */
async function finished(token: string, workspaceId: string, id: string, timeoutMs: number): Promise<{ job: Job; seen: Job[] }> {
  const seen: Job[] = [];
  const job = await eventually(`job ${id} finished`, async () => {
    const now = await jobOf(token, workspaceId, id);
    seen.push(now);
    return now;
  }, (now) => now.status === 'DONE' || now.status === 'FAILED', timeoutMs);
  return { job, seen };
}

const sha256 = (bytes: Buffer) => createHash('sha256').update(bytes).digest('hex');

describe('an import too large for one request', () => {
  it('a dry run of a file through the job writes nothing and reports what would happen; an unreadable file fails the job with its code', async () => {
    const owner = await signUp();
    const ws = await createWorkspace(owner.token);
    const file = Buffer.from(JSON.stringify([{ name: 'Garage' }, { name: 'Shelf', parent_location: 'Garage' }, { name: 'Attic', parent_location: 'Nowhere' }]));
    const job = expectStatus(await call<Job>('POST', `/workspaces/${ws.id}/imports`, { token: owner.token, body: { entity_type: 'location', format: 'json', size_bytes: file.length, dry_run: true } }), 202).json;
    await postUploadForm(job.upload!, file, 'application/json');
    const { job: done } = await finished(owner.token, ws.id, job.id, 60_000);
    expect(done.report).toMatchObject({ total_rows: 3, succeeded: 2, failed: 1, created: 2, dry_run: true, errors: [{ row: 3, column: 'parent_location', code: 'REFERENCE_NOT_FOUND' }] });
    expect(await queryAll({ KeyConditionExpression: 'PK = :pk AND begins_with(SK, :type)', ExpressionAttributeValues: { ':pk': `WS#${ws.id}`, ':type': 'LOCATION#' } })).toHaveLength(0);

    const bad = Buffer.from('{"not": "an array"}');
    const refused = expectStatus(await call<Job>('POST', `/workspaces/${ws.id}/imports`, { token: owner.token, body: { entity_type: 'location', format: 'json', size_bytes: bad.length } }), 202).json;
    await postUploadForm(refused.upload!, bad, 'application/json');
    const { job: failed } = await finished(owner.token, ws.id, refused.id, 60_000);
    expect(failed).toMatchObject({ status: 'FAILED', error: { code: 'IMPORT_UNREADABLE' } });
  }, 120_000);

  it('viewers cannot start one; a bad request is a problem', async () => {
    const owner = await signUp();
    const ws = await createWorkspace(owner.token);
    expectProblem(await call('POST', `/workspaces/${ws.id}/imports`, { token: owner.token, body: { entity_type: 'loan', format: 'csv', size_bytes: 10 } }), 422, 'VALIDATION_FAILED');
    expectProblem(await call('POST', `/workspaces/${ws.id}/imports`, { token: owner.token, body: { entity_type: 'label', format: 'csv', size_bytes: 60 * 1024 * 1024 } }), 422, 'VALIDATION_FAILED');
    const stranger = await signUp();
    expectProblem(await call('POST', `/workspaces/${ws.id}/imports`, { token: stranger.token, body: { entity_type: 'label', format: 'csv', size_bytes: 10 } }), 403, 'WORKSPACE_ACCESS_DENIED');
  });
});

/** A workspace with something of every kind a backup holds. */
async function seeded(owner: SignedInUser) {
  const ws = await createWorkspace(owner.token, { name: 'Home', description: 'Our flat' });
  const base = `/workspaces/${ws.id}`;
  const token = owner.token;
  const create = async (segment: string, body: Record<string, unknown>) => expectStatus(await call('POST', `${base}/${segment}`, { token, body }), 201).json as Row;
  const tools = await create('categories', { name: 'Tools' });
  const saws = await create('categories', { name: 'Saws', parent_category_id: tools.id });
  const garage = await create('locations', { name: 'Garage' });
  const shelf = await create('locations', { name: 'Shelf B', parent_location: garage.id });
  const box = await create('containers', { name: 'Red box', location_id: shelf.id });
  const bahco = await create('companies', { name: 'Bahco' });
  const red = await create('labels', { name: 'Red', color: '#ff0000' });
  const saw = await create('items', { name: 'Scie égoïne', sku: 'SAW-1', category_id: saws.id, brand: 'Bahco', description: 'Fine teeth' });
  const drill = await create('items', { name: 'Drill', category_id: tools.id });
  expectStatus(await call('POST', `${base}/items/${saw.id}/labels/${red.id}`, { token }), 204);
  const row = await create('inventory', { item_id: saw.id, location_id: garage.id, quantity: 3, purchase_price: 2599, currency_code: 'EUR' });
  await create('inventory', { item_id: drill.id, location_id: shelf.id, container_id: box.id, quantity: 1 });
  expectStatus(await call('POST', `${base}/inventory/${row.id}/move`, { token, body: { location_id: shelf.id, quantity: 1 } }), 200);
  const ada = await create('borrowers', { name: 'Ada Lovelace', email: 'ada@example.test' });
  await create('loans', { inventory_id: row.id, borrower_id: ada.id, quantity: 1, due_date: '2099-01-01' });
  expectStatus(await call('POST', `${base}/favorites`, { token, body: { favorite_type: 'LOCATION', target_id: garage.id } }), 200);
  const files: Record<string, Buffer> = {};
  for (const [name, mime, bytes] of [
    ['receipt.pdf', 'application/pdf', Buffer.from('%PDF-1.4\n1 0 obj << /Type /Catalog >> endobj\ntrailer << /Root 1 0 R >>\n%%EOF\n')],
    ['notes.txt', 'text/plain', Buffer.from('Sharpened in März.\n'.repeat(50))],
  ] as const) {
    const asked = expectStatus(await call('POST', `${base}/items/${saw.id}/attachments/upload`, { token, body: { file_name: name, mime_type: mime, size_bytes: bytes.length, attachment_type: 'RECEIPT', checksum: sha256(bytes) } }), 201).json as Row;
    await postUploadForm(asked.upload, bytes, mime);
    files[asked.id] = bytes;
  }
  for (const id of Object.keys(files)) {
    await eventually('attachment READY', async () => (await call('GET', `${base}/attachments/${id}`, { token })).json as Row, (attachment) => attachment.status === 'READY', 20_000);
  }
  return { ws, base, saw, files, bahco };
}

/** Every record a backup holds, keyed by its sort key and partition suffix, with the workspace id taken out. */
async function recordsOf(workspaceId: string): Promise<Map<string, Row>> {
  const records = new Map<string, Row>();
  for (const suffix of ['', '#UNIQUE', '#ITEMLABELS', '#FAVORITES', '#MOVES', '#MOVES#POSTINGS', '#REMINDERS']) {
    for (const record of await queryAll({ KeyConditionExpression: 'PK = :pk', ExpressionAttributeValues: { ':pk': `WS#${workspaceId}${suffix}` } })) {
      if (suffix === '' && (record.SK === 'WS' || String(record.SK).startsWith('MEMBER#'))) continue;
      // what storage assigns each time a file is written (restored files are written again)
      const { object_etag: _etag, object_version: _version, ...kept } = record;
      records.set(`${suffix}|${record.SK}`, JSON.parse(JSON.stringify(kept, (_, value) => (value instanceof Set ? [...value].sort() : value)).split(workspaceId).join('{ws}')));
    }
  }
  return records;
}

describe('backup and restore', () => {
  it('backup → download → upload → restore: a new workspace equal record by record, files byte for byte, derived data rebuilt', async () => {
    const owner = await signUp();
    const s = await seeded(owner);
    const started = expectStatus(await call<Job>('POST', `${s.base}/backups`, { token: owner.token }), 202);
    expect(started.json).toMatchObject({ kind: 'BACKUP', status: 'QUEUED' });
    const { job: backup, seen } = await finished(owner.token, s.ws.id, started.json.id, 120_000);
    expect(backup.error).toBeUndefined();
    expect(backup.file!.name).toMatch(/^backup-.+-\d{4}-\d{2}-\d{2}\.tar$/);
    expect(seen.some((status) => status.status === 'RUNNING' || status.status === 'QUEUED')).toBe(true);
    // listed, newest first, with its link
    const listed = expectStatus(await call<{ items: Job[] }>('GET', `${s.base}/backups`, { token: owner.token }), 200).json.items;
    expect(listed.map((job) => job.id)).toEqual([backup.id]);
    expect(listed[0]!.download_url).toBeTruthy();

    // the archive: a tar with the records as DynamoDB JSON lines, the files, and the manifest last
    const archive = Buffer.from(await (await fetch(backup.download_url!)).arrayBuffer());
    expect(archive.length).toBe(backup.file!.size_bytes);
    const entries = new Map<string, Buffer>();
    const extract = tar.extract();
    const reading = (async () => {
      for await (const entry of extract) {
        const chunks: Buffer[] = [];
        for await (const chunk of entry) chunks.push(Buffer.from(chunk as Uint8Array));
        entries.set(entry.header.name, Buffer.concat(chunks));
      }
    })();
    extract.end(archive);
    await reading;
    const names = [...entries.keys()];
    expect(names.at(-1)).toBe('manifest.json');
    const manifest = JSON.parse(entries.get('manifest.json')!.toString('utf8'));
    expect(manifest).toMatchObject({ format: 'home-warehouse-backup', schema_version: 1, workspace: { id: s.ws.id, name: 'Home', description: 'Our flat' }, counts: { files: 2 } });
    expect(manifest.counts.records).toMatchObject({ ITEM: 2, CATEGORY: 2, LOCATION: 2, CONTAINER: 1, LABEL: 1, COMPANY: 1, BORROWER: 1, LOAN: 1, INVENTORY: 3, ATTACHMENT: 2 });
    for (const [id, bytes] of Object.entries(s.files)) expect(entries.get(`files/${id}`)).toEqual(bytes);
    for (const entry of manifest.entries) expect(sha256(entries.get(entry.name)!)).toBe(entry.sha256);
    expect(names.filter((name) => name.startsWith('records/')).every((name) => /^records\/[A-Z_]+-\d+-\d+\.jsonl$/.test(name))).toBe(true);
    // members are not in it
    expect(names.some((name) => name.startsWith('records/MEMBER'))).toBe(false);

    // restore from the archive as a person would: upload it
    const restore = expectStatus(await call<Job>('POST', `${s.base}/restore`, { token: owner.token, body: { size_bytes: archive.length } }), 202).json;
    expect(restore).toMatchObject({ kind: 'RESTORE', status: 'AWAITING_UPLOAD' });
    await postUploadForm(restore.upload!, archive, 'application/x-tar');
    const { job: restored } = await finished(owner.token, s.ws.id, restore.id, 120_000);
    expect(restored.error).toBeUndefined();
    const copy = restored.restored_workspace_id!;
    expect(copy).toBeTruthy();
    expect(copy).not.toBe(s.ws.id);

    // the new workspace: the restorer its owner, named after the original
    const workspace = expectStatus(await call('GET', `/workspaces/${copy}`, { token: owner.token }), 200).json as Row;
    expect(workspace).toMatchObject({ name: 'Home (restored)', description: 'Our flat', role: 'owner' });
    // record by record the same (ids, versions, timestamps, sets), only the workspace id differs
    const before = await recordsOf(s.ws.id);
    const after = await recordsOf(copy);
    expect([...after.keys()].sort()).toEqual([...before.keys()].sort());
    for (const [key, record] of before) expect(after.get(key), key).toEqual(record);
    // the files, byte for byte, through the download links of the restored attachments
    for (const [id, bytes] of Object.entries(s.files)) {
      const attachment = expectStatus(await call('GET', `/workspaces/${copy}/attachments/${id}`, { token: owner.token }), 200).json as Row;
      expect(attachment.status).toBe('READY');
      expect(Buffer.from(await (await fetch(attachment.download_url)).arrayBuffer())).toEqual(bytes);
    }
    // what the change feed derives was rebuilt from the restored records: search and analytics
    await eventually('the restored item searchable', async () => (await call('GET', `/workspaces/${copy}/search`, { token: owner.token, query: { q: 'egoine' } })).json as Row,
      (answer) => answer.results?.some((result: Row) => result.id === s.saw.id), 30_000);
    const original = expectStatus(await call('GET', `${s.base}/analytics/summary`, { token: owner.token }), 200).json as Row;
    await eventually('the restored analytics', async () => (await call('GET', `/workspaces/${copy}/analytics/summary`, { token: owner.token })).json as Row,
      // every aggregate the same; the activity is not (the restore's own entries, not the original's history)
      (summary) => JSON.stringify({ ...summary, recent_activity: undefined }) === JSON.stringify({ ...original, recent_activity: undefined }), 30_000);
    // and it is a workspace like any: a write works, its unique guards hold (the SKU is taken)
    expectProblem(await call('POST', `/workspaces/${copy}/items`, { token: owner.token, body: { name: 'Another saw', sku: 'SAW-1' } }), 409, 'ITEM_SKU_TAKEN');
  }, 300_000);

  it('from a DONE backup by id; a changed archive is refused (BACKUP_INVALID) and makes nothing; only owners and admins', async () => {
    const owner = await signUp();
    const s = await seeded(owner);
    const backup = expectStatus(await call<Job>('POST', `${s.base}/backups`, { token: owner.token }), 202).json;
    expectProblem(await call('POST', `${s.base}/restore`, { token: owner.token, body: { backup_id: backup.id } }), 409, 'BACKUP_NOT_READY');
    const { job: done } = await finished(owner.token, s.ws.id, backup.id, 120_000);
    const byId = expectStatus(await call<Job>('POST', `${s.base}/restore`, { token: owner.token, body: { backup_id: backup.id, name: 'Home, as it was' } }), 202).json;
    const { job: restored } = await finished(owner.token, s.ws.id, byId.id, 120_000);
    expect(restored.status).toBe('DONE');
    expect((await call('GET', `/workspaces/${restored.restored_workspace_id}`, { token: owner.token })).json).toMatchObject({ name: 'Home, as it was' });

    // one byte of a file changed: its SHA-256 no longer matches the manifest
    const archive = Buffer.from(await (await fetch(done.download_url!)).arrayBuffer());
    const changed = Buffer.from(archive);
    const at = changed.indexOf('Sharpened');
    changed[at] = 's'.charCodeAt(0);
    const workspacesBefore = (await call('GET', '/workspaces', { token: owner.token })).json as Row;
    const refused = expectStatus(await call<Job>('POST', `${s.base}/restore`, { token: owner.token, body: { size_bytes: changed.length } }), 202).json;
    await postUploadForm(refused.upload!, changed, 'application/x-tar');
    const { job: failed } = await finished(owner.token, s.ws.id, refused.id, 60_000);
    expect(failed).toMatchObject({ status: 'FAILED', error: { code: 'BACKUP_INVALID' } });
    expect(((await call('GET', '/workspaces', { token: owner.token })).json as Row).items.length).toBe(workspacesBefore.items.length);

    // a member (not admin) may neither back up nor restore; a bad restore request is a problem
    expectProblem(await call('POST', `${s.base}/restore`, { token: owner.token, body: {} }), 422, 'VALIDATION_FAILED');
    expectProblem(await call('POST', `${s.base}/restore`, { token: owner.token, body: { backup_id: s.saw.id } }), 404, 'NOT_FOUND');
    const member = await signUp();
    expectStatus(await call('POST', `${s.base}/members`, { token: owner.token, body: { email: member.email, role: 'member' } }), 201);
    expectProblem(await call('POST', `${s.base}/backups`, { token: member.token }), 403, 'ROLE_TOO_LOW');
    expectProblem(await call('GET', `${s.base}/backups`, { token: member.token }), 403, 'ROLE_TOO_LOW');
  }, 300_000);
});
