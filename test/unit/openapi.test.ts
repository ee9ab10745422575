import { validate } from '@readme/openapi-parser';
import { describe, expect, it } from 'vitest';
import { routeTable } from '../../shared/contract/index.js';
import { openApiDocument } from '../../shared/contract/openapi.js';

describe('OpenAPI document', () => {
  const document = openApiDocument(routeTable, { version: '1.0.0' });

  it('is a valid OpenAPI 3.1 document', async () => {
    const result = await validate(structuredClone(document) as never);
    expect(result.valid ? [] : result.errors, 'validation errors').toEqual([]);
  });

  it('has one operation per route of the route table, under its id', () => {
    const operations = Object.values(document.paths).flatMap((methods) => Object.values(methods) as { operationId: string }[]);
    expect(operations.map((operation) => operation.operationId).sort()).toEqual(routeTable.map((contract) => contract.id).sort());
  });

  it('describes problem answers and names shared schemas as components', () => {
    expect(document.components.schemas).toHaveProperty('Problem');
    expect(document.components.schemas).toHaveProperty('Readiness');
    const ready = document.paths['/ready']!.get as { responses: Record<string, unknown> };
    expect(Object.keys(ready.responses)).toEqual(expect.arrayContaining(['200', '503', '500']));
  });
});

describe('OpenAPI examples', () => {
  const document = openApiDocument(routeTable, { version: '1.0.0' }) as unknown as {
    paths: Record<string, Record<string, { operationId: string; requestBody?: Content; responses: Record<string, Content & { description: string }> }>>;
    components: { schemas: Record<string, Schema> };
  };
  type Schema = { examples?: unknown[]; $ref?: string };
  type Content = { content?: Record<string, { example?: unknown; schema?: Schema }> };
  const hasExample = (media: { example?: unknown; schema?: Schema } | undefined): boolean => {
    if (!media) return true;
    if (media.example !== undefined || media.schema?.examples?.length) return true;
    const ref = media.schema?.$ref?.split('/').pop();
    return ref !== undefined && (document.components.schemas[ref]?.examples?.length ?? 0) > 0;
  };

  it('gives every JSON request body and success body an example', () => {
    const missing: string[] = [];
    for (const methods of Object.values(document.paths)) {
      for (const operation of Object.values(methods)) {
        if (!hasExample(operation.requestBody?.content?.['application/json'])) missing.push(`${operation.operationId} request`);
        const success = Object.entries(operation.responses).find(([status]) => status.startsWith('2'))?.[1];
        if (!hasExample(success?.content?.['application/json'])) missing.push(`${operation.operationId} response`);
      }
    }
    expect(missing).toEqual([]);
  });
});
