// The stored user and what a new one starts with.
export interface UserRecord {
  id: string;
  email: string;
  full_name: string;
  password_hash: string;
  is_active: boolean;
  is_superuser: boolean;
  date_format: string;
  language: string;
  theme: string;
  /** sessions and access tokens issued before this instant are refused (password reset, deactivation) */
  sessions_valid_after?: string;
  /** the password last changed (change or reset): reset tokens issued before it are refused */
  credentials_changed_at?: string;
  /**
   * Session families signed out while their access tokens may still be alive (≤ 15 minutes):
   * family id → when. Every request reads the user anyway, so logout cuts the access token at
   * no extra read. Entries older than an access token's lifetime are dropped on the next write.
   */
  revoked_sessions?: Record<string, string>;
  created_at: string;
  updated_at: string;
  version: number;
}

export const defaultPreferences = { date_format: 'YYYY-MM-DD', language: 'en', theme: 'system' } as const;

export const normaliseEmail = (email: string) => email.trim().toLowerCase();

/** True when a token issued at `issuedAtSeconds` predates the user's last "sign out everywhere". */
export function issuedBeforeRevocation(user: Pick<UserRecord, 'sessions_valid_after'>, issuedAtMs: number): boolean {
  return user.sessions_valid_after !== undefined && issuedAtMs < Date.parse(user.sessions_valid_after);
}
