// The DynamoDB clients, built once per container.
import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import { config } from '../config.js';
import { clientOptions } from './client-options.js';
import { accountCapacity } from '../observability/capacity.js';

export const dynamodb = new DynamoDBClient(clientOptions(config.endpoints.dynamodb));
accountCapacity(dynamodb);

/** Plain JS values in and out; `undefined` attributes are dropped rather than refused. */
export const documents = DynamoDBDocumentClient.from(dynamodb, {
  marshallOptions: { removeUndefinedValues: true, convertClassInstanceToMap: false },
  unmarshallOptions: { wrapNumbers: false },
});
