// Export (issue 14), over real HTTP: every type as CSV (parsed back with csv-parse: RFC 4180
// quoting of commas, quotes and newlines, UTF-8 with accents, formula-like cells neutralised) and
// as JSON, the related names filled (category, parent location, location, parent category; item,
// location, container and borrower names of inventory and loans), archived rows only when asked,
// Content-Disposition as the earlier API; an export too large for one answer (the test runtime
// sets EXPORT_DIRECT_BYTES low) answers 202 and its job's file is the same export.
import { parse } from 'csv-parse/sync';
import { describe, expect, it } from 'vitest';
import { apiUrl, call, createWorkspace, expectProblem, expectStatus, signUp } from './support/api.js';
import { eventually } from './support/eventually.js';

type Row = Record<string, any>;

async function seeded() {
  const owner = await signUp();
  const ws = await createWorkspace(owner.token);
  const base = `/workspaces/${ws.id}`;
  const token = owner.token;
  const create = async (segment: string, body: Record<string, unknown>) => expectStatus(await call('POST', `${base}/${segment}`, { token, body }), 201).json as Row;
  const tools = await create('categories', { name: 'Tools' });
  const saws = await create('categories', { name: 'Saws, hand & power', parent_category_id: tools.id });
  const garage = await create('locations', { name: 'Garage', zone: 'North' });
  const shelf = await create('locations', { name: 'Shelf "B"', parent_location: garage.id, shelf: '2' });
  const box = await create('containers', { name: 'Boîte à outils', location_id: shelf.id, capacity: '40 l' });
  const saw = await create('items', { name: 'Scie égoïne', category_id: saws.id, brand: 'Bahco', description: 'Line one\nLine two, with a comma', min_stock_level: 1 });
  const formula = await create('items', { name: '=HYPERLINK("http://evil")', category_id: tools.id, model: '+1-555' });
  const old = await create('items', { name: 'Old drill' });
  expectStatus(await call('POST', `${base}/items/${old.id}/archive`, { token }), 204);
  const row = await create('inventory', { item_id: saw.id, location_id: shelf.id, container_id: box.id, quantity: 3, purchase_price: 2599, currency_code: 'EUR', notes: '@home' });
  const ada = await create('borrowers', { name: 'Ada Lovelace', email: 'ada@example.test' });
  const loan = await create('loans', { inventory_id: row.id, borrower_id: ada.id, quantity: 1 });
  return { owner, ws, base, token, tools, saws, garage, shelf, box, saw, formula, old, row, ada, loan };
}

const exportOf = (s: Awaited<ReturnType<typeof seeded>>, type: string, query: Record<string, string> = {}) =>
  call('GET', `${s.base}/export/${type}`, { token: s.token, query });

const csvRows = (text: string): Row[] => parse(text, { bom: true, columns: true });

