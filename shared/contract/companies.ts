// Companies: where things were bought (an item's `purchased_from`).
import * as z from 'zod/mini';
import { catalogRecord, catalogRoutes } from './catalog.js';
import { example, UrlOut } from './common.js';
import { document } from './route.js';
import { multiLine, nameText, urlText } from './text.js';

const Name = /* @__PURE__ */ nameText(200);
const Notes = /* @__PURE__ */ multiLine({ max: 4000 });

export const Company = /* @__PURE__ */ catalogRecord('Company', {
  name: z.string(),
  website: z.optional(UrlOut),
  notes: z.optional(z.string()),
}, 'A shop or maker things come from. Names are unique in the workspace (archived ones included), compared without case or accents.');

const companyExample = {
  id: '0193a5e2-7c1a-7b3e-9f00-000000000d01', workspace_id: '0193a5e2-7c1a-7b3e-9f00-aaaaaaaaaaaa', name: 'Hardware Corner',
  website: 'https://hardware-corner.example', notes: 'Receipts by mail', is_archived: false,
  created_at: '2026-11-26T09:00:00.000Z', updated_at: '2026-11-26T09:00:00.000Z', version: 1,
};
DOCS: example(Company, companyExample);

export const {
  listCompanies, getCompany, createCompany, updateCompany, archiveCompany, restoreCompany, deleteCompany,
} = /* @__PURE__ */ catalogRoutes({
  domain: 'companies', singular: 'Company', plural: 'Companies', segment: 'companies', noun: 'company', record: Company,
  create: z.strictObject({ name: Name, website: z.optional(z.nullable(urlText())), notes: z.optional(z.nullable(Notes)) }),
  update: z.strictObject({ name: z.optional(Name), website: z.optional(z.nullable(urlText())), notes: z.optional(z.nullable(Notes)) }),
  errors: { create: ['COMPANY_NAME_TAKEN'], update: ['COMPANY_NAME_TAKEN'] },
});
DOCS: document(createCompany, { body: { name: 'Hardware Corner', website: 'https://hardware-corner.example' }, response: companyExample });
DOCS: document(updateCompany, { body: { notes: null }, response: { ...companyExample, version: 2 } });
