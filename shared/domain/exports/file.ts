// Writing an export: every entity of a type read page by page from its workspace's partition (a
// key range per type, no Scan), the related names looked up once per related type, and the rows
// written as CSV (csv-stringify: RFC 4180 quoting, never string joins) or JSON.
import { stringify } from 'csv-stringify/sync';
import { entitiesOf } from '../catalog/all.js';
import { foldName } from '../catalog/model.js';
import { columnsOf, namedTypes, storedType, type Column, type ExportType } from './columns.js';

type Record_ = Record<string, unknown>;

/** Id → name of every entity of a type. */
export async function namesOf(workspaceId: string, type: string): Promise<Map<string, string>> {
  const names = new Map<string, string>();
  for await (const page of entitiesOf(workspaceId, type, ['id', 'name'])) for (const item of page) names.set(String(item.id), String(item.name ?? ''));
  return names;
}

/** A text cell a spreadsheet would run as a formula gets a `'` in front (the import takes it off). */
export const neutralised = (value: string) => (/^[=+\-@\t\r]/.test(value) ? `'${value}` : value);

/** RFC 3339 in seconds, as the earlier API wrote timestamps. */
const seconds = (value: unknown) => (typeof value === 'string' && value.length > 19 ? `${value.slice(0, 19)}Z` : value);

function cell(column: Column, record: Record_, names: Map<string, Map<string, string>>): string | number | boolean {
  if (column.nameOf) {
    const id = record[column.nameOf.through];
    return typeof id === 'string' ? neutralised(names.get(column.nameOf.type)?.get(id) ?? '') : '';
  }
  const value = record[column.field!];
  if (value === undefined || value === null) return column.kind === 'boolean' ? false : '';
  if (column.kind === 'number') return Number(value);
  if (column.kind === 'boolean') return value === true;
  if (column.kind === 'timestamp') return String(seconds(value));
  return neutralised(String(value));
}

/** How the rows of a type are ordered: by folded name; inventory by its item's name; loans newest first. */
function order(type: ExportType, names: Map<string, Map<string, string>>): (a: Record_, b: Record_) => number {
  if (type === 'loan') return (a, b) => String(b.loaned_at).localeCompare(String(a.loaned_at)) || String(b.id).localeCompare(String(a.id));
  const keyOf = type === 'inventory'
    ? (record: Record_) => foldName(names.get('ITEM')?.get(String(record.item_id)) ?? '')
    : (record: Record_) => foldName(String(record.name ?? ''));
  return (a, b) => keyOf(a).localeCompare(keyOf(b)) || String(a.id).localeCompare(String(b.id));
}

export interface ExportFile {
  name: string;
  contentType: string;
  body: string;
  rows: number;
}

export interface ExportRequest {
  entity_type: ExportType;
  format: 'csv' | 'json';
  include_archived: boolean;
}

/**
 * The whole export of one type, as a file; `progress` hears of each page read. With `maxRows`,
 * undefined as soon as there are more rows than that (the route then leaves it to a job).
 */
export async function exportFile(
  workspaceId: string, request: ExportRequest, options: { maxRows?: number; progress?: (read: number) => Promise<void> } = {},
): Promise<ExportFile | undefined> {
  const { entity_type: type, format, include_archived: includeArchived } = request;
  const records: Record_[] = [];
  for await (const page of entitiesOf(workspaceId, storedType[type])) {
    // returned loans are the loans' history: always in
    records.push(...page.filter((record) => includeArchived || record.is_archived !== true || type === 'loan'));
    if (options.maxRows !== undefined && records.length > options.maxRows) return undefined;
    await options.progress?.(records.length);
  }
  const names = new Map(await Promise.all(namedTypes(type).map(async (related) => [related, await namesOf(workspaceId, related)] as const)));
  records.sort(order(type, names));
  const columns = columnsOf[type];
  const rows = records.map((record) => Object.fromEntries(columns.map((column) => [column.name, cell(column, record, names)])));
  const name = `${type}_export_${rows.length}.${format}`;
  if (format === 'json') return { name, contentType: 'application/json; charset=utf-8', body: `${JSON.stringify(rows, null, 2)}\n`, rows: rows.length };
  // a byte order mark, so a spreadsheet reads UTF-8 (accents) right; CRLF as RFC 4180 says
  const csv = stringify(rows, { header: true, columns: columns.map((column) => column.name), record_delimiter: 'windows', cast: { boolean: (value) => (value ? 'true' : 'false') } });
  return { name, contentType: 'text/csv; charset=utf-8', body: `\uFEFF${csv}`, rows: rows.length };
}
