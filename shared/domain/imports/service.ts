// Importing rows: each row is read into the body its type's REST create takes, validated by that
// body's schema, its related names resolved, matched to an existing entity when upserting, and
// written by calling that type's own REST create or update route with the caller's token
// (shared/http/loopback.ts, as the sync batch does): the same rules, uniqueness, activity and change
// log, with no second implementation. A failing row fails alone, reported with the route's code
// and the column at fault; a dry run makes the same checks here (schema, references, duplicates in
// the file and against what is stored) and calls nothing. Rows are written one after another, so
// a row may name one made by a row above it.
//
// Why calls and not the catalog engine in-process: the engine's create and update paths on top of
// the CSV parser put each import route ~5–11 KB over its cold-start budget (README, "Cold starts").
import * as z from 'zod/mini';
import { parse } from 'csv-parse/sync';
import type { ErrorCode } from '../../contract/errors.js';
import { maxImportRows } from '../../contract/imports.js';
import type { z as zod } from 'zod/mini';
import type * as contract from '../../contract/imports.js';
import type { WorkspaceScope } from '../../http/caller.js';
import { DomainError } from '../errors.js';
import { newId } from '../ids.js';
import type { Answer, Caller } from '../sync/batch.js';
import { foldName, normalisedUnique, type CatalogRecord } from '../catalog/model.js';
import { entitiesOf } from '../catalog/all.js';
import type { ImportSpec, ImportTarget, Reference } from './specs.js';

type Report = zod.infer<typeof contract.ImportReport>;
type Cells = Record<string, string>;

export interface ImportOptions {
  format: 'csv' | 'json';
  data: string;
  dryRun: boolean;
  mode: 'create' | 'upsert';
  createMissing: boolean;
}

const unreadable = (why: string) => new DomainError('IMPORT_UNREADABLE', `The file could not be read: ${why}.`);

