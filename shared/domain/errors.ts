// Named domain errors. Services throw these; they know nothing of HTTP. Every code is declared,
// with its kind, in the one table shared/contract/errors.ts; the error map in shared/http/problem.ts
// turns the kind into a status and a problem+json body.
import { kindOf, type ErrorCode, type ErrorKind } from '../contract/errors.js';

export type { ErrorCode, ErrorKind };

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
    /** machine-readable, stable: `ITEM_SKU_TAKEN`, `WORKSPACE_ACCESS_DENIED` */
    readonly code: ErrorCode,
    /** human-readable, safe to show a client */
    message: string,
    readonly details: DomainErrorDetails = {},
  ) {
    super(message);
  }

  get kind(): ErrorKind {
    return kindOf(this.code);
  }
}

/**
 * Shorthand for declaring a domain's errors: `export const SkuTaken = defineError('ITEM_SKU_TAKEN', …)`,
 * each declaration marked `@__PURE__` so a route's bundle keeps only the errors its code can throw
 * (every one was carried otherwise).
 */
export function defineError(code: ErrorCode, defaultMessage: string) {
  return (message: string = defaultMessage, details?: DomainErrorDetails) => new DomainError(code, message, details);
}

export const NotFound = /* @__PURE__ */ defineError('NOT_FOUND', 'The resource does not exist.');
export const VersionConflict = /* @__PURE__ */ defineError('VERSION_CONFLICT', 'The resource has changed since that version.');

/** A list cursor this API did not give out (or gave out for another list). */
export const InvalidCursor = () =>
  new DomainError('INVALID_CURSOR', 'The cursor is not one this list gave out.', {
    errors: [{ location: 'query.cursor', message: 'is not a cursor of this list' }],
  });
