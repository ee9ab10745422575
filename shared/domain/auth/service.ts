// Registration, sign-in, token rotation, sign-out and password reset: the rules, no AWS calls.
import { randomBytes } from 'node:crypto';
import { config } from '../../config.js';
import { logger } from '../../observability/telemetry.js';
import { newId } from '../ids.js';
import { passwordResetMail, unaddressedMail } from '../mail/templates.js';
import { defaultPreferences, issuedBeforeRevocation, normaliseEmail, type UserRecord } from '../users/model.js';
import { decoyHash, hashPassword, verifyPassword } from '../users/passwords.js';
import { addRevokedSessions, findUserByEmail, getUser } from '../users/repository.js';
import { personalSlug, type MemberRecord, type WorkspaceRecord } from '../workspaces/model.js';
import { EmailTaken, InvalidCredentials, InvalidRefreshToken, ResetTokenInvalid, TooManyAttempts } from './errors.js';
import { resetTokenSeconds, type SessionFamily } from './model.js';
import * as repository from './repository.js';
import { accessTokenSeconds, formatRefreshToken, newSecret, parseRefreshToken, refreshTokenDays, sha256, signAccessToken } from './tokens.js';

export interface SessionTokens {
  token: string;
  refresh_token: string;
  token_type: 'Bearer';
  expires_in: number;
  user: UserRecord;
}

export async function register(input: { email: string; full_name: string; password: string }): Promise<UserRecord> {
  const now = new Date().toISOString();
  const email = normaliseEmail(input.email);
  const user: UserRecord = {
    id: newId(), email, full_name: input.full_name, password_hash: await hashPassword(input.password),
    is_active: true, is_superuser: false, ...defaultPreferences, created_at: now, updated_at: now, version: 1,
  };
  // A random tail makes a slug collision rare; one retry with a new tail settles it.
  for (let attempt = 0; attempt < 2; attempt += 1) {
    const workspace: WorkspaceRecord = {
      id: newId(), name: 'Personal', slug: personalSlug(email, randomBytes(3).toString('hex')), description: `${input.full_name}'s own things`,
      is_personal: true, owner_count: 1, status: 'active', created_by: user.id, created_at: now, updated_at: now, version: 1,
    };
    const owner: MemberRecord = { id: newId(), workspace_id: workspace.id, user_id: user.id, role: 'owner', created_at: now, updated_at: now, version: 1 };
    const outcome = await repository.createAccount(user, workspace, owner);
    if (outcome === 'created') return user;
    if (outcome === 'email-taken') throw EmailTaken();
  }
  throw new Error('Could not find a free slug for the personal workspace');
}

async function startSession(user: UserRecord): Promise<SessionTokens> {
  const now = new Date();
  const secret = newSecret();
  const family: SessionFamily = {
    family_id: newId(), user_id: user.id, generation: 0, token_hash: sha256(secret), spent_hashes: [],
    created_at: now.toISOString(), last_used_at: now.toISOString(),
    expires_at: new Date(now.getTime() + refreshTokenDays * 86_400_000).toISOString(),
  };
  await repository.putSession(family);
  return issue(user, family, secret);
}

async function issue(user: UserRecord, family: SessionFamily, secret: string): Promise<SessionTokens> {
  return {
    token: await signAccessToken(user.id, family.family_id),
    refresh_token: formatRefreshToken({ userId: user.id, familyId: family.family_id, generation: family.generation, secret }),
    token_type: 'Bearer',
    expires_in: accessTokenSeconds,
    user,
  };
}

/**
 * Signs in. Every attempt is counted before its password is checked (atomically, so parallel
 * guesses cannot slip past the limit): at most `maxPerClient` per email and client address per
 * window, and `maxPerEmail` per email from all clients together. Someone failing from one
 * address therefore cannot lock the owner out from another; only a distributed attack past the
 * higher ceiling can, and only until the window ends.
 */
export async function login(input: { email: string; password: string }, client: string): Promise<SessionTokens> {
  const email = normaliseEmail(input.email);
  const now = new Date();
  if (!(await repository.countLoginAttempt(email, client, now))) {
    throw TooManyAttempts((repository.throttleWindow(now).endsAt - now.getTime()) / 1000);
  }
  const user = await findUserByEmail(email);
  // Always verify a hash, so an unknown email costs as much time as a wrong password.
  const passwordMatches = await verifyPassword(input.password, user?.password_hash ?? (await decoyHash()));
  if (!user || !passwordMatches || !user.is_active) throw InvalidCredentials();
  await repository.forgiveLoginAttempts(email, client, now);
  return startSession(user);
}

/**
 * Rotates a refresh token. A token that was already spent is a sign it was copied: the whole
 * family is revoked, so whoever holds the newer token must sign in again too.
 */
