// The platform routes over real HTTP: probes, the OpenAPI document, the offline reference page,
// and what API Gateway itself would answer (unknown routes, wrong methods, CORS preflight).
import { validate } from '@readme/openapi-parser';
import { describe, expect, inject, it } from 'vitest';
import { routeTable } from '../../shared/contract/index.js';

const api = inject('apiUrl');

describe('platform routes', () => {
  it('answers /health and /live with status ok', async () => {
    for (const path of ['/health', '/live']) {
      const response = await fetch(`${api}${path}`);
      expect(response.status).toBe(200);
      expect(await response.json()).toEqual({ status: 'ok' });
    }
  });

  it('answers /ready with every dependency ok while the engines run', async () => {
    const response = await fetch(`${api}/ready`);
    const body = (await response.json()) as { dependencies: unknown };
    expect(response.status, JSON.stringify(body)).toBe(200);
    expect(body.dependencies).toMatchObject({ table: { status: 'ok' }, bucket: { status: 'ok' }, mail: { status: 'ok' } });
  });

  it('serves a valid OpenAPI 3.1 document covering every route of the route table', async () => {
    const response = await fetch(`${api}/openapi.json`);
    expect(response.status).toBe(200);
    const document = (await response.json()) as { openapi: string; paths: Record<string, Record<string, { operationId: string }>> };
    expect(document.openapi).toBe('3.1.0');
    const result = await validate(structuredClone(document) as never);
    expect(result.valid ? [] : result.errors).toEqual([]);
    const operations = Object.values(document.paths)
      .flatMap((methods) => Object.values(methods).map((operation) => operation.operationId));
    expect(operations.sort()).toEqual(routeTable.map((contract) => contract.id).sort());
  });

  it('renders /docs from assets the API serves itself (no network needed)', async () => {
    const page = await fetch(`${api}/docs`);
    expect(page.status).toBe(200);
    expect(page.headers.get('content-type')).toMatch(/^text\/html/);
    const html = await page.text();
    const assets = [...html.matchAll(/(?:src|href)="([^"]+)"/g)].map((match) => match[1]!);
    expect(assets.length).toBeGreaterThanOrEqual(3);
    for (const asset of assets) {
      expect(asset, 'relative, same origin').not.toMatch(/^(https?:)?\/\//);
      const response = await fetch(new URL(asset, `${api}/docs`));
      expect(response.status, asset).toBe(200);
      expect((await response.text()).length, asset).toBeGreaterThan(50);
    }
    // The policy lets the page run its own scripts, and nothing else.
    const policy = page.headers.get('content-security-policy') ?? '';
    expect(policy).toContain("script-src 'self'");
    expect(policy).not.toMatch(/sandbox|require-trusted-types-for|upgrade-insecure-requests/);
  });

  it('answers unknown routes and wrong methods with problem bodies', async () => {
    const missing = await fetch(`${api}/no/such/route`);
    expect(missing.status).toBe(404);
    expect(missing.headers.get('content-type')).toBe('application/problem+json');
    expect(((await missing.json()) as { code: string }).code).toBe('ROUTE_NOT_FOUND');
    const wrongMethod = await fetch(`${api}/health`, { method: 'DELETE' });
    expect(wrongMethod.status).toBe(405);
    expect(((await wrongMethod.json()) as { code: string }).code).toBe('METHOD_NOT_ALLOWED');
  });

  it('answers a CORS preflight before any authentication', async () => {
    const response = await fetch(`${api}/users/me`, {
      method: 'OPTIONS',
      headers: { origin: 'https://pwa.example', 'access-control-request-method': 'PATCH', 'access-control-request-headers': 'authorization,content-type' },
    });
    expect(response.status).toBe(204);
    expect(response.headers.get('access-control-allow-origin')).toBeTruthy();
    expect(response.headers.get('access-control-allow-methods')).toContain('PATCH');
  });

  it('refuses a body over the limit with 413 and a problem body', async () => {
    const response = await fetch(`${api}/auth/login`, {
      method: 'POST', headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ email: 'big@example.com', password: 'x'.repeat(1_100_000) }),
    });
    expect(response.status).toBe(413);
    expect(((await response.json()) as { code: string }).code).toBe("PAYLOAD_TOO_LARGE");
  });
});
