// Shapes every domain shares: the problem body and the registry helper that names a schema
// for the OpenAPI document.
import * as z from 'zod/mini';

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
  status: z.number(),
  detail: z.string(),
  code: z.string(),
  instance: z.optional(z.string()),
  errors: z.optional(z.array(ProblemFieldError)),
}), 'Every error answer (`application/problem+json`).', {
  type: 'about:blank', title: 'Unprocessable Content', status: 422, detail: 'The request did not match the schema.',
  code: 'VALIDATION_FAILED', errors: [{ location: 'body.name', message: 'is required' }],
});
