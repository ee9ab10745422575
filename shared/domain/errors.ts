// Named domain errors. Services throw these; they know nothing of HTTP. The one error map in
// shared/http/problem.ts turns each kind into a status and a problem+json body.

export type ErrorKind =
  | 'bad_request'
  | 'unauthenticated'
  | 'forbidden'
  | 'not_found'
  | 'conflict'
  | 'precondition_failed'
  | 'payload_too_large'
  | 'unsupported_media_type'
  | 'invalid'
  | 'too_many_requests'
  | 'unavailable';

export interface FieldError {
  location: string;
  message: string;
  value?: unknown;
}

export interface DomainErrorDetails {
  errors?: FieldError[];
  /** seconds, for `too_many_requests` and `unavailable` */
  retryAfter?: number;
}

export class DomainError extends Error {
  override readonly name = 'DomainError';

  constructor(
    readonly kind: ErrorKind,
    /** machine-readable, stable: `ITEM_SKU_TAKEN`, `WORKSPACE_ACCESS_DENIED` */
    readonly code: string,
    /** human-readable, safe to show a client */
    message: string,
    readonly details: DomainErrorDetails = {},
  ) {
    super(message);
  }
}

/** Shorthand for declaring a domain's errors: `export const SkuTaken = defineError('conflict', 'ITEM_SKU_TAKEN', …)`. */
export function defineError(kind: ErrorKind, code: string, defaultMessage: string) {
  return (message: string = defaultMessage, details?: DomainErrorDetails) => new DomainError(kind, code, message, details);
}

export const NotFound = defineError('not_found', 'NOT_FOUND', 'The resource does not exist.');
export const VersionConflict = defineError('precondition_failed', 'VERSION_CONFLICT', 'The resource has changed since that version.');

/** A list cursor this API did not give out (or gave out for another list). */
export const InvalidCursor = () =>
  new DomainError('invalid', 'INVALID_CURSOR', 'The cursor is not one this list gave out.', {
    errors: [{ location: 'query.cursor', message: 'is not a cursor of this list' }],
  });
