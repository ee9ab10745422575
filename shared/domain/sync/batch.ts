// The sync batch: a client's offline writes, replayed in order. Each operation becomes a call of
// the REST route a client would make for it (`call`: shared/http/loopback.ts in the Lambda), so
// every rule, role check, invariant, activity entry and notification is the route's own: there is
// no second implementation of any of them. What is the batch's own: which route an operation
// means, what makes a replay a success (a create whose id exists, a delete of what is gone, a
// return of a returned loan), and what makes a conflict (a version or `updated_at` behind the
// server's), answered with the entity as it is now.
//
// Why calls and not the domain services in-process: one Lambda holding every domain's write code
// weighs ~1.29× the brief floor, over the 1.12× cold-start budget every route keeps (README,
// "Cold starts"); a batch of 100 operations costs 100 route invocations instead.
import type { z } from 'zod/mini';
import type { batchTypes, syncBatch, SyncBatchResult } from '../../contract/sync.js';
import * as keys from '../../db/keys.js';
import { getRecord } from '../../db/table.js';
import { logger } from '../../observability/telemetry.js';

export type BatchOperation = z.output<NonNullable<typeof syncBatch.body>>['operations'][number];
export type BatchResult = z.input<typeof SyncBatchResult>;
type EntityType = (typeof batchTypes)[number];

/** One request to a route of the route table, as the batch makes it. */
export interface Call {
  method: 'GET' | 'POST' | 'PATCH' | 'DELETE';
  path: string;
  body?: Record<string, unknown>;
  /** the version for If-Match */
  ifMatch?: number;
}

/** What the route answered: the status and the parsed body (an entity, or a problem). */
export interface Answer {
  status: number;
  body: Record<string, unknown> | undefined;
}

export type Caller = (call: Call) => Promise<Answer>;

/** Each type's collection path segment, as its REST routes name it. */
export const segments: Record<EntityType, string> = {
  item: 'items', location: 'locations', container: 'containers', category: 'categories', label: 'labels',
  company: 'companies', borrower: 'borrowers', inventory: 'inventory', loan: 'loans',
};

/** Types whose REST API archives rather than deletes (no DELETE route): their delete is the archive route. */
const deleteArchives: ReadonlySet<EntityType> = new Set(['item', 'inventory']);

const entityOf = (answer: Answer) => (answer.body && typeof answer.body.id === 'string' ? answer.body : null);

function refused(index: number, entityId: string | undefined, code: string, message: string): BatchResult {
  return { index, status: 'error', ...(entityId ? { entity_id: entityId } : {}), error_code: code, error: message };
}

/** A route's error answer as the operation's result (its code, detail and field errors). */
function failed(index: number, entityId: string | undefined, answer: Answer): BatchResult {
  const problem = answer.body ?? {};
  const errors = Array.isArray(problem.errors) ? (problem.errors as BatchResult['errors']) : undefined;
  return {
    ...refused(index, entityId, typeof problem.code === 'string' ? problem.code : `HTTP_${answer.status}`, typeof problem.detail === 'string' ? problem.detail : `The route answered ${answer.status}.`),
    ...(errors ? { errors } : {}),
  };
}

const succeeded = (index: number, entityId: string | undefined, serverData: Record<string, unknown> | null): BatchResult =>
  ({ index, status: 'success', ...(entityId ? { entity_id: entityId } : {}), server_data: serverData });

const codeOf = (answer: Answer) => answer.body?.code;

