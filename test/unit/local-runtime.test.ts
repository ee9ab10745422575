// The pure parts of the local runtime: the events it builds for handlers, the partial-batch rules
// of the stream poller, and its options.
import { afterEach, describe, expect, it, vi } from 'vitest';
import type { DynamoDBRecord } from 'aws-lambda';
import { handlerEnvironment, runtimeOptions } from '../../infra/local/environment.js';
import { toObjectCreatedEvent } from '../../infra/local/s3.js';
import { scheduledJobEvent, startScheduler } from '../../infra/local/scheduler.js';
import { firstFailedIndex, retryDelay, toLambdaRecord } from '../../infra/local/stream-poller.js';

const streamArn = 'arn:aws:dynamodb:ddblocal:000000000000:table/home-warehouse/stream/2026-01-01T00:00:00.000';

describe('stream records → the Lambda DynamoDB stream event', () => {
  it('keeps the wire shape of attribute values, epoch seconds and the source ARN', () => {
    const record = toLambdaRecord(
      {
        eventID: 'e1',
        eventName: 'MODIFY',
        eventVersion: '1.1',
        eventSource: 'aws:dynamodb',
        awsRegion: 'ddblocal',
        dynamodb: {
          ApproximateCreationDateTime: new Date('2026-03-10T08:00:01.700Z'),
          Keys: { PK: { S: 'WS#1' }, SK: { S: 'ITEM#1' } },
          NewImage: {
            PK: { S: 'WS#1' },
            n: { N: '2' },
            ok: { BOOL: true },
            none: { NULL: true },
            tags: { SS: ['a', 'b'] },
            raw: { B: new Uint8Array([1, 2, 3]) },
            nested: { M: { list: { L: [{ N: '1' }, { B: new Uint8Array([255]) }] } } },
          },
          OldImage: { PK: { S: 'WS#1' }, n: { N: '1' } },
          SequenceNumber: '000000000000000000042',
          SizeBytes: 77,
          StreamViewType: 'NEW_AND_OLD_IMAGES',
        },
      },
      streamArn,
      'us-east-1',
    );
    expect(record).toEqual({
      eventID: 'e1',
      eventName: 'MODIFY',
      eventVersion: '1.1',
      eventSource: 'aws:dynamodb',
      awsRegion: 'us-east-1',
      eventSourceARN: streamArn,
      dynamodb: {
        ApproximateCreationDateTime: 1773129601,
        Keys: { PK: { S: 'WS#1' }, SK: { S: 'ITEM#1' } },
        NewImage: {
          PK: { S: 'WS#1' },
          n: { N: '2' },
          ok: { BOOL: true },
          none: { NULL: true },
          tags: { SS: ['a', 'b'] },
          raw: { B: 'AQID' },
          nested: { M: { list: { L: [{ N: '1' }, { B: '/w==' }] } } },
        },
        OldImage: { PK: { S: 'WS#1' }, n: { N: '1' } },
        SequenceNumber: '000000000000000000042',
        SizeBytes: 77,
        StreamViewType: 'NEW_AND_OLD_IMAGES',
      },
    });
    expect(JSON.parse(JSON.stringify(record))).toEqual(record); // plain JSON, as Lambda delivers it
  });

  it('leaves out what the record does not have (no NewImage on REMOVE)', () => {
    const record = toLambdaRecord(
      { eventID: 'e2', eventName: 'REMOVE', dynamodb: { Keys: { PK: { S: 'a' } }, OldImage: { PK: { S: 'a' } }, SequenceNumber: '1' } },
      streamArn,
      'us-east-1',
    );
    expect(record.dynamodb).not.toHaveProperty('NewImage');
    expect(record.dynamodb).not.toHaveProperty('ApproximateCreationDateTime');
  });
});

