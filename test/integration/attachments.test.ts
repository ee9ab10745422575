// Attachments (issue 10), over real HTTP and s3rver: ask for an upload, POST the file to the
// presigned form with fetch and FormData as a phone would, the S3 event runs the verifier, the
// attachment becomes READY and its download link returns the same bytes; a text file called
// photo.jpg, a file larger than declared, a wrong checksum and a reused form are refused and their
// objects deleted; the primary switch (and the item's picture following it); delete removes the
// object; storage accounting and the quota; references to documents elsewhere; non-members get
// nothing; abandoned uploads are cleaned up. Every test makes its own users and workspaces.
import { createHash } from 'node:crypto';
import { HeadObjectCommand, S3Client } from '@aws-sdk/client-s3';
import type { Context } from 'aws-lambda';
import { beforeAll, describe, expect, inject, it } from 'vitest';
import { addMember, call, createWorkspace, expectProblem, expectStatus, signUp, type SignedInUser, type WorkspaceShape } from './support/api.js';
import { eventually } from './support/eventually.js';
import { getItem, setAttributes } from './support/table.js';
import { lambdaContext } from '../support/lambda.js';
import { runJob } from './support/run-job.js';

interface Attachment {
  id: string;
  item_id: string;
  attachment_type: string;
  is_primary: boolean;
  status?: 'PENDING' | 'READY' | 'REJECTED';
  file_name?: string;
  mime_type?: string;
  size_bytes?: number;
  checksum?: string;
  rejection_reason?: string;
  docspell_item_id?: string;
  download_url?: string;
  version: number;
}

interface Upload extends Attachment {
  upload: { method: 'POST'; url: string; fields: Record<string, string>; expires_at: string };
}

const s3 = new S3Client({
  // s3rver knows only this key pair
  endpoint: inject('s3Endpoint'), forcePathStyle: true, region: 'us-east-1', credentials: { accessKeyId: 'S3RVER', secretAccessKey: 'S3RVER' },
});

/** A small but real PDF (what file-type recognises by its first bytes). */
const pdf = (note = 'receipt') => Buffer.from(`%PDF-1.4\n1 0 obj << /Type /Catalog >> endobj\n% ${note}\ntrailer << /Root 1 0 R >>\n%%EOF\n`);
/** A 1×1 PNG. */
const png = Buffer.from('iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mNk+M9QDwADhgGAWjR9awAAAABJRU5ErkJggg==', 'base64');

async function setUp(): Promise<{ owner: SignedInUser; workspace: WorkspaceShape; itemId: string; base: string }> {
  const owner = await signUp();
  const workspace = await createWorkspace(owner.token);
  const base = `/workspaces/${workspace.id}`;
  const item = expectStatus(await call('POST', `${base}/items`, { token: owner.token, body: { name: 'Cordless drill' } }), 201).json;
  return { owner, workspace, itemId: item.id, base };
}

async function requestUpload(token: string, base: string, itemId: string, body: Record<string, unknown>): Promise<Upload> {
  return expectStatus(await call<Upload>('POST', `${base}/items/${itemId}/attachments/upload`, { token, body }), 201).json;
}

/** Sends the form as a browser does: the fields, then the file last. */
async function postForm(upload: Upload['upload'], bytes: Buffer, contentType: string, fileName = 'file'): Promise<Response> {
  const form = new FormData();
  for (const [name, value] of Object.entries(upload.fields)) form.append(name, value);
  form.append('file', new Blob([bytes], { type: contentType }), fileName);
  return fetch(upload.url, { method: 'POST', body: form });
}

const getAttachment = async (token: string, base: string, id: string) => expectStatus(await call<Attachment>('GET', `${base}/attachments/${id}`, { token }), 200).json;

/** Polls until the verifier has decided (the S3 event runs it a moment after the upload). */
const settled = (token: string, base: string, id: string) =>
  eventually('the upload verified', () => getAttachment(token, base, id), (attachment) => attachment.status !== 'PENDING', 20_000);

