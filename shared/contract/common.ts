// Shapes every domain shares: the problem body and the registry helper that names a schema
// for the OpenAPI document.
import * as z from 'zod/mini';
import { describe, descriptionOf } from './docs.js';
import { asciiText, clientIdText, integer, oneOf, uuidText } from './text.js';

/** Registers a schema under a component name so the OpenAPI document refers to it by `$ref`. */
export function named<S extends z.ZodMiniType>(id: string, schema: S, description?: string): S {
  return describe(schema, { id, description });
}

/**
 * Gives a named schema its example (shown in the OpenAPI document). Called in `DOCS:` statements,
 * which the Lambda bundles drop (see route.ts `document`).
 */
export function example<S extends z.ZodMiniType>(schema: S, value: z.input<S>): void {
  const meta = descriptionOf(schema) as { examples?: unknown[] } | undefined;
  if (!meta) throw new Error('example() needs a schema registered with named()');
  meta.examples = [value];
}

/** A whole number of an answer (stated `integer` in the document; what the API stored is not re-checked). */
function wholeNumber() {
  const schema = z.number();
  return describe(schema, { type: 'integer' });
}
export const IntOut = /* @__PURE__ */ wholeNumber();

export const ProblemFieldError = /* @__PURE__ */ named('ProblemFieldError', z.object({
  location: z.string(),
  message: z.string(),
  value: z.optional(z.unknown()),
}), 'One validation failure: where (`body.name`, `query.limit`, `path.id`) and why.');

/** RFC 9457 problem details, with the machine-readable `code` every error carries. */
export const Problem = /* @__PURE__ */ named('Problem', z.object({
  type: z.string(),
  title: z.string(),
  status: IntOut,
  detail: z.string(),
  code: z.string(),
  instance: z.optional(z.string()),
  errors: z.optional(z.array(ProblemFieldError)),
}), 'Every error answer (`application/problem+json`).');
DOCS: example(Problem, {
  type: 'about:blank', title: 'Unprocessable Content', status: 422, detail: 'The request did not match the schema.',
  code: 'VALIDATION_FAILED', errors: [{ location: 'body.name', message: 'is required' }],
});

export const Uuid = /* @__PURE__ */ uuidText();
/** The optional `id` of a create body: the client's own UUIDv7 (offline clients replay creates). */
export const ClientId = /* @__PURE__ */ clientIdText();
export const Timestamp = /* @__PURE__ */ z.iso.datetime({ offset: true });

/**
 * Strings of answers whose format the OpenAPI document states (so generated clients type them),
 * without re-validating on the way out what the API itself stored.
 */
function documented(format: 'uuid' | 'date-time' | 'date' | 'email' | 'uri') {
  const schema = z.string();
  return describe(schema, { format });
}
export const IdOut = /* @__PURE__ */ documented('uuid');
export const TimestampOut = /* @__PURE__ */ documented('date-time');
export const EmailOut = /* @__PURE__ */ documented('email');
export const UrlOut = /* @__PURE__ */ documented('uri');
export const DateOut = /* @__PURE__ */ documented('date');


/** Every stored entity carries these. */
export const entityMeta = {
  created_at: TimestampOut,
  updated_at: TimestampOut,
  version: IntOut,
};

/**
 * Cursor paging: `limit` (1–100, default 50) and the opaque `cursor` from `next_cursor`.
 * The earlier API's `page` is refused with a message that points to `cursor`.
 */
/** `limit`: a query string coerced to an integer of 1–100 (documented as such, not as the string it arrives as). */
/** A whole number in a query string, within a range, `fallback` when absent (documented as the integer it is). */
export function queryInteger(min: number, max: number, fallback: number) {
  const schema = z._default(z.pipe(z.coerce.number(), integer(min, max)), fallback);
  return describe(schema, { type: 'integer', minimum: min, maximum: max });
}

export function pageLimit() {
  return queryInteger(1, 100, 50);
}

/**
 * Two object shapes as one, for a schema built on shared fields (`z.strictObject(withFields(fields, {…}))`).
 * A helper rather than a spread or `z.extend`: a spread counts as a side effect (the fields would
 * stay in every bundle) and `z.extend` brings ~1.5 KB of zod to every route that uses it.
 */
export const withFields = <A extends object, B extends object>(shared: A, own: B): A & B => ({ ...shared, ...own });

/**
 * The query fields of every list, as a plain object so other queries build on it with `z.extend`
 * (a spread or a `.def.shape` read would count as a side effect: every bundle would keep it).
 */
export const pageFields = {
  limit: /* @__PURE__ */ pageLimit(),
  /** opaque: base64url of a position this list gave out */
  cursor: /* @__PURE__ */ z.optional(asciiText({ max: 2048, pattern: /^[A-Za-z0-9_-]+$/ })),
  page: /* @__PURE__ */ z.optional(z.unknown().check(z.refine(() => false, 'is not supported: pass `cursor` (from `next_cursor`) instead'))),
};

export const PageQuery = /* @__PURE__ */ z.object(pageFields);

/** A page of a list; named `<Item>Page` (its example: a page of the item's example) when the item schema is named. */
export function pageOf<S extends z.ZodMiniType>(item: S) {
  const page = z.object({ items: z.array(item), next_cursor: z.optional(z.string()) });
  const meta = descriptionOf(item);
  if (!meta?.id) return page;
  return describe(page, {
    id: `${meta.id}Page`,
    description: `One page of ${meta.id} items; pass next_cursor back as cursor for the next.`,
    // read when the document is generated, after DOCS statements gave the item its example
    get examples() {
      const itemExample = (meta.examples as unknown[] | undefined)?.[0];
      return itemExample === undefined ? undefined : [{ items: [itemExample], next_cursor: 'eyJsIjoiLi4uIn0' }];
    },
  });
}

export const WorkspaceParams = /* @__PURE__ */ z.object({ workspace_id: Uuid });

/** A query flag: `true` or `false` (absent: false). */
export const Flag = /* @__PURE__ */ z._default(z.pipe(z.enum(['true', 'false']), z.transform((value: 'true' | 'false') => value === 'true')), false);

/** A list of a workspace's entities: a page, and `include_archived=true` to see archived ones too (after the others). */
export const ListQuery = /* @__PURE__ */ z.object(withFields(pageFields, { include_archived: Flag }));

/** A body that must carry exactly one of some optional fields: checked, and said in the OpenAPI document (`oneOf`). */
export function exactlyOneOf<S extends z.ZodMiniObject>(schema: S, fields: readonly (keyof z.output<S> & string)[]): S {
  const checked = schema.check(z.refine((value: Record<string, unknown>) => fields.filter((field) => value[field] !== undefined).length === 1, {
    message: `must have exactly one of ${fields.join(' and ')}`,
  }));
  return describe(checked, { oneOf: fields.map((field) => ({ required: [field] })) });
}

/** A presigned POST to storage: send `fields` as they are, then the file (field `file`), as `multipart/form-data` to `url` before `expires_at`. */
export const UploadForm = /* @__PURE__ */ z.object({
  method: /* @__PURE__ */ oneOf(['POST']),
  url: UrlOut,
  /** form fields to send as they are, before the file (the file goes last, as field `file`); an object of strings (zod's record type would add ~3 KB to the route) */
  fields: /* @__PURE__ */ z.catchall(z.object({}), z.string()),
  expires_at: TimestampOut,
});
