// Backups and restores (shared/domain/backups): each starts a background job.
import * as contract from '../../shared/contract/backups.js';
import { httpRoute } from '../../shared/http/route.js';
import { listBackups as backupsOf, startBackup, startRestore } from '../../shared/domain/backups/service.js';

export const createBackup = /* @__PURE__ */ httpRoute(contract.createBackup, ({ scope }) => startBackup(scope));
export const listBackups = /* @__PURE__ */ httpRoute(contract.listBackups, async ({ scope }) => ({ items: await backupsOf(scope) }));
export const restoreWorkspace = /* @__PURE__ */ httpRoute(contract.restoreWorkspace, ({ scope, body }) => startRestore(scope, body));
