import type { z } from 'zod/mini';
import type { Borrower } from '../../contract/borrowers.js';
import { catalogService } from '../catalog/service.js';
import { borrowerDefinition } from './model.js';

export const borrowers = catalogService<BorrowerRecord>(borrowerDefinition);

/** A borrower as callers see it (the contract's answer). */
export type BorrowerRecord = z.output<typeof Borrower>;
