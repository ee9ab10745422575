// Printing (issue 15) over real HTTP, run by the real change feed: POST …/print/label-sheets and
// POST …/reports/insurance answer 202 with a QUEUED job, the jobs projector renders the PDF and puts
// it in s3rver, GET …/jobs/{id} reaches DONE with a presigned link, and the downloaded PDF is read
// back with poppler (test/support/pdf.ts): each label's QR code decodes (jsQR) to the same link as
// GET …/qr, the text carries names, short codes and parent locations, start_position and copies
// give the pages expected; the insurance report lists each row once with per-currency, per-location
// and per-category totals and embeds the uploaded photo; filters and archived items narrow it.
// Refusals are problem+json and leave no job behind. A rendered label page and the report's pages
// are kept under /tmp/print-artifacts/ to be looked at.
import { randomUUID } from 'node:crypto';
import { mkdirSync, writeFileSync } from 'node:fs';
import jsqr from 'jsqr';
import { PNG } from 'pngjs';
import { describe, expect, it } from 'vitest';
import { labelBox, labelLayoutIds, labelLayouts, type LabelLayoutId } from '../../shared/domain/print/layouts.js';
import { crop, pageCount, pdfImages, pdfText, rasterise } from '../support/pdf.js';
import {
  addMember, apiUrl, call, createWorkspace, expectProblem, expectStatus, signUp, type SignedInUser, type WorkspaceShape,
} from './support/api.js';
import { conformanceProblems } from './support/conformance.js';
import { eventually } from './support/eventually.js';
import { partition } from './support/table.js';

// jsqr is CommonJS: its module object is the decoder, with itself as `default` (what the types name).
const jsQR = jsqr.default;
const artifacts = '/tmp/print-artifacts';

interface Job {
  id: string;
  workspace_id: string;
  kind: 'LABEL_SHEETS' | 'INSURANCE_REPORT';
  status: 'QUEUED' | 'RUNNING' | 'DONE' | 'FAILED';
  progress: { processed: number; total: number };
  created_by: string;
  file?: { name: string; content_type: string; size_bytes: number; pages: number };
  download_url?: string;
  download_expires_at?: string;
  error?: { code: string; message: string };
}

interface Entity {
  id: string;
  name: string;
  short_code: string;
}

type TargetType = 'ITEM' | 'LOCATION' | 'CONTAINER';
interface Target {
  entity_type: TargetType;
  id: string;
}

const segments: Record<TargetType, string> = { ITEM: 'items', LOCATION: 'locations', CONTAINER: 'containers' };

async function create(token: string, ws: string, segment: string, body: Record<string, unknown>): Promise<Entity> {
  return expectStatus(await call<Entity>('POST', `/workspaces/${ws}/${segment}`, { token, body }), 201).json;
}

const jobPath = (ws: string, id: string) => `/workspaces/${ws}/jobs/${id}`;
const labelSheets = (token: string, ws: string, body: Record<string, unknown>) => call<Job>('POST', `/workspaces/${ws}/print/label-sheets`, { token, body });
const insuranceReport = (token: string, ws: string, body: Record<string, unknown>) => call<Job>('POST', `/workspaces/${ws}/reports/insurance`, { token, body });

/** A 202 with the job as QUEUED and its Location; answers the job. */
function accepted(response: Awaited<ReturnType<typeof labelSheets>>, ws: string, kind: Job['kind'], total?: number): Job {
  expectStatus(response, 202);
  const job = response.json;
  expect(job).toMatchObject({ workspace_id: ws, kind, status: 'QUEUED', progress: { processed: 0, ...(total === undefined ? {} : { total }) } });
  expect(job.download_url).toBeUndefined();
  expect(response.headers.get('location')).toBe(jobPath(ws, job.id));
  return job;
}

