// The signed-in user's account, and superuser administration of users.
import { revokeOtherSessions } from '../auth/service.js';
import type { Caller } from '../../http/caller.js';
import type { IfMatch } from '../../http/conditional.js';
import { VersionConflict } from '../errors.js';
import { CannotDeactivateSelf, CurrentPasswordIncorrect, UserNotFound } from './errors.js';
import type { UserRecord } from './model.js';
import { hashPassword, verifyPassword } from './passwords.js';
import * as repository from './repository.js';

/** A change to one user, conditional on If-Match when the client sent one. */
async function changeUser(userId: string, changes: Parameters<typeof repository.updateUser>[1], ifMatch: IfMatch): Promise<UserRecord> {
  const outcome = await repository.updateUser(userId, changes, ifMatch.versionsFor(userId));
  if (outcome === 'missing') throw UserNotFound();
  if (outcome === 'version-conflict') throw VersionConflict();
  return outcome;
}

export function updateProfile(caller: Caller, changes: { full_name?: string }, ifMatch: IfMatch): Promise<UserRecord> {
  return changeUser(caller.user.id, changes, ifMatch);
}

export function updatePreferences(caller: Caller, changes: { date_format?: string; language?: string; theme?: string }, ifMatch: IfMatch): Promise<UserRecord> {
  return changeUser(caller.user.id, changes, ifMatch);
}

/**
 * Changes the password and signs out every other device (their refresh tokens and, through the
 * revocation list on the user, their access tokens); this session stays signed in. Reset links
 * mailed before the change stop working.
 */
export async function changePassword(caller: Caller, currentPassword: string, newPassword: string, ifMatch: IfMatch): Promise<void> {
  if (!(await verifyPassword(currentPassword, caller.user.password_hash))) {
    throw CurrentPasswordIncorrect(undefined, { errors: [{ location: 'body.current_password', message: 'is not the current password' }] });
  }
  await changeUser(caller.user.id, { password_hash: await hashPassword(newPassword), credentials_changed_at: new Date().toISOString() }, ifMatch);
  await revokeOtherSessions(caller.user.id, caller.sessionId);
}

export async function getUser(userId: string): Promise<UserRecord> {
  return (await repository.getUser(userId)) ?? Promise.reject(UserNotFound());
}

export const listUsers = repository.listUsers;

/** Deactivation refuses the user's next request and every refresh from that moment on. */
export async function setActive(caller: Caller, userId: string, active: boolean, ifMatch: IfMatch): Promise<void> {
  if (!active && userId === caller.user.id) throw CannotDeactivateSelf();
  const changes = active ? { is_active: true } : { is_active: false, sessions_valid_after: new Date().toISOString() };
  await changeUser(userId, changes, ifMatch);
}
