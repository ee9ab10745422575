// QR images (issue 8): GET …/{items|locations|containers}/{id}/qr as PNG and SVG. Each image is
// decoded back in the test, the PNG with pngjs + jsQR, the SVG by reading its one <path> into a
// matrix of modules and rasterising that, and must give the PWA's link to the thing,
// `{APP_URL}/w/{workspace_id}/s/{short_code}` (the shared runtime has no APP_URL, so the link
// starts with the API's own URL). Also: the short code in the PNG's tEXt chunk and under the SVG's
// code, `size` honoured and bounded, 404 for what the workspace does not have, viewers allowed,
// strangers refused, and ETag / If-None-Match → 304.
import { randomBytes, randomUUID } from 'node:crypto';
import { crc32 } from 'node:zlib';
import jsqr from 'jsqr';
import { PNG } from 'pngjs';
import { describe, expect, it } from 'vitest';
import * as z from 'zod/mini';
import { routeTable } from '../../shared/contract/index.js';
import {
  addMember, apiUrl, call, expectProblem, expectStatus, signUp, ownedWorkspace
} from './support/api.js';
import { conformanceProblems } from './support/conformance.js';

// jsqr is CommonJS: its module object is the decoder, with itself as `default` (what the types name).
const jsQR = jsqr.default;

const routeExists = (id: string) => routeTable.some((contract) => contract.id === id);

interface Image {
  status: number;
  headers: Headers;
  bytes: Buffer;
}

/** GET of an image (call() reads bodies as text, which would spoil a PNG), checked against the OpenAPI document like every answer. */
async function image(path: string, token: string, query: Record<string, string | number> = {}, headers: Record<string, string> = {}): Promise<Image> {
  const url = new URL(apiUrl() + path);
  for (const [name, value] of Object.entries(query)) url.searchParams.set(name, String(value));
  const response = await fetch(url, { headers: { authorization: `Bearer ${token}`, ...headers } });
  const bytes = Buffer.from(await response.arrayBuffer());
  const text = /json/.test(response.headers.get('content-type') ?? '') ? bytes.toString('utf8') : bytes.length > 0 ? '(binary)' : '';
  expect(await conformanceProblems({ method: 'GET', url, status: response.status, headers: response.headers, text }), 'answers not described by the OpenAPI document').toEqual([]);
  return { status: response.status, headers: response.headers, bytes };
}

function expectImage(answer: Image, contentType: RegExp): Buffer {
  expect(answer.status, answer.bytes.toString('utf8').slice(0, 500)).toBe(200);
  expect(answer.headers.get('content-type')).toMatch(contentType);
  expect(answer.headers.get('etag')).toBeTruthy();
  expect(answer.headers.get('cache-control')).toBe('private, no-cache');
  return answer.bytes;
}

/** What a phone would read from the PNG. */
function decodePng(bytes: Buffer): { text: string | undefined; width: number; height: number } {
  const png = PNG.sync.read(bytes);
  const code = jsQR(new Uint8ClampedArray(png.data.buffer, png.data.byteOffset, png.data.length), png.width, png.height);
  return { text: code?.data, width: png.width, height: png.height };
}

/** The PNG's chunks, each CRC checked; tEXt chunks as keyword → text. */
function pngText(bytes: Buffer): Record<string, string> {
  expect(bytes.subarray(0, 8)).toEqual(Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]));
  const text: Record<string, string> = {};
  for (let at = 8; at < bytes.length;) {
    const length = bytes.readUInt32BE(at);
    const type = bytes.toString('latin1', at + 4, at + 8);
    const data = bytes.subarray(at + 8, at + 8 + length);
    expect(bytes.readUInt32BE(at + 8 + length), `CRC of ${type}`).toBe(crc32(bytes.subarray(at + 4, at + 8 + length)));
    if (type === 'tEXt') {
      const zero = data.indexOf(0);
      text[data.toString('latin1', 0, zero)] = data.toString('latin1', zero + 1);
    }
    at += 12 + length;
  }
  return text;
}

