// Direct access to the runtime's table, for what the API deliberately cannot do (there is no
// route that makes a superuser) and for checking what a request left behind in storage. Tests
// act through the API; they only look here, or set up what no route offers.
import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { DynamoDBDocumentClient, GetCommand, QueryCommand, ScanCommand, UpdateCommand, type QueryCommandInput, type ScanCommandInput } from '@aws-sdk/lib-dynamodb';
import { inject } from 'vitest';

type Item = Record<string, any>;

let client: DynamoDBDocumentClient | undefined;

function documents(): DynamoDBDocumentClient {
  client ??= DynamoDBDocumentClient.from(
    new DynamoDBClient({
      endpoint: inject('dynamodbEndpoint'),
      region: 'us-east-1',
      credentials: { accessKeyId: 'local', secretAccessKey: 'local' },
    }),
    { marshallOptions: { removeUndefinedValues: true } },
  );
  return client;
}

export const tableName = (): string => inject('tableName') ?? 'home-warehouse';

export async function getItem(key: { PK: string; SK: string }): Promise<Item | undefined> {
  const result = await documents().send(new GetCommand({ TableName: tableName(), Key: key, ConsistentRead: true }));
  return result.Item;
}

/** Every item of a query, page by page. */
export async function queryAll(input: Omit<QueryCommandInput, 'TableName' | 'ExclusiveStartKey'>): Promise<Item[]> {
  const items: Item[] = [];
  let start: Record<string, unknown> | undefined;
  do {
    const result = await documents().send(new QueryCommand({ ...input, TableName: tableName(), ExclusiveStartKey: start }));
    items.push(...(result.Items ?? []));
    start = result.LastEvaluatedKey;
  } while (start);
  return items;
}

/** Every item of a partition (base table). */
export const partition = (pk: string) =>
  queryAll({ KeyConditionExpression: 'PK = :pk', ExpressionAttributeValues: { ':pk': pk }, ConsistentRead: true });

/** Every item of the table that matches a filter (a full scan: only for small checks in tests). */
export async function scanAll(input: Omit<ScanCommandInput, 'TableName' | 'ExclusiveStartKey'>): Promise<Item[]> {
  const items: Item[] = [];
  let start: Record<string, unknown> | undefined;
  do {
    const result = await documents().send(new ScanCommand({ ...input, TableName: tableName(), ExclusiveStartKey: start, ConsistentRead: true }));
    items.push(...(result.Items ?? []));
    start = result.LastEvaluatedKey;
  } while (start);
  return items;
}

/** No route grants superuser rights (by design), so tests grant them here. */
export async function makeSuperuser(userId: string): Promise<void> {
  await documents().send(new UpdateCommand({
    TableName: tableName(),
    Key: { PK: `USER#${userId}`, SK: 'USER' },
    UpdateExpression: 'SET is_superuser = :true',
    ConditionExpression: 'attribute_exists(PK)',
    ExpressionAttributeValues: { ':true': true },
  }));
}

/** Sets attributes of an existing item as they are (what time alone would do: an upload left for a day). */
export async function setAttributes(key: { PK: string; SK: string }, values: Record<string, unknown>): Promise<void> {
  const names = Object.keys(values);
  await documents().send(new UpdateCommand({
    TableName: tableName(), Key: key, ConditionExpression: 'attribute_exists(PK)',
    UpdateExpression: `SET ${names.map((_, index) => `#n${index} = :v${index}`).join(', ')}`,
    ExpressionAttributeNames: Object.fromEntries(names.map((name, index) => [`#n${index}`, name])),
    ExpressionAttributeValues: Object.fromEntries(names.map((name, index) => [`:v${index}`, values[name]])),
  }));
}
