import type { z } from 'zod/mini';
import type { Company } from '../../contract/companies.js';
import * as catalog from '../catalog/operations.js';
import { companyDefinition } from './model.js';
import { uniques } from '../catalog/uniques.js';

export const companies = /* @__PURE__ */ catalog.entity<CompanyRecord>(companyDefinition, { uniques });

/** A company as callers see it (the contract's answer). */
export type CompanyRecord = z.output<typeof Company>;