/** Polls the job until it is settled; it must be DONE with a PDF and a link. */
async function done(token: string, ws: string, id: string): Promise<Job> {
  const job = await eventually(`job ${id} settled`, async () => expectStatus(await call<Job>('GET', jobPath(ws, id), { token }), 200).json,
    (answer) => answer.status === 'DONE' || answer.status === 'FAILED', 45_000);
  expect(job.status, JSON.stringify(job.error)).toBe('DONE');
  expect(job.file).toMatchObject({ content_type: 'application/pdf', name: expect.stringMatching(/\.pdf$/) });
  expect(job.file!.pages).toBeGreaterThanOrEqual(1);
  expect(job.progress.processed).toBe(job.progress.total);
  expect(job.download_url).toMatch(/^https?:\/\//);
  expect(Date.parse(job.download_expires_at!)).toBeGreaterThan(Date.now());
  return job;
}

/** The job's file from its presigned link (s3rver); checks it is the PDF the job describes. */
async function download(job: Job): Promise<Buffer> {
  const response = await fetch(job.download_url!);
  const bytes = Buffer.from(await response.arrayBuffer());
  expect(response.status, bytes.toString('utf8').slice(0, 300)).toBe(200);
  expect(response.headers.get('content-type')).toMatch(/^application\/pdf/);
  expect(bytes.subarray(0, 5).toString('latin1')).toBe('%PDF-');
  expect(bytes.length).toBe(job.file!.size_bytes);
  expect(pageCount(bytes)).toBe(job.file!.pages);
  return bytes;
}

/** What a phone reads from the thing's own QR image (GET …/qr, PNG), checked against the OpenAPI document like every answer. */
async function qrOf(token: string, ws: string, target: Target): Promise<string | undefined> {
  const url = new URL(`${apiUrl()}/workspaces/${ws}/${segments[target.entity_type]}/${target.id}/qr`);
  const response = await fetch(url, { headers: { authorization: `Bearer ${token}` } });
  const bytes = Buffer.from(await response.arrayBuffer());
  expect(response.status).toBe(200);
  expect(await conformanceProblems({ method: 'GET', url, status: response.status, headers: response.headers, text: '(binary)' })).toEqual([]);
  const png = PNG.sync.read(bytes);
  return jsQR(new Uint8ClampedArray(png.data.buffer, png.data.byteOffset, png.data.length), png.width, png.height)?.data;
}

/** What a phone reads from the label at `position` of a rasterised page. */
function qrOnLabel(raster: ReturnType<typeof rasterise>, layout: LabelLayoutId, position: number): string | undefined {
  const image = crop(raster, labelBox(labelLayouts[layout], position));
  return jsQR(image.data, image.width, image.height)?.data;
}

function keep(name: string, bytes: Buffer): void {
  mkdirSync(artifacts, { recursive: true });
  writeFileSync(`${artifacts}/${name}`, bytes);
}

const jobsOf = (ws: string) => partition(`WS#${ws}#JOBS`);
const occurrences = (text: string, part: string) => text.split(part).length - 1;

interface LabelWorld {
  owner: SignedInUser;
  workspace: WorkspaceShape;
  ws: string;
  garage: Entity;
  shelf: Entity;
  crate: Entity;
  drill: Entity;
  /** crate, shelf, garage, drill: the order the sheets print them in */
  targets: Target[];
  entities: Entity[];
}

async function labelWorld(): Promise<LabelWorld> {
  const owner = await signUp();
  const workspace = await createWorkspace(owner.token);
  const ws = workspace.id;
  const [garage, drill] = await Promise.all([create(owner.token, ws, 'locations', { name: 'Garage' }), create(owner.token, ws, 'items', { name: 'Cordless drill' })]);
  const shelf = await create(owner.token, ws, 'locations', { name: 'Shelf 3', parent_location: garage.id });
  const crate = await create(owner.token, ws, 'containers', { name: 'Red crate', location_id: shelf.id });
  const targets: Target[] = [
    { entity_type: 'CONTAINER', id: crate.id }, { entity_type: 'LOCATION', id: shelf.id },
    { entity_type: 'LOCATION', id: garage.id }, { entity_type: 'ITEM', id: drill.id },
  ];
  return { owner, workspace, ws, garage, shelf, crate, drill, targets, entities: [crate, shelf, garage, drill] };
}

describe('label sheets', () => {
  it('AVERY_L7160: 202 QUEUED with Location → DONE; the PDF from s3rver carries each thing\'s QR link, name, short code and parent', async () => {
    const { owner, ws, targets, entities } = await labelWorld();
    const job = accepted(await labelSheets(owner.token, ws, { layout: 'AVERY_L7160', targets }), ws, 'LABEL_SHEETS', 4);
    expect(job.created_by).toBe(owner.id);
    const finished = await done(owner.token, ws, job.id);
    expect(finished).toMatchObject({ progress: { processed: 4, total: 4 }, file: { name: 'labels-avery-l7160.pdf', pages: 1 } });
    const pdf = await download(finished);

    const raster = rasterise(pdf, 1);
    keep('integration-labels-avery-l7160.png', raster.png);
    // each label's QR is the thing's own QR link: the PWA's /w/{ws}/s/{short_code} (the runtime's APP_URL is the API's URL)
    for (const [index, target] of targets.entries()) {
      const expected = `${apiUrl()}/w/${ws}/s/${entities[index]!.short_code}`;
      expect(await qrOf(owner.token, ws, target)).toBe(expected);
      expect(qrOnLabel(raster, 'AVERY_L7160', index + 1), `label ${index + 1}`).toBe(expected);
    }
    // positions 5 and on are blank
    expect(qrOnLabel(raster, 'AVERY_L7160', 5)).toBeUndefined();

    const text = pdfText(pdf);
    for (const entity of entities) {
      expect(text).toContain(entity.name);
      expect(text).toContain(entity.short_code);
    }
  });

  it('every layout renders DONE, one page per thermal label; each label names its parent location (the crate Shelf 3, the shelf Garage)', async () => {
    const { owner, ws, targets, entities } = await labelWorld();
    const jobs = await Promise.all(labelLayoutIds.map(async (layout) => [layout, accepted(await labelSheets(owner.token, ws, { layout, targets }), ws, 'LABEL_SHEETS', 4)] as const));
    const expectedPages: Record<LabelLayoutId, number> = { AVERY_L7160: 1, AVERY_5160: 1, AVERY_L7651: 1, BROTHER_QL_62X29: 4 };
    for (const [layout, job] of jobs) {
      const finished = await done(owner.token, ws, job.id);
      expect(finished.file!.pages, layout).toBe(expectedPages[layout]);
      const pdf = await download(finished);
      const raster = rasterise(pdf, 1, layout === 'AVERY_L7651' ? 600 : 300);
      if (layout !== 'AVERY_L7160') keep(`integration-labels-${layout.toLowerCase().replace(/_/g, '-')}.png`, raster.png);
      expect(qrOnLabel(raster, layout, 1), layout).toBe(`${apiUrl()}/w/${ws}/s/${entities[0]!.short_code}`);
      if (layout !== 'BROTHER_QL_62X29') continue;
      // one label a page: each page's text is that thing's alone
      const pages = pdfText(pdf).split('\f').slice(0, -1);
      expect(pages).toHaveLength(4);
      const [crate, shelf, garage, drill] = pages.map((page) => page.replace(/\s+/g, ' ').trim());
      expect(crate).toContain('Red crate');
      expect(crate).toContain('Shelf 3');
      expect(crate).toContain(entities[0]!.short_code);
      expect(crate).not.toContain('Garage');
      expect(shelf).toContain('Shelf 3');
      expect(shelf).toContain('Garage');
      expect(shelf).toContain(entities[1]!.short_code);
      // a top-level location and an item have no parent line
      expect(garage).toContain('Garage');
      expect(garage).not.toContain('Shelf 3');
      expect(drill).toContain('Cordless drill');
      expect(drill).not.toMatch(/Garage|Shelf 3/);
      for (const [index, page] of pages.entries()) {
        expect(qrOnLabel(rasterise(pdf, index + 1), layout, 1), `page ${index + 1}`).toBe(`${apiUrl()}/w/${ws}/s/${entities[index]!.short_code}`);
        expect(page).toContain(entities[index]!.short_code);
      }
    }
  });

  it('start_position 4 and copies 2: 11 things × 2 on AVERY_L7160 (21 a sheet) fill positions 4-21 and then 1-4 of a second page', async () => {
    const owner = await signUp();
    const ws = (await createWorkspace(owner.token)).id;
    const things = await Promise.all(Array.from({ length: 11 }, (_, index) => create(owner.token, ws, 'items', { name: `Box ${index + 1}` })));
    const targets = things.map((thing) => ({ entity_type: 'ITEM', id: thing.id }));
    const job = accepted(await labelSheets(owner.token, ws, { layout: 'AVERY_L7160', targets, start_position: 4, copies: 2 }), ws, 'LABEL_SHEETS', 22);
    const finished = await done(owner.token, ws, job.id);
    expect(finished).toMatchObject({ progress: { processed: 22, total: 22 }, file: { pages: 2 } });
    const pdf = await download(finished);
    const link = (index: number) => `${apiUrl()}/w/${ws}/s/${things[index]!.short_code}`;
    const first = rasterise(pdf, 1);
    // positions 1-3 of the half-used sheet stay blank; each thing twice, side by side
    for (const position of [1, 2, 3]) expect(qrOnLabel(first, 'AVERY_L7160', position), `page 1, position ${position}`).toBeUndefined();
    expect([4, 5, 6, 7, 20, 21].map((position) => qrOnLabel(first, 'AVERY_L7160', position))).toEqual([link(0), link(0), link(1), link(1), link(8), link(8)]);
    const second = rasterise(pdf, 2);
    expect([1, 2, 3, 4, 5].map((position) => qrOnLabel(second, 'AVERY_L7160', position))).toEqual([link(9), link(9), link(10), link(10), undefined]);
    const text = pdfText(pdf);
    for (const thing of things) expect(occurrences(text, thing.short_code), thing.name).toBe(2);
  });
});

describe('print refusals, access and jobs of other workspaces', () => {
  it('refuses what cannot be printed with problem+json, and records no job for any of it', async () => {
    const { owner, ws, targets, drill } = await labelWorld();
    const other = await labelWorld();
    const body = { layout: 'AVERY_L7160', targets };

    const unknownLayout = expectProblem(await labelSheets(owner.token, ws, { ...body, layout: 'AVERY_L9999' }), 422, 'VALIDATION_FAILED');
    expect(unknownLayout.errors?.map((error) => error.location)).toContain('body.layout');

    const missing = expectProblem(await labelSheets(owner.token, ws, { ...body, targets: [targets[0], { entity_type: 'ITEM', id: randomUUID() }] }), 422, 'REFERENCE_NOT_FOUND');
    expect(missing.errors?.map((error) => error.location)).toEqual(['body.targets[1]']);
    // another workspace's location, by its real id: not this workspace's
    const foreign = expectProblem(await labelSheets(owner.token, ws, { ...body, targets: [...targets, { entity_type: 'LOCATION', id: other.garage.id }] }), 422, 'REFERENCE_NOT_FOUND');
    expect(foreign.errors?.map((error) => error.location)).toEqual(['body.targets[4]']);
    // an item's id named as a location
    const wrongType = expectProblem(await labelSheets(owner.token, ws, { ...body, targets: [{ entity_type: 'LOCATION', id: drill.id }] }), 422, 'REFERENCE_NOT_FOUND');
    expect(wrongType.errors?.map((error) => error.location)).toEqual(['body.targets[0]']);

    const offSheet = expectProblem(await labelSheets(owner.token, ws, { ...body, start_position: 30 }), 422, 'VALIDATION_FAILED');
    expect(offSheet.errors?.map((error) => error.location)).toEqual(['body.start_position']);
    expectProblem(await labelSheets(owner.token, ws, { ...body, start_position: 22 }), 422, 'VALIDATION_FAILED');
    expectProblem(await labelSheets(owner.token, ws, { ...body, layout: 'BROTHER_QL_62X29', start_position: 2 }), 422, 'VALIDATION_FAILED');
    expectProblem(await labelSheets(owner.token, ws, { ...body, start_position: 0 }), 422, 'VALIDATION_FAILED');

    // 21 × 100 = 2,100 labels: over the 2,000 of one request (each copies count is allowed on its own)
    const tooMany = expectProblem(await labelSheets(owner.token, ws, { ...body, targets: Array.from({ length: 21 }, () => targets[3]), copies: 100 }), 422, 'VALIDATION_FAILED');
    expect(tooMany.errors?.map((error) => error.location)).toEqual(['body.copies']);
    expectProblem(await labelSheets(owner.token, ws, { ...body, copies: 101 }), 422, 'VALIDATION_FAILED');
    expectProblem(await labelSheets(owner.token, ws, { ...body, targets: [] }), 422, 'VALIDATION_FAILED');
    expectProblem(await labelSheets(owner.token, ws, { ...body, targets: [{ entity_type: 'BORROWER', id: drill.id }] }), 422, 'VALIDATION_FAILED');
    expectProblem(await labelSheets(owner.token, ws, { ...body, fields: ['name', 'price'] }), 422, 'VALIDATION_FAILED');
    expectProblem(await labelSheets(owner.token, ws, { ...body, colour: 'red' }), 422, 'VALIDATION_FAILED');
    expectProblem(await insuranceReport(owner.token, ws, { location_ids: ['not-a-uuid'] }), 422, 'VALIDATION_FAILED');
    expectProblem(await insuranceReport(owner.token, ws, { insured_only: 'yes' }), 422, 'VALIDATION_FAILED');
    expectProblem(await insuranceReport(owner.token, ws, { rooms: [] }), 422, 'VALIDATION_FAILED');

    // someone outside the workspace is refused as on every workspace route; no token is 401
    const stranger = await signUp();
    expectProblem(await labelSheets(stranger.token, ws, body), 403, 'WORKSPACE_ACCESS_DENIED');
    expectProblem(await insuranceReport(stranger.token, ws, {}), 403, 'WORKSPACE_ACCESS_DENIED');
    expectProblem(await call('POST', `/workspaces/${ws}/print/label-sheets`, { body }), 401, 'UNAUTHENTICATED');
    // the other workspace's owner, printing this workspace's things into their own: not theirs
    expectProblem(await labelSheets(other.owner.token, other.ws, body), 422, 'REFERENCE_NOT_FOUND');

    expect(await jobsOf(ws)).toEqual([]);
    expect(await jobsOf(other.ws)).toEqual([]);
  });

  it('a viewer may print and read the job; strangers, other workspaces and made-up ids get no job', async () => {
    const { owner, ws, targets, entities } = await labelWorld();
    const viewer = await signUp();
    await addMember(owner.token, ws, viewer.id, 'viewer');
    const job = accepted(await labelSheets(viewer.token, ws, { layout: 'AVERY_5160', targets: targets.slice(0, 1), start_position: 30 }), ws, 'LABEL_SHEETS', 1);
    expect(job.created_by).toBe(viewer.id);
    const finished = await done(viewer.token, ws, job.id);
    const raster = rasterise(await download(finished), 1);
    expect(qrOnLabel(raster, 'AVERY_5160', 30)).toBe(`${apiUrl()}/w/${ws}/s/${entities[0]!.short_code}`);
    expect(qrOnLabel(raster, 'AVERY_5160', 1)).toBeUndefined();
    // the owner sees the viewer's job too (jobs are the workspace's)
    expect(expectStatus(await call<Job>('GET', jobPath(ws, job.id), { token: owner.token }), 200).json).toMatchObject({ id: job.id, status: 'DONE' });
    accepted(await insuranceReport(viewer.token, ws, {}), ws, 'INSURANCE_REPORT', 0);
    expect(await jobsOf(ws)).toHaveLength(2);

    // the job's id under another workspace its owner also owns: 404, as is an id that is no job
    const elsewhere = await createWorkspace(owner.token);
    expectProblem(await call('GET', jobPath(elsewhere.id, job.id), { token: owner.token }), 404, 'NOT_FOUND');
    expectProblem(await call('GET', jobPath(ws, randomUUID()), { token: owner.token }), 404, 'NOT_FOUND');
    expectProblem(await call('GET', jobPath(ws, 'not-a-uuid'), { token: owner.token }), 422, 'VALIDATION_FAILED');
    const stranger = await signUp();
    expectProblem(await call('GET', jobPath(ws, job.id), { token: stranger.token }), 403, 'WORKSPACE_ACCESS_DENIED');
    expectProblem(await call('GET', jobPath(ws, job.id)), 401, 'UNAUTHENTICATED');
  });
});

// ---- the insurance report

/** A small but real PDF (what the upload verifier recognises by its first bytes). */
const receiptPdf = Buffer.from('%PDF-1.4\n1 0 obj << /Type /Catalog >> endobj\n% till slip\ntrailer << /Root 1 0 R >>\n%%EOF\n');

/** A 96 × 64 PNG photo: a sky-to-grass gradient with a red square (something to see in the report). */
function photoPng(): Buffer {
  const png = new PNG({ width: 96, height: 64 });
  for (let y = 0; y < png.height; y += 1) {
    for (let x = 0; x < png.width; x += 1) {
      const at = (y * png.width + x) * 4;
      const square = x >= 36 && x < 60 && y >= 20 && y < 44;
      const sky = y < 40;
      png.data[at] = square ? 220 : sky ? 90 : 40;
      png.data[at + 1] = square ? 30 : sky ? 150 + y : 140;
      png.data[at + 2] = square ? 30 : sky ? 230 : 50;
      png.data[at + 3] = 255;
    }
  }
  return PNG.sync.write(png, { colorType: 2 });
}

interface Attachment {
  id: string;
  status?: 'PENDING' | 'READY' | 'REJECTED';
  upload: { url: string; fields: Record<string, string> };
}

/** Asks for an upload, posts the file to the presigned form as a browser does, and waits for the verifier's READY. */
async function attach(token: string, ws: string, itemId: string, file: { name: string; type: string; bytes: Buffer }, body: Record<string, unknown>): Promise<void> {
  const upload = expectStatus(await call<Attachment>('POST', `/workspaces/${ws}/items/${itemId}/attachments/upload`, {
    token, body: { file_name: file.name, mime_type: file.type, size_bytes: file.bytes.length, ...body },
  }), 201).json;
  const form = new FormData();
  for (const [name, value] of Object.entries(upload.upload.fields)) form.append(name, value);
  form.append('file', new Blob([file.bytes], { type: file.type }), file.name);
  const posted = await fetch(upload.upload.url, { method: 'POST', body: form });
  expect(posted.status, await posted.text()).toBeLessThan(300);
  const settled = await eventually('the upload verified', async () => expectStatus(await call<Attachment>('GET', `/workspaces/${ws}/attachments/${upload.id}`, { token }), 200).json,
    (attachment) => attachment.status !== 'PENDING', 20_000);
  expect(settled.status).toBe('READY');
}

interface ReportWorld {
  owner: SignedInUser;
  ws: string;
  workspaceName: string;
  living: Entity;
  study: Entity;
  electronics: Entity;
  /** insured, Electronics, in the living room: €899.00, with a photo and a receipt */
  television: Entity;
  /** no category, living room: €150.00 */
  armchair: Entity;
  /** Electronics, study: 2 × $24.50 */
  lamp: Entity;
  /** Electronics, study: €120.00 */
  speaker: Entity;
  /** study, no price */
  radio: Entity;
}

let reportWorld: Promise<ReportWorld> | undefined;

/** One seeded workspace for the report tests (made once: an upload and its verification take a moment). */
function seededReport(): Promise<ReportWorld> {
  reportWorld ??= (async () => {
    const owner = await signUp();
    const workspaceName = 'Flat on Elm Street';
    const ws = (await createWorkspace(owner.token, { name: workspaceName })).id;
    const [living, study, electronics] = await Promise.all([
      create(owner.token, ws, 'locations', { name: 'Living room' }),
      create(owner.token, ws, 'locations', { name: 'Study' }),
      create(owner.token, ws, 'categories', { name: 'Electronics' }),
    ]);
    const [television, armchair, lamp, speaker, radio] = await Promise.all([
      create(owner.token, ws, 'items', { name: 'Television', category_id: electronics.id, is_insured: true, brand: 'Samsung', model: 'QE55Q80C', serial_number: 'SN-TV-0042' }),
      create(owner.token, ws, 'items', { name: 'Armchair', brand: 'Ikea' }),
      create(owner.token, ws, 'items', { name: 'Desk lamp', category_id: electronics.id }),
      create(owner.token, ws, 'items', { name: 'Bluetooth speaker', category_id: electronics.id }),
      create(owner.token, ws, 'items', { name: 'Old radio' }),
    ]);
    const row = (body: Record<string, unknown>) => create(owner.token, ws, 'inventory', body);
    await Promise.all([
      row({ item_id: television.id, location_id: living.id, quantity: 1, purchase_price: 89_900, currency_code: 'EUR', date_acquired: '2024-11-29', warranty_expires: '2027-11-29' }),
      row({ item_id: armchair.id, location_id: living.id, quantity: 1, purchase_price: 15_000, currency_code: 'EUR' }),
      row({ item_id: lamp.id, location_id: study.id, quantity: 2, purchase_price: 2_450, currency_code: 'USD' }),
      row({ item_id: speaker.id, location_id: study.id, quantity: 1, purchase_price: 12_000, currency_code: 'EUR' }),
      row({ item_id: radio.id, location_id: study.id, quantity: 1 }),
    ]);
    await attach(owner.token, ws, television.id, { name: 'tv.png', type: 'image/png', bytes: photoPng() }, { attachment_type: 'PHOTO', is_primary: true });
    await attach(owner.token, ws, television.id, { name: 'receipt.pdf', type: 'application/pdf', bytes: receiptPdf }, { attachment_type: 'RECEIPT', title: 'Till slip MediaMarkt 2024-11' });
    return { owner, ws, workspaceName, living, study, electronics, television, armchair, lamp, speaker, radio };
  })();
  return reportWorld;
}

async function report(token: string, ws: string, body: Record<string, unknown>): Promise<{ job: Job; pdf: Buffer; text: string; layout: string }> {
  const queued = accepted(await insuranceReport(token, ws, body), ws, 'INSURANCE_REPORT', 0);
  const job = await done(token, ws, queued.id);
  expect(job.file!.name).toBe('insurance-report.pdf');
  const pdf = await download(job);
  return { job, pdf, text: pdfText(pdf), layout: pdfText(pdf, { layout: true }) };
}

const squash = (text: string) => text.replace(/[ \t]+/g, ' ');

describe('the insurance report', () => {
  it('lists every row once, by location, with per-currency totals never added across currencies, per-location and per-category totals, the photo and the receipt', async () => {
    const world = await seededReport();
    const { job, pdf, text, layout } = await report(world.owner.token, world.ws, {});
    expect(job.progress).toEqual({ processed: 5, total: 5 });
    expect(job.file!.pages).toBeGreaterThanOrEqual(2);
    keep('integration-insurance-report-page1.png', rasterise(pdf, 1, 100).png);
    keep('integration-insurance-report-page2.png', rasterise(pdf, 2, 100).png);

    expect(text).toContain('Home inventory for insurance');
    expect(text).toContain(world.workspaceName);
    expect(text).toContain('5 items in 2 locations');
    expect(text).toContain('1 item has no price');
    for (const name of ['Television', 'Armchair', 'Desk lamp', 'Bluetooth speaker', 'Old radio']) expect(occurrences(text, name), name).toBe(1);
    expect(text).toContain('Desk lamp × 2');
    // the cover: € 899 + 150 + 120 = 1,169.00 and $ 24.50 × 2 = 49.00, each on its own line, never summed
    const cover = squash(layout.split('\f')[0]!);
    expect(cover).toMatch(/EUR €1,169\.00/);
    expect(cover).toMatch(/USD \$49\.00/);
    expect(layout).not.toContain('1,218.00');
    // per location, per item
    expect(squash(text)).toContain('Total for Living room: €1,049.00');
    expect(squash(text)).toContain('Total for Study: €120.00 · $49.00');
    expect(text).toContain('$49.00'); // the lamp's price is price × quantity
    for (const detail of ['Samsung', 'QE55Q80C', 'SN-TV-0042', '2024-11-29', '2027-11-29', '€899.00', 'Receipt: Till slip MediaMarkt 2024-11']) expect(text).toContain(detail);
    // the living room's items come under its heading, the study's under its own
    const living = text.indexOf('Living room');
    const study = text.indexOf('Study');
    expect(living).toBeGreaterThan(0);
    expect(study).toBeGreaterThan(0);
    const [first, second] = living < study ? [['Television', 'Armchair'], ['Desk lamp', 'Bluetooth speaker', 'Old radio']] : [['Desk lamp', 'Bluetooth speaker', 'Old radio'], ['Television', 'Armchair']];
    const boundary = Math.max(living, study);
    for (const name of first) expect(text.indexOf(name), name).toBeLessThan(boundary);
    for (const name of second) expect(text.indexOf(name), name).toBeGreaterThan(boundary);
    // per category: Electronics € 899 + 120 and $ 49; the armchair uncategorised
    const categories = squash(layout.slice(layout.lastIndexOf('Value by category')));
    expect(categories).toMatch(/Electronics €1,019\.00/);
    expect(categories).toContain('$49.00');
    expect(categories).toMatch(/Uncategorised €150\.00/);
    // the photo is embedded as it was uploaded (96 × 64), on an item page; the others show "No photo"
    const images = pdfImages(pdf).filter((image) => image.type === 'image');
    expect(images).toEqual([expect.objectContaining({ width: 96, height: 64 })]);
    expect(images[0]!.page).toBeGreaterThanOrEqual(2);
    expect(occurrences(text, 'No photo')).toBe(4);
  });

  it('insured_only keeps the insured item alone; location_ids keeps that location\'s rows; category_ids that category\'s items; another workspace\'s location gives none', async () => {
    const world = await seededReport();
    const insured = await report(world.owner.token, world.ws, { insured_only: true });
    expect(insured.job.progress).toEqual({ processed: 1, total: 1 });
    expect(insured.text).toContain('Television');
    for (const name of ['Armchair', 'Desk lamp', 'Bluetooth speaker', 'Old radio']) expect(insured.text).not.toContain(name);
    expect(squash(insured.layout.split('\f')[0]!)).toMatch(/EUR €899\.00/);
    expect(insured.layout).not.toContain('USD');
    expect(pdfImages(insured.pdf).filter((image) => image.type === 'image')).toHaveLength(1);

    const study = await report(world.owner.token, world.ws, { location_ids: [world.study.id] });
    expect(study.job.progress).toEqual({ processed: 3, total: 3 });
    for (const name of ['Desk lamp', 'Bluetooth speaker', 'Old radio']) expect(occurrences(study.text, name), name).toBe(1);
    for (const name of ['Television', 'Armchair', 'Living room']) expect(study.text).not.toContain(name);
    expect(squash(study.layout.split('\f')[0]!)).toMatch(/EUR €120\.00/);

    const electronics = await report(world.owner.token, world.ws, { category_ids: [world.electronics.id] });
    expect(electronics.job.progress).toEqual({ processed: 3, total: 3 });
    for (const name of ['Television', 'Desk lamp', 'Bluetooth speaker']) expect(electronics.text).toContain(name);
    for (const name of ['Armchair', 'Old radio', 'Uncategorised']) expect(electronics.text).not.toContain(name);

    const other = await labelWorld();
    const foreign = await report(world.owner.token, world.ws, { location_ids: [other.garage.id] });
    expect(foreign.job.progress).toEqual({ processed: 0, total: 0 });
    expect(foreign.text).toContain('0 items in 0 locations');
    expect(foreign.text).not.toContain('Television');
  });

  it('leaves out an archived item\'s row and an archived row, and their value; lists only papers whose file was verified (or that refer to a document elsewhere)', async () => {
    const owner = await signUp();
    const ws = (await createWorkspace(owner.token)).id;
    const cellar = await create(owner.token, ws, 'locations', { name: 'Cellar' });
    const item = (name: string) => create(owner.token, ws, 'items', { name });
    const [wine, kettle, chair] = await Promise.all([item('Wine rack'), item('Broken kettle'), item('Garden chair')]);
    await create(owner.token, ws, 'inventory', { item_id: wine.id, location_id: cellar.id, quantity: 1, purchase_price: 4_000, currency_code: 'EUR' });
    await create(owner.token, ws, 'inventory', { item_id: kettle.id, location_id: cellar.id, quantity: 1, purchase_price: 3_000, currency_code: 'EUR' });
    const chairRow = await create(owner.token, ws, 'inventory', { item_id: chair.id, location_id: cellar.id, quantity: 1, purchase_price: 500, currency_code: 'EUR' });
    // the wine rack's papers: a verified receipt, one whose file was refused (text declared a PDF), one never uploaded
    await attach(owner.token, ws, wine.id, { name: 'ok.pdf', type: 'application/pdf', bytes: receiptPdf }, { attachment_type: 'RECEIPT', title: 'Verified receipt' });
    const refused = expectStatus(await call<Attachment>('POST', `/workspaces/${ws}/items/${wine.id}/attachments/upload`, {
      token: owner.token, body: { file_name: 'fake.pdf', mime_type: 'application/pdf', size_bytes: 11, attachment_type: 'RECEIPT', title: 'Refused receipt' },
    }), 201).json;
    const form = new FormData();
    for (const [name, value] of Object.entries(refused.upload.fields)) form.append(name, value);
    form.append('file', new Blob([Buffer.from('not a pdf!\n')], { type: 'application/pdf' }), 'fake.pdf');
    expect((await fetch(refused.upload.url, { method: 'POST', body: form })).status).toBeLessThan(300);
    await eventually('the fake receipt refused', async () => expectStatus(await call<Attachment>('GET', `/workspaces/${ws}/attachments/${refused.id}`, { token: owner.token }), 200).json,
      (attachment) => attachment.status === 'REJECTED', 20_000);
    expectStatus(await call('POST', `/workspaces/${ws}/items/${wine.id}/attachments/upload`, {
      token: owner.token, body: { file_name: 'later.pdf', mime_type: 'application/pdf', size_bytes: 100, attachment_type: 'WARRANTY', title: 'Pending warranty' },
    }), 201);
    // a reference to a document kept elsewhere has no file to verify: it is listed
    expectStatus(await call('POST', `/workspaces/${ws}/items/${wine.id}/attachments`, {
      token: owner.token, body: { attachment_type: 'MANUAL', title: 'Manual in Docspell', docspell_item_id: 'Dx7pN2qR' },
    }), 201);

    const before = await report(owner.token, ws, {});
    expect(before.job.progress).toEqual({ processed: 3, total: 3 });
    expect(before.text).toContain('Broken kettle');
    expect(before.text).toContain('Garden chair');
    expect(squash(before.text)).toContain('Total for Cellar: €75.00');
    expect(before.text).toContain('Receipt: Verified receipt');
    expect(before.text).toContain('Manual: Manual in Docspell');
    expect(before.text).not.toContain('Refused receipt');
    expect(before.text).not.toContain('Pending warranty');

    expectStatus(await call('POST', `/workspaces/${ws}/items/${kettle.id}/archive`, { token: owner.token }), 204);
    expectStatus(await call('POST', `/workspaces/${ws}/inventory/${chairRow.id}/archive`, { token: owner.token }), 204);
    const after = await report(owner.token, ws, {});
    expect(after.job.progress).toEqual({ processed: 1, total: 1 });
    expect(after.text).toContain('Wine rack');
    expect(after.text).not.toContain('Broken kettle');
    expect(after.text).not.toContain('Garden chair');
    expect(squash(after.text)).toContain('Total for Cellar: €40.00');
    expect(after.layout).not.toMatch(/€75\.00|€70\.00|€45\.00/);
  });
});
