// What the OpenAPI document says about a schema beyond what it validates (a component name, a
// format, a description, examples) lives in zod's global registry and is read only when the
// document is generated, from the sources (shared/domain/platform/document.ts). Route bundles
// never generate it: infra/bundle.ts defines `globalThis.HW_DOCS` as false there, so `describe`
// is the identity in them and its metadata (and zod's registry code) is left out.
import * as z from 'zod/mini';

declare global {
  /** `false` in Lambda bundles (an esbuild define); unset when run from the sources. */
  var HW_DOCS: boolean | undefined;
}

/** Attaches the document's metadata to `schema` (merged with what it has); answers `schema`. */
export function describe<S extends z.ZodMiniType>(schema: S, meta: Record<string, unknown>): S {
  if (globalThis.HW_DOCS !== false) z.globalRegistry.add(schema, { ...z.globalRegistry.get(schema), ...meta } as never);
  return schema;
}

/** The metadata attached to `schema`, when documenting. */
export function descriptionOf(schema: z.ZodMiniType): Record<string, unknown> | undefined {
  return globalThis.HW_DOCS !== false ? (z.globalRegistry.get(schema) as Record<string, unknown> | undefined) : undefined;
}
