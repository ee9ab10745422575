// The activity log in the table: one partition per workspace, sorted by when things happened, and
// two indexes, by user (GSI1) and by entity (GSI2). Entries are keyed by their stream record, so a
// projected record written twice is one entry.
import { PutCommand } from '@aws-sdk/lib-dynamodb';
import { documents } from '../../aws/dynamodb.js';
import * as keys from '../../db/keys.js';
import { ttlAt, withoutKeys } from '../../db/keys.js';
import { isConditionFailure, queryPage, tableName, type Page } from '../../db/table.js';
import { activityRetentionDays, type ActivityRecord } from './model.js';

/** Adds an entry unless it is there already. */
export async function putActivity(entry: ActivityRecord, eventId: string): Promise<void> {
  const sortKey = `${entry.occurred_at}#${eventId}`;
  try {
    await documents.send(new PutCommand({
      TableName: tableName,
      Item: {
        ...keys.activity(entry.workspace_id, entry.occurred_at, eventId),
        ...(entry.user_id ? keys.activityByUserIndex(entry.workspace_id, entry.user_id, sortKey) : {}),
        ...keys.activityByEntityIndex(entry.workspace_id, entry.entity_type, entry.entity_id, sortKey),
        entity: 'ACTIVITY',
        ttl: ttlAt(new Date(Date.parse(entry.occurred_at) + activityRetentionDays * 86_400_000)),
        ...entry,
      },
      ConditionExpression: 'attribute_not_exists(PK)',
    }));
  } catch (error) {
    if (!isConditionFailure(error)) throw error;
  }
}

export interface ActivityQuery {
  limit: number;
  cursor?: string;
  /** only entries after this instant */
  after: string;
}

const strip = (page: Page<ActivityRecord>): Page<ActivityRecord> =>
  ({ ...page, items: page.items.map((item) => withoutKeys(item as unknown as Record<string, unknown>) as unknown as ActivityRecord) });

/** Newest first, from the workspace's log, one user's entries, or one entity's. */
export function listActivity(workspaceId: string, query: ActivityQuery, by?: { userId: string } | { entityType: string; entityId: string }): Promise<Page<ActivityRecord>> {
  const index = by === undefined ? undefined : 'userId' in by ? 'GSI1' as const : 'GSI2' as const;
  const partition = by === undefined ? keys.activity(workspaceId, '', '').PK
    : 'userId' in by ? keys.activityByUserIndex(workspaceId, by.userId, '').GSI1PK
      : keys.activityByEntityIndex(workspaceId, by.entityType, by.entityId, '').GSI2PK;
  const [pk, sk] = index ? [`${index}PK`, `${index}SK`] : ['PK', 'SK'];
  return queryPage<ActivityRecord>({
    KeyConditionExpression: `${pk} = :pk AND ${sk} > :after`,
    ExpressionAttributeValues: { ':pk': partition, ':after': query.after },
    ScanIndexForward: false,
  }, {
    limit: query.limit, cursor: query.cursor,
    list: {
      list: `activity.${index ?? 'all'}`, partition, sortAbove: query.after, ...(index ? { index } : {}),
      // an entry sits in its workspace's log under the same sort key as in the index
      ...(index ? { tableKeyFits: (position: Record<string, string>) => position.PK === keys.activity(workspaceId, '', '').PK && position.SK === position[sk] } : {}),
    },
  }).then(strip);
}
