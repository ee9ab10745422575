// Import (issue 14), over real HTTP: export → import into another workspace reproduces the
// entities and their relations; a spreadsheet-made CSV (BOM, CRLF, quoted commas and newlines,
// accented names, a formula-like cell) round-trips; a dry run writes nothing and reports what the
// real run then does; duplicate SKUs (in the file and against what is stored) fail only their
// rows, with a code and the column; missing references fail or are created when asked; an upsert
// of the same file changes nothing the second time; unreadable files answer 422.
import { describe, expect, it } from 'vitest';
import { allPages, call, createWorkspace, expectProblem, expectStatus, signUp } from './support/api.js';

type Row = Record<string, any>;

async function workspace() {
  const owner = await signUp();
  const ws = await createWorkspace(owner.token);
  const base = `/workspaces/${ws.id}`;
  const token = owner.token;
  const create = async (segment: string, body: Record<string, unknown>) => expectStatus(await call('POST', `${base}/${segment}`, { token, body }), 201).json as Row;
  const list = async (segment: string) => (await allPages<Row>(`${base}/${segment}?include_archived=true`, token, 100)).items;
  const importFile = (type: string, format: 'csv' | 'json', text: string, query: Record<string, string> = {}) =>
    call('POST', `${base}/import/${type}`, { token, query, body: { format, data: Buffer.from(text, 'utf8').toString('base64') } });
  const exported = async (type: string, format = 'csv') => expectStatus(await call('GET', `${base}/export/${type}`, { token, query: { format } }), 200).text;
  return { owner, ws, base, token, create, list, importFile, exported };
}

const report = (answer: { status: number; json: Row; text: string }) => expectStatus(answer as never, 200).json as Row;

