// The route table: every route of the API, one list. Add a domain's module here.
import type { RouteContract } from './route.js';
import * as platform from './platform.js';
import * as auth from './auth.js';
import * as users from './users.js';
import * as workspaces from './workspaces.js';
import * as notifications from './notifications.js';
import * as categories from './categories.js';
import * as locations from './locations.js';
import * as containers from './containers.js';
import * as companies from './companies.js';
import * as labels from './labels.js';
import * as borrowers from './borrowers.js';
import * as favorites from './favorites.js';
import * as activity from './activity.js';
import * as sync from './sync.js';
import * as lookup from './lookup.js';
import * as qr from './qr.js';
import * as barcode from './barcode.js';
import * as items from './items.js';
import * as inventory from './inventory.js';
import * as movements from './movements.js';
import * as loans from './loans.js';
import * as borrowerLinks from './borrower-links.js';
import * as attachments from './attachments.js';
import * as search from './search.js';
import * as jobs from './jobs.js';
import * as print from './print.js';
import * as analytics from './analytics.js';
import * as exports from './exports.js';
import * as imports from './imports.js';
import * as importJobs from './import-jobs.js';
import * as backups from './backups.js';

/** Only route declarations; each module also exports its schemas. */
const routesOf = (module: Record<string, unknown>) =>
  Object.values(module).filter((value): value is RouteContract =>
    typeof value === 'object' && value !== null && 'method' in value && 'path' in value && 'access' in value);

export const routeTable: readonly RouteContract[] = [
  platform, auth, users, workspaces, notifications, categories, locations, containers, companies, labels, borrowers,
  favorites, activity, sync, lookup, qr, barcode, items, inventory, movements, loans, borrowerLinks, attachments, search, jobs, print, analytics, exports, imports, importJobs, backups,
].flatMap(routesOf);

export {
  platform, auth, users, workspaces, notifications, categories, locations, containers, companies, labels, borrowers,
  favorites, activity, sync, lookup, qr, barcode, items, inventory, movements, loans, borrowerLinks, attachments, search, jobs, print, analytics, exports, imports, importJobs, backups,
};
export * from './route.js';
