// Every stored entity of one type in a workspace, read page by page from the workspace's partition
// (a key range per type, no Scan): what exports, imports and the analytics recount go through.
import * as keys from '../../db/keys.js';
import { projectionOf, queryPages, sortKeyStartsWith } from '../../db/table.js';

/** Every stored entity of a type in a workspace, page by page (archived ones included). */
export async function* entitiesOf(workspaceId: string, type: string, attributes?: readonly string[]): AsyncGenerator<Record<string, unknown>[]> {
  const range = sortKeyStartsWith('SK', `${type}#`);
  const projection = attributes ? projectionOf(attributes) : undefined;
  for await (const page of queryPages({
    KeyConditionExpression: `PK = :pk AND ${range.condition}`,
    ExpressionAttributeValues: { ':pk': keys.workspace(workspaceId).PK, ...range.values }, Limit: 500,
    ...(projection ? { ProjectionExpression: `${projection.ProjectionExpression}, #entityAttr`, ExpressionAttributeNames: { ...projection.ExpressionAttributeNames, '#entityAttr': 'entity' } } : {}),
  })) {
    yield page.Items.filter((item) => item.entity === type);
  }
}
