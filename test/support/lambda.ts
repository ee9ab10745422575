// Builders for handler inputs in unit tests: an API Gateway v2 event and a Lambda context.
import type { APIGatewayProxyEventV2, Context } from 'aws-lambda';
import { randomUUID } from 'node:crypto';

export interface EventOptions {
  body?: unknown;
  rawBody?: string;
  headers?: Record<string, string>;
  params?: Record<string, string>;
  query?: Record<string, string>;
}

export function apiEvent(method: string, path: string, options: EventOptions = {}): APIGatewayProxyEventV2 {
  const body = options.rawBody ?? (options.body === undefined ? undefined : JSON.stringify(options.body));
  const requestId = randomUUID();
  return {
    version: '2.0',
    routeKey: `${method} ${path}`,
    rawPath: path,
    rawQueryString: new URLSearchParams(options.query ?? {}).toString(),
    headers: { 'content-type': 'application/json', ...options.headers },
    ...(options.query ? { queryStringParameters: options.query } : {}),
    ...(options.params ? { pathParameters: options.params } : {}),
    requestContext: {
      accountId: '000000000000', apiId: 'unit', domainName: 'unit.test', domainPrefix: 'unit',
      http: { method, path, protocol: 'HTTP/1.1', sourceIp: '127.0.0.1', userAgent: 'vitest' },
      requestId, routeKey: `${method} ${path}`, stage: '$default', time: new Date().toUTCString(), timeEpoch: Date.now(),
    },
    ...(body === undefined ? {} : { body }),
    isBase64Encoded: false,
  };
}

export function lambdaContext(functionName = 'unit-test'): Context {
  return {
    callbackWaitsForEmptyEventLoop: true, functionName, functionVersion: '$LATEST',
    invokedFunctionArn: `arn:aws:lambda:us-east-1:000000000000:function:${functionName}`,
    memoryLimitInMB: '512', awsRequestId: randomUUID(), logGroupName: `/aws/lambda/${functionName}`, logStreamName: 'unit',
    getRemainingTimeInMillis: () => 10_000, done: () => undefined, fail: () => undefined, succeed: () => undefined,
  };
}
