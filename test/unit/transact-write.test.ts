// transactWrite retries a transaction DynamoDB cancelled for contention, and only that.
import { TransactionCanceledException } from '@aws-sdk/client-dynamodb';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { dynamodb } from '../../shared/aws/dynamodb.js';
import { cancellationReasons, transactWrite } from '../../shared/db/table.js';

const cancelled = (...codes: string[]) =>
  new TransactionCanceledException({ message: 'cancelled', $metadata: {}, CancellationReasons: codes.map((Code) => ({ Code })) });

const put = { Put: { TableName: 't', Item: { PK: 'A', SK: 'B' } } };

describe('transactWrite', () => {
  afterEach(() => vi.restoreAllMocks());

  it('retries a TransactionConflict under the same client request token', async () => {
    const send = vi.spyOn(dynamodb, 'send')
      .mockRejectedValueOnce(cancelled('None', 'TransactionConflict') as never)
      .mockResolvedValueOnce({} as never);
    await transactWrite([put, put]);
    expect(send).toHaveBeenCalledTimes(2);
    const tokens = send.mock.calls.map(([command]) => (command as { input: { ClientRequestToken: string } }).input.ClientRequestToken);
    expect(tokens[0]).toBeTruthy();
    expect(tokens[1]).toBe(tokens[0]);
  });

  it('sends the items in attribute-value form, as the document client would, undefined attributes dropped', async () => {
    const send = vi.spyOn(dynamodb, 'send').mockResolvedValueOnce({} as never);
    await transactWrite([
      { Put: { TableName: 't', Item: { PK: 'A', SK: 'B', n: 3, tags: new Set(['x']), gone: undefined }, ConditionExpression: 'attribute_not_exists(PK)' } },
      { Update: { TableName: 't', Key: { PK: 'A', SK: 'C' }, UpdateExpression: 'SET #a = :a', ExpressionAttributeNames: { '#a': 'a' }, ExpressionAttributeValues: { ':a': { nested: true } } } },
      { ConditionCheck: { TableName: 't', Key: { PK: 'A', SK: 'D' }, ConditionExpression: 'attribute_exists(PK)' } },
    ]);
    const { TransactItems } = (send.mock.calls[0]![0] as unknown as { input: { TransactItems: unknown[] } }).input;
    expect(TransactItems).toEqual([
      { Put: { TableName: 't', Item: { PK: { S: 'A' }, SK: { S: 'B' }, n: { N: '3' }, tags: { SS: ['x'] } }, ConditionExpression: 'attribute_not_exists(PK)' } },
      { Update: { TableName: 't', Key: { PK: { S: 'A' }, SK: { S: 'C' } }, UpdateExpression: 'SET #a = :a', ExpressionAttributeNames: { '#a': 'a' }, ExpressionAttributeValues: { ':a': { M: { nested: { BOOL: true } } } } } },
      { ConditionCheck: { TableName: 't', Key: { PK: { S: 'A' }, SK: { S: 'D' } }, ConditionExpression: 'attribute_exists(PK)' } },
    ]);
  });

  it('hands a failed condition straight back to the caller', async () => {
    const send = vi.spyOn(dynamodb, 'send').mockRejectedValueOnce(cancelled('ConditionalCheckFailed', 'None') as never);
    const error = await transactWrite([put, put]).catch((caught: unknown) => caught);
    expect(cancellationReasons(error)).toEqual(['ConditionalCheckFailed', 'None']);
    expect(send).toHaveBeenCalledTimes(1);
  });

  it('gives up after a bounded number of conflicts, as 503 RESOURCE_BUSY with Retry-After (never a 500)', async () => {
    const send = vi.spyOn(dynamodb, 'send').mockRejectedValue(cancelled('TransactionConflict') as never);
    const error = await transactWrite([put]).catch((caught: unknown) => caught);
    expect(error).toMatchObject({ code: 'RESOURCE_BUSY', details: { retryAfter: 1 } });
    expect(send).toHaveBeenCalledTimes(7);
  });
});
