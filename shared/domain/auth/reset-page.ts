// The password-reset pages the API serves when no PWA is configured (APP_URL unset): the mailed
// link opens a form, the form posts back, and a page says how it went. Plain HTML, labelled
// fields, no script; the rules are the API's own (the same Password schema, the same service).
import { escapeHtml, page } from '../../http/html.js';

export interface FormState {
  token: string;
  /** why the last attempt was refused, shown above the form */
  error?: string;
}

export function resetFormPage({ token, error }: FormState): string {
  return page('Choose a new password', `
${error ? `<p class="error" role="alert" id="form-error">${escapeHtml(error)}</p>` : ''}
<form method="post" action="reset-password"${error ? ' aria-describedby="form-error"' : ''}>
<input type="hidden" name="token" value="${escapeHtml(token)}">
<label for="new_password">New password</label>
<input id="new_password" name="new_password" type="password" autocomplete="new-password" minlength="8" maxlength="128" required aria-describedby="password-hint">
<p class="hint" id="password-hint">8 to 128 characters.</p>
<label for="confirm_password">The same password again</label>
<input id="confirm_password" name="confirm_password" type="password" autocomplete="new-password" minlength="8" maxlength="128" required>
<button type="submit">Set the new password</button>
</form>`);
}

export const resetDonePage = () =>
  page('Password changed', '<p role="status">Your password is changed and every device was signed out. Sign in again in the app with the new password.</p>');
