// A record of the table's stream, decoded once for every projector: the operation, the item's
// entity, and its old and new images as plain values (NEW_AND_OLD_IMAGES).
import type { AttributeValue as LambdaAttributeValue, DynamoDBRecord } from 'aws-lambda';
import type { AttributeValue } from '@aws-sdk/client-dynamodb';
import { unmarshall } from '@aws-sdk/util-dynamodb';

export type Item = Record<string, unknown>;

export interface Change {
  /** the stream record's id: unique per change, the same when a record is delivered again */
  eventId: string;
  operation: 'INSERT' | 'MODIFY' | 'REMOVE';
  /** the `entity` attribute of the item (new image, else old) */
  entity: string | undefined;
  keys: { PK: string; SK: string };
  oldImage?: Item;
  newImage?: Item;
  /** the stream's ordering within a shard */
  sequenceNumber: string;
  /** when DynamoDB wrote the change (seconds precision) */
  approximateAt?: Date;
  /** true when DynamoDB's TTL removed the item (not a person) */
  expired: boolean;
}

const decode = (image: Record<string, LambdaAttributeValue> | undefined): Item | undefined =>
  image ? unmarshall(image as unknown as Record<string, AttributeValue>) : undefined;

export function toChange(record: DynamoDBRecord): Change {
  const data = record.dynamodb ?? {};
  const newImage = decode(data.NewImage);
  const oldImage = decode(data.OldImage);
  const keys = decode(data.Keys) as { PK: string; SK: string };
  return {
    eventId: record.eventID ?? `${data.SequenceNumber}`,
    operation: (record.eventName ?? 'MODIFY') as Change['operation'],
    entity: (newImage?.entity ?? oldImage?.entity) as string | undefined,
    keys,
    ...(oldImage ? { oldImage } : {}),
    ...(newImage ? { newImage } : {}),
    sequenceNumber: data.SequenceNumber ?? '',
    ...(data.ApproximateCreationDateTime ? { approximateAt: new Date(data.ApproximateCreationDateTime * 1000) } : {}),
    expired: record.userIdentity?.type === 'Service' && record.userIdentity?.principalId === 'dynamodb.amazonaws.com',
  };
}
