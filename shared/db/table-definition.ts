// The one definition of the single table. The CDK data stack and the local runtime both build
// their table from it, so what runs on a laptop has the keys and indexes production has.

export interface IndexDefinition {
  name: string;
  partitionKey: string;
  sortKey: string;
}

export const tableDefinition = {
  partitionKey: 'PK',
  sortKey: 'SK',
  /** Overloaded GSIs: each entity decides what it writes to GSIn PK/SK (see shared/db/README.md). */
  globalSecondaryIndexes: [
    { name: 'GSI1', partitionKey: 'GSI1PK', sortKey: 'GSI1SK' },
    { name: 'GSI2', partitionKey: 'GSI2PK', sortKey: 'GSI2SK' },
    { name: 'GSI3', partitionKey: 'GSI3PK', sortKey: 'GSI3SK' },
    // Added before the first deploy (DynamoDB creates one index per table update: add later ones
    // one deploy at a time).
    { name: 'GSI4', partitionKey: 'GSI4PK', sortKey: 'GSI4SK' },
  ] satisfies IndexDefinition[],
  /** Items with a past epoch-seconds value here are removed by DynamoDB (not by DynamoDB Local). */
  timeToLiveAttribute: 'ttl',
  /** The change feed needs both images: tombstones from old images, projections from new ones. */
  streamViewType: 'NEW_AND_OLD_IMAGES',
} as const;

export type IndexName = (typeof tableDefinition.globalSecondaryIndexes)[number]['name'];
