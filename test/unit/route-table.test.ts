// The route table is the single source of truth: every entry has a unique id and route key,
// a well-formed path, and an implementation exported under its id.
import { resolve } from 'node:path';
import { pathToFileURL } from 'node:url';
import { describe, expect, it } from 'vitest';
import { routeTable } from '../../shared/contract/index.js';
import { routeEntry } from '../../infra/functions.js';

const root = resolve(import.meta.dirname, '../..');

describe('route table', () => {
  it('has unique operation ids and unique method + path pairs', () => {
    const ids = routeTable.map((contract) => contract.id);
    const keys = routeTable.map((contract) => `${contract.method} ${contract.path}`);
    expect(new Set(ids).size).toBe(ids.length);
    expect(new Set(keys).size).toBe(keys.length);
  });

  it('declares a path schema for exactly the parameters in each path', () => {
    for (const contract of routeTable) {
      const inPath = [...contract.path.matchAll(/\{(\w+)\}/g)].map((match) => match[1]).sort();
      const declared = contract.params ? Object.keys((contract.params as unknown as { def: { shape: object } }).def.shape).sort() : [];
      expect(declared, `${contract.id} ${contract.path}`).toEqual(inPath);
    }
  });

  it('has an implementation for every route, exported under its id', async () => {
    for (const contract of routeTable) {
      const entry = routeEntry(contract);
      const module = (await import(pathToFileURL(resolve(root, entry.module)).href)) as Record<string, unknown>;
      expect(typeof module[entry.export], `${entry.module} → ${entry.export}`).toBe('function');
      expect((module[entry.export] as { contract?: unknown }).contract, `${contract.id} wraps its own contract`).toBe(contract);
    }
  });
});
