// Calls of this API's own routes on behalf of the caller, for the sync batch
// (shared/domain/sync/batch.ts) and imports (shared/domain/imports/service.ts): each operation or
// row goes through the route a client would call, with
// the caller's own token, so it meets exactly the checks that route makes. The base is PUBLIC_URL
// (the API's URL in AWS, the local server locally).
import { config } from '../config.js';
import { addToTally, consumedIn } from '../observability/capacity.js';
import type { Answer, Call, Caller } from '../domain/sync/batch.js';

/** A call that takes longer than this fails (the operation is reported as not run; the client retries it). */
const callTimeoutMs = 8_000;

/** `authorization`: the caller's header (a route passes its request's; a job, a token it signed for the person who started it). */
export function loopback(authorization: string, requestId: string, base = config.publicUrl): Caller {
  if (!base) throw new Error('PUBLIC_URL is not set: the batch cannot reach the API');
  const root = base.replace(/\/+$/, '');
  const forwarded: Record<string, string> = {
    authorization,
    'user-agent': `home-warehouse-sync-batch (${requestId})`,
    'x-batch-request-id': requestId,
  };
  return async (call: Call): Promise<Answer> => {
    const headers: Record<string, string> = { ...forwarded };
    if (call.body !== undefined) headers['content-type'] = 'application/json';
    if (call.ifMatch !== undefined) headers['if-match'] = String(call.ifMatch);
    const response = await fetch(`${root}${call.path}`, {
      method: call.method, headers, ...(call.body !== undefined ? { body: JSON.stringify(call.body) } : {}),
      signal: AbortSignal.timeout(callTimeoutMs),
    });
    const text = await response.text();
    // locally each route reports what it consumed (route.ts): it counts toward this request's header too
    const consumed = consumedIn(response.headers.get('x-consumed-capacity'));
    if (consumed) addToTally(consumed);
    let body: Record<string, unknown> | undefined;
    try {
      body = text ? (JSON.parse(text) as Record<string, unknown>) : undefined;
    } catch {
      body = undefined;
    }
    return { status: response.status, body };
  };
}