/** Runs one operation; never throws for what a route answered (a network failure does throw). */
export async function runOperation(workspaceId: string, operation: BatchOperation, index: number, call: Caller): Promise<BatchResult> {
  const collection = `/workspaces/${workspaceId}/${segments[operation.entity_type]}`;
  const id = operation.entity_id;
  const data = operation.data ?? {};
  const current = async () => entityOf(await call({ method: 'GET', path: `${collection}/${id}` }));
  const conflict = async (message: string): Promise<BatchResult> =>
    ({ index, status: 'conflict', entity_id: id, error_code: 'VERSION_CONFLICT', error: message, server_data: await current() });

  if (operation.operation === 'create') {
    const answer = await call({ method: 'POST', path: collection, body: { ...data, ...(id ? { id } : {}) } });
    if (answer.status === 200 || answer.status === 201) return succeeded(index, entityOf(answer)?.id as string, entityOf(answer));
    // made before and deleted since: the replay changes nothing, and the delta tells the client
    if (answer.status === 410 && codeOf(answer) === 'ENTITY_DELETED') return succeeded(index, id, null);
    return failed(index, id, answer);
  }

  if (!id) return refused(index, undefined, 'MISSING_ENTITY_ID', `A ${operation.operation} needs the entity's id in entity_id.`);
  const isLoan = operation.entity_type === 'loan';
  if (isLoan !== (operation.operation === 'return')) {
    return refused(index, id, 'UNSUPPORTED_OPERATION', isLoan ? 'Loans are created and returned (operation `return`); other changes go through their own routes.' : 'Only loans are returned.');
  }

  // the version the write must find: the client's, or the server's when the client's `updated_at` is not behind it
  let expected = operation.version;
  if (expected === undefined && operation.updated_at !== undefined) {
    const found = await current();
    if (!found) return deletedOrMissing(workspaceId, operation, index);
    if (Date.parse(String(found.updated_at)) > Date.parse(operation.updated_at)) {
      return { index, status: 'conflict', entity_id: id, error_code: 'VERSION_CONFLICT', error: `The ${operation.entity_type} changed after ${operation.updated_at}.`, server_data: found };
    }
    expected = Number(found.version);
  }
  const behind = () => conflict(`The ${operation.entity_type} changed since version ${expected}.`);

  if (operation.operation === 'return') {
    const answer = await call({ method: 'POST', path: `${collection}/${id}/return`, ...(expected ? { ifMatch: expected } : {}) });
    if (answer.status === 200) return succeeded(index, id, entityOf(answer));
    if (answer.status === 409 && codeOf(answer) === 'LOAN_ALREADY_RETURNED') return succeeded(index, id, await current());
    return answer.status === 412 ? behind() : failed(index, id, answer);
  }

  if (operation.operation === 'delete') {
    const answer = deleteArchives.has(operation.entity_type)
      ? await call({ method: 'POST', path: `${collection}/${id}/archive`, ...(expected ? { ifMatch: expected } : {}) })
      : await call({ method: 'DELETE', path: `${collection}/${id}`, ...(expected ? { ifMatch: expected } : {}) });
    // what is archived is still there (a borrower's DELETE archives too): the client keeps it, archived
    if (answer.status === 204) return succeeded(index, id, operation.entity_type === 'borrower' || deleteArchives.has(operation.entity_type) ? await current() : null);
    if (answer.status === 404) return deletedOrMissing(workspaceId, operation, index);
    return answer.status === 412 ? behind() : failed(index, id, answer);
  }

  // update: the fields through PATCH; an inventory row's status through its own route after them
  const { status, ...fields } = data;
  const statusToo = operation.entity_type === 'inventory' && status !== undefined;
  let answer: Answer | undefined;
  if (!statusToo || Object.keys(fields).length > 0) {
    answer = await call({ method: 'PATCH', path: `${collection}/${id}`, body: statusToo ? fields : data, ...(expected ? { ifMatch: expected } : {}) });
    if (answer.status !== 200) return answer.status === 412 ? behind() : answer.status === 404 ? deletedOrMissing(workspaceId, operation, index) : failed(index, id, answer);
  }
  if (statusToo) {
    const version = answer ? Number(entityOf(answer)?.version) : expected;
    answer = await call({ method: 'PATCH', path: `${collection}/${id}/status`, body: { status }, ...(version ? { ifMatch: version } : {}) });
    if (answer.status !== 200) return answer.status === 412 ? behind() : failed(index, id, answer);
  }
  return succeeded(index, id, entityOf(answer!));
}

/**
 * The entity is not there: deleted for good (a delete's replay is a success; an update of it is
 * an error the client resolves by dropping its copy, which the delta's `deleted` also says), or
 * never was. One GetItem of the mark a delete leaves (shared/db/keys.ts deletedId).
 */
async function deletedOrMissing(workspaceId: string, operation: BatchOperation, index: number): Promise<BatchResult> {
  const id = operation.entity_id!;
  const deleted = await getRecord(keys.deletedId(workspaceId, operation.entity_type.toUpperCase(), id));
  if (deleted && operation.operation === 'delete') return succeeded(index, id, null);
  return deleted
    ? refused(index, id, 'ENTITY_DELETED', `The ${operation.entity_type} was deleted; drop the local copy.`)
    : refused(index, id, 'NOT_FOUND', `No ${operation.entity_type} with that id in this workspace.`);
}

/** Runs the operations in order (a later one may name what an earlier one made) and counts the outcomes. */
export async function runBatch(workspaceId: string, operations: readonly BatchOperation[], call: Caller) {
  const results: BatchResult[] = [];
  for (const [index, operation] of operations.entries()) {
    try {
      results.push(await runOperation(workspaceId, operation, index, call));
    } catch (error) {
      // the route could not be reached: this operation failed, the client retries it
      logger.warn('batch operation not run', { index, operation: operation.operation, entity_type: operation.entity_type, error: error as Error });
      results.push(refused(index, operation.entity_id, 'INTERNAL_ERROR', `The operation could not be run (${(error as Error).name}); retry it.`));
    }
  }
  const count = (status: string) => results.filter((result) => result.status === status).length;
  return { results, succeeded: count('success'), failed: count('error'), conflicts: count('conflict') };
}
