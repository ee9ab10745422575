// A route is declared once, as data. The CDK app, the local server, the OpenAPI document and the
// route-wide tests all read these declarations; handlers implement them by `id`.
// This folder imports nothing but zod/mini (the classic zod API costs every cold start ~75 ms).
import type * as z from 'zod/mini';
import type { ErrorCode } from './errors.js';

export type HttpMethod = 'GET' | 'POST' | 'PUT' | 'PATCH' | 'DELETE';

/** Roles inside a workspace, weakest first. */
export const workspaceRoles = ['viewer', 'member', 'admin', 'owner'] as const;
export type WorkspaceRole = (typeof workspaceRoles)[number];

/**
 * Who may call a route:
 * - `public`: anyone, no token;
 * - `user`: any signed-in, active user;
 * - `superuser`: a signed-in superuser;
 * - a workspace role: a member of `{workspace_id}` holding at least that role.
 */
export type Access = 'public' | 'user' | 'superuser' | WorkspaceRole;

/** What the route answers when it does not answer JSON (docs page, its assets). */
export type MediaType = 'application/json' | 'text/html' | 'text/javascript' | 'text/css' | 'image/png' | 'image/svg+xml' | 'application/pdf' | 'text/csv';

export interface RouteContract<
  P extends z.ZodMiniType = z.ZodMiniType,
  Q extends z.ZodMiniType = z.ZodMiniType,
  B extends z.ZodMiniType = z.ZodMiniType,
  R extends z.ZodMiniType = z.ZodMiniType,
  A extends Access = Access,
> {
  /** operationId; also the name of the handler export in functions/http/<domain>.ts */
  id: string;
  method: HttpMethod;
  /** API Gateway style path: `/workspaces/{workspace_id}/items/{item_id}` */
  path: string;
  /** the functions/http module that implements it, the OpenAPI tag and the nested stack */
  domain: string;
  access: A;
  summary: string;
  description?: string;
  params?: P;
  query?: Q;
  body?: B;
  /** JSON response schema; absent for 204 and for non-JSON routes */
  response?: R;
  status: number;
  /** defaults to application/json; a route serving files of several kinds lists them */
  produces?: MediaType | readonly MediaType[];
  /** what the body is; defaults to application/json (an HTML form posts application/x-www-form-urlencoded) */
  consumes?: 'application/json' | 'application/x-www-form-urlencoded';
  /**
   * The route writes one versioned resource and honours `If-Match` (412 VERSION_CONFLICT when the
   * version moved on); see shared/http/conditional.ts.
   */
  conditional?: boolean;
  /**
   * A create whose body may carry the client's own `id` (a UUIDv7): sent again, it answers 200 with
   * the entity as it is now and changes nothing; an id whose entity was deleted since answers 410.
   */
  replayable?: boolean;
  /**
   * Honours `Idempotency-Key` (Powertools idempotency on the table, shared/http/idempotency.ts): a
   * retry within 24 hours gets the first answer, a concurrent one 409, the key with another body 422.
   */
  idempotent?: boolean;
  /** For 201 answers (and a job's 202): the created resource's path, placeholders filled from the path parameters and the answer (`/workspaces/{id}`). */
  location?: string;
  /**
   * A route whose answer may be too large to send (an export): it then answers 202 with this
   * background job instead, its path in Location (`/workspaces/{workspace_id}/jobs/{id}`).
   */
  accepted?: { response: z.ZodMiniType; location: string };
  /**
   * Domain error codes this route may answer beyond those every route of its kind answers (the
   * OpenAPI generator adds those: validation, authentication, access, conditional requests).
   */
  errors?: readonly ErrorCode[];
  /** set by `document(route, …)` in a `DOCS:` statement beside the declaration; for the OpenAPI document only */
  examples?: { body?: z.infer<B>; response?: z.infer<R> };
  /** what the route's Lambda may touch beyond its logs, where it differs from the defaults of `grantsOf` */
  grants?: Partial<RouteGrants>;
  /**
   * API Gateway throttling of this route alone, in place of the stage's default (requests per
   * second across all clients, steady `rate` and `burst`): for public routes that cost more than
   * they look (calls to other services). infra/stacks/api-stack.ts applies it as a route setting.
   */
  throttle?: { rate: number; burst: number };
  /** seconds the route's Lambda may run, where 10 is not enough (the API's integration timeout is 30) */
  timeout?: number;
}

/**
 * What one route's Lambda is allowed to use. The CDK app derives each route's IAM role from this
 * (least privilege: routes with identical grants share a role), and infra tests check it.
 */
export interface RouteGrants {
  /** `read`: GetItem, BatchGetItem, Query; `write`: also PutItem, UpdateItem, DeleteItem, BatchWriteItem, ConditionCheckItem */
  table: 'none' | 'read' | 'write';
  /** objects of the attachments bucket: `head` (HeadBucket only), `read` (GetObject, for presigned GETs), `write` (also PutObject, DeleteObject) */
  attachments: 'none' | 'head' | 'read' | 'write';
  /** SES SendEmail from the configured sender (mail normally leaves through the change feed's outbox) */
  mail: boolean;
  /** SES v2 GetAccount (the readiness probe) */
  mailAccount: boolean;
  /** the access-token signing secret: every signed-in route verifies with it; a public route only when it issues tokens */
  signingSecret: boolean;
}

/** A route's grants: what it declares, else read-only for GET and read-write otherwise, no bucket, no mail, the secret when signed in. */
export function grantsOf(contract: Pick<RouteContract, 'method' | 'access' | 'grants'>): RouteGrants {
  const declared = contract.grants ?? {};
  return {
    table: declared.table ?? (contract.method === 'GET' ? 'read' : 'write'),
    attachments: declared.attachments ?? 'none',
    mail: declared.mail ?? false,
    mailAccount: declared.mailAccount ?? false,
    signingSecret: declared.signingSecret ?? contract.access !== 'public',
  };
}

/**
 * Attaches request and response examples to a route for the OpenAPI document. Contract modules
 * call it in statements labelled `DOCS:`, which infra/bundle.ts drops from every Lambda bundle but
 * the one serving the document (esbuild `dropLabels`): examples cost route cold starts nothing.
 */
export function document<C extends RouteContract>(contract: C, examples: NonNullable<C['examples']>): void {
  (contract as RouteContract).examples = examples as RouteContract['examples'];
}

/** Identity helper that keeps the schema types of a declaration for the handler. */
export function route<
  P extends z.ZodMiniType = z.ZodMiniType,
  Q extends z.ZodMiniType = z.ZodMiniType,
  B extends z.ZodMiniType = z.ZodMiniType,
  R extends z.ZodMiniType = z.ZodMiniType,
  const A extends Access = Access,
>(declaration: RouteContract<P, Q, B, R, A>): RouteContract<P, Q, B, R, A> {
  return declaration;
}

/** True when the route sits under `/workspaces/{workspace_id}` and so checks membership. */
export function isWorkspaceRoute(contract: Pick<RouteContract, 'access'>): boolean {
  return (workspaceRoles as readonly string[]).includes(contract.access);
}