const objectKeyOf = async (workspaceId: string, id: string) => (await getItem({ PK: `WS#${workspaceId}`, SK: `ATTACHMENT#${id}` }))?.object_key as string;

async function objectExists(key: string): Promise<boolean> {
  try {
    await s3.send(new HeadObjectCommand({ Bucket: inject('bucketName'), Key: key }));
    return true;
  } catch (error) {
    if ((error as { $metadata?: { httpStatusCode?: number } }).$metadata?.httpStatusCode === 404) return false;
    throw error;
  }
}

/** The verifier deletes a rejected file right after recording the verdict: wait for it. */
const deleted = (key: string) => eventually(`${key} deleted`, () => objectExists(key), (exists) => !exists, 20_000);

const sha256 = (bytes: Buffer) => createHash('sha256').update(bytes).digest('hex');

describe('uploads straight to storage, verified before they are served', () => {
  it('request → POST the file with FormData → READY through the event → the download link returns the same bytes', async () => {
    const { owner, workspace, itemId, base } = await setUp();
    const bytes = pdf();
    const upload = await requestUpload(owner.token, base, itemId, {
      file_name: 'Quittung Bäckerei (März).pdf', mime_type: 'application/pdf', size_bytes: bytes.length, checksum: sha256(bytes), attachment_type: 'RECEIPT', title: 'Receipt',
    });
    expect(upload.status).toBe('PENDING');
    expect(upload.download_url).toBeUndefined();
    expect(upload.upload.method).toBe('POST');
    expect(Date.parse(upload.upload.expires_at) - Date.now()).toBeGreaterThan(14 * 60_000);
    // the key holds only ids and the sanitised name; the policy pins key, type and size
    const key = upload.upload.fields.key!;
    expect(key).toBe(`workspaces/${workspace.id}/items/${itemId}/${upload.id}/Quittung-Backerei-Marz.pdf`);
    const policy = JSON.parse(Buffer.from(upload.upload.fields.Policy!, 'base64').toString('utf8'));
    expect(policy.conditions).toEqual(expect.arrayContaining([['content-length-range', 1, bytes.length], { 'Content-Type': 'application/pdf' }, { key }]));

    const posted = await postForm(upload.upload, bytes, 'application/pdf');
    expect(posted.status, await posted.clone().text()).toBeLessThan(300);
    const ready = await settled(owner.token, base, upload.id);
    expect(ready).toMatchObject({ status: 'READY', size_bytes: bytes.length, checksum: sha256(bytes), mime_type: 'application/pdf', file_name: 'Quittung Bäckerei (März).pdf' });
    expect(ready.version).toBeGreaterThan(upload.version);

    // the link in the answer, and the download route's redirect, both give the file back
    const fromLink = await fetch(ready.download_url!);
    expect(fromLink.status).toBe(200);
    expect(Buffer.from(await fromLink.arrayBuffer())).toEqual(bytes);
    const redirect = await call('GET', `${base}/attachments/${upload.id}/download`, { token: owner.token, redirect: 'manual' });
    expect(redirect.status).toBe(302);
    expect(redirect.headers.get('cache-control')).toBe('no-store');
    const location = new URL(redirect.headers.get('location')!);
    expect(location.searchParams.get('X-Amz-Expires')).toBe('300');
    expect(location.searchParams.get('response-content-disposition')).toBe(
      'attachment; filename="Quittung Backerei (Marz).pdf"; filename*=UTF-8\'\'Quittung%20B%C3%A4ckerei%20%28M%C3%A4rz%29.pdf',
    );
    const downloaded = await fetch(location);
    expect(Buffer.from(await downloaded.arrayBuffer())).toEqual(bytes);

    // the same S3 event again (EventBridge delivers at least once): the verifier changes nothing
    process.env.POWERTOOLS_LOG_LEVEL = 'ERROR';
    process.env.POWERTOOLS_METRICS_DISABLED = 'true';
    const verifier = (await import('../../functions/s3/verify-upload.js')).handler as unknown as (event: unknown, context: Context) => Promise<{ outcome: string }>;
    const head = await s3.send(new HeadObjectCommand({ Bucket: inject('bucketName'), Key: key }));
    const event = { 'detail-type': 'Object Created', source: 'aws.s3', detail: { bucket: { name: inject('bucketName') }, object: { key, size: bytes.length, etag: head.ETag!.replaceAll('"', '') } } };
    for (let time = 0; time < 2; time += 1) expect((await verifier(event, lambdaContext('verify-upload'))).outcome).toBe('unchanged');
    expect(await getAttachment(owner.token, base, upload.id)).toMatchObject({ status: 'READY', version: ready.version });

    // the workspace counts what its verified files take up
    const shown = expectStatus(await call('GET', base, { token: owner.token }), 200).json;
    expect(shown.storage).toEqual({ bytes: bytes.length, attachments: 1, quota_bytes: 5 * 1024 ** 3 });
  });

  it('a text file called photo.jpg ends REJECTED, its object deleted, and nothing is counted', async () => {
    const { owner, workspace, itemId, base } = await setUp();
    const text = Buffer.from('not a picture at all\n');
    const upload = await requestUpload(owner.token, base, itemId, { file_name: 'photo.jpg', mime_type: 'image/jpeg', size_bytes: text.length, attachment_type: 'PHOTO' });
    expect((await postForm(upload.upload, text, 'image/jpeg', 'photo.jpg')).status).toBeLessThan(300);
    const rejected = await settled(owner.token, base, upload.id);
    expect(rejected.status).toBe('REJECTED');
    expect(rejected.rejection_reason).toMatch(/not image\/jpeg/);
    expect(rejected.download_url).toBeUndefined();
    await deleted(await objectKeyOf(workspace.id, upload.id));
    expectProblem(await call('GET', `${base}/attachments/${upload.id}/download`, { token: owner.token, redirect: 'manual' }), 409, 'ATTACHMENT_NOT_READY');
    expect(expectStatus(await call('GET', base, { token: owner.token }), 200).json.storage).toMatchObject({ bytes: 0, attachments: 0 });
  });

  it('a file larger than declared, or not matching its declared checksum, ends REJECTED and deleted', async () => {
    const { owner, workspace, itemId, base } = await setUp();
    const bytes = pdf('a longer receipt than was declared');
    const larger = await requestUpload(owner.token, base, itemId, { file_name: 'a.pdf', mime_type: 'application/pdf', size_bytes: bytes.length - 10, attachment_type: 'RECEIPT' });
    await postForm(larger.upload, bytes, 'application/pdf'); // s3rver ignores the policy's content-length-range; S3 would refuse
    expect(await settled(owner.token, base, larger.id)).toMatchObject({ status: 'REJECTED', rejection_reason: expect.stringMatching(/larger than/) });
    await deleted(await objectKeyOf(workspace.id, larger.id));

    const wrong = await requestUpload(owner.token, base, itemId, {
      file_name: 'b.pdf', mime_type: 'application/pdf', size_bytes: bytes.length, checksum: sha256(Buffer.from('something else')), attachment_type: 'RECEIPT',
    });
    await postForm(wrong.upload, bytes, 'application/pdf');
    expect(await settled(owner.token, base, wrong.id)).toMatchObject({ status: 'REJECTED', rejection_reason: expect.stringMatching(/checksum/) });
  });

  it('a reused form: the same file again changes nothing; another file replacing a verified one is refused and deleted', async () => {
    const { owner, workspace, itemId, base } = await setUp();
    const bytes = pdf('first');
    const upload = await requestUpload(owner.token, base, itemId, { file_name: 'r.pdf', mime_type: 'application/pdf', size_bytes: bytes.length, attachment_type: 'RECEIPT' });
    await postForm(upload.upload, bytes, 'application/pdf');
    const ready = await settled(owner.token, base, upload.id);
    expect(ready.status).toBe('READY');

    // the same bytes again: a second event for the same object, decided already
    await postForm(upload.upload, bytes, 'application/pdf');
    await new Promise((resolve) => setTimeout(resolve, 1_500)); // the event has nothing to show when it changes nothing; give it time to run
    expect(await getAttachment(owner.token, base, upload.id)).toMatchObject({ status: 'READY', version: ready.version });

    // other bytes of the same size: s3rver keeps no versions, so the verified file is gone and the attachment says so
    const other = pdf('other');
    expect(other.length).toBe(bytes.length);
    await postForm(upload.upload, other, 'application/pdf');
    const replaced = await eventually('the replacement refused', () => getAttachment(owner.token, base, upload.id), (attachment) => attachment.status === 'REJECTED', 20_000);
    expect(replaced.rejection_reason).toMatch(/replaced/);
    expect(await objectExists(await objectKeyOf(workspace.id, upload.id))).toBe(false);
    expect(expectStatus(await call('GET', base, { token: owner.token }), 200).json.storage).toMatchObject({ bytes: 0, attachments: 0 });
  });

  it('each allowed type is told by its bytes: JPEG, WebP, HEIC, plain text READY; a PNG declared JPEG and binary declared text REJECTED', async () => {
    const { owner, itemId, base } = await setUp();
    const samples: [string, string, Buffer, 'READY' | 'REJECTED'][] = [
      ['a.jpg', 'image/jpeg', Buffer.concat([Buffer.from([0xff, 0xd8, 0xff, 0xe0, 0, 0x10]), Buffer.from('JFIF'), Buffer.alloc(20)]), 'READY'],
      ['a.webp', 'image/webp', Buffer.concat([Buffer.from('RIFF'), Buffer.from([0x1a, 0, 0, 0]), Buffer.from('WEBPVP8 '), Buffer.alloc(18)]), 'READY'],
      ['a.heic', 'image/heic', Buffer.concat([Buffer.from([0, 0, 0, 0x18]), Buffer.from('ftypheic'), Buffer.from([0, 0, 0, 0]), Buffer.from('mif1heic'), Buffer.alloc(16)]), 'READY'],
      ['notes.txt', 'text/plain', Buffer.from('Serial 4711 – bought 2024, “with case”\n'), 'READY'],
      ['b.jpg', 'image/jpeg', png, 'REJECTED'],
      ['c.txt', 'text/plain', Buffer.from([0x00, 0x01, 0x02, 0x41, 0x42]), 'REJECTED'],
    ];
    const uploads = await Promise.all(samples.map(([name, type, bytes]) =>
      requestUpload(owner.token, base, itemId, { file_name: name, mime_type: type, size_bytes: bytes.length, attachment_type: 'OTHER' })));
    await Promise.all(uploads.map((upload, index) => postForm(upload.upload, samples[index]![2], samples[index]![1])));
    for (const [index, upload] of uploads.entries()) {
      expect((await settled(owner.token, base, upload.id)).status, samples[index]![0]).toBe(samples[index]![3]);
    }
  });

  it('an object no attachment asked for is deleted', async () => {
    const { owner, workspace, itemId, base } = await setUp();
    const upload = await requestUpload(owner.token, base, itemId, { file_name: 'x.pdf', mime_type: 'application/pdf', size_bytes: pdf().length, attachment_type: 'OTHER' });
    // a form whose key is changed (S3 would refuse it: the policy pins the key; s3rver does not check)
    const strayKey = `workspaces/${workspace.id}/items/${itemId}/${upload.id}/other-name.pdf`;
    await postForm({ ...upload.upload, fields: { ...upload.upload.fields, key: strayKey } }, pdf(), 'application/pdf');
    await eventually('the stray object deleted', () => objectExists(strayKey), (exists) => !exists, 20_000);
    expect((await getAttachment(owner.token, base, upload.id)).status).toBe('PENDING');
    // an event for the attachment's own key whose object is gone by the time it is read: nothing changes, no failure
    process.env.POWERTOOLS_LOG_LEVEL = 'ERROR';
    process.env.POWERTOOLS_METRICS_DISABLED = 'true';
    const verifier = (await import('../../functions/s3/verify-upload.js')).handler as unknown as (event: unknown, context: Context) => Promise<{ outcome: string }>;
    const event = { 'detail-type': 'Object Created', source: 'aws.s3', detail: { bucket: { name: inject('bucketName') }, object: { key: upload.upload.fields.key!, size: 10, etag: 'gone' } } };
    expect((await verifier(event, lambdaContext('verify-upload'))).outcome).toBe('unchanged');
    expect((await getAttachment(owner.token, base, upload.id)).status).toBe('PENDING');
  });
});

