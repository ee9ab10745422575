// The headers every answer carries: security headers in the spirit of helmet (as @middy/http-
// security-headers sets them, written here as one constant because the plugins cost every route
// ~8 KB of cold start for a handful of fixed strings), a content security policy, and CORS.
// JSON answers take `default-src 'none'; frame-ancestors 'none'`: never a document to render or
// frame. The few HTML pages bring their own policy and permissions policy (`pageOptions` in html.ts).
import { config } from '../config.js';

const everyAnswer: Readonly<Record<string, string>> = {
  'strict-transport-security': 'max-age=15552000; includeSubDomains; preload',
  'x-content-type-options': 'nosniff',
  'referrer-policy': 'no-referrer',
  'x-frame-options': 'DENY',
  'cross-origin-resource-policy': 'same-origin',
  'cross-origin-opener-policy': 'same-origin',
  'origin-agent-cluster': '?1',
  'x-permitted-cross-domain-policies': 'none',
  'x-dns-prefetch-control': 'off',
  'x-download-options': 'noopen',
};

export const jsonContentSecurityPolicy = "default-src 'none'; frame-ancestors 'none'";

/** Headers the PWA may read (it sends If-Match / If-None-Match with ETags, follows Location, waits Retry-After). */
const exposedHeaders = 'ETag, Location, Retry-After, Idempotent-Replayed';

function corsHeaders(origin: string | undefined): Record<string, string> {
  const origins = config.corsOrigins;
  if (origins.includes('*')) return { 'access-control-allow-origin': '*', 'access-control-expose-headers': exposedHeaders };
  if (origin && origins.includes(origin)) return { 'access-control-allow-origin': origin, 'access-control-expose-headers': exposedHeaders, vary: 'origin' };
  return { vary: 'origin' };
}

/** Adds the security, content-security and CORS headers to an answer (a handler's own values win). */
export function withSecurityHeaders(
  headers: Record<string, string>,
  request: { origin: string | undefined; contentSecurityPolicy: string | undefined },
): Record<string, string> {
  return {
    ...everyAnswer,
    'content-security-policy': request.contentSecurityPolicy ?? jsonContentSecurityPolicy,
    ...corsHeaders(request.origin),
    ...headers,
  };
}
