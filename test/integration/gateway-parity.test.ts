// What API Gateway (HTTP API) decides before any Lambda runs, as the local server does it: paths it
// cannot decode, dot segments and other paths whose meaning depends on the reader, the 10240-byte
// quota on request line and header values, methods it cannot route, requests Node cannot parse.
// Each answer is problem+json with a `code` and the security headers a handler's answer carries.
// The rules and their sources: infra/local/gateway-rules.ts and infra/local/README.md.
//
// fetch() and URL resolve dot segments (and %2e%2e) themselves, so these requests go out through
// node:http with a raw `path`, or through node:net when even node:http would refuse to send them.
import { request as httpRequest } from 'node:http';
import { connect } from 'node:net';
import { describe, expect, inject, it } from 'vitest';
import { call, createWorkspace, expectStatus, signUp, uniqueSlug } from './support/api.js';

const api = new URL(inject('apiUrl'));

interface RawResponse {
  status: number;
  headers: Record<string, string>;
  text: string;
  json: any;
}

function parseJson(headers: Record<string, string>, text: string) {
  return /json/i.test(headers['content-type'] ?? '') && text ? JSON.parse(text) : undefined;
}

/** One request with `path` sent exactly as given (node:http does not normalise it). */
function raw(method: string, path: string, options: { headers?: Record<string, string>; body?: string | Buffer; setHost?: boolean } = {}): Promise<RawResponse> {
  return new Promise((resolve, reject) => {
    const outgoing = httpRequest(
      {
        host: api.hostname, port: api.port, method, path, agent: false, setHost: options.setHost ?? true,
        headers: { connection: 'close', ...options.headers },
      },
      (response) => {
        const chunks: Buffer[] = [];
        response.on('data', (chunk: Buffer) => chunks.push(chunk));
        response.on('end', () => {
          const headers = Object.fromEntries(Object.entries(response.headers).map(([name, value]) => [name, String(value)]));
          const text = Buffer.concat(chunks).toString('utf8');
          resolve({ status: response.statusCode!, headers, text, json: parseJson(headers, text) });
        });
      },
    );
    outgoing.on('error', reject);
    outgoing.end(options.body);
  });
}

/** Bytes written on a bare socket (for what node:http would refuse to send); reads the answer to the close. */
function onSocket(bytes: string): Promise<RawResponse> {
  return new Promise((resolve, reject) => {
    const socket = connect(Number(api.port), api.hostname, () => socket.write(bytes));
    const chunks: Buffer[] = [];
    socket.on('data', (chunk: Buffer) => chunks.push(chunk));
    socket.on('error', reject);
    socket.on('close', () => {
      const answer = Buffer.concat(chunks).toString('latin1');
      const headEnd = answer.indexOf('\r\n\r\n');
      if (headEnd === -1) return reject(new Error(`no HTTP answer: ${JSON.stringify(answer)}`));
      const [statusLine, ...lines] = answer.slice(0, headEnd).split('\r\n');
      const headers = Object.fromEntries(lines.map((line) => [line.slice(0, line.indexOf(':')).toLowerCase(), line.slice(line.indexOf(':') + 1).trim()]));
      let body = answer.slice(headEnd + 4);
      if (/chunked/i.test(headers['transfer-encoding'] ?? '')) {
        let plain = '';
        for (let at = 0; ;) {
          const lineEnd = body.indexOf('\r\n', at);
          const size = Number.parseInt(body.slice(at, lineEnd), 16);
          if (!size) break;
          plain += body.slice(lineEnd + 2, lineEnd + 2 + size);
          at = lineEnd + 2 + size + 2;
        }
        body = plain;
      }
      const text = Buffer.from(body, 'latin1').toString('utf8');
      resolve({ status: Number(statusLine!.split(' ')[1]), headers, text, json: parseJson(headers, text) });
    });
  });
}

/** The security headers every answer of the local server carries (gatewaySecurityHeaders()). */
function expectSecurityHeaders(response: RawResponse, context: string) {
  expect(response.headers['x-content-type-options'], context).toBe('nosniff');
  expect(response.headers['content-security-policy'], context).toMatch(/default-src 'none'/);
  expect(response.headers['content-security-policy'], context).toMatch(/frame-ancestors 'none'/);
  expect(response.headers['x-frame-options'], context).toBe('DENY');
  expect(response.headers['strict-transport-security'], context).toMatch(/^max-age=\d+/);
  expect(response.headers['referrer-policy'], context).toBe('no-referrer');
}

/** A problem+json answer of the server itself: status, code and the security headers. */
function expectGatewayProblem(response: RawResponse, status: number, code: string, context = '') {
  const where = `${context} → ${response.status} ${response.text}`;
  expect(response.status, where).toBe(status);
  expect(response.headers['content-type'], where).toMatch(/^application\/problem\+json/);
  expect(response.json?.code, where).toBe(code);
  expect(response.json?.status, where).toBe(status);
  expectSecurityHeaders(response, where);
}

const bearer = (token: string) => ({ authorization: `Bearer ${token}` });

