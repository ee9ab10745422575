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
