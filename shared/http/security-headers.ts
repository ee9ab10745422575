// Security headers per route. JSON answers take middy's strict defaults; the reference page
// (/docs) needs its own scripts, styles and same-origin fetches, and must work over plain
// http on a laptop, so it gets a policy of its own.
import type { RouteContract } from '../contract/route.js';

const docsPagePolicy = {
  'default-src': "'none'",
  'script-src': "'self'",
  // swagger-ui sets inline styles on its elements
  'style-src': "'self' 'unsafe-inline'",
  'img-src': "'self' data:",
  'font-src': "'self' data:",
  'connect-src': "'self'",
  'base-uri': "'none'",
  'form-action': "'none'",
  'frame-ancestors': "'none'",
  // middy merges these over its defaults, which would sandbox the page (no scripts at all),
  // demand Trusted Types (swagger-ui writes HTML) and upgrade plain-http assets on a laptop.
  // (a falsy value other than '' drops a directive; middy's types only admit strings)
  sandbox: undefined,
  'require-trusted-types-for': undefined,
  'trusted-types': undefined,
  'upgrade-insecure-requests': undefined,
  'navigate-to': undefined,
  'report-to': undefined,
} as unknown as Record<string, string>;

export function contentSecurityPolicyFor(contract: Pick<RouteContract, 'produces'>) {
  return contract.produces === 'text/html' ? { contentSecurityPolicy: docsPagePolicy } : {};
}
