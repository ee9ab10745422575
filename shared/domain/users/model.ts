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
