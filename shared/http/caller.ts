// Who is calling, and may they call this route? Runs before the body is read, so a stranger
// learns nothing about a route's input. One key read per request: the user (GetItem), or on
// workspace routes the user, the workspace and the membership together (one BatchGetItem).
// Nothing is cached between requests: a deactivation or a removed membership holds from the
// very next request, and the read costs 0.5–1.5 RCU (eventually consistent).
import type { RouteContract, WorkspaceRole } from '../contract/route.js';
import { isWorkspaceRoute } from '../contract/route.js';
import { SuperuserRequired, Unauthenticated, UserDeactivated } from '../domain/auth/errors.js';
import { verifyAccessToken, type AccessClaims } from '../domain/auth/tokens.js';
import { issuedBeforeRevocation, type UserRecord } from '../domain/users/model.js';
import { getUser } from '../domain/users/repository.js';
import { atLeast, type MemberRecord, type WorkspaceRecord } from '../domain/workspaces/model.js';
import { loadAccess } from '../domain/workspaces/repository.js';
import { RoleTooLow, WorkspaceAccessDenied } from '../domain/workspaces/errors.js';

export interface Caller {
  user: UserRecord;
  /** the session family of the access token */
  sessionId: string;
}

export interface WorkspaceScope {
  workspace: WorkspaceRecord;
  member: MemberRecord;
  role: WorkspaceRole;
  /** the item the route asked to read with the authorisation (`null`: it does not exist) */
  prefetched?: Record<string, unknown> | null;
}

function bearerToken(headers: Record<string, string | undefined>): string | undefined {
  const match = /^Bearer\s+(\S+)$/i.exec(headers.authorization ?? '');
  return match?.[1];
}

function checkUser(user: UserRecord | undefined, claims: AccessClaims): UserRecord {
  if (!user) throw Unauthenticated();
  if (!user.is_active) throw UserDeactivated();
  if (issuedBeforeRevocation(user, claims.issuedAtMs) || user.revoked_sessions?.[claims.sessionId] !== undefined) {
    throw Unauthenticated('This session was signed out; sign in again.');
  }
  return user;
}

export async function authorize(
  contract: Pick<RouteContract, 'access'>,
  headers: Record<string, string | undefined>,
  params: { workspace_id?: string } | undefined,
  prefetch?: { PK: string; SK: string },
): Promise<{ caller: Caller; scope?: WorkspaceScope }> {
  const token = bearerToken(headers);
  const claims = token ? await verifyAccessToken(token) : undefined;
  if (!claims) throw Unauthenticated();

  if (!isWorkspaceRoute(contract)) {
    const user = checkUser(await getUser(claims.userId), claims);
    if (contract.access === 'superuser' && !user.is_superuser) throw SuperuserRequired();
    return { caller: { user, sessionId: claims.sessionId } };
  }

  const workspaceId = params?.workspace_id;
  if (!workspaceId) throw new Error(`Workspace route without {workspace_id}`);
  const access = await loadAccess(claims.userId, workspaceId, prefetch);
  const user = checkUser(access.user, claims);
  // A missing workspace answers like a foreign one: ids are not probed this way.
  if (!access.workspace || access.workspace.status !== 'active' || !access.member) throw WorkspaceAccessDenied();
  const required = contract.access as WorkspaceRole;
  if (!atLeast(access.member.role, required)) throw RoleTooLow(`This needs the ${required} role; you are ${access.member.role}.`);
  return {
    caller: { user, sessionId: claims.sessionId },
    scope: { workspace: access.workspace, member: access.member, role: access.member.role, ...(prefetch ? { prefetched: access.also ?? null } : {}) },
  };
}
