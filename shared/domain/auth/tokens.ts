// Access tokens (15-minute HS256 JWTs with `typ: access`) and the refresh-token format.
//
// HS256 is signed and checked with node:crypto rather than a JWT library: the whole algorithm is
// one HMAC, and a library (jose) added 14 KB to every route's cold start (see README, cold-start
// budget). Verification is strict: exactly three base64url parts, header `alg` HS256 and nothing
// else (no `none`, no key confusion), a constant-time signature comparison, and the claims every
// token we issue carries (`typ`, `sub`, `sid`, `iss`, `aud`, `iat`, `exp`, `iat_ms`) required.
import { createHash, createHmac, randomBytes, timingSafeEqual } from 'node:crypto';
import { signingKey } from './signing-key.js';

export const accessTokenSeconds = 15 * 60;
export const refreshTokenDays = 30;
const issuer = 'home-warehouse';
const audience = 'home-warehouse-api';
/** Tolerated clock difference between the instance that signed and the one that checks. */
const clockSkewSeconds = 60;

export interface AccessClaims {
  userId: string;
  /** the refresh-token family this access token was issued with */
  sessionId: string;
  /** issued at, epoch milliseconds (`iat` has whole seconds only, too coarse to order against a revocation) */
  issuedAtMs: number;
}

const header = Buffer.from(JSON.stringify({ alg: 'HS256', typ: 'JWT' })).toString('base64url');
const base64url = /^[A-Za-z0-9_-]+$/;

const sign = (key: Uint8Array, content: string) => createHmac('sha256', key).update(content).digest();

export async function signAccessToken(userId: string, sessionId: string): Promise<string> {
  const nowMs = Date.now();
  const now = Math.floor(nowMs / 1000);
  const payload = Buffer.from(JSON.stringify({
    typ: 'access', sid: sessionId, iat_ms: nowMs, sub: userId, iss: issuer, aud: audience, iat: now, exp: now + accessTokenSeconds,
  })).toString('base64url');
  const content = `${header}.${payload}`;
  return `${content}.${sign(await signingKey(), content).toString('base64url')}`;
}

function decodeJson(part: string): Record<string, unknown> | undefined {
  try {
    const value: unknown = JSON.parse(Buffer.from(part, 'base64url').toString('utf8'));
    return value && typeof value === 'object' && !Array.isArray(value) ? (value as Record<string, unknown>) : undefined;
  } catch {
    return undefined;
  }
}

/** The claims of a valid access token, or undefined for anything else (expired, forged, refresh-typed, malformed). */
export async function verifyAccessToken(token: string): Promise<AccessClaims | undefined> {
  const parts = token.split('.');
  if (parts.length !== 3 || token.length > 4096 || !parts.every((part) => base64url.test(part))) return undefined;
  const [encodedHeader, encodedPayload, encodedSignature] = parts as [string, string, string];
  if (decodeJson(encodedHeader)?.alg !== 'HS256') return undefined;
  const expected = sign(await signingKey(), `${encodedHeader}.${encodedPayload}`);
  const presented = Buffer.from(encodedSignature, 'base64url');
  if (presented.length !== expected.length || !timingSafeEqual(presented, expected)) return undefined;
  const claims = decodeJson(encodedPayload);
  if (!claims) return undefined;
  const now = Date.now() / 1000;
  const { typ, sub, sid, iat_ms: issuedAtMs, iss, aud, iat, exp, nbf } = claims;
  const valid = typ === 'access' && typeof sub === 'string' && typeof sid === 'string' && typeof issuedAtMs === 'number'
    && iss === issuer && (aud === audience || (Array.isArray(aud) && aud.includes(audience)))
    && typeof exp === 'number' && exp > now && typeof iat === 'number' && iat <= now + clockSkewSeconds
    && (nbf === undefined || (typeof nbf === 'number' && nbf <= now + clockSkewSeconds));
  return valid ? { userId: sub, sessionId: sid, issuedAtMs } : undefined;
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
