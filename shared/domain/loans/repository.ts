// Loans in the table: the engine writes them (shared/domain/catalog); what is a loan's own is read
// here. Every list is one Query: all loans newest first from the workspace's partition (UUIDv7 sort
// keys), the open ones by due date from their sparse index (GSI1), a row's or a borrower's through
// the engine's link indexes; names for the answers come in one BatchGetItem per page.
import * as keys from '../../db/keys.js';
import { withoutKeys } from '../../db/keys.js';
import { batchGet, cancellationReasons, queryPage, tableName, transactWrite, type Page } from '../../db/table.js';
import type { CatalogRecord } from '../catalog/model.js';
import { withCollectionBump } from '../workspaces/collections.js';

export interface PageQuery {
  limit: number;
  cursor?: string | undefined;
}

const strip = (page: Page<Record<string, unknown>>): Page<CatalogRecord> => ({ ...page, items: page.items.map((item) => withoutKeys(item) as CatalogRecord) });

/** Every loan of the workspace, newest first: its partition's `LOAN#` items, read backwards. */
export async function listAll(workspaceId: string, query: PageQuery): Promise<Page<CatalogRecord>> {
  const partition = `WS#${workspaceId}`;
  return strip(await queryPage<Record<string, unknown>>({
    KeyConditionExpression: 'PK = :pk AND begins_with(SK, :loans)',
    ExpressionAttributeValues: { ':pk': partition, ':loans': 'LOAN#' },
    ScanIndexForward: false,
  }, { limit: query.limit, ...(query.cursor ? { cursor: query.cursor } : {}), list: { list: 'loans', partition, sortPrefix: 'LOAN#' } }));
}

/** The open loans by due date (undated last); with `before`, only those due before that day. */
export async function listOpen(workspaceId: string, query: PageQuery, before?: string): Promise<Page<CatalogRecord>> {
  const partition = keys.openLoanIndex(workspaceId, undefined, '').GSI1PK;
  return strip(await queryPage<Record<string, unknown>>({
    KeyConditionExpression: before ? 'GSI1PK = :pk AND GSI1SK < :before' : 'GSI1PK = :pk',
    ExpressionAttributeValues: { ':pk': partition, ...(before ? { ':before': before } : {}) },
    ScanIndexForward: true,
  }, {
    limit: query.limit, ...(query.cursor ? { cursor: query.cursor } : {}),
    list: {
      list: before ? 'loans.overdue' : 'loans.open', index: 'GSI1', partition,
      // the loan's own key, and (overdue) a position inside `GSI1SK < before`: DynamoDB refuses a start key outside the key condition
      tableKeyFits: (position) => position.PK === `WS#${workspaceId}` && position.SK === `LOAN#${position.GSI1SK?.split('#').at(-1)}`
        && (before === undefined || String(position.GSI1SK) < before),
    },
  }));
}

/**
 * The loans with the names answers show, their item's and their borrower's (one BatchGetItem for
 * all of them; the loans route answers and sync both name loans this way).
 */
export async function withNames<T extends Record<string, unknown>>(workspaceId: string, loans: readonly T[]): Promise<(T & { item_name: string; borrower_name: string })[]> {
  if (loans.length === 0) return [];
  const wanted = new Map<string, { PK: string; SK: string }>();
  for (const loan of loans) {
    wanted.set(`ITEM#${loan.item_id as string}`, keys.entity(workspaceId, 'ITEM', loan.item_id as string));
    wanted.set(`BORROWER#${loan.borrower_id as string}`, keys.entity(workspaceId, 'BORROWER', loan.borrower_id as string));
  }
  const found = await batchGet<{ SK: string; name?: string }>([...wanted.values()]);
  const names = new Map(found.map((item) => [item.SK, String(item.name ?? '')]));
  return loans.map((loan) => ({
    ...loan, item_name: names.get(`ITEM#${loan.item_id as string}`) ?? '', borrower_name: names.get(`BORROWER#${loan.borrower_id as string}`) ?? '',
  }));
}

/**
 * An inventory row's status follows what is out on loan: `ON_LOAN` once nothing is left to lend,
 * `AVAILABLE` again when a return frees some. Written after the loan's own transaction, as a
 * change of the row (its version moves), conditional on the row as it is then: whichever loan or
 * return comes last leaves the status that fits, and a row whose status a person set otherwise
 * (in use, reserved) keeps it. Answers whether it changed the status.
 */
export async function settleRowStatus(workspaceId: string, rowId: string, actorId: string): Promise<boolean> {
  const transitions = [
    { from: 'AVAILABLE', to: 'ON_LOAN', when: 'on_loan >= quantity' },
    { from: 'ON_LOAN', to: 'AVAILABLE', when: '(attribute_not_exists(on_loan) OR on_loan < quantity)' },
  ];
  for (const { from, to, when } of transitions) {
    try {
      // a transaction (with the inventory lists' version, which shows the status) rather than
      // UpdateItem: every write route bundles TransactWriteItems already, and UpdateItem's client
      // code would add ~2 KB to the routes that settle a status
      await transactWrite(withCollectionBump([{
        Update: {
          TableName: tableName, Key: keys.entity(workspaceId, 'INVENTORY', rowId),
          UpdateExpression: 'SET #status = :to, #version = #version + :one, updated_at = :now, updated_by = :actor',
          ConditionExpression: `#status = :from AND ${when}`,
          ExpressionAttributeNames: { '#status': 'status', '#version': 'version' },
          ExpressionAttributeValues: { ':from': from, ':to': to, ':one': 1, ':now': new Date().toISOString(), ':actor': actorId },
        },
      }], workspaceId, ['INVENTORY']).items);
      return true;
    } catch (error) {
      if (cancellationReasons(error)?.[0] !== 'ConditionalCheckFailed') throw error;
    }
  }
  return false;
}
