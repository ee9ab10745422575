// The route table: every route of the API, one list. Add a domain's module here.
import type { RouteContract } from './route.js';
import * as platform from './platform.js';

export const routeTable: readonly RouteContract[] = [
  ...Object.values(platform),
];

export { platform };
export * from './route.js';
