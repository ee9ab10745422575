// The change log in the table. An entry and a marker of its stream record are written in one
// transaction: a record delivered again finds its marker and adds nothing.
import { PutCommand } from '@aws-sdk/lib-dynamodb';
import { documents } from '../../aws/dynamodb.js';
import * as keys from '../../db/keys.js';
import { ttlAt } from '../../db/keys.js';
import { cancellationReasons, tableName, transactWrite } from '../../db/table.js';
import { eventMemoryDays, retentionDays, type ChangeLogEntry } from './model.js';

function entryItem(entry: ChangeLogEntry) {
  return {
    ...keys.changeLogEntry(entry.workspace_id, entry.logged_at, entry.event_id),
    entity: 'CHANGE', ttl: ttlAt(new Date(Date.parse(entry.logged_at) + retentionDays() * 86_400_000)), ...entry,
  };
}

/** Appends the entry once per stream record; false when the record was already projected. */
export async function appendOnce(entry: ChangeLogEntry): Promise<boolean> {
  try {
    await transactWrite([
      {
        Put: {
          TableName: tableName,
          Item: { ...keys.changeLogEvent(entry.workspace_id, entry.event_id), entity: 'CHANGE_EVENT', logged_at: entry.logged_at, ttl: ttlAt(new Date(Date.now() + eventMemoryDays * 86_400_000)) },
          ConditionExpression: 'attribute_not_exists(PK)',
        },
      },
      { Put: { TableName: tableName, Item: entryItem(entry) } },
    ]);
    return true;
  } catch (error) {
    if (cancellationReasons(error)?.[0] === 'ConditionalCheckFailed') return false;
    throw error;
  }
}

/** Writes the entry again under a later `logged_at` (SYNC.md: a slow write is repeated, never left late). */
export async function appendAgain(entry: ChangeLogEntry): Promise<void> {
  await documents.send(new PutCommand({ TableName: tableName, Item: entryItem(entry) }));
}