describe('import', () => {
  it('export → import into another workspace reproduces categories, locations, containers and items with their relations', async () => {
    const from = await workspace();
    const tools = await from.create('categories', { name: 'Tools' });
    await from.create('categories', { name: 'Saws', parent_category_id: tools.id });
    const garage = await from.create('locations', { name: 'Garage' });
    await from.create('locations', { name: 'Shelf', parent_location: garage.id });
    await from.create('containers', { name: 'Crate', location_id: garage.id });
    await from.create('items', { name: 'Drill', sku: 'DR-1', category_id: tools.id, brand: 'Bosch', min_stock_level: 2 });
    await from.create('items', { name: '=cmd|calc', category_id: tools.id });

    const to = await workspace();
    // parents before children: categories and locations in the file's order (by name: parent rows may come later, so twice)
    for (const type of ['category', 'location', 'container', 'item']) {
      const text = await from.exported(type);
      const first = report(await to.importFile(type, 'csv', text, { mode: 'upsert' }));
      expect(first.failed, JSON.stringify(first.errors)).toBe(0);
    }
    const names = (list: Row[]) => list.map((entity) => entity.name).sort();
    expect(names(await to.list('categories'))).toEqual(['Saws', 'Tools']);
    expect(names(await to.list('items'))).toEqual(['=cmd|calc', 'Drill']);
    const toCategories = await to.list('categories');
    const toTools = toCategories.find((category) => category.name === 'Tools')!;
    expect(toCategories.find((category) => category.name === 'Saws')!.parent_category_id).toBe(toTools.id);
    const drill = (await to.list('items')).find((item) => item.name === 'Drill')!;
    expect(drill).toMatchObject({ sku: 'DR-1', brand: 'Bosch', min_stock_level: 2, category_id: toTools.id });
    const toGarage = (await to.list('locations')).find((location) => location.name === 'Garage')!;
    expect((await to.list('locations')).find((location) => location.name === 'Shelf')!.parent_location).toBe(toGarage.id);
    expect((await to.list('containers'))[0]).toMatchObject({ name: 'Crate', location_id: toGarage.id });

    // the same files again, upserting: nothing changes (no new versions)
    const versions = (await to.list('items')).map((item) => item.version);
    for (const type of ['category', 'location', 'container', 'item']) {
      const again = report(await to.importFile(type, 'csv', await from.exported(type), { mode: 'upsert' }));
      expect(again).toMatchObject({ failed: 0, created: 0, updated: 0 });
    }
    expect((await to.list('items')).map((item) => item.version)).toEqual(versions);
  });

  it('a spreadsheet-made CSV: BOM, CRLF, quoted commas and newlines, accents, a formula-like cell, header names in any case', async () => {
    const w = await workspace();
    const csv = '\uFEFFName,Description,Category_Name,SKU\r\n'
      + '"Perceuse, sans fil","Ligne 1\r\nLigne 2, avec ""guillemets""",Outils électriques,PX-1\r\n'
      + '\'=1+2,Formula-like,Outils électriques,PX-2\r\n';
    const first = report(await w.importFile('item', 'csv', csv, { create_missing: 'true' }));
    expect(first).toMatchObject({ total_rows: 2, succeeded: 2, failed: 0, created: 2, created_related: 1 });
    const items = await w.list('items');
    // the quoted newline kept, as the REST create keeps a description's lines (CRLF stored as LF, as it does)
    expect(items.find((item) => item.sku === 'PX-1')).toMatchObject({ name: 'Perceuse, sans fil', description: 'Ligne 1\nLigne 2, avec "guillemets"' });
    expect(items.find((item) => item.sku === 'PX-2')!.name).toBe('=1+2');
    expect((await w.list('categories')).map((category) => category.name)).toEqual(['Outils électriques']);
    // and back out: the export neutralises the formula again, the import takes it off again
    expect(await w.exported('item')).toContain('\'=1+2');
  });

  it('a dry run writes nothing and reports what the real run does; duplicate SKUs fail only their rows', async () => {
    const w = await workspace();
    await w.create('items', { name: 'Existing', sku: 'TAKEN-1' });
    const json = JSON.stringify([
      { name: 'One', sku: 'NEW-1' },
      { name: 'Two', sku: 'TAKEN-1' },
      { name: 'Three', sku: 'NEW-1' },
      { name: '', sku: 'NEW-3' },
      { name: 'Four', category_name: 'Nowhere' },
      { name: 'Five', min_stock_level: 'lots' },
    ]);
    const dryAnswer = await w.importFile('item', 'json', json, { dry_run: 'true' });
    const dry = report(dryAnswer);
    expect(dry).toMatchObject({ dry_run: true, total_rows: 6, succeeded: 1, failed: 5, created: 1 });
    expect(dry.errors).toEqual([
      { row: 2, column: 'sku', code: 'ITEM_SKU_TAKEN', message: expect.any(String) },
      { row: 3, column: 'sku', code: 'ITEM_SKU_TAKEN', message: expect.any(String) },
      { row: 4, column: 'name', code: 'VALIDATION_FAILED', message: expect.any(String) },
      { row: 5, column: 'category_name', code: 'REFERENCE_NOT_FOUND', message: expect.any(String) },
      { row: 6, column: 'min_stock_level', code: 'VALIDATION_FAILED', message: expect.any(String) },
    ]);
    expect((await w.list('items')).map((item) => item.name)).toEqual(['Existing']);
    const realAnswer = await w.importFile('item', 'json', json);
    const real = report(realAnswer);
    expect({ ...real, dry_run: true }).toEqual(dry);
    // the local-only capacity header: a dry run writes nothing; the real run's counts the write of
    // the row it made, made by the create route it called (shared/http/loopback.ts adds it up)
    const written = (answer: { headers: Headers }) => Number(/write=([\d.]+)/.exec(answer.headers.get('x-consumed-capacity') ?? '')?.[1]);
    expect(written(dryAnswer)).toBe(0);
    expect(written(realAnswer)).toBeGreaterThan(0);
    expect((await w.list('items')).map((item) => item.name).sort()).toEqual(['Existing', 'One']);
  });

  it('answers 422 for what cannot be read, and viewers may not import', async () => {
    const w = await workspace();
    expectProblem(await w.importFile('item', 'json', '{"not": "an array"}'), 422, 'IMPORT_UNREADABLE');
    expectProblem(await w.importFile('item', 'csv', '   '), 422, 'IMPORT_UNREADABLE');
    expectProblem(await w.importFile('tombstone', 'csv', 'name\nx'), 404, 'ROUTE_NOT_FOUND');
    const viewer = await signUp();
    expectStatus(await call('POST', `${w.base}/members`, { token: w.token, body: { user_id: viewer.user.id, role: 'viewer' } }), 201);
    expectProblem(await call('POST', `${w.base}/import/label`, { token: viewer.token, body: { format: 'csv', data: Buffer.from('name\nx').toString('base64') } }), 403, 'ROLE_TOO_LOW');
  });
});
