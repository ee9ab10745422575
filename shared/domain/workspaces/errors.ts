import { defineError } from '../errors.js';

export const WorkspaceAccessDenied = /* @__PURE__ */ defineError('WORKSPACE_ACCESS_DENIED', 'You are not a member of this workspace.');
export const RoleTooLow = /* @__PURE__ */ defineError('ROLE_TOO_LOW', 'Your role in this workspace does not allow this.');
export const OwnerRequired = /* @__PURE__ */ defineError('OWNER_REQUIRED', 'Only an owner may make, change or remove an owner.');
export const SlugTaken = /* @__PURE__ */ defineError('SLUG_TAKEN', 'Another workspace already uses this slug.');
export const PersonalWorkspace = /* @__PURE__ */ defineError('PERSONAL_WORKSPACE', 'A personal workspace cannot be deleted.');
export const WorkspaceNotFound = /* @__PURE__ */ defineError('NOT_FOUND', 'No workspace with that slug.');
export const MemberNotFound = /* @__PURE__ */ defineError('NOT_FOUND', 'That user is not a member of this workspace.');
export const UserToAddNotFound = /* @__PURE__ */ defineError('USER_NOT_FOUND', 'No active user matches that user_id or email.');
export const AlreadyAMember = /* @__PURE__ */ defineError('ALREADY_A_MEMBER', 'That user is already a member of this workspace.');
export const CannotChangeOwnRole = /* @__PURE__ */ defineError('CANNOT_CHANGE_OWN_ROLE', 'You cannot change your own role.');
export const LastOwner = /* @__PURE__ */ defineError('LAST_OWNER', 'A workspace needs at least one owner.');
