// Fixed-window counters for the throttles of public and sign-in routes (sign-in attempts, barcode
// lookups, borrower-link posts): one item per key and window, counted before the work is done.
import { UpdateCommand } from '@aws-sdk/lib-dynamodb';
import { documents } from '../aws/dynamodb.js';
import { ttlAt } from './keys.js';
import { isConditionFailure, tableName } from './table.js';

export interface Window {
  index: number;
  /** when the window ends (epoch milliseconds) */
  endsAt: number;
}

/** The fixed window of `seconds` an instant falls in, and when it ends. */
export function fixedWindow(now: Date, seconds: number): Window {
  const length = seconds * 1000;
  const index = Math.floor(now.getTime() / length);
  return { index, endsAt: (index + 1) * length };
}

/**
 * Adds one to the counter at `key` unless it reached `max`; false when it had. Atomic (a
 * conditional ADD), so parallel requests cannot all slip through; the item expires with its window.
 */
export async function countUnlessAt(key: Record<string, string>, max: number, entity: string, window: Window): Promise<boolean> {
  try {
    await documents.send(new UpdateCommand({
      TableName: tableName,
      Key: key,
      UpdateExpression: 'ADD attempts :one SET entity = :entity, #ttl = :ttl',
      ConditionExpression: 'attribute_not_exists(attempts) OR attempts < :max',
      ExpressionAttributeNames: { '#ttl': 'ttl' },
      ExpressionAttributeValues: { ':one': 1, ':max': max, ':entity': entity, ':ttl': ttlAt(new Date(window.endsAt)) },
    }));
    return true;
  } catch (error) {
    if (isConditionFailure(error)) return false;
    throw error;
  }
}