interface Svg {
  width: number;
  height: number;
  viewBox: number[];
  caption: string | undefined;
  /** modules of the viewBox, row by row: true where the path covers it */
  modules: boolean[][];
}

/** Reads the SVG back: its size, its caption, and the modules its one path covers. */
function parseSvg(svg: string): Svg {
  const attribute = (name: string) => new RegExp(`<svg[^>]* ${name}="([^"]+)"`).exec(svg)?.[1];
  const viewBox = attribute('viewBox')!.split(' ').map(Number);
  const paths = [...svg.matchAll(/<path [^>]*d="([^"]*)"/g)];
  expect(paths).toHaveLength(1);
  const [, , columns, rows] = viewBox as [number, number, number, number];
  const modules = Array.from({ length: rows }, () => new Array<boolean>(columns).fill(false));
  const d = paths[0]![1]!;
  // The only shapes the renderer draws: a run of modules in one row, `M<x> <y>h<n>v1h-<n>z`.
  const runs = [...d.matchAll(/M(\d+) (\d+)h(\d+)v1h-(\d+)z/g)];
  expect(runs.map((run) => run[0]).join('')).toBe(d);
  for (const [, x, y, run, back] of runs) {
    expect(back).toBe(run);
    for (let col = Number(x); col < Number(x) + Number(run); col += 1) modules[Number(y)]![col] = true;
  }
  const caption = /<text[^>]*>([^<]*)<\/text>/.exec(svg)?.[1];
  return { width: Number(attribute('width')), height: Number(attribute('height')), viewBox, caption, modules };
}

/** What a phone would read from the SVG: its modules drawn at `scale` pixels each, on white. */
function decodeSvg(svg: Svg, scale = 6): string | undefined {
  const rows = svg.modules.length;
  const columns = svg.modules[0]!.length;
  const width = columns * scale;
  const height = rows * scale;
  const pixels = new Uint8ClampedArray(width * height * 4).fill(255);
  for (let y = 0; y < height; y += 1) {
    for (let x = 0; x < width; x += 1) {
      if (!svg.modules[Math.floor(y / scale)]![Math.floor(x / scale)]) continue;
      const at = (y * width + x) * 4;
      pixels[at] = pixels[at + 1] = pixels[at + 2] = 0;
    }
  }
  return jsQR(pixels, width, height)?.data;
}

const world = ownedWorkspace;

const tag = () => randomBytes(4).toString('hex');

async function create(token: string, workspaceId: string, segment: string, body: Record<string, unknown>) {
  return expectStatus(await call<{ id: string; short_code: string }>('POST', `/workspaces/${workspaceId}/${segment}`, { token, body }), 201).json;
}

const qrPath = (workspaceId: string, segment: string, id: string) => `/workspaces/${workspaceId}/${segment}/${id}/qr`;
const scanUrl = (workspaceId: string, shortCode: string) => `${apiUrl()}/w/${workspaceId}/s/${shortCode}`;

/** The least body POST /items takes: a name, and whatever else its schema requires, from its documented example. */
function itemBody(): Record<string, unknown> {
  const createItem = routeTable.find((contract) => contract.id === 'createItem')!;
  const example = (createItem.examples?.body ?? {}) as Record<string, unknown>;
  const body: Record<string, unknown> = { name: `QR item ${tag()}` };
  const result = z.safeParse(createItem.body!, body);
  if (!result.success) {
    for (const issue of result.error.issues) {
      const field = issue.path[0];
      if (typeof field === 'string' && field in example) body[field] = example[field];
    }
  }
  return body;
}

interface Scannable {
  segment: string;
  create: (token: string, workspaceId: string) => Promise<{ id: string; short_code: string }>;
}

