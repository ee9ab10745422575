// The few HTML pages the API serves itself (the password-reset form when no PWA is configured,
// later the borrower page): one small, accessible shell with no script, whose one style sheet is
// allowed by its hash in the page's content security policy. Errors on these routes answer a page
// too (same status and code as the problem+json they replace), so a person never sees raw JSON.
import { createHash } from 'node:crypto';
import { escapeHtml } from '../domain/mail/templates.js';
import type { PageOptions } from './route.js';
import { DomainError } from '../domain/errors.js';

export { escapeHtml };

const style = `body{font:16px/1.5 system-ui,sans-serif;margin:0;background:#f6f6f4;color:#1d1d1b}
main{max-width:28rem;margin:3rem auto;padding:1.5rem;background:#fff;border-radius:.5rem;box-shadow:0 1px 3px #0002}
h1{font-size:1.4rem;margin-top:0}label{display:block;font-weight:600;margin-top:1rem}
input{width:100%;box-sizing:border-box;font:inherit;padding:.5rem;margin-top:.25rem;border:1px solid #767676;border-radius:.25rem}
button{margin-top:1.5rem;font:inherit;padding:.6rem 1.2rem;border:0;border-radius:.25rem;background:#1d4ed8;color:#fff;cursor:pointer}
button:focus,input:focus{outline:3px solid #f59e0b;outline-offset:1px}.error{color:#b91c1c}.hint{color:#4b4b4b;font-size:.9rem}`;

/** For the pages' content security policy: the only style allowed is this one. */
const pageStyleHash = `'sha256-${createHash('sha256').update(style).digest('base64')}'`;

export function page(title: string, body: string): string {
  return `<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<meta name="referrer" content="no-referrer">
<title>${escapeHtml(title)} · Home Warehouse</title>
<style>${style}</style>
</head>
<body>
<main>
<h1>${escapeHtml(title)}</h1>
${body}
</main>
</body>
</html>
`;
}

/** What a page (HTML) may not use: every powerful browser feature. */
const pageHeaders: Record<string, string> = {
  'permissions-policy': 'camera=(), microphone=(), geolocation=(), payment=(), usb=(), serial=(), hid=(), fullscreen=(), display-capture=(), clipboard-read=(), clipboard-write=()',
};

/**
 * What the form pages give httpRoute: their policy (only their own style sheet, posting to
 * themselves, never framed) and errors rendered as pages.
 */
export const formPage: PageOptions = {
  ...pageOptions(`default-src 'none'; style-src ${pageStyleHash}; form-action 'self'; base-uri 'none'; frame-ancestors 'none'`),
  readForm(text, contentType) {
    if (!contentType || !/^application\/x-www-form-urlencoded\b/i.test(contentType)) {
      throw new DomainError('UNSUPPORTED_MEDIA_TYPE', 'The body must be application/x-www-form-urlencoded (an HTML form).');
    }
    return Object.fromEntries(new URLSearchParams(text));
  },
};

/** A page route's options: its content security policy, and its errors answered as `problemPage`s. */
export function pageOptions(contentSecurityPolicy: string): PageOptions {
  return {
    contentSecurityPolicy,
    headers: pageHeaders,
    asPage(response) {
      const problem = JSON.parse(response.body ?? '{}') as Parameters<typeof problemPage>[0] & { code?: string };
      return {
        statusCode: response.statusCode,
        headers: { ...response.headers, 'content-type': 'text/html; charset=utf-8', ...(problem.code ? { 'x-problem-code': problem.code } : {}) },
        body: problemPage(problem),
      };
    },
  };
}

/** An error as a page: what went wrong, and for validation errors each field's message. */
export function problemPage(problem: { title: string; detail: string; errors?: { location: string; message: string }[] }): string {
  const list = problem.errors?.length
    ? `<ul>${problem.errors.map((error) => `<li>${escapeHtml(error.location.replace(/^\w+\./, ''))} ${escapeHtml(error.message)}</li>`).join('')}</ul>`
    : '';
  return page(problem.title, `<p class="error" role="alert">${escapeHtml(problem.detail)}</p>${list}`);
}
