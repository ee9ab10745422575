import type { z } from 'zod/mini';
import type { Container } from '../../contract/containers.js';
import * as catalog from '../catalog/operations.js';
import { containerChangeRules, containerDefinition } from './model.js';
import { uniques } from '../catalog/uniques.js';

export const containers = /* @__PURE__ */ catalog.entity<ContainerRecord>(containerDefinition, { uniques, changeRules: /* @__PURE__ */ containerChangeRules() });

/** A container as callers see it (the contract's answer). */
export type ContainerRecord = z.output<typeof Container>;
