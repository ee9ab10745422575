// The route table: every route of the API, one list. Add a domain's module here.
import type { RouteContract } from './route.js';
import * as platform from './platform.js';
import * as auth from './auth.js';
import * as users from './users.js';
import * as workspaces from './workspaces.js';
import * as notifications from './notifications.js';

/** Only route declarations; each module also exports its schemas. */
const routesOf = (module: Record<string, unknown>) =>
  Object.values(module).filter((value): value is RouteContract =>
    typeof value === 'object' && value !== null && 'method' in value && 'path' in value && 'access' in value);

export const routeTable: readonly RouteContract[] = [platform, auth, users, workspaces, notifications].flatMap(routesOf);

export { platform, auth, users, workspaces, notifications };
export * from './route.js';
