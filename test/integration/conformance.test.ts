// The check every `call` runs (support/conformance.ts) can fail: answers the document does not
// describe are reported, whatever part of them is wrong.
import { describe, expect, it } from 'vitest';
import { apiUrl } from './support/api.js';
import { conformanceProblems } from './support/conformance.js';

const check = (answer: Parameters<typeof conformanceProblems>[0]) => conformanceProblems(answer, { count: false });
const answer = (method: string, path: string, status: number, headers: Record<string, string>, text: string) =>
  ({ method, url: new URL(apiUrl() + path), status, headers: new Headers(headers), text });

describe('the OpenAPI conformance check of the test client', () => {
  it('accepts a documented answer', async () => {
    expect(await check(answer('GET', '/health', 200, { 'content-type': 'application/json', etag: '"x"', 'cache-control': 'no-cache' }, '{"status":"ok"}'))).toEqual([]);
  });

  it('reports an undocumented status, media type, body shape and missing header', async () => {
    const [status] = await check(answer('GET', '/health', 418, { 'content-type': 'application/json' }, '{}'));
    expect(status).toMatch(/status not documented/);
    const [media] = await check(answer('GET', '/health', 200, { 'content-type': 'text/plain', etag: '"x"', 'cache-control': 'no-cache' }, 'ok'));
    expect(media).toMatch(/media type text\/plain not documented/);
    const [body] = await check(answer('GET', '/health', 200, { 'content-type': 'application/json', etag: '"x"', 'cache-control': 'no-cache' }, '{"status":"fine"}'));
    expect(body).toMatch(/does not match its schema/);
    const [header] = await check(answer('GET', '/health', 200, { 'content-type': 'application/json', 'cache-control': 'no-cache' }, '{"status":"ok"}'));
    expect(header).toMatch(/required header ETag missing/);
    const [code] = await check(answer('GET', '/users/me', 401, { 'content-type': 'application/problem+json', 'cache-control': 'no-store' },
      JSON.stringify({ type: 'about:blank', title: 'Unauthorized', status: 401, detail: 'x', code: 'EMAIL_TAKEN' })));
    expect(code).toMatch(/does not match its schema/);
  });
});
