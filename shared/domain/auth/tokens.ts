// Access tokens (15-minute HS256 JWTs with `typ: access`) and the refresh-token format.
import { createHash, randomBytes } from 'node:crypto';
import { jwtVerify, SignJWT } from 'jose';
import { signingKey } from './signing-key.js';

export const accessTokenSeconds = 15 * 60;
export const refreshTokenDays = 30;
const issuer = 'home-warehouse';
const audience = 'home-warehouse-api';

export interface AccessClaims {
  userId: string;
  /** the refresh-token family this access token was issued with */
  sessionId: string;
  /** issued at, epoch milliseconds (`iat` has whole seconds only, too coarse to order against a revocation) */
  issuedAtMs: number;
}

export async function signAccessToken(userId: string, sessionId: string): Promise<string> {
  return new SignJWT({ typ: 'access', sid: sessionId, iat_ms: Date.now() })
    .setProtectedHeader({ alg: 'HS256', typ: 'JWT' })
    .setSubject(userId)
    .setIssuer(issuer)
    .setAudience(audience)
    .setIssuedAt()
    .setExpirationTime(`${accessTokenSeconds}s`)
    .sign(await signingKey());
}

/** The claims of a valid access token, or undefined for anything else (expired, forged, refresh-typed). */
export async function verifyAccessToken(token: string): Promise<AccessClaims | undefined> {
  try {
    const { payload } = await jwtVerify(token, await signingKey(), { algorithms: ['HS256'], issuer, audience });
    if (payload.typ !== 'access' || typeof payload.sub !== 'string' || typeof payload.sid !== 'string' || typeof payload.iat_ms !== 'number') {
      return undefined;
    }
    return { userId: payload.sub, sessionId: payload.sid, issuedAtMs: payload.iat_ms };
  } catch {
    return undefined;
  }
}

export interface RefreshToken {
  userId: string;
  familyId: string;
  generation: number;
  secret: string;
}

const prefix = 'rt1';

/** `rt1.<user id>.<family id>.<generation>.<secret>`: the server stores only the secret's hash. */
export function formatRefreshToken(token: RefreshToken): string {
  return [prefix, token.userId, token.familyId, token.generation, token.secret].join('.');
}

export function parseRefreshToken(value: string): RefreshToken | undefined {
  const [version, userId, familyId, generation, secret] = value.split('.');
  if (version !== prefix || !userId || !familyId || !secret || !/^\d+$/.test(generation ?? '')) return undefined;
  return { userId, familyId, generation: Number(generation), secret };
}

export const newSecret = () => randomBytes(32).toString('base64url');

export const sha256 = (value: string) => createHash('sha256').update(value).digest('base64url');
