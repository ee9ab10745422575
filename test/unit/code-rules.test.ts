// Rules every file of the product keeps, checked by reading the sources.
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join, relative } from 'node:path';
import { describe, expect, it } from 'vitest';

const root = join(import.meta.dirname, '../..');

function sourceFiles(folder: string): string[] {
  return readdirSync(folder).flatMap((name) => {
    const path = join(folder, name);
    if (statSync(path).isDirectory()) return sourceFiles(path);
    return /\.(ts|mts|js|mjs)$/.test(name) ? [path] : [];
  });
}

const productFiles = ['functions', 'shared'].flatMap((folder) => sourceFiles(join(root, folder)));
const offenders = (pattern: RegExp, files = productFiles) =>
  files.filter((file) => pattern.test(readFileSync(file, 'utf8'))).map((file) => relative(root, file));

describe('product code rules', () => {
  it('reads the product sources', () => {
    expect(productFiles.length).toBeGreaterThan(10);
  });

  it('never scans the table: every access is a key lookup or a Query', () => {
    expect(offenders(/ScanCommand|\.scan\(/)).toEqual([]);
  });

  it('never writes to the console: logs go through the Powertools logger', () => {
    expect(offenders(/console\.(log|info|warn|error|debug)/)).toEqual([]);
  });

  it('reads process.env only in shared/config.ts', () => {
    expect(offenders(/process\.env/).filter((file) => file !== join('shared', 'config.ts'))).toEqual([]);
  });

  it('marks every route handler pure, so each route bundle carries only its own handler', () => {
    const handlers = productFiles.filter((file) => relative(root, file).startsWith(join('functions', 'http')));
    const unmarked = handlers.filter((file) => /=\s*httpRoute\(/.test(readFileSync(file, 'utf8'))).map((file) => relative(root, file));
    expect(unmarked).toEqual([]);
  });

  it('writes the contract with zod/mini, never the classic zod API', () => {
    const contract = productFiles.filter((file) => relative(root, file).startsWith(join('shared', 'contract')));
    expect(offenders(/from ['"]zod['"]/, contract)).toEqual([]);
  });
});
