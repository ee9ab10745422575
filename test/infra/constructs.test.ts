// The app's own constructs and helpers in isolation: no bundle, no full app.
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { App, Duration, Stack } from 'aws-cdk-lib';
import { Match, Template } from 'aws-cdk-lib/assertions';
import * as dynamodb from 'aws-cdk-lib/aws-dynamodb';
import * as iam from 'aws-cdk-lib/aws-iam';
import { describe, expect, it } from 'vitest';
import type { RouteContract } from '../../shared/contract/route.js';
import { httpEntryName, jobEntryName, lambdaTargets } from '../../infra/bundle.js';
import { AppFunction, lambdaFunctionName } from '../../infra/constructs/app-function.js';
import { acknowledge, acknowledgements, wildcardResourceFinding } from '../../infra/constructs/nag.js';
import { StreamConsumer } from '../../infra/constructs/stream-consumer.js';
import { groupRoutes } from '../../infra/stacks/api-stack.js';

function fakeRoute(domain: string, id: string): RouteContract {
  return { id, domain, method: 'GET', path: `/${domain}/${id}`, access: 'public', summary: id, status: 200 };
}

describe('entry and function names', () => {
  it('names bundles after the domain and operation id, in kebab case', () => {
    expect(httpEntryName({ domain: 'platform', id: 'health' })).toBe('http-platform-health');
    expect(httpEntryName({ domain: 'platform', id: 'docsAsset' })).toBe('http-platform-docs-asset');
    expect(jobEntryName({ name: 'loanReminders' })).toBe('job-loan-reminders');
  });

  it('lists every Lambda once: routes, change feed, upload verifier, mail feedback, jobs', () => {
    const targets = lambdaTargets([fakeRoute('a', 'one'), fakeRoute('b', 'two')], [
      { name: 'sweep', module: 'functions/jobs/sweep.ts', export: 'handler', schedule: 'rate(1 day)', description: 'x' },
    ]);
    expect(targets.map((target) => target.name)).toEqual(['http-a-one', 'http-b-two', 'stream-change-feed', 'stream-job-runner', 's3-verify-upload', 'sns-mail-feedback', 'job-sweep']);
    expect(targets[0]).toMatchObject({ module: 'functions/http/a.ts', export: 'one', kind: 'http' });
    expect(() => lambdaTargets([fakeRoute('a', 'one'), fakeRoute('a', 'one')], [])).toThrow(/share the bundle name/);
  });

  it('keeps Lambda function names within 64 characters, stable and distinct', () => {
    const long = `http-workspaces-${'very-long-operation-name-'.repeat(4)}`;
    const name = lambdaFunctionName('hw', long);
    expect(name.length).toBeLessThanOrEqual(64);
    expect(lambdaFunctionName('hw', long)).toBe(name);
    expect(lambdaFunctionName('hw', `${long}x`)).not.toBe(name);
    expect(lambdaFunctionName('hw', 'http-platform-health')).toBe('hw-http-platform-health');
  });
});

describe('route groups', () => {
  it('groups by domain and splits a domain larger than the limit', () => {
    const routes = [
      ...Array.from({ length: 5 }, (_, i) => fakeRoute('items', `item${i}`)),
      fakeRoute('platform', 'health'),
    ];
    const groups = groupRoutes(routes, 2);
    expect([...groups.keys()]).toEqual(['RoutesItems', 'RoutesItems2', 'RoutesItems3', 'RoutesPlatform']);
    expect([...groups.values()].flat()).toHaveLength(routes.length);
    expect(Math.max(...[...groups.values()].map((group) => group.length))).toBe(2);
  });
});

describe('acknowledge', () => {
  it('refuses an acknowledgement without a real reason and records the others', () => {
    const stack = new Stack(new App(), 'S');
    expect(() => acknowledge(stack, 'AwsSolutions-S1', 'because')).toThrow(/reason/);
    acknowledge(stack, 'AwsSolutions-S1', 'A reason that explains the decision.');
    expect(acknowledgements(stack)).toEqual([
      expect.objectContaining({ id: expect.stringContaining('AwsSolutions-S1'), reason: 'A reason that explains the decision.' }),
    ]);
  });

  it('names a wildcard resource the way cdk-nag does', () => {
    const stack = new Stack(new App(), 'S');
    const arn = stack.formatArn({ service: 's3', region: '', account: '', resource: `b-${stack.account}` });
    expect(wildcardResourceFinding(stack, `${arn}/*`)).toBe('AwsSolutions-IAM5[Resource::arn:<AWS::Partition>:s3:::b-<AWS::AccountId>/*]');
  });
});

describe('StreamConsumer', () => {
  const app = new App();
  const stack = new Stack(app, 'Consumer');
  const table = new dynamodb.Table(stack, 'Table', {
    partitionKey: { name: 'PK', type: dynamodb.AttributeType.STRING },
    stream: dynamodb.StreamViewType.NEW_AND_OLD_IMAGES,
  });
  const codeDir = mkdtempSync(join(tmpdir(), 'hw-consumer-'));
  writeFileSync(join(codeDir, 'index.mjs'), 'export const handler = async () => ({ batchItemFailures: [] });\n');
  const role = new iam.Role(stack, 'Role', { assumedBy: new iam.ServicePrincipal('lambda.amazonaws.com') });
  const { function: handler } = new AppFunction(stack, 'Fn', { functionName: 'consumer', codeDir, role, environment: {} });
  new StreamConsumer(stack, 'Consumer', { table, handler, retryAttempts: 3, maxRecordAge: Duration.hours(6) });
  const template = Template.fromStack(stack);

  it('maps the stream with partial batch responses, bisecting, bounded retries and age', () => {
    template.hasResourceProperties('AWS::Lambda::EventSourceMapping', {
      FunctionResponseTypes: ['ReportBatchItemFailures'],
      BisectBatchOnFunctionError: true,
      MaximumRetryAttempts: 3,
      MaximumRecordAgeInSeconds: 6 * 3600,
      StartingPosition: 'TRIM_HORIZON',
      BatchSize: Match.anyValue(),
      MaximumBatchingWindowInSeconds: Match.anyValue(),
      DestinationConfig: { OnFailure: { Destination: { 'Fn::GetAtt': [Match.stringLikeRegexp('^ConsumerFailures'), 'Arn'] } } },
    });
  });

  it('sends failures to an encrypted, TLS-only queue and alarms on its depth', () => {
    template.hasResourceProperties('AWS::SQS::Queue', { SqsManagedSseEnabled: true });
    template.hasResourceProperties('AWS::SQS::QueuePolicy', {
      PolicyDocument: { Statement: Match.arrayWith([Match.objectLike({ Effect: 'Deny', Condition: { Bool: { 'aws:SecureTransport': 'false' } } })]) },
    });
    template.hasResourceProperties('AWS::CloudWatch::Alarm', {
      MetricName: 'ApproximateNumberOfMessagesVisible',
      Namespace: 'AWS/SQS',
      Threshold: 0,
      ComparisonOperator: 'GreaterThanThreshold',
    });
  });

  it('creates the mapping only once the role may read the stream', () => {
    const mappings = template.findResources('AWS::Lambda::EventSourceMapping');
    const [mapping] = Object.values(mappings);
    const policies = Object.keys(template.findResources('AWS::IAM::Policy'));
    expect(mapping?.DependsOn).toEqual(expect.arrayContaining(policies));
  });
});
