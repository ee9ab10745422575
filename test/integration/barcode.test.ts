// Barcode lookup (issue 8): GET /barcode/{barcode} against the two providers run here as local
// HTTP servers speaking their real response formats (Open Food Facts' API v0 product document,
// UPCitemdb's trial lookup), in a runtime of its own pointed at them (BARCODE_OFF_URL,
// BARCODE_UPCITEMDB_URL, and a short BARCODE_TIMEOUT_MS so a hanging provider costs little).
// The servers count the calls they get, so a cached answer is seen to make none.
// Cases: found at Open Food Facts; not there but at UPCitemdb; found nowhere; Open Food Facts down
// (500, or no answer in time) and UPCitemdb finds it; both down → 200 found: false with
// source_error, not cached; cached answers; what providers say cleaned before it reaches a client;
// 60 lookups per client address per window, then 429 with Retry-After; malformed barcodes 422.
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import { randomInt } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { lookupThrottle } from '../../shared/domain/barcode/model.js';
import { type ApiResponse } from './support/api.js';
import { conformanceProblems } from './support/conformance.js';
import { eventually } from './support/eventually.js';
import { rawCall } from './support/raw-http.js';
import { isAlive, runtimePorts, startRuntime, type RuntimeProcess } from './runtime-process.js';

const timeoutMs = 500;

// ---- the providers, as local servers

type Behaviour =
  | { kind: 'product'; product: Record<string, unknown> }
  | { kind: 'unknown' }
  | { kind: 'status'; status: number; body?: Record<string, unknown> }
  | { kind: 'hang' };

interface Provider {
  url: string;
  server: Server;
  /** what it answers per barcode; unknown barcodes get `{ kind: 'unknown' }` */
  behaviours: Map<string, Behaviour>;
  /** requests per barcode */
  calls: Map<string, number>;
  userAgents: string[];
  /** barcodes whose hanging request the client gave up on (closed the connection before an answer) */
  abandoned: Set<string>;
}

function sendJson(response: ServerResponse, status: number, body: unknown) {
  response.writeHead(status, { 'content-type': 'application/json; charset=utf-8' });
  response.end(JSON.stringify(body));
}

/** Open Food Facts, API v0: GET /api/v0/product/<code>.json. */
function openFoodFactsAnswer(code: string, behaviour: Behaviour, response: ServerResponse) {
  if (behaviour.kind === 'product') {
    sendJson(response, 200, { code, status: 1, status_verbose: 'product found', product: { _id: code, code, lang: 'en', ...behaviour.product } });
  } else if (behaviour.kind === 'unknown') {
    // the live service answers an unknown code with 404 and this body (older servers: 200)
    sendJson(response, Number(code.at(-1)) % 2 === 0 ? 404 : 200, { code, status: 0, status_verbose: 'product not found' });
  } else if (behaviour.kind === 'status') {
    response.writeHead(behaviour.status, { 'content-type': 'text/html' });
    response.end('<html><body><h1>502 Bad Gateway</h1></body></html>');
  }
}

/** UPCitemdb, trial API: GET /prod/trial/lookup?upc=<code>. */
function upcItemDbAnswer(code: string, behaviour: Behaviour, response: ServerResponse) {
  if (behaviour.kind === 'product') {
    sendJson(response, 200, {
      code: 'OK', total: 1, offset: 0,
      items: [{ ean: code.padStart(13, '0'), upc: code, description: '', model: '', color: '', size: '', dimension: '', weight: '', currency: '', lowest_recorded_price: 0, highest_recorded_price: 0, offers: [], elid: '1', ...behaviour.product }],
    });
  } else if (behaviour.kind === 'unknown') {
    sendJson(response, 200, { code: 'OK', total: 0, offset: 0, items: [] });
  } else if (behaviour.kind === 'status') {
    sendJson(response, behaviour.status, behaviour.body ?? { code: 'SERVER_ERR', message: 'Internal error' });
  }
}