export async function refresh(refreshToken: string): Promise<SessionTokens> {
  const presented = parseRefreshToken(refreshToken);
  if (!presented) throw InvalidRefreshToken();
  const [family, user] = await Promise.all([repository.getSession(presented.userId, presented.familyId), getUser(presented.userId, true)]);
  if (!family || !user) throw InvalidRefreshToken();
  const now = new Date();
  const hash = sha256(presented.secret);
  const current = presented.generation === family.generation && hash === family.token_hash;
  const replayed = !current && family.spent_hashes.includes(hash);
  if (replayed) {
    logger.warn('refresh token reused: revoking its family', { userId: user.id, familyId: family.family_id });
    await repository.revokeSession(user.id, family.family_id, now.toISOString());
    throw InvalidRefreshToken();
  }
  const usable = current && !family.revoked_at && Date.parse(family.expires_at) > now.getTime()
    && user.is_active && !issuedBeforeRevocation(user, Date.parse(family.created_at));
  if (!usable) throw InvalidRefreshToken();
  const secret = newSecret();
  if (!(await repository.rotateSession(family, sha256(secret), now.toISOString()))) {
    // Someone spent this token between our read and our write: that is a replay too.
    logger.warn('refresh token raced: revoking its family', { userId: user.id, familyId: family.family_id });
    await repository.revokeSession(user.id, family.family_id, now.toISOString());
    throw InvalidRefreshToken();
  }
  return issue(user, { ...family, generation: family.generation + 1 }, secret);
}

/** Access tokens live this long; a signed-out family is remembered on the user that long (plus clock skew). */
const revokedSessionMemoryMs = (accessTokenSeconds + 60) * 1000;

/**
 * Signs a session out: its family's refresh token is revoked, and the family goes on the user's
 * list of signed-out sessions, so its access tokens are refused from the next request (every
 * request reads the user anyway). Unknown or spent tokens change nothing and say nothing.
 */
export async function logout(refreshToken: string): Promise<void> {
  const presented = parseRefreshToken(refreshToken);
  if (!presented) return;
  const family = await repository.getSession(presented.userId, presented.familyId);
  const hash = sha256(presented.secret);
  if (family && (hash === family.token_hash || family.spent_hashes.includes(hash))) {
    const now = new Date();
    await repository.revokeSession(presented.userId, presented.familyId, now.toISOString());
    await addRevokedSessions(presented.userId, [presented.familyId], now, revokedSessionMemoryMs);
  }
}

/**
 * Always answers the same way, in the same time: a known, active account gets a token and a mail;
 * any other email gets the same reads and the same one transaction, of a decoy token nobody holds
 * and a mail with no recipient. The mail is sent by the change feed after the answer, so the
 * request never waits on SES.
 */
export async function requestPasswordReset(email: string): Promise<void> {
  const found = await findUserByEmail(normaliseEmail(email), { readEvenIfUnknown: true });
  const user = found?.is_active ? found : undefined;
  const token = randomBytes(32).toString('base64url');
  const now = new Date();
  const link = `${config.appUrl}/reset-password?token=${encodeURIComponent(token)}`;
  await repository.storeResetRequest(sha256(token), {
    ...(user ? { user_id: user.id } : {}),
    created_at: now.toISOString(),
    expires_at: new Date(now.getTime() + resetTokenSeconds * 1000).toISOString(),
  }, { id: newId(), ...(user ? passwordResetMail(user.email, user.full_name, link) : unaddressedMail), created_at: now.toISOString() });
}

/** Sets a new password with a mailed token: signs out every session, spends every other reset token. */
export async function confirmPasswordReset(token: string, newPassword: string): Promise<void> {
  const tokenHash = sha256(token);
  const stored = await repository.getResetToken(tokenHash);
  // DynamoDB removes expired items only eventually (DynamoDB Local never), so check the time too.
  if (!stored?.user_id || Date.parse(stored.expires_at) <= Date.now()) throw ResetTokenInvalid();
  const done = await repository.resetPassword(tokenHash, { ...stored, user_id: stored.user_id }, await hashPassword(newPassword), new Date().toISOString());
  if (!done) throw ResetTokenInvalid();
  const user = await getUser(stored.user_id);
  if (user) await repository.clearLoginAttempts(user.email, new Date());
}

/** Signs out every session of a user except one (the caller's own, after a password change), access tokens included. */
export async function revokeOtherSessions(userId: string, keepFamilyId: string | undefined): Promise<void> {
  const now = new Date();
  const others = (await repository.listSessions(userId)).filter((session) => session.family_id !== keepFamilyId && !session.revoked_at);
  await Promise.all(others.map((session) => repository.revokeSession(userId, session.family_id, now.toISOString())));
  if (others.length > 0) await addRevokedSessions(userId, others.map((session) => session.family_id), now, revokedSessionMemoryMs);
}

/** Whether a reset token can still be used (the reset page shows the form only then): the same checks confirming makes. */
export async function resetTokenUsable(token: string): Promise<boolean> {
  const stored = await repository.getResetToken(sha256(token));
  if (stored?.user_id === undefined || Date.parse(stored.expires_at) <= Date.now()) return false;
  const user = await getUser(stored.user_id, true);
  return user !== undefined && (user.credentials_changed_at === undefined || user.credentials_changed_at < stored.created_at);
}
