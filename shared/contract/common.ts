// Shapes every domain shares: the problem body and the registry helper that names a schema
// for the OpenAPI document.
import * as z from 'zod/mini';
import { asciiText, integer } from './text.js';

/** Registers a schema under a component name so the OpenAPI document refers to it by `$ref`. */
export function named<S extends z.ZodMiniType>(id: string, schema: S, description?: string, example?: unknown): S {
  z.globalRegistry.add(schema, { id, description, ...(example === undefined ? {} : { examples: [example] }) });
  return schema;
}

export const ProblemFieldError = named('ProblemFieldError', z.object({
  location: z.string(),
  message: z.string(),
  value: z.optional(z.unknown()),
}), 'One validation failure: where (`body.name`, `query.limit`, `path.id`) and why.');

/** RFC 9457 problem details, with the machine-readable `code` every error carries. */
export const Problem = named('Problem', z.object({
  type: z.string(),
  title: z.string(),
  status: z.int(),
  detail: z.string(),
  code: z.string(),
  instance: z.optional(z.string()),
  errors: z.optional(z.array(ProblemFieldError)),
}), 'Every error answer (`application/problem+json`).', {
  type: 'about:blank', title: 'Unprocessable Content', status: 422, detail: 'The request did not match the schema.',
  code: 'VALIDATION_FAILED', errors: [{ location: 'body.name', message: 'is required' }],
});

export const Uuid = z.uuid();
export const Timestamp = z.iso.datetime({ offset: true });

/**
 * Strings of answers whose format the OpenAPI document states (so generated clients type them),
 * without re-validating on the way out what the API itself stored.
 */
function documented(format: 'uuid' | 'date-time' | 'email' | 'uri') {
  const schema = z.string();
  z.globalRegistry.add(schema, { format } as never);
  return schema;
}
export const IdOut = documented('uuid');
export const TimestampOut = documented('date-time');
export const EmailOut = documented('email');
export const UrlOut = documented('uri');

/** Every stored entity carries these. */
export const entityMeta = {
  created_at: TimestampOut,
  updated_at: TimestampOut,
  version: z.int(),
};

/**
 * Cursor paging: `limit` (1–100, default 50) and the opaque `cursor` from `next_cursor`.
 * The earlier API's `page` is refused with a message that points to `cursor`.
 */
export const PageQuery = z.object({
  limit: z._default(z.pipe(z.coerce.number(), integer(1, 100)), 50),
  /** opaque: base64url of a position this list gave out */
  cursor: z.optional(asciiText({ max: 2048, pattern: /^[A-Za-z0-9_-]+$/ })),
  page: z.optional(z.unknown().check(z.refine(() => false, 'is not supported: pass `cursor` (from `next_cursor`) instead'))),
});

/** A page of a list; named `<Item>Page` (with an example page) when the item schema is named. */
export function pageOf<S extends z.ZodMiniType>(item: S) {
  const page = z.object({ items: z.array(item), next_cursor: z.optional(z.string()) });
  const meta = z.globalRegistry.get(item);
  if (!meta?.id) return page;
  const example = (meta.examples as unknown[] | undefined)?.[0];
  return named(`${meta.id}Page`, page, `One page of ${meta.id} items; pass next_cursor back as cursor for the next.`,
    example === undefined ? undefined : { items: [example], next_cursor: 'eyJQSyI6Ii4uLiJ9' });
}

export const WorkspaceParams = z.object({ workspace_id: Uuid });

/** A body that must carry exactly one of some optional fields: checked, and said in the OpenAPI document (`oneOf`). */
export function exactlyOneOf<S extends z.ZodMiniObject>(schema: S, fields: readonly (keyof z.output<S> & string)[]): S {
  const checked = schema.check(z.refine((value: Record<string, unknown>) => fields.filter((field) => value[field] !== undefined).length === 1, {
    message: `must have exactly one of ${fields.join(' and ')}`,
  }));
  z.globalRegistry.add(checked, { oneOf: fields.map((field) => ({ required: [field] })) } as never);
  return checked;
}