async function provider(route: (request: IncomingMessage) => string | undefined, answer: (code: string, behaviour: Behaviour, response: ServerResponse) => void): Promise<Provider> {
  const behaviours = new Map<string, Behaviour>();
  const calls = new Map<string, number>();
  const userAgents: string[] = [];
  const abandoned = new Set<string>();
  const server = createServer((request, response) => {
    const code = request.method === 'GET' ? route(request) : undefined;
    if (!code) return sendJson(response, 404, { error: 'no such path' });
    calls.set(code, (calls.get(code) ?? 0) + 1);
    userAgents.push(request.headers['user-agent'] ?? '');
    const behaviour = behaviours.get(code) ?? { kind: 'unknown' };
    if (behaviour.kind === 'hang') {
      // answers long after the runtime's timeout (and never keeps the test waiting past it)
      const timer = setTimeout(() => sendJson(response, 200, {}), timeoutMs * 6);
      response.on('close', () => {
        clearTimeout(timer);
        if (!response.writableEnded) abandoned.add(code);
      });
      return;
    }
    answer(code, behaviour, response);
  });
  await new Promise<void>((done) => server.listen(0, '127.0.0.1', done));
  const { port } = server.address() as { port: number };
  return { url: `http://127.0.0.1:${port}`, server, behaviours, calls, userAgents, abandoned };
}

let off: Provider;
let upc: Provider;
let runtime: RuntimeProcess;

beforeAll(async () => {
  off = await provider((request) => /^\/api\/v0\/product\/(\d+)\.json$/.exec(request.url ?? '')?.[1], openFoodFactsAnswer);
  upc = await provider((request) => {
    const url = new URL(request.url ?? '/', 'http://x');
    return url.pathname === '/prod/trial/lookup' ? url.searchParams.get('upc') ?? undefined : undefined;
  }, upcItemDbAnswer);
  runtime = await startRuntime({
    env: { ...(await runtimePorts()), BARCODE_OFF_URL: off.url, BARCODE_UPCITEMDB_URL: `${upc.url}/`, BARCODE_TIMEOUT_MS: String(timeoutMs) },
    args: ['--in-memory'],
  });
}, 120_000);

afterAll(async () => {
  if (runtime && isAlive(runtime.state.pids.runtime)) await runtime.stop('SIGINT');
  for (const one of [off, upc]) if (one) await new Promise((done) => one.server.close(done));
});

// ---- calls to this file's runtime

/** A fresh barcode nobody asked about (13 digits). */
const freshBarcode = () => String(randomInt(10 ** 12, 10 ** 13 - 1));

interface BarcodeAnswer {
  barcode: string;
  name: string;
  brand?: string;
  category?: string;
  image_url?: string;
  found: boolean;
  source?: string;
  source_error?: string;
}

/** GET /barcode/{barcode} from `localAddress` (a client address of its own), checked against the OpenAPI document. */
async function lookup(barcode: string, localAddress = '127.0.0.1'): Promise<ApiResponse> {
  const path = `/barcode/${encodeURIComponent(barcode)}`;
  const answer = await rawCall('GET', path, { baseUrl: runtime.state.api, localAddress });
  const url = new URL(runtime.state.api + path);
  expect(await conformanceProblems({ method: 'GET', url, status: answer.status, headers: answer.headers, text: answer.text }), 'answers not described by the OpenAPI document').toEqual([]);
  return answer;
}

async function found(barcode: string, localAddress?: string): Promise<BarcodeAnswer> {
  const answer = await lookup(barcode, localAddress);
  expect(answer.status, answer.text).toBe(200);
  expect(answer.headers.get('content-type')).toMatch(/^application\/json/);
  return answer.json as BarcodeAnswer;
}

const calls = (barcode: string) => ({ off: off.calls.get(barcode) ?? 0, upc: upc.calls.get(barcode) ?? 0 });

// Each describe's tests use addresses of their own, so the per-client limit of one never meets another's.
let nextAddress = 10;
const address = () => `127.0.0.${nextAddress++}`;

