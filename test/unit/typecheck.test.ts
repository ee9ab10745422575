// The whole project type-checks (`npm run typecheck`: strict, no unused locals): Vitest strips
// types without checking them, so without this a type error or a dead import would pass `npm test`.
import { execFile } from 'node:child_process';
import { join, resolve } from 'node:path';
import { promisify } from 'node:util';
import { describe, expect, it } from 'vitest';

const root = resolve(import.meta.dirname, '../..');

describe('the TypeScript sources', () => {
  it('type-check with tsc (tsconfig.json, as `npm run typecheck`)', async () => {
    let output = '';
    try {
      await promisify(execFile)(process.execPath, [join(root, 'node_modules/typescript/bin/tsc'), '--noEmit', '-p', root], { cwd: root, maxBuffer: 16 * 1024 * 1024 });
    } catch (error) {
      const failed = error as { stdout?: string; stderr?: string; message: string };
      output = `${failed.stdout ?? ''}${failed.stderr ?? ''}` || failed.message;
    }
    expect(output, 'tsc found errors').toBe('');
  }, 300_000);
});
