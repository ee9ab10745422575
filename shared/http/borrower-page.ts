// The borrower pages (GET /b/{token} and its two forms): one loan as its borrower may see it
// (item, quantity, due date, the lender's first name, the workspace's name), "I have returned it"
// and "I need more time" with a date. Plain HTML in the shell of html.ts: labelled fields, no
// script, posting back to the link itself; the routes pass `formPage`, the reset page's policy.
import { escapeHtml, page } from './html.js';
import type { BorrowerLoanView } from '../domain/loans/borrower-links.js';

const longDate = (date: string) =>
  new Date(`${date.slice(0, 10)}T00:00:00.000Z`).toLocaleDateString('en-GB', { timeZone: 'UTC', weekday: 'long', day: 'numeric', month: 'long', year: 'numeric' });
const dateHtml = (date: string) => `<time datetime="${escapeHtml(date.slice(0, 10))}">${escapeHtml(longDate(date))}</time>`;

export interface BorrowerPageState {
  view: BorrowerLoanView;
  /**
   * Where the forms post, relative to the page's own address: `{token}/` on `/b/{token}`, empty on
   * `/b/{token}/returned` and `/b/{token}/extension` (relative, as a stage or base path may prefix them).
   */
  actionBase: string;
  /** the date field's bounds (`YYYY-MM-DD`) */
  bounds: { min: string; max: string };
  /** why the last extension request was refused */
  error?: string;
  /** what the borrower typed last */
  proposed?: string;
}

function facts(view: BorrowerLoanView): string {
  return `<dl>
<dt>Item</dt><dd id="item-name">${escapeHtml(view.itemName)}</dd>
<dt>Quantity</dt><dd id="quantity">${view.quantity}</dd>
<dt>Due</dt><dd id="due-date">${view.dueDate ? dateHtml(view.dueDate) : 'No date set'}</dd>
<dt>Lent by</dt><dd id="lender">${escapeHtml(view.lenderFirstName)}</dd>
<dt>From</dt><dd id="workspace-name">${escapeHtml(view.workspaceName)}</dd>
</dl>`;
}

export function borrowerLoanPage({ view, actionBase, bounds, error, proposed }: BorrowerPageState): string {
  const lender = escapeHtml(view.lenderFirstName);
  const returned = view.returnClaimedAt
    ? `<p role="status" id="return-claimed">You told ${lender} on ${dateHtml(view.returnClaimedAt)} that you returned it. ${lender} will mark it returned once they have it.</p>`
    : `<form method="post" action="${escapeHtml(actionBase)}returned">
<h2>Given it back?</h2>
<p class="hint" id="return-hint">${lender} gets a note and marks the loan returned when they have it.</p>
<button type="submit" aria-describedby="return-hint">I have returned it</button>
</form>`;
  return page(`You borrowed ${view.itemName}`, `
<p>${lender} lent you this. Here you can tell them you gave it back, or ask to keep it longer.</p>
${facts(view)}
${returned}
<form method="post" action="${escapeHtml(actionBase)}extension"${error ? ' aria-describedby="extension-error"' : ''}>
<h2>Need more time?</h2>
${error ? `<p class="error" role="alert" id="extension-error">${escapeHtml(error)}</p>` : ''}
<label for="proposed_due_date">Keep it until</label>
<input id="proposed_due_date" name="proposed_due_date" type="date" min="${bounds.min}" max="${bounds.max}" required aria-describedby="extension-hint"${proposed ? ` value="${escapeHtml(proposed)}"` : ''}>
<p class="hint" id="extension-hint">${lender} decides; they see the date you ask for.</p>
<button type="submit">I need more time</button>
</form>`);
}

export function returnClaimedPage(view: BorrowerLoanView, firstTime: boolean): string {
  const lender = escapeHtml(view.lenderFirstName);
  const said = firstTime
    ? `We told ${lender} that you returned ${escapeHtml(view.itemName)}.`
    : `${lender} was told already${view.returnClaimedAt ? ` (on ${dateHtml(view.returnClaimedAt)})` : ''} that you returned ${escapeHtml(view.itemName)}.`;
  return page('Thank you', `<p role="status">${said} The loan stays open until ${lender} marks it returned.</p>`);
}

export function extensionRequestedPage(view: BorrowerLoanView, proposed: string, firstTime: boolean): string {
  const lender = escapeHtml(view.lenderFirstName);
  const said = firstTime
    ? `We asked ${lender} whether you may keep ${escapeHtml(view.itemName)} until ${dateHtml(proposed)}.`
    : `You asked for ${dateHtml(proposed)} already; ${lender} was told then.`;
  return page('Request sent', `<p role="status">${said} ${lender} decides; until then the due date stays ${view.dueDate ? dateHtml(view.dueDate) : 'open'}.</p>`);
}