describe('GET /barcode/{barcode}', () => {
  it('answers what Open Food Facts knows, asks nobody else, and names itself to the provider', async () => {
    const barcode = freshBarcode();
    off.behaviours.set(barcode, {
      kind: 'product',
      product: { product_name: 'Nutella', brands: 'Ferrero', categories: 'Spreads, Sweet spreads', image_url: 'https://images.example.org/products/front_en.400.jpg' },
    });
    expect(await found(barcode, address())).toEqual({
      barcode, name: 'Nutella', brand: 'Ferrero', category: 'Spreads, Sweet spreads',
      image_url: 'https://images.example.org/products/front_en.400.jpg', found: true, source: 'open_food_facts',
    });
    expect(calls(barcode)).toEqual({ off: 1, upc: 0 });
    expect(off.userAgents.at(-1)).toMatch(/^HomeWarehouse\/1\.0 \(.+\)$/);
  });

  it('asks UPCitemdb when Open Food Facts does not know the code (status 0, or status 1 without a name)', async () => {
    for (const offSays of [{ kind: 'unknown' }, { kind: 'product', product: { product_name: '  ', brands: 'Nobody' } }] as const) {
      const barcode = freshBarcode();
      off.behaviours.set(barcode, offSays);
      upc.behaviours.set(barcode, {
        kind: 'product',
        product: { title: 'Cordless Drill 18V', brand: 'Makita', category: 'Hardware > Tools > Drills', images: ['not a url', 'https://images.example.org/drill.jpg'] },
      });
      expect(await found(barcode, address())).toEqual({
        barcode, name: 'Cordless Drill 18V', brand: 'Makita', category: 'Hardware > Tools > Drills', image_url: 'https://images.example.org/drill.jpg', found: true, source: 'upcitemdb',
      });
      expect(calls(barcode)).toEqual({ off: 1, upc: 1 });
      expect(upc.userAgents.at(-1)).toMatch(/^HomeWarehouse\/1\.0 /);
    }
  });

  it('answers found: false with an empty name when no provider knows it, and keeps that answer', async () => {
    const client = address();
    for (const upcSays of [{ kind: 'unknown' }, { kind: 'status', status: 400, body: { code: 'INVALID_UPC', message: 'Not a valid UPC code.' } }] as const) {
      const barcode = freshBarcode();
      upc.behaviours.set(barcode, upcSays);
      expect(await found(barcode, client)).toEqual({ barcode, name: '', found: false });
      expect(calls(barcode)).toEqual({ off: 1, upc: 1 });
      expect(await found(barcode, client)).toEqual({ barcode, name: '', found: false });
      expect(calls(barcode), 'the second lookup is answered from the cache').toEqual({ off: 1, upc: 1 });
    }
  });

  it('answers from its cache: a second lookup calls no provider, and says the same without source_error', async () => {
    const client = address();
    const atOff = freshBarcode();
    off.behaviours.set(atOff, { kind: 'product', product: { product_name: 'Oat drink', brands: 'Oatly' } });
    const first = await found(atOff, client);
    expect(first).toEqual({ barcode: atOff, name: 'Oat drink', brand: 'Oatly', found: true, source: 'open_food_facts' });
    // what the provider says now no longer matters while the answer is kept
    off.behaviours.set(atOff, { kind: 'status', status: 500 });
    expect(await found(atOff, client)).toEqual(first);
    expect(await found(atOff, address())).toEqual(first);
    expect(calls(atOff)).toEqual({ off: 1, upc: 0 });

    // a product UPCitemdb found after Open Food Facts failed is kept too, without the failure
    const afterFailure = freshBarcode();
    off.behaviours.set(afterFailure, { kind: 'status', status: 503 });
    upc.behaviours.set(afterFailure, { kind: 'product', product: { title: 'Garden hose', images: [] } });
    expect(await found(afterFailure, client)).toEqual({
      barcode: afterFailure, name: 'Garden hose', found: true, source: 'upcitemdb', source_error: 'open_food_facts: answered HTTP 503',
    });
    expect(await found(afterFailure, client)).toEqual({ barcode: afterFailure, name: 'Garden hose', found: true, source: 'upcitemdb' });
    expect(calls(afterFailure)).toEqual({ off: 1, upc: 1 });
  });
});

