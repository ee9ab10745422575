import type { z } from 'zod/mini';
import type { Borrower } from '../../contract/borrowers.js';
import * as catalog from '../catalog/operations.js';
import { borrowerDefinition } from './model.js';

export const borrowers = /* @__PURE__ */ catalog.entity<BorrowerRecord>(borrowerDefinition);

/** A borrower as callers see it (the contract's answer). */
export type BorrowerRecord = z.output<typeof Borrower>;
