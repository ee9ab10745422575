import type { z } from 'zod/mini';
import type { Company } from '../../contract/companies.js';
import { catalogService } from '../catalog/service.js';
import { companyDefinition } from './model.js';

export const companies = catalogService<CompanyRecord>(companyDefinition);

/** A company as callers see it (the contract's answer). */
export type CompanyRecord = z.output<typeof Company>;