describe('malformed %-escapes in a path', () => {
  it('answers 400 MALFORMED_PATH with the security headers, never a 500', async () => {
    for (const path of ['/workspaces/%zz', '/users/%E0%A4%A', '/users/%FF', '/users/%C0%AF', '/workspaces/%', '/workspaces/%2', '/%zz/health']) {
      expectGatewayProblem(await raw('GET', path), 400, 'MALFORMED_PATH', path);
    }
  });
});

describe('dot segments', () => {
  it('never resolves an encoded dot segment: DELETE /workspaces/W/members/%2e%2e leaves workspace W alone', async () => {
    const owner = await signUp();
    const workspace = await createWorkspace(owner.token);
    for (const dots of ['%2e%2e', '%2E%2E', '.%2e', '%2e.', '%2e']) {
      const path = `/workspaces/${workspace.id}/members/${dots}`;
      expectGatewayProblem(await raw('DELETE', path, { headers: bearer(owner.token) }), 400, 'MALFORMED_PATH', `DELETE ${path}`);
    }
    expectStatus(await call('GET', `/workspaces/${workspace.id}`, { token: owner.token }), 200);
  });

  it('refuses plain /../ and /./ segments instead of resolving them', async () => {
    const owner = await signUp();
    const workspace = await createWorkspace(owner.token);
    for (const path of [`/workspaces/${workspace.id}/members/..`, `/workspaces/${workspace.id}/members/.`, `/workspaces/${workspace.id}/./members`, `/workspaces/x/../${workspace.id}`]) {
      expectGatewayProblem(await raw('DELETE', path, { headers: bearer(owner.token) }), 400, 'MALFORMED_PATH', `DELETE ${path}`);
    }
    for (const path of ['/users/../health', '/./health', '/health/.', '/health/..']) {
      expectGatewayProblem(await raw('GET', path), 400, 'MALFORMED_PATH', `GET ${path}`);
    }
    expectStatus(await call('GET', `/workspaces/${workspace.id}`, { token: owner.token }), 200);
  });
});

describe('segments whose decoding changes the path', () => {
  it('answers an encoded slash inside a segment with 404 ROUTE_NOT_FOUND, as API Gateway does, never another route', async () => {
    const owner = await signUp();
    const workspace = await createWorkspace(owner.token);
    // Split at the decoded slash this would be GET /workspaces/{id}/members: it must not be listed.
    for (const path of [`/workspaces/${workspace.id}%2Fmembers`, `/workspaces/${workspace.id}%2fmembers`, '/users/a%2Fb', '/health%2F']) {
      expectGatewayProblem(await raw('GET', path, { headers: bearer(owner.token) }), 404, 'ROUTE_NOT_FOUND', `GET ${path}`);
    }
  });

  it('refuses a segment that decodes to "?" or "%" (API Gateway would truncate the path there or decode it again)', async () => {
    const owner = await signUp();
    const workspace = await createWorkspace(owner.token);
    for (const path of [`/workspaces/${workspace.id}%3Fx/members`, '/users/%2525', '/users/100%25', '/users/%252e%252e']) {
      expectGatewayProblem(await raw('GET', path, { headers: bearer(owner.token) }), 400, 'MALFORMED_PATH', `GET ${path}`);
    }
  });

  it('refuses empty segments (double slashes) with 400, and routes one trailing slash as API Gateway does', async () => {
    const owner = await signUp();
    const workspace = await createWorkspace(owner.token);
    for (const path of ['//health', '/health//', `/workspaces//${workspace.id}`, `/workspaces/${workspace.id}//members`]) {
      expectGatewayProblem(await raw('GET', path, { headers: bearer(owner.token) }), 400, 'MALFORMED_PATH', `GET ${path}`);
    }
    const trailing = await raw('GET', '/health/');
    expect(trailing.status, trailing.text).toBe(200);
    expect(trailing.json).toEqual({ status: 'ok' });
  });

  it('still decodes each segment once before matching, as API Gateway does (encoded letters, parameters)', async () => {
    const owner = await signUp();
    const slug = uniqueSlug('enc');
    const workspace = await createWorkspace(owner.token, { slug });
    const encodedSlug = [...slug].map((character) => `%${character.charCodeAt(0).toString(16)}`).join('');
    const bySlug = await raw('GET', `/workspaces/by-slug/${encodedSlug}`, { headers: bearer(owner.token) });
    expect(bySlug.status, bySlug.text).toBe(200);
    expect(bySlug.json.id).toBe(workspace.id);
    const literal = await raw('GET', '/%68ealth');
    expect(literal.status, literal.text).toBe(200);
  });
});