describe('GET /barcode/{barcode} when providers fail', () => {
  it('asks UPCitemdb when Open Food Facts answers 500, and says so in source_error', async () => {
    const barcode = freshBarcode();
    off.behaviours.set(barcode, { kind: 'status', status: 500 });
    upc.behaviours.set(barcode, { kind: 'product', product: { title: 'LED bulb E27', brand: 'Philips' } });
    expect(await found(barcode, address())).toEqual({
      barcode, name: 'LED bulb E27', brand: 'Philips', found: true, source: 'upcitemdb', source_error: 'open_food_facts: answered HTTP 500',
    });
  });

  it('asks UPCitemdb when Open Food Facts does not answer in time', async () => {
    const barcode = freshBarcode();
    off.behaviours.set(barcode, { kind: 'hang' });
    upc.behaviours.set(barcode, { kind: 'product', product: { title: 'Tape measure 5 m' } });
    expect(await found(barcode, address())).toEqual({
      barcode, name: 'Tape measure 5 m', found: true, source: 'upcitemdb', source_error: `open_food_facts: no answer within ${timeoutMs} ms`,
    });
    // the timeout held: the runtime hung up on the hanging provider, which had not answered yet
    // (it answers only after six timeouts), rather than waiting for it
    await eventually('the hanging request abandoned', async () => off.abandoned.has(barcode), (gone) => gone, 5_000);
  });

  it('answers 200 found: false with source_error when both fail, and does not keep it: the next lookup asks again', async () => {
    const client = address();
    const barcode = freshBarcode();
    off.behaviours.set(barcode, { kind: 'hang' });
    upc.behaviours.set(barcode, { kind: 'status', status: 429, body: { code: 'TOO_FAST', message: 'The API rate limit was exceeded.' } });
    expect(await found(barcode, client)).toEqual({
      barcode, name: '', found: false, source_error: `open_food_facts: no answer within ${timeoutMs} ms; upcitemdb: answered HTTP 429 TOO_FAST`,
    });
    expect(calls(barcode)).toEqual({ off: 1, upc: 1 });

    // one provider still failing, the other not knowing it: still not a definitive answer
    off.behaviours.set(barcode, { kind: 'unknown' });
    expect(await found(barcode, client)).toEqual({ barcode, name: '', found: false, source_error: 'upcitemdb: answered HTTP 429 TOO_FAST' });
    expect(calls(barcode)).toEqual({ off: 2, upc: 2 });

    // both back: the answer comes, and from now on from the cache
    upc.behaviours.set(barcode, { kind: 'product', product: { title: 'Back again' } });
    expect(await found(barcode, client)).toEqual({ barcode, name: 'Back again', found: true, source: 'upcitemdb' });
    expect(await found(barcode, client)).toEqual({ barcode, name: 'Back again', found: true, source: 'upcitemdb' });
    expect(calls(barcode)).toEqual({ off: 3, upc: 3 });
  });

  it('counts an answer that is not JSON as a failure, and an unreachable provider too', async () => {
    const barcode = freshBarcode();
    off.behaviours.set(barcode, { kind: 'status', status: 502 });
    upc.behaviours.set(barcode, { kind: 'status', status: 500, body: undefined });
    expect(await found(barcode, address())).toEqual({
      barcode, name: '', found: false, source_error: 'open_food_facts: answered HTTP 502; upcitemdb: answered HTTP 500 SERVER_ERR',
    });
  });

  it('cleans what a provider says before a client sees it: controls, bidi overrides and odd spaces go, URLs must be http(s)', async () => {
    const barcode = freshBarcode();
    off.behaviours.set(barcode, {
      kind: 'product',
      product: { product_name: '  Choco\u202Ebar\u0000\n  Deluxe ', brands: '\u200B', categories: 42, image_url: 'javascript:alert(1)' },
    });
    expect(await found(barcode, address())).toEqual({ barcode, name: 'Choco bar Deluxe', found: true, source: 'open_food_facts' });
  });
});