describe('partial batch responses (ReportBatchItemFailures)', () => {
  const records: DynamoDBRecord[] = ['1', '2', '3', '4'].map((sequence) => ({ dynamodb: { SequenceNumber: sequence } }));

  it('treats no answer, an empty list and a null list as success', () => {
    expect(firstFailedIndex(records, undefined)).toBeUndefined();
    expect(firstFailedIndex(records, {})).toBeUndefined();
    expect(firstFailedIndex(records, { batchItemFailures: [] })).toBeUndefined();
    expect(firstFailedIndex(records, { batchItemFailures: null })).toBeUndefined();
  });

  it('retries from the lowest failed sequence number', () => {
    expect(firstFailedIndex(records, { batchItemFailures: [{ itemIdentifier: '3' }] })).toBe(2);
    expect(firstFailedIndex(records, { batchItemFailures: [{ itemIdentifier: '4' }, { itemIdentifier: '2' }] })).toBe(1);
  });

  it('fails the whole batch for an empty, missing or unknown identifier', () => {
    expect(firstFailedIndex(records, { batchItemFailures: [{ itemIdentifier: '' }] })).toBe(0);
    expect(firstFailedIndex(records, { batchItemFailures: [{}] })).toBe(0);
    expect(firstFailedIndex(records, { batchItemFailures: [{ itemIdentifier: '4' }, { itemIdentifier: '99' }] })).toBe(0);
    expect(firstFailedIndex(records, { batchItemFailures: 'everything' })).toBe(0);
  });

  it('backs off exponentially, capped', () => {
    expect([1, 2, 3, 4].map((attempt) => retryDelay(attempt, 200))).toEqual([200, 400, 800, 1600]);
    expect(retryDelay(20, 200)).toBe(5_000);
  });
});

describe('s3rver events → EventBridge "Object Created"', () => {
  const record = {
    eventTime: '2026-03-10T08:00:00.123Z',
    eventName: 'ObjectCreated:Put',
    awsRegion: 'us-east-1',
    requestParameters: { sourceIPAddress: '127.0.0.1' },
    responseElements: { 'x-amz-request-id': 'REQ1' },
    s3: {
      bucket: { name: 'home-warehouse-attachments', arn: 'arn:aws:s3: : :home-warehouse-attachments' },
      object: { key: 'ws/1/photo one.jpg', size: 5, eTag: '5d41402abc4b2a76b9719d911017c592', sequencer: '18F' },
    },
  };

  it('has the envelope and detail S3 sends to EventBridge', () => {
    const event = toObjectCreatedEvent(record, 'us-east-1');
    expect(event).toEqual({
      version: '0',
      id: expect.stringMatching(/^[0-9a-f-]{36}$/),
      'detail-type': 'Object Created',
      source: 'aws.s3',
      account: '000000000000',
      time: '2026-03-10T08:00:00Z',
      region: 'us-east-1',
      resources: ['arn:aws:s3:::home-warehouse-attachments'],
      detail: {
        version: '0',
        bucket: { name: 'home-warehouse-attachments' },
        object: { key: 'ws/1/photo one.jpg', size: 5, etag: '5d41402abc4b2a76b9719d911017c592', sequencer: '18F' },
        'request-id': 'REQ1',
        requester: '000000000000',
        'source-ip-address': '127.0.0.1',
        reason: 'PutObject',
      },
    });
  });

  it('names the reason of presigned POSTs and copies, and ignores deletions', () => {
    expect(toObjectCreatedEvent({ ...record, eventName: 'ObjectCreated:Post' }, 'us-east-1')?.detail.reason).toBe('POST Object');
    expect(toObjectCreatedEvent({ ...record, eventName: 'ObjectCreated:Copy' }, 'us-east-1')?.detail.reason).toBe('CopyObject');
    expect(toObjectCreatedEvent({ ...record, eventName: 'ObjectRemoved:Delete' }, 'us-east-1')).toBeUndefined();
  });
});

describe('scheduled job events', () => {
  it('carry the scheduled time and the schedule ARN', () => {
    const event = scheduledJobEvent({ name: 'loan-reminders' }, new Date('2026-03-10T08:00:00.000Z'), 'us-east-1');
    expect(event).toMatchObject({
      version: '0',
      'detail-type': 'Scheduled Event',
      source: 'aws.scheduler',
      time: '2026-03-10T08:00:00Z',
      resources: ['arn:aws:scheduler:us-east-1:000000000000:schedule/default/loan-reminders'],
      detail: {},
    });
  });
});

