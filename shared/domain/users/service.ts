// The signed-in user's account, and superuser administration of users.
import { revokeOtherSessions } from '../auth/service.js';
import type { Caller } from '../../http/caller.js';
import { CannotDeactivateSelf, CurrentPasswordIncorrect, UserNotFound } from './errors.js';
import type { UserRecord } from './model.js';
import { hashPassword, verifyPassword } from './passwords.js';
import * as repository from './repository.js';

export async function updateProfile(caller: Caller, changes: { full_name?: string }): Promise<UserRecord> {
  return (await repository.updateUser(caller.user.id, changes)) ?? Promise.reject(UserNotFound());
}

export async function updatePreferences(caller: Caller, changes: { date_format?: string; language?: string; theme?: string }): Promise<UserRecord> {
  return (await repository.updateUser(caller.user.id, changes)) ?? Promise.reject(UserNotFound());
}

/** Changes the password and signs out every other device; this session stays signed in. */
export async function changePassword(caller: Caller, currentPassword: string, newPassword: string): Promise<void> {
  if (!(await verifyPassword(currentPassword, caller.user.password_hash))) {
    throw CurrentPasswordIncorrect(undefined, { errors: [{ location: 'body.current_password', message: 'is not the current password' }] });
  }
  await repository.updateUser(caller.user.id, { password_hash: await hashPassword(newPassword) });
  await revokeOtherSessions(caller.user.id, caller.sessionId);
}

export async function getUser(userId: string): Promise<UserRecord> {
  return (await repository.getUser(userId)) ?? Promise.reject(UserNotFound());
}

export const listUsers = repository.listUsers;

/** Deactivation refuses the user's next request and every refresh from that moment on. */
export async function setActive(caller: Caller, userId: string, active: boolean): Promise<void> {
  if (!active && userId === caller.user.id) throw CannotDeactivateSelf();
  const changes = active ? { is_active: true } : { is_active: false, sessions_valid_after: new Date().toISOString() };
  if (!(await repository.updateUser(userId, changes))) throw UserNotFound();
}