describe('GET /barcode/{barcode}: limits', () => {
  it(`answers ${lookupThrottle.maxPerClient} lookups per client address in a window, then 429 TOO_MANY_ATTEMPTS with Retry-After; other addresses go on`, async () => {
    const barcode = freshBarcode();
    off.behaviours.set(barcode, { kind: 'product', product: { product_name: 'Popular thing' } });
    const windowOf = () => Math.floor(Date.now() / (lookupThrottle.windowSeconds * 1000));
    // Counted in fixed windows: should one end during the run (rare), the count starts over; try once more.
    for (let attempt = 1; ; attempt += 1) {
      const client = address();
      const window = windowOf();
      const answers: ApiResponse[] = [];
      for (let i = 0; i < lookupThrottle.maxPerClient; i += 1) answers.push(await lookup(barcode, client));
      const refused = await lookup(barcode, client);
      if (windowOf() !== window && attempt === 1) continue;
      expect(answers.map((answer) => answer.status)).toEqual(new Array(lookupThrottle.maxPerClient).fill(200));
      expect(refused.status, refused.text).toBe(429);
      expect(refused.json.code).toBe('TOO_MANY_ATTEMPTS');
      expect(refused.headers.get('content-type')).toMatch(/^application\/problem\+json/);
      const retryAfter = Number(refused.headers.get('retry-after'));
      expect(retryAfter).toBeGreaterThan(0);
      expect(retryAfter).toBeLessThanOrEqual(lookupThrottle.windowSeconds);
      expect(refused.headers.get('cache-control')).toBe('no-store');
      // parallel lookups from the same address are refused too (the count is atomic)
      expect((await Promise.all([lookup(barcode, client), lookup(barcode, client)])).map((answer) => answer.status)).toEqual([429, 429]);
      expect((await lookup(barcode, address())).status).toBe(200);
      break;
    }
    // every one was counted, but only the first asked a provider
    expect(calls(barcode)).toEqual({ off: 1, upc: 0 });
  });

  it('never lets more than the limit through when one address sends them all at once', async () => {
    const client = address();
    const barcode = freshBarcode();
    const window = Math.floor(Date.now() / (lookupThrottle.windowSeconds * 1000));
    const answers = await Promise.all(Array.from({ length: lookupThrottle.maxPerClient + 15 }, () => lookup(barcode, client)));
    const statuses = answers.map((answer) => answer.status);
    expect(statuses.every((status) => status === 200 || status === 429)).toBe(true);
    // exactly the limit, unless a window ended meanwhile (then at most the limit in each)
    const sameWindow = Math.floor(Date.now() / (lookupThrottle.windowSeconds * 1000)) === window;
    const allowed = statuses.filter((status) => status === 200).length;
    if (sameWindow) expect(allowed).toBe(lookupThrottle.maxPerClient);
    else expect(allowed).toBeLessThanOrEqual(2 * lookupThrottle.maxPerClient);
  });

  it('refuses what is not 8 to 14 digits (422, path.barcode) without asking a provider', async () => {
    const client = address();
    const refused = ['1234567', '123456789012345', '12345678a', 'ABCDEFGHIJ', '1234 5678', '-12345678', '１２３４５６７８'];
    for (const barcode of refused) {
      const answer = await lookup(barcode, client);
      expect(answer.status, `${barcode}: ${answer.text}`).toBe(422);
      expect(answer.json.code).toBe('VALIDATION_FAILED');
      expect(answer.json.errors.map((error: { location: string }) => error.location)).toEqual(['path.barcode']);
    }
    for (const barcode of refused) expect([off.calls.get(barcode), upc.calls.get(barcode)], barcode).toEqual([undefined, undefined]);
    // the shortest and the longest are fine
    for (const barcode of ['12345678', '12345678901234']) expect((await lookup(barcode, client)).status).toBe(200);
  });
});
