// `Idempotency-Key` for the routes whose contract says `idempotent` (creates that a retried POST
// would duplicate, and the sync batch): Powertools idempotency, stored in the app's table.
//
// - The key is the header's value with the caller's id, under the route's id, in a partition of
//   the workspace (`WS#{ws}#IDEMPOTENCY`, removed with it): one user's key never answers another's.
// - A retry within 24 hours gets the first answer, marked `Idempotent-Replayed: true`; the same key
//   with another body is 422 IDEMPOTENCY_KEY_REUSED; a retry while the first is still running is
//   409 IDEMPOTENCY_IN_PROGRESS (Powertools' IdempotencyAlreadyInProgressError, not a 500).
// - Only successes are kept: an error answer is not stored, so a retry runs again (a 409 for a
//   taken SKU may not hold a minute later, and a 5xx must not become permanent).
//
// Handler modules pass it to httpRoute (`{ idempotency }`), as HTML routes pass their page: only
// the bundles of idempotent routes carry Powertools idempotency and its JMESPath.
import {
  IdempotencyAlreadyInProgressError, IdempotencyConfig, IdempotencyValidationError, makeIdempotent,
} from '@aws-lambda-powertools/idempotency';
import { DynamoDBPersistenceLayer } from '@aws-lambda-powertools/idempotency/dynamodb';
import type { APIGatewayProxyEventV2, Context } from 'aws-lambda';
import { dynamodb } from '../aws/dynamodb.js';
import { tableName } from '../db/table.js';
import * as keys from '../db/keys.js';
import { DomainError } from '../domain/errors.js';
import type { HttpResponse } from './problem.js';

/** How long a key answers with its first answer. */
export const idempotencyHours = 24;

/** What a retry must send again to get the first answer. */
export interface IdempotentRequest {
  /** the route's id: the same key on two routes names two requests */
  routeId: string;
  /** the Idempotency-Key header, as sent */
  key: string;
  userId: string;
  workspaceId: string;
  /** the parsed body: a retry with another body is refused */
  body: unknown;
}

/** An answer not to keep (an error): carried out of the idempotent call so Powertools forgets the key. */
class NotKept extends Error {
  constructor(readonly response: HttpResponse) {
    super('not kept');
  }
}

/** Printable ASCII, as the IETF draft and Stripe use it: a UUID, a ULID or the client's own counter. */
const keyPattern = /^[\x21-\x7e]{1,255}$/;

export function checkedKey(value: string | undefined): string | undefined {
  if (value === undefined) return undefined;
  if (!keyPattern.test(value)) {
    throw new DomainError('VALIDATION_FAILED', 'The request did not match the schema.', {
      errors: [{ location: 'header.Idempotency-Key', message: 'must be 1 to 255 printable ASCII characters (a UUID is a good key)' }],
    });
  }
  return value;
}

/** Runs `answer` once per (route, caller, key) in 24 hours; a retry gets what the first run answered. */
export async function idempotently(request: IdempotentRequest, context: Context | undefined, answer: () => Promise<HttpResponse>): Promise<HttpResponse> {
  const persistenceStore = new DynamoDBPersistenceLayer({
    tableName, awsSdkV3Client: dynamodb, keyAttr: 'PK', sortKeyAttr: 'SK', expiryAttr: 'ttl',
    staticPkValue: keys.idempotencyPartition(request.workspaceId),
  });
  const config = new IdempotencyConfig({
    eventKeyJmesPath: 'key', payloadValidationJmesPath: 'body', expiresAfterSeconds: idempotencyHours * 3600, throwOnNoIdempotencyKey: true,
    responseHook: (response) => {
      const replayed = response as unknown as HttpResponse;
      return { ...replayed, headers: { ...replayed.headers, 'idempotent-replayed': 'true' } };
    },
  });
  // the in-progress record lasts as long as this invocation may (a timed-out run frees its key)
  if (context?.getRemainingTimeInMillis) config.registerLambdaContext(context);
  const once = makeIdempotent(async (_payload: { key: string; body: unknown }) => {
    const response = await answer();
    if (response.statusCode >= 300) throw new NotKept(response);
    return response;
  }, { persistenceStore, config, keyPrefix: request.routeId });
  try {
    return (await once({ key: `${request.userId} ${request.key}`, body: request.body ?? null })) as HttpResponse;
  } catch (error) {
    if (error instanceof NotKept) return error.response;
    if (error instanceof IdempotencyAlreadyInProgressError) {
      throw new DomainError('IDEMPOTENCY_IN_PROGRESS', 'A request with this Idempotency-Key is still being answered; retry shortly for its answer.', { retryAfter: 1 });
    }
    if (error instanceof IdempotencyValidationError) {
      throw new DomainError('IDEMPOTENCY_KEY_REUSED', 'This Idempotency-Key was used with a different body; send a new key for a new request.');
    }
    throw error;
  }
}

/**
 * What httpRoute calls on the routes given it (a route option, so other bundles do not carry it):
 * with an Idempotency-Key header, the answer once per key; without one, the answer.
 */
export function idempotency(
  routeId: string, event: APIGatewayProxyEventV2, access: { caller: { user: { id: string } }; scope?: { workspace: { id: string } } | undefined },
  body: unknown, context: Context | undefined, answer: () => Promise<HttpResponse>,
): Promise<HttpResponse> {
  const key = checkedKey(event.headers['idempotency-key']);
  if (key === undefined || !access.scope) return answer();
  return idempotently({ routeId, key, userId: access.caller.user.id, workspaceId: access.scope.workspace.id, body }, context, answer);
}
export type Idempotency = typeof idempotency;
