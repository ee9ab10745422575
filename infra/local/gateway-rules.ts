// What API Gateway (HTTP API) decides on its own, before any Lambda runs, as far as AWS documents
// it or others have observed it, and the safe choice where nobody has. api-server.ts applies these
// rules; infra/local/README.md lists each with its source; test/integration/gateway-parity.test.ts
// holds one test per rule.
//
// Sources (cited below by their letter):
//  [Q] Quotas for configuring and running an HTTP API: "Total combined size of request line and
//      header values: 10240 bytes" (not adjustable); "Payload size: 10 MB".
//      https://docs.aws.amazon.com/apigateway/latest/developerguide/http-api-quotas.html
//  [R] Create routes for HTTP APIs: "API Gateway decodes URL-encoded request parameters before
//      passing them to your backend integration"; a route's method is ANY, DELETE, GET, HEAD,
//      OPTIONS, PATCH, POST or PUT; a request no stage matches gets {"message":"Not Found"} (API
//      Gateway's own 4xx answers are such JSON bodies, with no security headers).
//      https://docs.aws.amazon.com/apigateway/latest/developerguide/http-api-develop-routes.html
//  [C] Live captures of what an HTTP API (payload 2.0) hands a Lambda, published with
//      hotsock/voker (vokerhttp/testdata/ingress-paths.json, examples/aws-ingress-probe/paths.py):
//      the path is decoded (rawPath `/capture/space value` for `/capture/space%20value`), `%2F`
//      becomes a real `/`, a decoded `?` truncates the path, an escape that survives the first
//      decoding is decoded again (`%2525` → `%`), and `/capture/percent%25done` (whose second
//      decoding meets the malformed `%do`) is refused with 400 before the Lambda.
//  [S] Reports that an HTTP API answers 404 for `/items/a%2Fb` on a route `/items/{id}` (the decoded
//      slash splits the segment) — Stack Overflow, "How to encode parameters for AWS API Gateway
//      (HTTP API)", summarised by several mirrors.
//  [T] aws-powertools/powertools-lambda-python#1552: REST and HTTP APIs route `/hello/` like `/hello`.
//
// AWS documents no status for the header quota and nothing about dot segments, empty segments or
// methods outside [R]'s list: for those the local server refuses (never routes a normalised or
// ambiguous path to a handler) and says so here and in the README.
import type { IncomingMessage } from 'node:http';
import { problemResponse, type HttpResponse } from '../../shared/http/problem.js';
import type { ErrorCode } from '../../shared/contract/errors.js';

/** [Q]: request line plus header values, in bytes. */
export const gatewayHeaderQuota = 10_240;

/** [R]: the methods an HTTP API route can have. Anything else is answered 405 without routing. */
export const gatewayMethods: ReadonlySet<string> = new Set(['GET', 'HEAD', 'POST', 'PUT', 'PATCH', 'DELETE', 'OPTIONS']);

/**
 * The security headers of every answer the local server makes itself (404, 405, 413, 431, 400 for a
 * refused path, 500 for a crashed handler, the CORS preflight). A handler's answer gets these from
 * @middy/http-security-headers; the ones that matter for a JSON error body are repeated here with
 * the same values, plus a policy that forbids everything (such a body is never a page to render)
 * and no-store (an error is not a representation to cache). API Gateway's own answers in AWS carry
 * none of these; locally no answer carries fewer than a handler's does.
 */
export function gatewaySecurityHeaders(): Record<string, string> {
  return {
    'content-security-policy': "default-src 'none'; frame-ancestors 'none'",
    'x-content-type-options': 'nosniff',
    'x-frame-options': 'DENY',
    'strict-transport-security': 'max-age=15552000; includeSubDomains; preload',
    'referrer-policy': 'no-referrer',
    'cross-origin-resource-policy': 'same-origin',
    'x-permitted-cross-domain-policies': 'none',
    'x-dns-prefetch-control': 'off',
    'x-download-options': 'noopen',
    'cache-control': 'no-store',
  };
}

/** An answer of the local server itself: problem+json with a `code`, and the security headers. */
export function gatewayProblem(status: number, code: ErrorCode, detail: string): HttpResponse {
  return problemResponse(status, code, detail, { headers: gatewaySecurityHeaders() });
}

const reasons: Record<number, string> = {
  400: 'Bad Request', 405: 'Method Not Allowed', 408: 'Request Timeout', 431: 'Request Header Fields Too Large',
};

/** The bytes of `result` as an HTTP/1.1 answer that closes the connection (for a raw socket). */
export function rawHttpAnswer(result: HttpResponse): string {
  const body = Buffer.from(result.body ?? '', 'utf8');
  const headers = { ...result.headers, 'content-length': String(body.length), connection: 'close' };
  const lines = Object.entries(headers).map(([name, value]) => `${name}: ${value}`);
  return `HTTP/1.1 ${result.statusCode} ${reasons[result.statusCode] ?? 'Error'}\r\n${lines.join('\r\n')}\r\n\r\n${body.toString('latin1')}`;
}

/**
 * [Q]: the request line (`METHOD target HTTP/x.y`, without its line end) plus every header value,
 * in bytes. Node hands both over as latin1 strings, one character per byte received. How AWS counts
 * exactly (line ends? names?) is not documented: this reads the quota's words literally.
 */
