// The stored workspace and membership, and the role order.
import type { WorkspaceRole } from '../../contract/route.js';
import { workspaceRoles } from '../../contract/route.js';

export interface WorkspaceRecord {
  id: string;
  name: string;
  slug: string;
  description?: string;
  is_personal: boolean;
  /** kept by the same transactions that make or unmake owners, so "last owner" is a condition */
  owner_count: number;
  /** `deleting` from the moment DELETE answers until the purge job has removed everything */
  status: 'active' | 'deleting';
  deleted_at?: string;
  /** the verified attachments' bytes and count, kept by the writes that make them READY or delete them */
  storage_bytes?: number;
  attachment_count?: number;
  created_by: string;
  created_at: string;
  updated_at: string;
  version: number;
}

export interface MemberRecord {
  id: string;
  workspace_id: string;
  user_id: string;
  role: WorkspaceRole;
  invited_by?: string;
  created_at: string;
  updated_at: string;
  version: number;
}

export const roleRank = (role: WorkspaceRole) => workspaceRoles.indexOf(role);

export const atLeast = (role: WorkspaceRole, required: WorkspaceRole) => roleRank(role) >= roleRank(required);

/** A slug for a personal workspace: the email's local part, cleaned, and a random tail. */
export function personalSlug(email: string, randomTail: string): string {
  const base = email.split('@')[0]!.toLowerCase().replace(/[^a-z0-9]+/g, '-').replace(/^-+|-+$/g, '').slice(0, 40) || 'home';
  return `${base}-${randomTail}`;
}
