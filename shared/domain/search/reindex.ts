// Rebuilds one workspace's search index from its entities, without taking it away: first every
// searchable entity's postings are written (as the change feed would write them for a create:
// puts of what is there already change nothing), then the postings partition is read page by page
// and what no entity holds any more is deleted. Searches keep answering throughout; a change the
// feed projects meanwhile is one the rebuild also agrees with (both write what the entity holds).
// Every step is a Query or a key write: no Scan.
import * as keys from '../../db/keys.js';
import { batchGet, projectionOf, queryPages } from '../../db/table.js';
import { searchTypeOf, searchTypes } from './fields.js';
import { filedNames, filedUnder } from './filed.js';
import { learnWords, postingChanges, postingKeyParts, postingSortKeys, writeAll } from './postings.js';

async function* pages(partition: string, attributes?: readonly string[]): AsyncGenerator<Record<string, unknown>[]> {
  for await (const page of queryPages({
    KeyConditionExpression: 'PK = :pk', ExpressionAttributeValues: { ':pk': partition }, Limit: 500,
    ...(attributes ? projectionOf(attributes) : {}),
  })) {
    yield page.Items;
  }
}

export interface ReindexOutcome {
  entities: number;
  postingsWritten: number;
  postingsDeleted: number;
  words: number;
}

export async function reindexWorkspace(workspaceId: string): Promise<ReindexOutcome> {
  // what the index must hold: the posting keys of every searchable entity
  const wanted = new Set<string>();
  const words = new Set<string>();
  const outcome: ReindexOutcome = { entities: 0, postingsWritten: 0, postingsDeleted: 0, words: 0 };
  for await (const items of pages(keys.workspace(workspaceId).PK)) {
    const requests = [];
    const names = await filedNames(workspaceId, items.filter((item) => item.entity === 'ITEM'));
    for (const item of items) {
      const type = searchTypeOf(item.entity as string | undefined);
      if (!type) continue;
      outcome.entities += 1;
      const built = postingChanges(workspaceId, type, String(item.id), undefined, item, { after: type === 'item' ? filedUnder(item, names) : {} });
      for (const request of built.requests) if ('PutRequest' in request) wanted.add(String(request.PutRequest.Item.SK));
      for (const word of built.added) words.add(word);
      requests.push(...built.requests);
    }
    await writeAll(requests);
    outcome.postingsWritten += requests.length;
  }
  await learnWords(workspaceId, [...words]);
  outcome.words = words.size;
  // what it holds and should not (an entity gone, a word it lost or whose rank changed while the feed was failing)
  for await (const items of pages(keys.searchPosting(workspaceId, '', '', '', '').PK, ['PK', 'SK'])) {
    const candidates = items.filter((item) => !wanted.has(String(item.SK))).map((item) => ({ item, ...postingKeyParts(String(item.SK)) }));
    if (candidates.length === 0) continue;
    // an entity made or changed since it was read above: the feed indexed it; ask it before deleting
    const now = new Map((await batchGet<Record<string, unknown>>(
      [...new Map(candidates.map(({ type, id }) => [id, keys.entity(workspaceId, searchTypes[type], id)])).values()],
    )).map((record) => [String(record.id), record]));
    const names = await filedNames(workspaceId, [...now.values()].filter((record) => record.entity === 'ITEM'));
    const stale = candidates.filter(({ item, type, id }) => {
      const record = now.get(id);
      return !record || !postingSortKeys(workspaceId, type, id, record, type === 'item' ? filedUnder(record, names) : {}).has(String(item.SK));
    }).map(({ item }) => item);
    await writeAll(stale.map((item) => ({ DeleteRequest: { Key: { PK: String(item.PK), SK: String(item.SK) } } })));
    outcome.postingsDeleted += stale.length;
  }
  return outcome;
}