export function requestLineAndHeaderValueBytes(request: IncomingMessage): number {
  let size = `${request.method ?? ''} ${request.url ?? ''} HTTP/${request.httpVersion}`.length;
  for (let index = 1; index < request.rawHeaders.length; index += 2) size += request.rawHeaders[index]!.length;
  return size;
}

export interface ParsedTarget {
  /** the path as received, percent-escapes and all */
  rawPath: string;
  /** the query as received, without `?` */
  rawQuery: string;
  /** the decoded segments (a single trailing slash dropped, see [T]) */
  segments: string[];
  /** the decoded path, as an HTTP API hands it to a Lambda in `rawPath` ([C]) */
  decodedPath: string;
}

export type TargetRefusal = { refused: HttpResponse };

const utf8 = new TextDecoder('utf-8', { fatal: true });

/** One segment's %-escapes decoded as UTF-8; undefined when an escape is malformed or the bytes are not UTF-8. */
function decodeSegment(raw: string): string | undefined {
  // the common case, a segment of plain ASCII without escapes, is already its own decoding
  if (/^[\x00-\x24\x26-\x7f]*$/.test(raw)) return raw;
  const bytes: number[] = [];
  for (let index = 0; index < raw.length; index += 1) {
    const code = raw.charCodeAt(index);
    if (code === 0x25) {
      const hex = raw.slice(index + 1, index + 3);
      if (!/^[0-9A-Fa-f]{2}$/.test(hex)) return undefined;
      bytes.push(Number.parseInt(hex, 16));
      index += 2;
    } else {
      // Node gives the request target as latin1: one character per byte received.
      bytes.push(code & 0xff);
    }
  }
  try {
    return utf8.decode(Uint8Array.from(bytes));
  } catch {
    return undefined;
  }
}

/**
 * Splits the request target into path and query and the path into segments, on the bytes received:
 * nothing is resolved, merged or re-encoded first (the WHATWG URL parser would resolve `%2e%2e`,
 * which once turned DELETE /workspaces/W/members/%2e%2e into DELETE /workspaces/W). Refuses, with
 * the gateway's answer, every path whose meaning depends on who reads it:
 *  - a malformed %-escape or bytes that are not UTF-8 → 400 MALFORMED_PATH (API Gateway decodes the
 *    path [R] and refuses what it cannot decode with 400 [C]);
 *  - a `.` or `..` segment, raw or encoded (`%2e`, `%2E%2e`, …) → 400 MALFORMED_PATH (AWS documents
 *    nothing: refused rather than resolved or routed literally);
 *  - an empty segment (`//`) other than one trailing slash → 400 MALFORMED_PATH (undocumented; merging
 *    slashes is a normalisation, so refused);
 *  - a segment whose decoding holds `?` or `%` → 400 MALFORMED_PATH (API Gateway truncates the path at
 *    a decoded `?` and decodes a surviving escape a second time [C], so it would route or hand over
 *    another path than the one sent);
 *  - a segment whose decoding holds `/` → 404 ROUTE_NOT_FOUND (API Gateway splits the decoded path
 *    there, and the extra segment matches no route [S]; where the split path would match another
 *    route, API Gateway would route it there: locally it is refused all the same).
 * The single trailing slash is dropped for matching, as API Gateway routes `/a/` like `/a` [T].
 */
export function parseRequestTarget(target: string, method: string): ParsedTarget | TargetRefusal {
  let rest = target;
  // absolute-form (`GET http://host/path`), which an HTTP/1.1 server must accept
  const absolute = /^https?:\/\/[^/?#]*/i.exec(rest);
  if (absolute) rest = rest.slice(absolute[0].length) || '/';
  const malformed = (detail: string): TargetRefusal => ({ refused: gatewayProblem(400, 'MALFORMED_PATH', detail) });
  if (!rest.startsWith('/')) return malformed('The request target is not a path.');
  const queryAt = rest.indexOf('?');
  const rawPath = queryAt === -1 ? rest : rest.slice(0, queryAt);
  const rawQuery = queryAt === -1 ? '' : rest.slice(queryAt + 1);

  const rawSegments = rawPath === '/' ? [] : rawPath.slice(1).split('/');
  if (rawSegments.length > 1 && rawSegments.at(-1) === '') rawSegments.pop(); // one trailing slash [T]

  const segments: string[] = [];
  let splitsOnSlash = false;
  for (const raw of rawSegments) {
    if (raw === '') return malformed('The path has an empty segment (`//`); API Gateway is not known to merge slashes, so it is refused rather than guessed.');
    const decoded = decodeSegment(raw);
    if (decoded === undefined) return malformed(`The path segment "${raw}" has a malformed %-escape or is not UTF-8 once decoded.`);
    if (decoded === '.' || decoded === '..') return malformed(`The path has a dot segment ("${raw}"); paths are never resolved here.`);
    if (/[?%]/.test(decoded)) return malformed(`The path segment "${raw}" decodes to a "?" or "%", which API Gateway would truncate at or decode again.`);
    if (decoded.includes('/')) splitsOnSlash = true;
    segments.push(decoded);
  }
  if (splitsOnSlash) {
    return { refused: gatewayProblem(404, 'ROUTE_NOT_FOUND', `No route matches ${method} ${rawPath} (an encoded "/" separates segments once API Gateway decodes the path).`) };
  }
  const trailingSlash = rawPath.length > 1 && rawPath.endsWith('/');
  const decodedPath = `/${segments.join('/')}${trailingSlash ? '/' : ''}`;
  return { rawPath, rawQuery, segments, decodedPath };
}