/** What the export put in front of a formula-like cell comes off again. */
const restored = (value: string) => (/^'[=+\-@\t\r]/.test(value) ? value.slice(1) : value);

/** The file's rows as cells by lower-cased column name (empty cells left out); more than `maxRows` is an error. */
export function readRows(format: 'csv' | 'json', file: string, maxRows = maxImportRows): Cells[] {
  const text = file.replace(/^\uFEFF/, '');
  if (text.trim() === '') throw unreadable('it is empty');
  let rows: Record<string, unknown>[];
  if (format === 'csv') {
    try {
      rows = parse(text, { columns: (header: string[]) => header.map((name) => name.trim().toLowerCase()), skip_empty_lines: true, trim: true, relax_quotes: false });
    } catch (error) {
      throw unreadable(`it is not CSV with a header row (${(error as Error).message.split('\n')[0]!.slice(0, 120)})`);
    }
  } else {
    let parsed: unknown;
    try {
      parsed = JSON.parse(text);
    } catch {
      throw unreadable('it is not JSON');
    }
    if (!Array.isArray(parsed) || parsed.some((row) => typeof row !== 'object' || row === null || Array.isArray(row))) throw unreadable('it is not a JSON array of objects');
    rows = (parsed as Record<string, unknown>[]).map((row) => Object.fromEntries(Object.entries(row).map(([name, value]) => [name.trim().toLowerCase(), value])));
  }
  if (rows.length > maxRows) {
    throw new DomainError('IMPORT_TOO_MANY_ROWS', maxRows === maxImportRows
      ? `The file has ${rows.length} rows; one request imports at most ${maxImportRows} (a larger file goes through POST …/imports).`
      : `The file has ${rows.length} rows; an import takes at most ${maxRows}.`);
  }
  return rows.map((row) => Object.fromEntries(Object.entries(row)
    .filter(([, value]) => value !== null && value !== undefined && String(value).trim() !== '')
    .map(([name, value]) => [name, restored(typeof value === 'string' ? value.trim() : String(value))])));
}

/** The fields a type's create body takes (its schema's keys). */
const bodyFields = (spec: ImportSpec) => Object.keys((spec.body as unknown as { _zod: { def: { shape: Record<string, unknown> } } })._zod.def.shape);

class RowError extends Error {
  constructor(readonly code: ErrorCode, message: string, readonly column?: string) {
    super(message);
  }
}

/**
 * A row's write through its type's REST route: POST to the collection, or PATCH of one entity at
 * the version read (a change since answers 412, reported as VERSION_CONFLICT for that row). A
 * refusal becomes the row's error, at the column the route's first field error names.
 */
async function write(call: Caller, workspaceId: string, target: ImportTarget, spec: ImportSpec, input: Record<string, unknown>, match?: CatalogRecord): Promise<CatalogRecord> {
  const collection = `/workspaces/${workspaceId}/${target.segment}`;
  const answer: Answer = match
    ? await call({ method: 'PATCH', path: `${collection}/${match.id}`, body: input, ifMatch: match.version })
    : await call({ method: 'POST', path: collection, body: input });
  if (answer.status < 300 && typeof answer.body?.id === 'string') return answer.body as unknown as CatalogRecord;
  const problem = answer.body ?? {};
  const location = (problem.errors as { location?: string }[] | undefined)?.[0]?.location;
  const field = location?.startsWith('body.') ? location.slice(5) : undefined;
  const column = field ? spec.references.find((reference) => reference.field === field)?.column ?? field : undefined;
  throw new RowError(typeof problem.code === 'string' ? (problem.code as ErrorCode) : 'INTERNAL_ERROR',
    typeof problem.detail === 'string' ? problem.detail : `The ${target.definition.label} route answered ${answer.status}.`, column);
}

/** Active entities of a type by folded name (the oldest when several share one). */
async function byName(workspaceId: string, type: string): Promise<Map<string, string>> {
  const names = new Map<string, string>();
  for await (const page of entitiesOf(workspaceId, type, ['id', 'name', 'is_archived'])) {
    for (const record of page) if (record.is_archived !== true && !names.has(foldName(String(record.name)))) names.set(foldName(String(record.name)), String(record.id));
  }
  return names;
}

/**
 * The order rows are written in: as in the file, except that a row naming another row of the file
 * as its parent (a category's, a location's) comes after it, so files sorted by name import whole.
 */
function parentsFirst(spec: ImportSpec, rows: Cells[]): number[] {
  const tree = spec.references.find((reference) => reference.target.definition === spec.definition);
  if (!tree) return rows.map((_, index) => index);
  const rowOfName = new Map(rows.map((cells, index) => [foldName(cells.name ?? ''), index]));
  const order: number[] = [];
  const state = new Map<number, 'visiting' | 'done'>();
  const visit = (index: number) => {
    if (state.get(index)) return; // done, or a cycle (its row then fails on its reference)
    state.set(index, 'visiting');
    const parent = rows[index]![tree.column];
    const parentRow = parent === undefined ? undefined : rowOfName.get(foldName(parent));
    if (parentRow !== undefined && parentRow !== index) visit(parentRow);
    state.set(index, 'done');
    order.push(index);
  };
  rows.forEach((_, index) => visit(index));
  return order;
}

/** The import of one request: the whole file (at most maxImportRows rows) at once. */
export async function importRows(scope: WorkspaceScope, call: Caller, spec: ImportSpec, options: ImportOptions): Promise<Report> {
  const rows = readRows(options.format, Buffer.from(options.data, 'base64').toString('utf8'));
  return (await importParsed(scope.workspace.id, call, spec, rows, options)).report;
}

/** Errors a report lists at most (a job's report is kept on its record, which DynamoDB limits to 400 KB); the counts go on. */
export const maxReportedErrors = 1_000;

/**
 * A part of a file's import (an import job's step): the rows from the `from`-th in writing order,
 * at most `count`, stopping early at `deadline`; the report so far is carried on.
 */
export interface ImportSlice {
  from: number;
  count: number;
  report?: Report;
  deadline?: number;
  progress?: (done: number) => Promise<void>;
  /** rows written at once, where no row can depend on another (see importParsed) */
  parallel?: number;
}

/** Imports rows already read: all of them, or one slice. Answers the report and the position the next slice starts at (`rows.length` when done). */
export async function importParsed(workspaceId: string, call: Caller, spec: ImportSpec, rows: Cells[], options: Omit<ImportOptions, 'format' | 'data'>, slice?: ImportSlice): Promise<{ report: Report; next: number }> {
  const fields = bodyFields(spec);
  const report: Report = slice?.report ?? { total_rows: rows.length, succeeded: 0, failed: 0, created: 0, updated: 0, created_related: 0, dry_run: options.dryRun, errors: [] };

  // what is stored: the type's entities (to match and to find duplicates), and the related names
  const existing: CatalogRecord[] = [];
  for await (const page of entitiesOf(workspaceId, spec.definition.type)) existing.push(...(page as CatalogRecord[]));
  const related = new Map<string, Map<string, string>>();
  for (const reference of spec.references) {
    const relatedType = reference.target.definition.type;
    if (!related.has(relatedType)) related.set(relatedType, await byName(workspaceId, relatedType));
  }
  // unique values taken, per rule: stored ones, then each row's as it is accepted
  const uniques = spec.definition.unique ?? [];
  const taken = new Map(uniques.map((rule) => [rule.field, new Map(existing.flatMap((record) => {
    const value = record[rule.field];
    return typeof value === 'string' && value !== '' ? [[normalisedUnique(rule, value), record.id] as const] : [];
  }))]));

  const resolve = async (reference: Reference, name: string): Promise<string> => {
    const names = related.get(reference.target.definition.type)!;
    const found = names.get(foldName(name));
    if (found) return found;
    if (!options.createMissing) throw new RowError('REFERENCE_NOT_FOUND', `No ${reference.target.definition.label} named "${name}" (pass create_missing=true to make it).`, reference.column);
    // in a dry run, a stand-in id (a UUID, so the rows naming it pass their schema as they will)
    let id = newId();
    if (!options.dryRun) {
      // a refusal of the related entity is this row's, at the column that named it
      id = (await write(call, workspaceId, reference.target, spec, { name }).catch((error: unknown) => {
        throw error instanceof RowError ? new RowError(error.code, error.message, reference.column) : error;
      })).id;
    }
    names.set(foldName(name), id);
    report.created_related += 1;
    return id;
  };

  // what finds the entity a row updates: by id, and by each match field's normalised value (built
  // once, kept current as rows are written, so matching costs a lookup per row, not a pass over all)
  const matchKey = (field: string, value: string) => (field === 'name' ? foldName(value) : value.toUpperCase());
  const byId = new Map<string, CatalogRecord>();
  const byField = new Map(spec.matchBy.map((field) => [field, new Map<string, CatalogRecord[]>()]));
  const remember = (record: CatalogRecord, previous?: CatalogRecord) => {
    byId.set(record.id, record);
    for (const [field, index] of byField) {
      const old = previous?.[field];
      if (typeof old === 'string') index.set(matchKey(field, old), (index.get(matchKey(field, old)) ?? []).filter((other) => other.id !== record.id));
      const value = record[field];
      // archived entities are matched by id or code, never by name
      if (typeof value === 'string' && (field !== 'name' || record.is_archived !== true)) {
        index.set(matchKey(field, value), [...(index.get(matchKey(field, value)) ?? []).filter((other) => other.id !== record.id), record]);
      }
    }
  };
  for (const record of existing) remember(record);

  const matchOf = (input: Record<string, unknown>): CatalogRecord | undefined => {
    if (typeof input.id === 'string') {
      const same = byId.get(input.id);
      if (same || options.mode === 'create') return same;
    }
    if (options.mode !== 'upsert') return undefined;
    for (const field of spec.matchBy) {
      const value = input[field];
      if (typeof value !== 'string') continue;
      const matches = byField.get(field)!.get(matchKey(field, value)) ?? [];
      if (matches.length === 1) return matches[0];
      if (matches.length > 1) throw new RowError('VALIDATION_FAILED', `Several ${spec.definition.label} entities have this ${field}; give the row an id.`, field);
    }
    return undefined;
  };

  const order = parentsFirst(spec, rows);
  const end = slice ? Math.min(order.length, slice.from + slice.count) : order.length;
  let position = slice?.from ?? 0;
  // rows written side by side (a job's import, `slice.parallel`) when no row can depend on another:
  // creating only, no related entity to make, no row naming another of the file; the routes' own
  // guards still decide uniqueness, so two rows with one SKU cannot both win
  const lanes = slice?.parallel && options.mode === 'create' && !options.createMissing && !options.dryRun
    && !spec.references.some((reference) => reference.target.definition === spec.definition) ? slice.parallel : 1;
  const inFlight = new Set<Promise<void>>();
  let failure: { error: unknown } | undefined;
  const importRow = async (index: number) => {
    const cells = rows[index]!;
    const row = index + 1;
    try {
      const input: Record<string, unknown> = {};
      for (const field of fields) {
        const value = cells[field];
        if (value === undefined) continue;
        input[field] = spec.numbers.includes(field) && /^-?\d+$/.test(value) ? Number(value) : value;
      }
      for (const reference of spec.references) {
        const name = cells[reference.column];
        if (name !== undefined) input[reference.field] = await resolve(reference, name);
        else if (reference.required) throw new RowError('VALIDATION_FAILED', `The row needs a ${reference.column}.`, reference.column);
      }
      const checked = z.safeParse(spec.body, input);
      if (!checked.success) {
        const issue = checked.error.issues[0]!;
        const field = String(issue.path[0] ?? '');
        const column = spec.references.find((reference) => reference.field === field)?.column ?? field;
        throw new RowError('VALIDATION_FAILED', `${column || 'row'}: ${issue.message}`, column || undefined);
      }
      const match = matchOf(input);
      const changes = match ? Object.fromEntries(Object.entries(input).filter(([field, value]) => field !== 'id' && match[field] !== value)) : undefined;
      // unique values: free, or held by the entity this row updates
      for (const rule of uniques) {
        const value = input[rule.field];
        if (typeof value !== 'string') continue;
        const holder = taken.get(rule.field)!.get(normalisedUnique(rule, value));
        if (holder !== undefined && holder !== match?.id) {
          throw new RowError(rule.code, `Another ${spec.definition.label} already has this ${rule.field.replace(/_/g, ' ')}.`, rule.field);
        }
      }
      if (match && changes && Object.keys(changes).length === 0) {
        report.succeeded += 1; // the same as stored: nothing to write
        return;
      }
      let id = match?.id ?? newId();
      if (!options.dryRun) {
        const written = await write(call, workspaceId, spec, spec, match ? changes! : input, match);
        id = written.id;
        remember(written as CatalogRecord, match);
      }
      for (const rule of uniques) {
        const value = input[rule.field];
        if (typeof value === 'string') taken.get(rule.field)!.set(normalisedUnique(rule, value), id);
      }
      // a row may name one made by a row above it (a category's parent)
      if (typeof input.name === 'string') related.get(spec.definition.type)?.set(foldName(input.name), id);
      if (match) report.updated += 1;
      else report.created += 1;
      report.succeeded += 1;
    } catch (error) {
      report.failed += 1;
      if (!(error instanceof RowError)) throw error;
      if (report.errors.length < maxReportedErrors) report.errors.push({ row, ...(error.column ? { column: error.column } : {}), code: error.code, message: error.message });
    }
  };
  for (; position < end; position += 1) {
    if (slice?.deadline !== undefined && Date.now() > slice.deadline) break;
    if (slice?.progress && position > slice.from && position % 100 === 0) await slice.progress(position);
    const running = importRow(order[position]!);
    if (lanes === 1) {
      await running;
      continue;
    }
    const lane: Promise<void> = running.then(() => {
      inFlight.delete(lane);
    }, (error: unknown) => {
      inFlight.delete(lane);
      failure ??= { error };
    });
    inFlight.add(lane);
    if (inFlight.size >= lanes) await Promise.race(inFlight);
    if (failure) break;
  }
  await Promise.all(inFlight);
  // a failure of the table or of a call (not a row's refusal): the whole step fails and is run again
  if (failure) throw failure.error;
  if (position >= order.length) report.errors.sort((a, b) => a.row - b.row);
  return { report, next: position };
}
