// The one error map: every error answer as application/problem+json (RFC 9457) with a
// machine-readable `code`; the status of a domain error comes from its code's kind in the table
// shared/contract/errors.ts, which the OpenAPI generator reads too.
import { errorKinds, type ErrorCode, type ErrorKind } from '../contract/errors.js';
import { STATUS_CODES } from 'node:http';
import type { FieldError } from '../domain/errors.js';
import { DomainError } from '../domain/errors.js';

// Node's reason phrases (410 Gone included), with RFC 9110's names where Node keeps older ones;
// a table of our own would be ~0.4 KB more in every route.
const renamed: Record<number, string> = { 413: 'Content Too Large', 422: 'Unprocessable Content' };
const titleOf = (status: number) => renamed[status] ?? STATUS_CODES[status] ?? 'Error';

export interface ProblemBody {
  type: string;
  title: string;
  status: number;
  detail: string;
  code: string;
  instance?: string;
  errors?: FieldError[];
}

export interface HttpResponse {
  statusCode: number;
  headers: Record<string, string>;
  body?: string;
  isBase64Encoded?: boolean;
}

export function statusOf(kind: ErrorKind): number {
  return errorKinds[kind];
}

export function problemResponse(
  status: number,
  code: ErrorCode,
  detail: string,
  options: { requestId?: string; errors?: FieldError[]; headers?: Record<string, string> } = {},
): HttpResponse {
  const body: ProblemBody = {
    type: 'about:blank',
    title: titleOf(status),
    status,
    detail,
    code,
    ...(options.requestId ? { instance: `urn:request:${options.requestId}` } : {}),
    ...(options.errors ? { errors: options.errors } : {}),
  };
  return {
    statusCode: status,
    headers: { 'content-type': 'application/problem+json', ...options.headers },
    body: JSON.stringify(body),
  };
}

/** Turns a domain error into its answer. Anything else is the caller's to log and answer 500. */
export function domainErrorResponse(error: DomainError, requestId?: string): HttpResponse {
  const status = statusOf(error.kind);
  const headers: Record<string, string> = {};
  if (error.details.retryAfter !== undefined) headers['retry-after'] = String(Math.ceil(error.details.retryAfter));
  return problemResponse(status, error.code, error.message, { requestId, errors: error.details.errors, headers });
}

export const internalErrorResponse = (requestId?: string): HttpResponse =>
  problemResponse(500, 'INTERNAL_ERROR', 'Something went wrong on our side. It has been logged; retrying may help.', { requestId });