describe('the item\'s attachments', () => {
  it('set-primary switches atomically; the item\'s image_url follows its primary photo unless it has its own', async () => {
    const { owner, workspace, itemId, base } = await setUp();
    const photo = await requestUpload(owner.token, base, itemId, { file_name: 'drill.png', mime_type: 'image/png', size_bytes: png.length, attachment_type: 'PHOTO', is_primary: true });
    const manual = expectStatus(await call<Attachment>('POST', `${base}/items/${itemId}/attachments`, {
      token: owner.token, body: { attachment_type: 'MANUAL', title: 'Manual', docspell_item_id: 'Dx7pN2qR' },
    }), 201).json;
    expect(manual).toMatchObject({ is_primary: false, docspell_item_id: 'Dx7pN2qR' });
    expect(manual.status).toBeUndefined();
    // a PENDING photo is no picture yet
    expect(expectStatus(await call('GET', `${base}/items/${itemId}`, { token: owner.token }), 200).json.image_url).toBeUndefined();
    await postForm(photo.upload, png, 'image/png');
    expect((await settled(owner.token, base, photo.id)).status).toBe('READY');
    const item = expectStatus(await call('GET', `${base}/items/${itemId}`, { token: owner.token }), 200).json;
    expect(item.image_url).toMatch(new RegExp(`/workspaces/${workspace.id}/attachments/${photo.id}/download$`));

    // primary first, then oldest
    const list = async () => expectStatus(await call<{ items: Attachment[] }>('GET', `${base}/items/${itemId}/attachments`, { token: owner.token }), 200).json.items;
    expect((await list()).map((attachment) => [attachment.id, attachment.is_primary])).toEqual([[photo.id, true], [manual.id, false]]);
    expect((await list())[0]!.download_url).toBeDefined();

    expectStatus(await call('POST', `${base}/items/${itemId}/attachments/${manual.id}/set-primary`, { token: owner.token }), 204);
    expect((await list()).map((attachment) => [attachment.id, attachment.is_primary])).toEqual([[manual.id, true], [photo.id, false]]);
    expect(expectStatus(await call('GET', `${base}/items/${itemId}`, { token: owner.token }), 200).json.image_url).toBeUndefined();

    // concurrent switches leave exactly one primary
    await Promise.all([photo.id, manual.id, photo.id, manual.id].map((id) =>
      call('POST', `${base}/items/${itemId}/attachments/${id}/set-primary`, { token: owner.token }).then((answer) => expectStatus(answer, 204))));
    expect((await list()).filter((attachment) => attachment.is_primary)).toHaveLength(1);

    // an item's own image wins
    expectStatus(await call('POST', `${base}/items/${itemId}/attachments/${photo.id}/set-primary`, { token: owner.token }), 204);
    const patched = expectStatus(await call('PATCH', `${base}/items/${itemId}`, { token: owner.token, body: { image_url: 'https://example.com/drill.jpg' } }), 200).json;
    expect(patched.image_url).toBe('https://example.com/drill.jpg');
    // an attachment of another item is not this item's
    const other = expectStatus(await call('POST', `${base}/items`, { token: owner.token, body: { name: 'Saw' } }), 201).json;
    expectProblem(await call('POST', `${base}/items/${other.id}/attachments/${photo.id}/set-primary`, { token: owner.token }), 404, 'NOT_FOUND');
  });

  it('delete removes the record and, through the change feed, the object; storage goes back; sync, the tombstone and activity follow', async () => {
    const { owner, workspace, itemId, base } = await setUp();
    const upload = await requestUpload(owner.token, base, itemId, { file_name: 'w.pdf', mime_type: 'application/pdf', size_bytes: pdf().length, attachment_type: 'WARRANTY', is_primary: true });
    await postForm(upload.upload, pdf(), 'application/pdf');
    expect((await settled(owner.token, base, upload.id)).status).toBe('READY');
    const key = await objectKeyOf(workspace.id, upload.id);
    expect(await objectExists(key)).toBe(true);

    // the change log carries it to sync clients, verified (without a link: links expire)
    const since = new Date(Date.now() - 5 * 60_000).toISOString();
    const synced = await eventually('the attachment in the delta', async () =>
      expectStatus(await call('GET', `${base}/sync/delta`, { token: owner.token, query: { modified_since: since, entity_types: 'attachment' } }), 200).json.attachments as Attachment[],
    (found) => found.some((attachment) => attachment.id === upload.id && attachment.status === 'READY'));
    expect(synced.find((attachment) => attachment.id === upload.id)!.download_url).toBeUndefined();

    expectStatus(await call('DELETE', `${base}/attachments/${upload.id}`, { token: owner.token }), 204);
    expectProblem(await call('GET', `${base}/attachments/${upload.id}`, { token: owner.token }), 404, 'NOT_FOUND');
    await eventually('the delete in the delta', async () =>
      expectStatus(await call('GET', `${base}/sync/delta`, { token: owner.token, query: { modified_since: since } }), 200).json.deleted as { entity_id: string }[],
    (deleted) => deleted.some((entry) => entry.entity_id === upload.id));
    await eventually('the object deleted', () => objectExists(key), (exists) => !exists, 20_000);
    expect(expectStatus(await call('GET', base, { token: owner.token }), 200).json.storage).toMatchObject({ bytes: 0, attachments: 0 });
    expect(expectStatus(await call('GET', `${base}/items/${itemId}/attachments`, { token: owner.token }), 200).json.items).toEqual([]);
    const deleted = await eventually('the tombstone', async () => expectStatus(await call('GET', `${base}/sync/deleted`, { token: owner.token }), 200).json.items as { entity_id: string; entity_type: string }[],
      (items) => items.some((entry) => entry.entity_id === upload.id));
    expect(deleted.find((entry) => entry.entity_id === upload.id)?.entity_type).toBe('ATTACHMENT');
    const activity = await eventually('the activity', async () => expectStatus(await call('GET', `${base}/activity/ATTACHMENT/${upload.id}`, { token: owner.token }), 200).json.items as { action: string }[],
      (items) => items.some((entry) => entry.action === 'DELETE'));
    expect(activity.map((entry) => entry.action)).toEqual(expect.arrayContaining(['CREATE', 'DELETE']));
  });
});

