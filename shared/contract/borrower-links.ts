// Borrower links (issue 9): the public page a loan's reminder links to, and its two forms. No
// sign-in: the signed token in the path is the only key, and it opens one loan (see
// shared/domain/loans/borrower-links.ts). HTML in, HTML out; errors answer as pages.
import * as z from 'zod/mini';
import { document, route } from './route.js';
import { asciiText } from './text.js';

/** A link token: base64url. Anything of the alphabet reaches the check, which answers what is wrong with it. */
const LinkToken = /* @__PURE__ */ asciiText({ min: 1, max: 200, pattern: /^[A-Za-z0-9_-]+$/ });
const LinkParams = /* @__PURE__ */ z.object({ token: LinkToken });


export const borrowerLinkPage = /* @__PURE__ */ route({
  id: 'borrowerLinkPage', method: 'GET', path: '/b/{token}', domain: 'borrower-links', access: 'public',
  summary: 'The page a loan reminder links to: the loan, as its borrower may see it, with two forms',
  description: 'Plain HTML, no script, for phones. Shows the item, the quantity, the due date, the lender\'s first name and the workspace\'s name, a form saying "I have returned it" and one asking for more time. A link that is altered or not this API\'s answers a page saying so (404 `BORROWER_LINK_INVALID`), an expired one 403 `BORROWER_LINK_EXPIRED`, one whose loan was returned 409 `LOAN_ALREADY_RETURNED`.',
  params: LinkParams, status: 200, produces: 'text/html',
  errors: ['BORROWER_LINK_INVALID', 'BORROWER_LINK_EXPIRED', 'LOAN_ALREADY_RETURNED'],
  // reads the loan; verifies the link with a key derived from the signing secret
  grants: { table: 'read', signingSecret: true }, throttle: { rate: 5, burst: 20 },
});

export const borrowerReturnClaim = /* @__PURE__ */ route({
  id: 'borrowerReturnClaim', method: 'POST', path: '/b/{token}/returned', domain: 'borrower-links', access: 'public',
  summary: 'The borrower page\'s "I have returned it": the lender gets RETURN_CLAIMED (once); the loan stays open',
  description: 'Takes the page\'s form (no fields). The first claim notifies the lender (the member who made the loan); the same claim again answers the same page and notifies nobody. Limited to 20 posts per client address in 15 minutes (429 `TOO_MANY_ATTEMPTS` with `Retry-After`).',
  params: LinkParams, status: 200, produces: 'text/html',
  errors: ['BORROWER_LINK_INVALID', 'BORROWER_LINK_EXPIRED', 'LOAN_ALREADY_RETURNED', 'TOO_MANY_ATTEMPTS'],
  grants: { table: 'write', signingSecret: true }, throttle: { rate: 2, burst: 10 },
});

export const borrowerExtensionRequest = /* @__PURE__ */ route({
  id: 'borrowerExtensionRequest', method: 'POST', path: '/b/{token}/extension', domain: 'borrower-links', access: 'public',
  summary: 'The borrower page\'s "I need more time": the lender gets EXTENSION_REQUESTED with the date (once per date)',
  description: 'Takes the page\'s form (application/x-www-form-urlencoded): `proposed_due_date`, a day after today and after the due date, within a year. Another date answers the page again with the reason (422 `VALIDATION_FAILED`). The lender accepts through the extend route. Limited like the return claim.',
  consumes: 'application/x-www-form-urlencoded',
  params: LinkParams, body: z.strictObject({ proposed_due_date: asciiText({ min: 0, max: 40, pattern: /^[\x20-\x7E]*$/ }) }),
  status: 200, produces: 'text/html',
  errors: ['BORROWER_LINK_INVALID', 'BORROWER_LINK_EXPIRED', 'LOAN_ALREADY_RETURNED', 'TOO_MANY_ATTEMPTS'],
  grants: { table: 'write', signingSecret: true }, throttle: { rate: 2, burst: 10 },
});
DOCS: document(borrowerExtensionRequest, { body: { proposed_due_date: '2026-12-24' } });
