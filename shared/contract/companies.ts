// Companies: where things were bought (an item's `purchased_from`).
import * as z from 'zod/mini';
import { type CatalogSpec, listRoute, getRoute, createRoute, updateRoute, archiveRoute, restoreRoute, deleteRoute, catalogRecord } from './catalog.js';
import { ClientId, example, UrlOut } from './common.js';
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

const spec: CatalogSpec = { domain: 'companies', singular: 'Company', plural: 'Companies', segment: 'companies', noun: 'company' };

export const listCompanies = /* @__PURE__ */ listRoute(spec, Company);
export const getCompany = /* @__PURE__ */ getRoute(spec, Company);
export const createCompany = /* @__PURE__ */ createRoute(spec, Company, z.strictObject({ id: z.optional(ClientId), name: Name, website: z.optional(z.nullable(urlText())), notes: z.optional(z.nullable(Notes)) }), ['COMPANY_NAME_TAKEN']);
export const updateCompany = /* @__PURE__ */ updateRoute(spec, Company, z.strictObject({ name: z.optional(Name), website: z.optional(z.nullable(urlText())), notes: z.optional(z.nullable(Notes)) }), ['COMPANY_NAME_TAKEN']);
export const archiveCompany = /* @__PURE__ */ archiveRoute(spec);
export const restoreCompany = /* @__PURE__ */ restoreRoute(spec);
export const deleteCompany = /* @__PURE__ */ deleteRoute(spec);
DOCS: document(createCompany, { body: { name: 'Hardware Corner', website: 'https://hardware-corner.example' }, response: companyExample });
DOCS: document(updateCompany, { body: { notes: null }, response: { ...companyExample, version: 2 } });