describe('refusals', () => {
  it('types outside the allow-list and sizes over the limit are 422; an unknown item is 404; a reference needs an id', async () => {
    const { owner, itemId, base } = await setUp();
    const path = `${base}/items/${itemId}/attachments/upload`;
    const body = { file_name: 'a.exe', mime_type: 'application/x-msdownload', size_bytes: 10, attachment_type: 'OTHER' };
    expect(expectProblem(await call('POST', path, { token: owner.token, body }), 422, 'VALIDATION_FAILED').errors?.[0]?.location).toBe('body.mime_type');
    const tooLarge = { ...body, mime_type: 'image/jpeg', size_bytes: 25 * 1024 * 1024 + 1 };
    expect(expectProblem(await call('POST', path, { token: owner.token, body: tooLarge }), 422, 'VALIDATION_FAILED').errors?.[0]?.location).toBe('body.size_bytes');
    expectProblem(await call('POST', path, { token: owner.token, body: { ...body, mime_type: 'image/jpeg', size_bytes: 0 } }), 422, 'VALIDATION_FAILED');
    expectProblem(await call('POST', `${base}/items/0193a5e2-7c1a-7b3e-9f00-000000000000/attachments/upload`, { token: owner.token, body: { ...body, mime_type: 'image/jpeg' } }), 404, 'NOT_FOUND');
    expectProblem(await call('POST', `${base}/items/${itemId}/attachments`, { token: owner.token, body: { attachment_type: 'OTHER' } }), 422, 'VALIDATION_FAILED');
    expect(expectStatus(await call('GET', `${base}/items/${itemId}/attachments`, { token: owner.token }), 200).json.items).toEqual([]);
  });

  it('a workspace over its quota: 409 STORAGE_QUOTA_EXCEEDED when asking, REJECTED when the quota filled up meanwhile', async () => {
    const { owner, workspace, itemId, base } = await setUp();
    const quota = 5 * 1024 ** 3;
    const bytes = pdf();
    const upload = await requestUpload(owner.token, base, itemId, { file_name: 'q.pdf', mime_type: 'application/pdf', size_bytes: bytes.length, attachment_type: 'RECEIPT' });
    // other uploads filled the workspace meanwhile (set directly: no test uploads 5 GiB)
    await setAttributes({ PK: `WS#${workspace.id}`, SK: 'WS' }, { storage_bytes: quota - 10 });
    expectProblem(await call('POST', `${base}/items/${itemId}/attachments/upload`, {
      token: owner.token, body: { file_name: 'r.pdf', mime_type: 'application/pdf', size_bytes: 11, attachment_type: 'RECEIPT' },
    }), 409, 'STORAGE_QUOTA_EXCEEDED');
    await postForm(upload.upload, bytes, 'application/pdf');
    expect(await settled(owner.token, base, upload.id)).toMatchObject({ status: 'REJECTED', rejection_reason: expect.stringMatching(/quota/) });
    expect(expectStatus(await call('GET', base, { token: owner.token }), 200).json.storage.bytes).toBe(quota - 10);
  });

  it('non-members get no attachment and no URL; viewers read but cannot upload', async () => {
    const { owner, workspace, itemId, base } = await setUp();
    const upload = await requestUpload(owner.token, base, itemId, { file_name: 'p.png', mime_type: 'image/png', size_bytes: png.length, attachment_type: 'PHOTO' });
    await postForm(upload.upload, png, 'image/png');
    expect((await settled(owner.token, base, upload.id)).status).toBe('READY');
    const stranger = await signUp();
    for (const [method, path] of [
      ['GET', `${base}/attachments/${upload.id}`], ['GET', `${base}/attachments/${upload.id}/download`], ['GET', `${base}/items/${itemId}/attachments`],
    ] as const) {
      const answer = await call(method, path, { token: stranger.token, redirect: 'manual' });
      expectProblem(answer, 403, 'WORKSPACE_ACCESS_DENIED');
      expect(answer.text).not.toContain('X-Amz-Signature');
    }
    const viewer = await signUp();
    await addMember(owner.token, workspace.id, viewer.user.id, 'viewer');
    expect((await getAttachment(viewer.token, base, upload.id)).download_url).toContain('X-Amz-Signature');
    expectProblem(await call('POST', `${base}/items/${itemId}/attachments/upload`, {
      token: viewer.token, body: { file_name: 'p.png', mime_type: 'image/png', size_bytes: 10, attachment_type: 'PHOTO' },
    }), 403, 'ROLE_TOO_LOW');
    expectProblem(await call('DELETE', `${base}/attachments/${upload.id}`, { token: viewer.token }), 403, 'ROLE_TOO_LOW');
  });
});

