// Security headers per route. JSON answers take middy's strict defaults (plus the wrapper's
// `default-src 'none'; frame-ancestors 'none'`); the reference page (/docs) needs its own
// scripts, styles and same-origin fetches, and must work over plain http on a laptop, so it gets a
// policy of its own; the API's own forms (password reset) allow exactly their one style sheet and
// posting to themselves, nothing else.
import type { RouteContract } from '../contract/route.js';
import { pageStyleHash } from './html.js';

/** Directives middy adds by default that these pages must not have (a falsy value other than '' drops one). */
const withoutMiddyExtras = {
  // sandbox would forbid scripts (docs) and form posts (reset page); trusted types would stop
  // swagger-ui writing HTML; upgrade-insecure-requests breaks plain-http pages on a laptop.
  sandbox: undefined,
  'require-trusted-types-for': undefined,
  'trusted-types': undefined,
  'upgrade-insecure-requests': undefined,
  'navigate-to': undefined,
  'report-to': undefined,
};

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
  ...withoutMiddyExtras,
} as unknown as Record<string, string>;

const formPagePolicy = {
  'default-src': "'none'",
  'style-src': pageStyleHash,
  'form-action': "'self'",
  'base-uri': "'none'",
  'frame-ancestors': "'none'",
  ...withoutMiddyExtras,
} as unknown as Record<string, string>;

export function contentSecurityPolicyFor(contract: Pick<RouteContract, 'produces' | 'id'>) {
  if (contract.produces !== 'text/html') return {};
  return { contentSecurityPolicy: contract.id === 'docs' ? docsPagePolicy : formPagePolicy };
}