describe('the quota on request line and header values (10240 bytes)', () => {
  // 'GET /health HTTP/1.1' is 20 bytes; the values of host ('h') and connection ('close') 6 more.
  const paddedTo = (total: number) => ({ host: 'h', 'x-pad': 'a'.repeat(total - 26) });

  it('admits exactly 10240 bytes and refuses 10241 with 431 HEADERS_TOO_LARGE', async () => {
    const atLimit = await raw('GET', '/health', { headers: paddedTo(10_240), setHost: false });
    expect(atLimit.status, atLimit.text).toBe(200);
    expectGatewayProblem(await raw('GET', '/health', { headers: paddedTo(10_241), setHost: false }), 431, 'HEADERS_TOO_LARGE', '10241 bytes');
  });

  it('answers a 100 KB header (beyond what Node itself reads) with the same 431 problem, not Node\'s bare 431', async () => {
    for (const size of [100_000, 1_000_000]) {
      expectGatewayProblem(await raw('GET', '/health', { headers: { 'x-big': 'a'.repeat(size) } }), 431, 'HEADERS_TOO_LARGE', `${size}-byte header`);
    }
  });

  it('counts the request line too: a long query string or path is refused with the same 431', async () => {
    for (const path of [`/health?x=${'a'.repeat(11_000)}`, `/health?x=${'a'.repeat(100_000)}`, `/users/${'a'.repeat(20_000)}`]) {
      expectGatewayProblem(await raw('GET', path), 431, 'HEADERS_TOO_LARGE', `request line of ${path.length} bytes`);
    }
  });
});

describe('methods and requests API Gateway does not route', () => {
  it('answers a method an HTTP API cannot route with 405 METHOD_NOT_ALLOWED, whether or not Node can parse it', async () => {
    for (const method of ['PROPFIND', 'TRACE', 'FOO']) {
      expectGatewayProblem(await raw(method, '/health'), 405, 'METHOD_NOT_ALLOWED', method);
    }
    expectGatewayProblem(await onSocket('CONNECT example.com:443 HTTP/1.1\r\nHost: example.com:443\r\n\r\n'), 405, 'METHOD_NOT_ALLOWED', 'CONNECT');
  });

  it('answers requests Node cannot parse, or an HTTP/1.1 request without Host, with 400 MALFORMED_REQUEST instead of a bare 400', async () => {
    const unparsable = [
      'GET /a b HTTP/1.1\r\nHost: h\r\n\r\n',
      'POST /auth/login HTTP/1.1\r\nHost: h\r\nContent-Length: 5\r\nTransfer-Encoding: chunked\r\n\r\n0\r\n\r\n',
      'GET /health HTTP/1.1\r\nHost: h\r\nBad Header: x\r\n\r\n',
    ];
    for (const bytes of unparsable) expectGatewayProblem(await onSocket(bytes), 400, 'MALFORMED_REQUEST', JSON.stringify(bytes));
    expectGatewayProblem(await raw('GET', '/health', { setHost: false }), 400, 'MALFORMED_REQUEST', 'no Host');
  });
});

describe('the server\'s own answers', () => {
  it('carry the security headers a handler\'s answer carries (404, 405, 413, preflight)', async () => {
    const handlerAnswer = await raw('GET', '/health');
    expect(handlerAnswer.status).toBe(200);
    const own = {
      'unknown route': await raw('GET', '/no/such/route'),
      'wrong method': await raw('DELETE', '/health'),
      'body over 10 MB': await raw('POST', '/auth/login', { headers: { 'content-type': 'application/json' }, body: Buffer.alloc(10 * 1024 * 1024 + 1, 0x20) }),
      preflight: await raw('OPTIONS', '/users/me', { headers: { origin: 'https://pwa.example', 'access-control-request-method': 'PATCH' } }),
    };
    expectGatewayProblem(own['unknown route'], 404, 'ROUTE_NOT_FOUND');
    expectGatewayProblem(own['wrong method'], 405, 'METHOD_NOT_ALLOWED');
    expectGatewayProblem(own['body over 10 MB'], 413, 'PAYLOAD_TOO_LARGE');
    expect(own.preflight.status).toBe(204);
    for (const [what, answer] of Object.entries(own)) {
      expectSecurityHeaders(answer, what);
      // the same values as the handler's, for each of these it sends
      for (const name of ['x-content-type-options', 'strict-transport-security', 'referrer-policy', 'x-permitted-cross-domain-policies', 'x-dns-prefetch-control', 'x-download-options']) {
        if (handlerAnswer.headers[name] !== undefined) expect(answer.headers[name], `${what}: ${name}`).toBe(handlerAnswer.headers[name]);
      }
    }
  });
});

describe('framing', () => {
  it('answers with the body\'s Content-Length, as API Gateway does, never in chunks', async () => {
    const answers = {
      'a handler\'s answer': await raw('GET', '/health'),
      'a large answer': await raw('GET', '/openapi.json'),
      'the server\'s own 404': await raw('GET', '/no/such/route'),
    };
    for (const [what, answer] of Object.entries(answers)) {
      expect(answer.headers['transfer-encoding'], what).toBeUndefined();
      expect(Number(answer.headers['content-length']), what).toBe(Buffer.byteLength(answer.text));
      expect(Buffer.byteLength(answer.text), what).toBeGreaterThan(0);
    }
  });
});