describe('abandoned uploads', () => {
  type Job = (event: unknown, context: Context) => Promise<{ deleted: number }>;
  let job: Job;
  beforeAll(async () => {
    process.env.POWERTOOLS_LOG_LEVEL = 'ERROR';
    process.env.POWERTOOLS_METRICS_DISABLED = 'true';
    job = (await import('../../functions/jobs/attachment-cleanup.js')).handler as unknown as Job;
  });

  it('an upload still PENDING a day later is deleted by the cleanup job; a recent one and a verified one stay', async () => {
    const { owner, workspace, itemId, base } = await setUp();
    const asked = (name: string) => requestUpload(owner.token, base, itemId, { file_name: name, mime_type: 'application/pdf', size_bytes: pdf().length, attachment_type: 'OTHER' });
    const [old, recent, verified] = [await asked('old.pdf'), await asked('recent.pdf'), await asked('verified.pdf')];
    await postForm(verified.upload, pdf(), 'application/pdf');
    expect((await settled(owner.token, base, verified.id)).status).toBe('READY');
    // a day and a minute ago, as the index saw it
    const dayAgo = new Date(Date.now() - 24 * 60 * 60_000 - 60_000).toISOString();
    await setAttributes({ PK: `WS#${workspace.id}`, SK: `ATTACHMENT#${old.id}` }, {
      created_at: dayAgo, GSI3PK: `ATTACHMENTS#PENDING#${dayAgo.slice(0, 10)}`, GSI3SK: `${dayAgo}#${workspace.id}#${old.id}`,
    });
    const context = { ...lambdaContext('attachment-cleanup'), getRemainingTimeInMillis: () => 300_000 };
    expect((await job({}, context)).deleted).toBeGreaterThanOrEqual(1);
    expectProblem(await call('GET', `${base}/attachments/${old.id}`, { token: owner.token }), 404, 'NOT_FOUND');
    expect((await getAttachment(owner.token, base, recent.id)).status).toBe('PENDING');
    expect((await getAttachment(owner.token, base, verified.id)).status).toBe('READY');
    // a second run finds nothing more of this workspace's
    await job({}, context);
    expect((await call<{ items: Attachment[] }>('GET', `${base}/items/${itemId}/attachments`, { token: owner.token })).json.items.map((attachment) => attachment.id).sort())
      .toEqual([recent.id, verified.id].sort());
  });
});

