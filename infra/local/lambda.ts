// Calls a Lambda handler in this process the way the Lambda runtime would: the module is imported
// from `<repo>/<module>` (tsx runs the TypeScript source), the named export is called with the
// event and a context object.
import { randomUUID } from 'node:crypto';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import type { Context } from 'aws-lambda';
import type { FunctionEntry } from '../functions.js';
import { localAccount } from './environment.js';
import { repoRoot } from './paths.js';

type Handler = (event: unknown, context: Context) => unknown;

const handlers = new Map<string, Promise<Handler>>();

/** Imports the module once and returns its handler; rejects with a clear message if it is missing. */
export function loadHandler(entry: FunctionEntry): Promise<Handler> {
  const key = `${entry.module}#${entry.export}`;
  let handler = handlers.get(key);
  if (!handler) {
    handler = import(pathToFileURL(join(repoRoot, entry.module)).href).then((mod: Record<string, unknown>) => {
      const exported = mod[entry.export];
      if (typeof exported !== 'function') throw new Error(`${entry.module} has no exported function '${entry.export}'`);
      return exported as Handler;
    });
    // A failed import (file not written yet, syntax error) is retried on the next call.
    handler.catch(() => handlers.delete(key));
    handlers.set(key, handler);
  }
  return handler;
}

/** A Lambda context for one invocation. `timeoutMs` feeds getRemainingTimeInMillis. */
export function lambdaContext(functionName: string, options: { region?: string; timeoutMs?: number; memoryMb?: number } = {}): Context {
  const region = options.region ?? process.env.AWS_REGION ?? 'us-east-1';
  const deadline = Date.now() + (options.timeoutMs ?? 30_000);
  const unsupported = () => {
    throw new Error('callback-style completion (context.done/succeed/fail) is not supported; return a promise');
  };
  return {
    callbackWaitsForEmptyEventLoop: true,
    functionName,
    functionVersion: '$LATEST',
    invokedFunctionArn: `arn:aws:lambda:${region}:${localAccount}:function:${functionName}`,
    memoryLimitInMB: String(options.memoryMb ?? 1024),
    awsRequestId: randomUUID(),
    logGroupName: `/aws/lambda/${functionName}`,
    logStreamName: `local/${new Date().toISOString().slice(0, 10)}/[$LATEST]${randomUUID().replaceAll('-', '')}`,
    getRemainingTimeInMillis: () => Math.max(0, deadline - Date.now()),
    done: unsupported,
    fail: unsupported,
    succeed: unsupported,
  };
}

/** A readable name for a function entry: `functions/streams/change-feed.ts#handler` → `change-feed`. */
export function functionName(entry: FunctionEntry): string {
  const file = entry.module.split('/').pop() ?? entry.module;
  const base = file.replace(/\.[cm]?[jt]s$/, '');
  return entry.export === 'handler' ? base : `${base}-${entry.export}`;
}

/** Imports (once) and calls the handler of `entry` with `event`. */
export async function invoke(entry: FunctionEntry, event: unknown, options: { timeoutMs?: number } = {}): Promise<unknown> {
  const handler = await loadHandler(entry);
  return await handler(event, lambdaContext(functionName(entry), options));
}
