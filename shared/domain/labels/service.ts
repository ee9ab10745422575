import type { z } from 'zod/mini';
import type { Label } from '../../contract/labels.js';
import { catalogService } from '../catalog/service.js';
import { labelDefinition } from './model.js';

export const labels = catalogService<LabelRecord>(labelDefinition);

/** A label as callers see it (the contract's answer). */
export type LabelRecord = z.output<typeof Label>;
