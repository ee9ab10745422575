// Conditional requests. A route that writes one versioned resource declares `conditional: true`;
// the wrapper parses its If-Match header once and the service asks `versionsFor(id)` which
// versions of that resource the client will accept. Accepted forms (RFC 9110 §13.1.1):
// `*` (any), a bare version (`3`), an ETag this API gave out (`"<id>.v3"`, `"<id>.<more>.v3"`), or
// a comma-separated list of those (matches any). An ETag of another resource matches nothing,
// so it answers 412 like a stale version. A route that is not conditional ignores If-Match, and a
// request without If-Match never answers 412.
import { DomainError, VersionConflict } from '../domain/errors.js';

/** Versions are counters; anything larger than this is not one we gave out. */
const maxVersion = 2 ** 31 - 1;
/** At most this many versions in one If-Match list. */
const maxTags = 100;

interface Tag {
  /** the resource id the ETag names; absent for a bare version */
  id?: string;
  version: number;
}

export interface IfMatch {
  /** true when the request sent If-Match (other than `*`) */
  readonly conditional: boolean;
  /**
   * The versions of resource `id` the client accepts, or undefined when any will do. Throws 412
   * VERSION_CONFLICT when the header names only other resources.
   */
  versionsFor(id: string): number[] | undefined;
}

const invalid = (value: string) =>
  new DomainError('INVALID_IF_MATCH', 'If-Match must be `*`, a version number or ETags this API gave out.', {
    errors: [{ location: 'header.if-match', message: 'is not `*`, a version or an ETag of this API', ...(value.length <= 100 ? { value } : {}) }],
  });

function parseTag(element: string, header: string): Tag {
  const match = /^(?:W\/)?(?:"([^"]*)"|(\d+))$/.exec(element);
  if (!match) throw invalid(header);
  const [, quoted, bare] = match;
  const text = quoted ?? bare!;
  const parts = /^(?:([^.]+)(?:\.[^"]*)?\.v)?(\d{1,10})$/.exec(text);
  if (!parts) throw invalid(header);
  const version = Number(parts[2]);
  if (!Number.isSafeInteger(version) || version > maxVersion) throw invalid(header);
  return parts[1] === undefined ? { version } : { id: parts[1], version };
}

const anyVersion: IfMatch = { conditional: false, versionsFor: () => undefined };

export function parseIfMatch(header: string | undefined): IfMatch {
  const value = header?.trim();
  if (!value || value === '*') return anyVersion;
  if (value.length > 2048) throw invalid(value);
  const tags = value.split(',').map((element) => element.trim()).filter(Boolean).map((element) => parseTag(element, value));
  // DynamoDB takes at most 100 values in one IN condition; no client needs more
  if (tags.length === 0 || new Set(tags.map((tag) => tag.version)).size > maxTags) throw invalid(value);
  return {
    conditional: true,
    versionsFor(id: string) {
      const versions = tags.filter((tag) => tag.id === undefined || tag.id === id).map((tag) => tag.version);
      if (versions.length === 0) throw VersionConflict('If-Match names another resource, or a version this one no longer has.');
      return [...new Set(versions)];
    },
  };
}

/** The ETag of an entity answer: changes exactly when its version does. */
export function entityTag(body: unknown): string | undefined {
  if (body && typeof body === 'object' && 'id' in body && 'version' in body) {
    const { id, version } = body as { id: unknown; version: unknown };
    if (typeof id === 'string' && typeof version === 'number') return `"${id}.v${version}"`;
  }
  return undefined;
}
