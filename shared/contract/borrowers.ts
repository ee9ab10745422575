// Borrowers: the people things are lent to. DELETE archives them (their loans keep their names).
import * as z from 'zod/mini';
import { type CatalogSpec, listRoute, getRoute, createRoute, updateRoute, restoreRoute, deleteRoute, catalogRecord } from './catalog.js';
import { ClientId, EmailOut, example } from './common.js';
import { document } from './route.js';
import { emailText, multiLine, nameText, singleLine } from './text.js';

const Name = /* @__PURE__ */ nameText(200);
const Phone = /* @__PURE__ */ singleLine({ max: 50 });
const Notes = /* @__PURE__ */ multiLine({ max: 4000 });

export const Borrower = /* @__PURE__ */ catalogRecord('Borrower', {
  name: z.string(),
  email: z.optional(EmailOut),
  phone: z.optional(z.string()),
  notes: z.optional(z.string()),
}, 'Someone things are lent to; with an email, they get reminder mails.');

const borrowerExample = {
  id: '0193a5e2-7c1a-7b3e-9f00-000000000f01', workspace_id: '0193a5e2-7c1a-7b3e-9f00-aaaaaaaaaaaa', name: 'Grace Hopper',
  email: 'grace@example.com', phone: '+358 40 123 4567', is_archived: false,
  created_at: '2026-11-26T09:00:00.000Z', updated_at: '2026-11-26T09:00:00.000Z', version: 1,
};
DOCS: example(Borrower, borrowerExample);

const spec: CatalogSpec = { domain: 'borrowers', singular: 'Borrower', plural: 'Borrowers', segment: 'borrowers', noun: 'borrower' };

export const listBorrowers = /* @__PURE__ */ listRoute(spec, Borrower);
export const getBorrower = /* @__PURE__ */ getRoute(spec, Borrower);
export const createBorrower = /* @__PURE__ */ createRoute(spec, Borrower, z.strictObject({ id: z.optional(ClientId), name: Name, email: z.optional(z.nullable(emailText())), phone: z.optional(z.nullable(Phone)), notes: z.optional(z.nullable(Notes)) }));
export const updateBorrower = /* @__PURE__ */ updateRoute(spec, Borrower, z.strictObject({ name: z.optional(Name), email: z.optional(z.nullable(emailText())), phone: z.optional(z.nullable(Phone)), notes: z.optional(z.nullable(Notes)) }));
export const restoreBorrower = /* @__PURE__ */ restoreRoute(spec);
export const deleteBorrower = /* @__PURE__ */ deleteRoute(spec, ['BORROWER_HAS_ACTIVE_LOANS'], true);
DOCS: document(createBorrower, { body: { name: 'Grace Hopper', email: 'grace@example.com' }, response: borrowerExample });
DOCS: document(updateBorrower, { body: { phone: null }, response: { ...borrowerExample, version: 2 } });