describe('export', () => {
  it('CSV of items: RFC 4180, BOM and CRLF, names filled, formulas neutralised, archived only when asked', async () => {
    const s = await seeded();
    const answer = expectStatus(await exportOf(s, 'item'), 200);
    expect(answer.headers.get('content-type')).toMatch(/^text\/csv/);
    expect(answer.headers.get('content-disposition')).toBe('attachment; filename=item_export_2.csv');
    // the bytes as sent (a decoder drops the byte order mark): BOM, header row, CRLF
    const bytes = Buffer.from(await (await fetch(`${apiUrl()}${s.base}/export/item`, { headers: { authorization: `Bearer ${s.token}` } })).arrayBuffer());
    expect(bytes.subarray(0, 3)).toEqual(Buffer.from([0xef, 0xbb, 0xbf]));
    expect(bytes.subarray(3).toString('utf8').startsWith('id,sku,name,description,category_name,brand,model,manufacturer,barcode,short_code,min_stock_level,is_archived,created_at,updated_at\r\n')).toBe(true);
    const rows = csvRows(answer.text);
    // ordered by name: "=HYPERLINK…" folds before "scie…"
    expect(rows.map((row) => row.name)).toEqual(['\'=HYPERLINK("http://evil")', 'Scie égoïne']);
    const saw = rows[1]!;
    expect(saw).toMatchObject({ id: s.saw.id, category_name: 'Saws, hand & power', brand: 'Bahco', description: 'Line one\nLine two, with a comma', min_stock_level: '1', is_archived: 'false' });
    expect(saw.created_at).toMatch(/^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}Z$/);
    expect(rows[0]).toMatchObject({ category_name: 'Tools', model: '\'+1-555' });
    // the archived item only with include_archived
    const all = csvRows(expectStatus(await exportOf(s, 'item', { include_archived: 'true' }), 200).text);
    expect(all.map((row) => row.name)).toContain('Old drill');
    expect(all.find((row) => row.name === 'Old drill')!.is_archived).toBe('true');
  });

  it('JSON of every catalog type, with the related names', async () => {
    const s = await seeded();
    const json = async (type: string) => {
      const answer = expectStatus(await exportOf(s, type, { format: 'json' }), 200);
      expect(answer.headers.get('content-type')).toMatch(/^application\/json/);
      if (answer.json.length) expect(answer.text).toContain('\n  {\n    "id"'); // two-space indented
      return answer.json as Row[];
    };
    expect(await json('category')).toEqual([
      expect.objectContaining({ name: 'Saws, hand & power', parent_category: 'Tools' }),
      expect.objectContaining({ name: 'Tools', parent_category: '' }),
    ]);
    expect(await json('location')).toEqual([
      expect.objectContaining({ name: 'Garage', parent_location: '', zone: 'North', is_archived: false }),
      expect.objectContaining({ name: 'Shelf "B"', parent_location: 'Garage', shelf: '2' }),
    ]);
    expect(await json('container')).toEqual([expect.objectContaining({ name: 'Boîte à outils', location_name: 'Shelf "B"', capacity: '40 l' })]);
    expect(await json('borrower')).toEqual([expect.objectContaining({ name: 'Ada Lovelace', email: 'ada@example.test', phone: '' })]);
    expect(await json('label')).toEqual([]);
    expect(await json('company')).toEqual([]);
    expect(Object.keys((await json('item'))[0]!)).toEqual(['id', 'sku', 'name', 'description', 'category_name', 'brand', 'model', 'manufacturer', 'barcode', 'short_code', 'min_stock_level', 'is_archived', 'created_at', 'updated_at']);
  });

  it('inventory and loans, with the names of what they point at', async () => {
    const s = await seeded();
    const [row] = csvRows(expectStatus(await exportOf(s, 'inventory'), 200).text);
    expect(row).toMatchObject({
      id: s.row.id, item_id: s.saw.id, item_name: 'Scie égoïne', location_id: s.shelf.id, location_name: 'Shelf "B"', container_id: s.box.id, container_name: 'Boîte à outils',
      quantity: '3', purchase_price: '2599', currency_code: 'EUR', notes: '\'@home', is_archived: 'false',
    });
    const [loan] = (expectStatus(await exportOf(s, 'loan', { format: 'json' }), 200).json) as Row[];
    expect(loan).toMatchObject({ id: s.loan.id, inventory_id: s.row.id, item_name: 'Scie égoïne', borrower_id: s.ada.id, borrower_name: 'Ada Lovelace', quantity: 1, returned_at: '' });
  });

  it('an export larger than one answer is made by a job: 202, then the same file through the job', async () => {
    const s = await seeded();
    // 40 items with long descriptions: past the test runtime's EXPORT_DIRECT_BYTES
    for (let batch = 0; batch < 4; batch += 1) {
      await Promise.all(Array.from({ length: 10 }, (_, i) => call('POST', `${s.base}/items`, { token: s.token, body: { name: `Filler ${batch * 10 + i}`, description: 'x'.repeat(1900) } })));
    }
    const answer = expectStatus(await exportOf(s, 'item'), 202);
    const location = answer.headers.get('location')!;
    expect(location).toBe(`/workspaces/${s.ws.id}/jobs/${answer.json.id}`);
    expect(answer.json).toMatchObject({ kind: 'EXPORT', status: 'QUEUED' });
    const done = await eventually('the export job', async () => (await call('GET', location, { token: s.token })).json, (job) => job.status === 'DONE' || job.status === 'FAILED');
    expect(done).toMatchObject({ status: 'DONE', file: { name: 'item_export_42.csv', content_type: 'text/csv; charset=utf-8' }, progress: { processed: 42, total: 42 } });
    const file = await fetch(done.download_url);
    expect(file.status).toBe(200);
    const rows = csvRows(await file.text());
    expect(rows).toHaveLength(42);
    expect(rows.find((row) => row.name === 'Scie égoïne')!.category_name).toBe('Saws, hand & power');
  });

  it('refuses unknown types and formats (422) and strangers (403)', async () => {
    const s = await seeded();
    expectProblem(await exportOf(s, 'tombstone'), 422, 'VALIDATION_FAILED');
    expectProblem(await exportOf(s, 'item', { format: 'xml' }), 422, 'VALIDATION_FAILED');
    const stranger = await signUp();
    expectProblem(await call('GET', `${s.base}/export/item`, { token: stranger.token }), 403, 'WORKSPACE_ACCESS_DENIED');
  });
});
