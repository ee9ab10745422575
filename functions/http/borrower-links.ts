// Borrower links: the public loan page a reminder links to, and its two forms.
import * as contract from '../../shared/contract/borrower-links.js';
import { httpRoute, rawReply } from '../../shared/http/route.js';
import { formPage } from '../../shared/http/html.js';
import { borrowerLoanPage, extensionRequestedPage, returnClaimedPage } from '../../shared/http/borrower-page.js';
import * as links from '../../shared/domain/loans/borrower-links.js';

const html = 'text/html; charset=utf-8';
/** The pages carry the link and one person's loan: no cache may keep them, no search engine index them. */
const headers = { 'cache-control': 'no-store', 'x-robots-tag': 'noindex, nofollow' };

export const borrowerLinkPage = /* @__PURE__ */ httpRoute(contract.borrowerLinkPage, async ({ params }) => {
  const view = await links.openBorrowerLink(params.token);
  return rawReply(borrowerLoanPage({ view, actionBase: `${params.token}/`, bounds: links.extensionBounds(view) }), html, headers);
}, { page: formPage });

// The client address API Gateway saw: the posts are counted per address.
export const borrowerReturnClaim = /* @__PURE__ */ httpRoute(contract.borrowerReturnClaim, async ({ params, event }) => {
  const outcome = await links.claimReturn(params.token, event.requestContext.http.sourceIp);
  return rawReply(returnClaimedPage(outcome.view, outcome.notified), html, headers);
}, { page: formPage });

export const borrowerExtensionRequest = /* @__PURE__ */ httpRoute(contract.borrowerExtensionRequest, async ({ params, body, event }) => {
  const outcome = await links.requestExtension(params.token, event.requestContext.http.sourceIp, body.proposed_due_date);
  if ('refused' in outcome) {
    const page = borrowerLoanPage({ view: outcome.view, actionBase: '', bounds: links.extensionBounds(outcome.view), error: outcome.refused, proposed: body.proposed_due_date });
    return rawReply(page, html, { ...headers, 'x-problem-code': 'VALIDATION_FAILED' }, 422);
  }
  return rawReply(extensionRequestedPage(outcome.view, outcome.proposed, outcome.notified), html, headers);
}, { page: formPage });
