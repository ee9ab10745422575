import type { z } from 'zod/mini';
import type { Container } from '../../contract/containers.js';
import { catalogService } from '../catalog/service.js';
import { containerDefinition } from './model.js';

export const containers = catalogService<ContainerRecord>(containerDefinition);

/** A container as callers see it (the contract's answer). */
export type ContainerRecord = z.output<typeof Container>;
