import type { z } from 'zod/mini';
import type { Label } from '../../contract/labels.js';
import * as catalog from '../catalog/operations.js';
import { labelDefinition } from './model.js';
import { uniques } from '../catalog/uniques.js';

export const labels = /* @__PURE__ */ catalog.entity<LabelRecord>(labelDefinition, { uniques });

/** A label as callers see it (the contract's answer). */
export type LabelRecord = z.output<typeof Label>;
