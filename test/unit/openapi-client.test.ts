// Generated clients work: types generated from the document by openapi-typescript, a realistic
// flow written with openapi-fetch (test/unit/openapi/fixtures/client-flow.ts), type-checked in
// strict mode. A change to the document that breaks generated clients fails here.
import { execFileSync } from 'node:child_process';
import { copyFileSync, mkdirSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import openapiTS, { astToString } from 'openapi-typescript';
import { describe, expect, it } from 'vitest';
import { routeTable } from '../../shared/contract/index.js';
import { openApiDocument } from '../../shared/contract/openapi.js';

const root = join(import.meta.dirname, '../..');

describe('a client generated from the OpenAPI document', () => {
  it('types a realistic flow with openapi-fetch under strict TypeScript', async () => {
    const dir = join(root, '.cache', 'typed-client');
    rmSync(dir, { recursive: true, force: true });
    mkdirSync(dir, { recursive: true });
    const document = openApiDocument(routeTable, { version: '1.0.0' });
    writeFileSync(join(dir, 'api.d.ts'), astToString(await openapiTS(structuredClone(document) as never)));
    copyFileSync(join(root, 'test/unit/openapi/fixtures/client-flow.ts'), join(dir, 'client-flow.ts'));
    writeFileSync(join(dir, 'tsconfig.json'), JSON.stringify({
      compilerOptions: {
        strict: true, noUncheckedIndexedAccess: true, exactOptionalPropertyTypes: true, target: 'ES2022', lib: ['ES2022', 'DOM'],
        module: 'NodeNext', moduleResolution: 'NodeNext', noEmit: true, skipLibCheck: false, types: [],
      },
      files: ['client-flow.ts', 'api.d.ts'],
    }));
    let output = '';
    try {
      execFileSync(process.execPath, [join(root, 'node_modules/typescript/bin/tsc'), '-p', dir], { encoding: 'utf8' });
    } catch (error) {
      output = String((error as { stdout?: string }).stdout ?? error);
    }
    expect(output, 'tsc errors in the generated client flow').toBe('');
  }, 60_000);
});