const scannables: Record<'location' | 'container' | 'item', Scannable> = {
  location: { segment: 'locations', create: (token, workspaceId) => create(token, workspaceId, 'locations', { name: `Shelf ${tag()}` }) },
  container: {
    segment: 'containers',
    create: async (token, workspaceId) => {
      const location = await create(token, workspaceId, 'locations', { name: `Room ${tag()}` });
      return create(token, workspaceId, 'containers', { name: `Crate ${tag()}`, location_id: location.id });
    },
  },
  item: { segment: 'items', create: (token, workspaceId) => create(token, workspaceId, 'items', itemBody()) },
};

describe('QR images decode to the link of the thing', () => {
  for (const [noun, scannable] of Object.entries(scannables)) {
    const skip = noun === 'item' && !routeExists('createItem');
    it.skipIf(skip)(`of a ${noun}: PNG (default) and SVG both give {APP_URL}/w/{workspace_id}/s/{short_code}`, async () => {
      const { owner, workspace } = await world();
      const thing = await scannable.create(owner.token, workspace.id);
      const expected = scanUrl(workspace.id, thing.short_code);

      const png = expectImage(await image(qrPath(workspace.id, scannable.segment, thing.id), owner.token), /^image\/png$/);
      expect(decodePng(png)).toEqual({ text: expected, width: 256, height: 256 });
      expect(pngText(png)).toEqual({ 'Short code': thing.short_code });

      const svgText = expectImage(await image(qrPath(workspace.id, scannable.segment, thing.id), owner.token, { format: 'svg' }), /^image\/svg\+xml\b/).toString('utf8');
      expect(svgText).toMatch(/^<svg xmlns="http:\/\/www\.w3\.org\/2000\/svg"/);
      const svg = parseSvg(svgText);
      expect(decodeSvg(svg)).toBe(expected);
      expect(svg.caption).toBe(thing.short_code);
      expect(svg.width).toBe(256);
      // a quiet zone of 4 modules all around the code: nothing drawn there
      const side = svg.viewBox[2]!;
      for (let i = 0; i < side; i += 1) {
        for (const [row, col] of [[i, 0], [i, 3], [0, i], [3, i], [i, side - 1], [i, side - 4], [side - 1, i], [side - 4, i]] as const) {
          expect(svg.modules[row]?.[col], `module ${row},${col}`).toBe(false);
        }
      }
    });
  }

  it('honours size: the PNG is size × size pixels and still decodes; the SVG is size pixels wide', async () => {
    const { owner, workspace } = await world();
    const location = await scannables.location.create(owner.token, workspace.id);
    const path = qrPath(workspace.id, 'locations', location.id);
    for (const size of [64, 200, 1024]) {
      const png = decodePng(expectImage(await image(path, owner.token, { size }), /^image\/png$/));
      expect({ width: png.width, height: png.height }).toEqual({ width: size, height: size });
      expect(png.text, `size ${size}`).toBe(scanUrl(workspace.id, location.short_code));
      const svg = parseSvg(expectImage(await image(path, owner.token, { format: 'svg', size }), /^image\/svg\+xml\b/).toString('utf8'));
      expect(svg.width).toBe(size);
      expect(svg.height / svg.width).toBeCloseTo(svg.viewBox[3]! / svg.viewBox[2]!, 1);
    }
  });

  it('refuses a size or format outside the declared ones (422, naming the parameter)', async () => {
    const { owner, workspace } = await world();
    const location = await scannables.location.create(owner.token, workspace.id);
    const path = qrPath(workspace.id, 'locations', location.id);
    for (const [query, where] of [
      [{ size: 63 }, 'query.size'], [{ size: 1025 }, 'query.size'], [{ size: '12.5' }, 'query.size'], [{ size: 'big' }, 'query.size'],
      [{ format: 'gif' }, 'query.format'], [{ format: 'PNG' }, 'query.format'],
    ] as const) {
      const problem = expectProblem(await call('GET', path, { token: owner.token, query }), 422, 'VALIDATION_FAILED');
      expect(problem.errors?.map((error) => error.location), JSON.stringify(query)).toContain(where);
    }
  });
});

