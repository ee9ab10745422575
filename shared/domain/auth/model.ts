// Sessions (refresh-token families), login throttling and password-reset tokens.

/** One sign-in: its refresh token rotates on each use; the family is what logout revokes. */
export interface SessionFamily {
  family_id: string;
  user_id: string;
  /** how many times the refresh token has rotated; the current token carries this number */
  generation: number;
  /** sha256 of the current refresh token's secret */
  token_hash: string;
  /** hashes of recently spent secrets, to recognise a replay (which revokes the family) */
  spent_hashes: string[];
  created_at: string;
  last_used_at: string;
  expires_at: string;
  revoked_at?: string;
}

export const spentHashesKept = 20;

/** Sign-in attempts per fixed 15-minute window: per email and client address, and per email from all clients. */
export const loginThrottle = { maxPerClient: 10, maxPerEmail: 100, windowSeconds: 15 * 60 };

export const resetTokenSeconds = 60 * 60;