describe('deleting a workspace', () => {
  it('its purge deletes its attachments\' files too (through the change feed)', async () => {
    const { owner, workspace, itemId, base } = await setUp();
    const upload = await requestUpload(owner.token, base, itemId, { file_name: 'gone.png', mime_type: 'image/png', size_bytes: png.length, attachment_type: 'PHOTO' });
    await postForm(upload.upload, png, 'image/png');
    expect((await settled(owner.token, base, upload.id)).status).toBe('READY');
    const key = await objectKeyOf(workspace.id, upload.id);
    expect(await objectExists(key)).toBe(true);

    expectStatus(await call('DELETE', base, { token: owner.token }), 204);
    // the job works through the purge index oldest first, up to 20 workspaces a run: other files' may be ahead of ours
    for (let run = 1; run <= 5 && (await getItem({ PK: `WS#${workspace.id}`, SK: 'WS' })) !== undefined; run += 1) {
      const job = await runJob(['purge-workspaces']);
      expect(job.code, `npm run job purge-workspaces failed:\n${job.output}`).toBe(0);
    }
    expect(await getItem({ PK: `WS#${workspace.id}`, SK: `ATTACHMENT#${upload.id}` })).toBeUndefined();
    await eventually('the purged workspace\'s file deleted', () => objectExists(key), (exists) => !exists, 20_000);
  });
});
