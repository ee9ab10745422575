// The table's stream as the change feed receives it: every record so far, read from DynamoDB
// Local's stream API, for tests that feed real records to a projector again (replays).
import { DescribeTableCommand, DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { DescribeStreamCommand, DynamoDBStreamsClient, GetRecordsCommand, GetShardIteratorCommand, type _Record } from '@aws-sdk/client-dynamodb-streams';
import type { DynamoDBRecord } from 'aws-lambda';
import { inject } from 'vitest';
import { toLambdaRecord } from '../../../infra/local/stream-poller.js';

const region = 'us-east-1';
const credentials = { accessKeyId: 'S3RVER', secretAccessKey: 'S3RVER' };

/** Every record of the table's stream so far, oldest first, in the Lambda event shape. */
export async function streamRecords(): Promise<DynamoDBRecord[]> {
  const streams = new DynamoDBStreamsClient({ endpoint: inject('dynamodbEndpoint'), region, credentials });
  const dynamodb = new DynamoDBClient({ endpoint: inject('dynamodbEndpoint'), region, credentials });
  try {
    const table = await dynamodb.send(new DescribeTableCommand({ TableName: inject('tableName') }));
    const arn = table.Table!.LatestStreamArn!;
    const description = await streams.send(new DescribeStreamCommand({ StreamArn: arn }));
    const records: _Record[] = [];
    for (const shard of description.StreamDescription?.Shards ?? []) {
      let iterator = (await streams.send(new GetShardIteratorCommand({ StreamArn: arn, ShardId: shard.ShardId!, ShardIteratorType: 'TRIM_HORIZON' }))).ShardIterator;
      while (iterator) {
        const page = await streams.send(new GetRecordsCommand({ ShardIterator: iterator, Limit: 1000 }));
        records.push(...(page.Records ?? []));
        if ((page.Records ?? []).length === 0) break; // caught up with an open shard
        iterator = page.NextShardIterator;
      }
    }
    return records.map((record) => toLambdaRecord(record, arn, region));
  } finally {
    streams.destroy();
    dynamodb.destroy();
  }
}
