// The DynamoDB clients, built once per container.
import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import { config } from '../config.js';
import { clientOptions } from './client-options.js';
import { accountCapacity } from '../observability/capacity.js';

export const dynamodb = new DynamoDBClient(clientOptions(config.endpoints.dynamodb));
accountCapacity(dynamodb);

/**
 * How plain JS values become attribute values: `undefined` attributes are dropped rather than
 * refused. Frozen, and the document client gets a copy: lib-dynamodb sets
 * `convertTopLevelContainer` on the options object it is given, which would make `marshall` of an
 * item answer `{ M: … }` for transactWrite (shared/db/table.ts).
 */
export const marshallOptions = Object.freeze({ removeUndefinedValues: true, convertClassInstanceToMap: false, convertTopLevelContainer: false });

/** Plain JS values in and out. */
export const documents = DynamoDBDocumentClient.from(dynamodb, {
  marshallOptions: { ...marshallOptions, convertTopLevelContainer: undefined },
  unmarshallOptions: { wrapNumbers: false },
});