describe('the scheduler', () => {
  afterEach(() => {
    vi.useRealTimers();
  });
  const job = (name: string, schedule: string) => ({ name, schedule, module: 'functions/jobs/x.ts', export: 'handler', description: '' });

  it('runs each job at its times with the scheduled-event envelope, until stopped', async () => {
    vi.useFakeTimers();
    vi.setSystemTime(new Date('2026-03-10T08:00:20Z'));
    const runs: { name: string; time: string }[] = [];
    const outcomes: boolean[] = [];
    const scheduler = startScheduler({
      jobs: [job('every-minute', 'rate(1 minute)'), job('quarter-hour', 'cron(0/15 * * * ? *)')],
      region: 'us-east-1',
      run: async (scheduled, event) => {
        runs.push({ name: scheduled.name, time: event.time });
        if (scheduled.name === 'quarter-hour') throw new Error('job failed');
      },
      onRun: (_, outcome) => outcomes.push(outcome.ok),
    });
    expect(scheduler.upcoming()).toEqual([
      { name: 'every-minute', at: new Date('2026-03-10T08:01:20Z') },
      { name: 'quarter-hour', at: new Date('2026-03-10T08:15:00Z') },
    ]);
    await vi.advanceTimersByTimeAsync(15 * 60_000);
    expect(runs.filter((run) => run.name === 'every-minute')).toHaveLength(15);
    expect(runs.find((run) => run.name === 'quarter-hour')).toEqual({ name: 'quarter-hour', time: '2026-03-10T08:15:00Z' });
    expect(outcomes.filter((ok) => !ok)).toHaveLength(1); // a failing job is reported, and the scheduler goes on
    await scheduler.stop();
    const count = runs.length;
    await vi.advanceTimersByTimeAsync(60 * 60_000);
    expect(runs).toHaveLength(count);
  });

  it('refuses an invalid expression at start, naming the job', () => {
    expect(() => startScheduler({ jobs: [job('broken', 'cron(0 8 * * * *)')], region: 'us-east-1', run: async () => undefined })).toThrow(
      /scheduled job 'broken': invalid schedule expression/,
    );
  });
});

describe('runtime options', () => {
  it('defaults to the documented ports and the .data folder', () => {
    const options = runtimeOptions([], {});
    expect(options).toMatchObject({ port: 3000, dynamodbPort: 8000, s3Port: 4569, sesPort: 8005, inMemory: false, verbose: false });
    expect(options.dataDir).toMatch(/\.data$/);
  });

  it('reads flags and port variables, and refuses bad ones clearly', () => {
    const options = runtimeOptions(['--in-memory', '--state-file', 'state.json', '--verbose'], { PORT: '3100', DATA_DIR: '/tmp/x' });
    expect(options).toMatchObject({ port: 3100, inMemory: true, verbose: true, dataDir: '/tmp/x' });
    expect(options.stateFile).toMatch(/state\.json$/);
    expect(() => runtimeOptions([], { S3_PORT: 'abc' })).toThrow(/S3_PORT must be a port number/);
    expect(() => runtimeOptions([], { SES_PORT: '8000' })).toThrow(/DYNAMODB_PORT and SES_PORT are both 8000|SES_PORT and DYNAMODB_PORT are both 8000/);
    expect(() => runtimeOptions(['--bogus'], {})).toThrow(/unknown argument '--bogus'/);
  });

  it('gives the handlers the local endpoints, quiet logs and no metrics', () => {
    const environment = handlerEnvironment(runtimeOptions([], { PORT: '3100' }), 'x'.repeat(40), {});
    expect(environment).toMatchObject({
      STAGE: 'local',
      AWS_REGION: 'us-east-1',
      TABLE_NAME: 'home-warehouse',
      DYNAMODB_ENDPOINT: 'http://127.0.0.1:8000',
      S3_ENDPOINT: 'http://127.0.0.1:4569',
      SES_ENDPOINT: 'http://127.0.0.1:8005',
      PUBLIC_URL: 'http://127.0.0.1:3100',
      POWERTOOLS_LOG_LEVEL: 'WARN',
      POWERTOOLS_METRICS_DISABLED: 'true',
    });
    expect(handlerEnvironment(runtimeOptions([], {}), 'x'.repeat(40), { LOG_LEVEL: 'debug', METRICS: '1' })).toMatchObject({
      POWERTOOLS_LOG_LEVEL: 'DEBUG',
      POWERTOOLS_METRICS_DISABLED: 'false',
    });
  });
});