describe('QR images: what the workspace does not have, who may ask, caching', () => {
  it('answers 404 for an unknown id, for an id of another kind, and for a thing of another workspace', async () => {
    const { owner, workspace } = await world();
    const other = await world();
    const container = await scannables.container.create(owner.token, workspace.id);
    const foreign = await scannables.location.create(other.owner.token, other.workspace.id);
    for (const format of ['png', 'svg']) {
      expectProblem(await call('GET', qrPath(workspace.id, 'locations', randomUUID()), { token: owner.token, query: { format } }), 404, 'NOT_FOUND');
      expectProblem(await call('GET', qrPath(workspace.id, 'containers', randomUUID()), { token: owner.token, query: { format } }), 404, 'NOT_FOUND');
      // a container's id under /locations, and another workspace's location under this one
      expectProblem(await call('GET', qrPath(workspace.id, 'locations', container.id), { token: owner.token, query: { format } }), 404, 'NOT_FOUND');
      expectProblem(await call('GET', qrPath(workspace.id, 'locations', foreign.id), { token: owner.token, query: { format } }), 404, 'NOT_FOUND');
    }
  });

  it('serves a viewer, and refuses someone outside the workspace (403) and anyone without a token (401)', async () => {
    const { owner, workspace } = await world();
    const location = await scannables.location.create(owner.token, workspace.id);
    const viewer = await signUp();
    await addMember(owner.token, workspace.id, viewer.id, 'viewer');
    const path = qrPath(workspace.id, 'locations', location.id);
    expect(decodePng(expectImage(await image(path, viewer.token), /^image\/png$/)).text).toBe(scanUrl(workspace.id, location.short_code));
    expectImage(await image(path, viewer.token, { format: 'svg' }), /^image\/svg\+xml\b/);
    const stranger = await signUp();
    expectProblem(await call('GET', path, { token: stranger.token }), 403, 'WORKSPACE_ACCESS_DENIED');
    expectProblem(await call('GET', path), 401, 'UNAUTHENTICATED');
  });

  it('answers 304 to If-None-Match with its ETag, per format and size, and the same bytes again otherwise', async () => {
    const { owner, workspace } = await world();
    const location = await scannables.location.create(owner.token, workspace.id);
    const path = qrPath(workspace.id, 'locations', location.id);
    const first = await image(path, owner.token);
    const etag = first.headers.get('etag')!;
    const again = await image(path, owner.token, {}, { 'if-none-match': etag });
    expect(again.status).toBe(304);
    expect(again.bytes.length).toBe(0);
    expect(again.headers.get('etag')).toBe(etag);
    // the image is the same on every request (nothing random in it), so is its tag
    const repeat = await image(path, owner.token);
    expect(repeat.bytes.equals(first.bytes)).toBe(true);
    expect(repeat.headers.get('etag')).toBe(etag);
    // another format or size is another image
    for (const query of [{ format: 'svg' }, { size: 300 }] as Record<string, string | number>[]) {
      const other = await image(path, owner.token, query, { 'if-none-match': etag });
      expect(other.status, JSON.stringify(query)).toBe(200);
      expect(other.headers.get('etag')).not.toBe(etag);
    }
    // a changed short code is a changed image
    const current = expectStatus(await call<{ version: number }>('GET', `/workspaces/${workspace.id}/locations/${location.id}`, { token: owner.token }), 200).json;
    const recoded = `Q${tag().toUpperCase().slice(0, 6)}`;
    expectStatus(await call('PATCH', `/workspaces/${workspace.id}/locations/${location.id}`, { token: owner.token, body: { short_code: recoded }, headers: { 'if-match': String(current.version) } }), 200);
    const changed = await image(path, owner.token, {}, { 'if-none-match': etag });
    expect(changed.status).toBe(200);
    expect(decodePng(changed.bytes).text).toBe(scanUrl(workspace.id, recoded));
  });
});
