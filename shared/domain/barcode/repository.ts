// The barcode cache (one item per barcode) and the per-client lookup counter (one item per client
// address and window). See shared/db/README.md, "Barcode lookup".
import { UpdateCommand } from '@aws-sdk/lib-dynamodb';
import { documents } from '../../aws/dynamodb.js';
import * as keys from '../../db/keys.js';
import { ttlAt } from '../../db/keys.js';
import { getRecord, tableName } from '../../db/table.js';
import { countUnlessAt, type Window } from '../../db/throttle.js';
import { lookupThrottle, type CachedLookup } from './model.js';

/** The cached answer for a barcode, unless there is none or it expired. */
export async function getCached(barcode: string, now: Date): Promise<CachedLookup | undefined> {
  const cached = await getRecord<CachedLookup>(keys.barcodeCache(barcode));
  return cached && cached.expires_at > now.getTime() ? cached : undefined;
}

/** Optional fields of a cached answer, removed when the new answer has none. */
const optionalFields = ['brand', 'category', 'image_url', 'source'] as const;

/**
 * Keeps an answer (replacing what was kept). Written with UpdateItem, not PutItem: the route
 * carries UpdateItem for its counter anyway, and PutItem's client code would add ~1 KB to its
 * cold start (README, "Cold starts").
 */
export async function putCached(lookup: CachedLookup): Promise<void> {
  const item: Record<string, unknown> = { ...lookup, entity: 'BARCODE_CACHE', ttl: ttlAt(new Date(lookup.expires_at)) };
  const set = Object.keys(item).filter((field) => item[field] !== undefined);
  const remove = optionalFields.filter((field) => item[field] === undefined);
  await documents.send(new UpdateCommand({
    TableName: tableName,
    Key: keys.barcodeCache(lookup.barcode),
    UpdateExpression: `SET ${set.map((field) => `#${field} = :${field}`).join(', ')}${remove.length ? ` REMOVE ${remove.map((field) => `#${field}`).join(', ')}` : ''}`,
    ExpressionAttributeNames: Object.fromEntries([...set, ...remove].map((field) => [`#${field}`, field])),
    ExpressionAttributeValues: Object.fromEntries(set.map((field) => [`:${field}`, item[field]])),
  }));
}

/**
 * Counts one lookup from `client` in the window unless it already counted the maximum; false
 * when it had. Atomic (a conditional ADD), so parallel lookups cannot all slip through.
 */
export const countLookup = (client: string, window: Window): Promise<boolean> =>
  countUnlessAt(keys.barcodeLookupsOfClient(client, window.index), lookupThrottle.maxPerClient, 'BARCODE_THROTTLE', window);
