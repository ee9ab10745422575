// Workspaces and their members. Every route under /workspaces/{workspace_id} checks membership
// and the declared role; the service adds the rules the role alone cannot say (owners, self).
import * as z from 'zod/mini';
import { document, route, workspaceRoles } from './route.js';
import { EmailOut, entityMeta, exactlyOneOf, example, IdOut, IntOut, named, pageOf, PageQuery, Uuid, WorkspaceParams } from './common.js';
import { Email } from './users.js';
import { asciiText, multiLine, nameText } from './text.js';

const Name = /* @__PURE__ */ nameText(100);
const Slug = /* @__PURE__ */ asciiText({ max: 50, pattern: /^[a-z0-9-]+$/ });
const Description = /* @__PURE__ */ multiLine({ max: 1000 });
export const Role = /* @__PURE__ */ z.enum(workspaceRoles);

const workspaceExample = {
  id: '0193a5e2-7c1a-7b3e-9f00-aaaaaaaaaaaa', name: 'Home', slug: 'home', description: 'Our flat',
  is_personal: false, role: 'owner' as const, storage: { bytes: 48213, attachments: 1, quota_bytes: 5368709120 }, created_at: '2026-11-26T09:00:00.000Z', updated_at: '2026-11-26T09:00:00.000Z', version: 1,
};

export const Workspace = /* @__PURE__ */ named('Workspace', z.object({
  id: IdOut,
  name: z.string(),
  slug: z.string(),
  description: z.optional(z.string()),
  is_personal: z.boolean(),
  /** the caller's role here */
  role: Role,
  /** what its verified attachments take up, and how much they may */
  storage: z.object({ bytes: IntOut, attachments: IntOut, quota_bytes: IntOut }),
  ...entityMeta,
}), 'A workspace, with the caller\'s role in it and what its attachments take up.');
DOCS: example(Workspace, workspaceExample);

const memberExample = {
  id: '0193a5e2-7c1a-7b3e-9f00-bbbbbbbbbbbb', workspace_id: '0193a5e2-7c1a-7b3e-9f00-aaaaaaaaaaaa', user_id: '0193a5e2-7c1a-7b3e-9f00-1c2d3e4f5a6b',
  role: 'member' as const, email: 'ada@example.com', full_name: 'Ada Lovelace', invited_by: '0193a5e2-7c1a-7b3e-9f00-cccccccccccc',
  created_at: '2026-11-26T09:00:00.000Z', updated_at: '2026-11-26T09:00:00.000Z', version: 1,
};

export const Member = /* @__PURE__ */ named('Member', z.object({
  id: IdOut,
  workspace_id: IdOut,
  user_id: IdOut,
  role: Role,
  email: EmailOut,
  full_name: z.string(),
  invited_by: z.optional(IdOut),
  ...entityMeta,
}), 'A member of a workspace.');
DOCS: example(Member, memberExample);

const MemberParams = /* @__PURE__ */ z.object({ workspace_id: Uuid, user_id: Uuid });

export const listWorkspaces = /* @__PURE__ */ route({
  id: 'listWorkspaces', method: 'GET', path: '/workspaces', domain: 'workspaces', access: 'user',
  summary: 'The workspaces I belong to, by name', query: PageQuery, response: pageOf(Workspace), status: 200,
});

export const getWorkspaceBySlug = /* @__PURE__ */ route({
  id: 'getWorkspaceBySlug', method: 'GET', path: '/workspaces/by-slug/{slug}', domain: 'workspaces', access: 'user',
  summary: 'A workspace I belong to, by its slug', params: z.object({ slug: Slug }), response: Workspace, status: 200,
  errors: ['NOT_FOUND', 'WORKSPACE_ACCESS_DENIED'],
});

export const createWorkspace = /* @__PURE__ */ route({
  id: 'createWorkspace', method: 'POST', path: '/workspaces', domain: 'workspaces', access: 'user',
  summary: 'Create a workspace; I become its owner',
  body: z.strictObject({
    name: Name, slug: Slug, description: z.optional(z.nullable(Description)),
    /** kept for clients of the earlier API; only the registration creates a personal workspace */
    is_personal: z.optional(z.literal(false)),
  }),
  response: Workspace, status: 201, errors: ['SLUG_TAKEN'], location: '/workspaces/{id}',
});
DOCS: document(createWorkspace, { body: { name: 'Home', slug: 'home', description: 'Our flat' }, response: workspaceExample });

export const getWorkspace = /* @__PURE__ */ route({
  id: 'getWorkspace', method: 'GET', path: '/workspaces/{workspace_id}', domain: 'workspaces', access: 'viewer',
  summary: 'One workspace', params: WorkspaceParams, response: Workspace, status: 200,
});
DOCS: document(getWorkspace, { response: workspaceExample });

export const updateWorkspace = /* @__PURE__ */ route({
  id: 'updateWorkspace', method: 'PATCH', path: '/workspaces/{workspace_id}', domain: 'workspaces', access: 'admin',
  summary: 'Rename a workspace or change its slug or description (`null` clears the description)',
  params: WorkspaceParams, conditional: true,
  body: z.strictObject({ name: z.optional(Name), slug: z.optional(Slug), description: z.optional(z.nullable(Description)) }),
  response: Workspace, status: 200, errors: ['SLUG_TAKEN', 'RESOURCE_BUSY'],
});
DOCS: document(updateWorkspace, { body: { name: 'Summer house' } });

export const deleteWorkspace = /* @__PURE__ */ route({
  id: 'deleteWorkspace', method: 'DELETE', path: '/workspaces/{workspace_id}', domain: 'workspaces', access: 'owner',
  summary: 'Delete a workspace and everything in it',
  description: 'The workspace disappears at once for every member; its contents are purged in the background by the purge-workspaces job. A personal workspace cannot be deleted.',
  params: WorkspaceParams, status: 204, errors: ['PERSONAL_WORKSPACE', 'RESOURCE_BUSY'], conditional: true,
});

export const listMembers = /* @__PURE__ */ route({
  id: 'listMembers', method: 'GET', path: '/workspaces/{workspace_id}/members', domain: 'members', access: 'viewer',
  summary: 'Members of a workspace, oldest first', params: WorkspaceParams, query: PageQuery, response: pageOf(Member), status: 200,
});

export const addMember = /* @__PURE__ */ route({
  id: 'addMember', method: 'POST', path: '/workspaces/{workspace_id}/members', domain: 'members', access: 'admin',
  summary: 'Add a registered user by `user_id` or `email`; they are notified',
  description: 'Only an owner may add an owner.',
  params: WorkspaceParams,
  body: exactlyOneOf(z.strictObject({ user_id: z.optional(Uuid), email: z.optional(Email), role: Role }), ['user_id', 'email']),
  response: Member, status: 201, errors: ['USER_NOT_FOUND', 'ALREADY_A_MEMBER', 'OWNER_REQUIRED'], location: '/workspaces/{workspace_id}/members/{user_id}',
});
DOCS: document(addMember, { body: { email: 'ada@example.com', role: 'member' }, response: memberExample });

export const getMember = /* @__PURE__ */ route({
  id: 'getMember', method: 'GET', path: '/workspaces/{workspace_id}/members/{user_id}', domain: 'members', access: 'viewer',
  summary: 'One member', params: MemberParams, response: Member, status: 200, errors: ['NOT_FOUND'],
});

export const updateMember = /* @__PURE__ */ route({
  id: 'updateMember', method: 'PATCH', path: '/workspaces/{workspace_id}/members/{user_id}', domain: 'members', access: 'admin',
  summary: 'Change a member\'s role',
  description: 'Nobody changes their own role; only an owner makes or unmakes an owner; the last owner cannot be demoted.',
  params: MemberParams, body: z.strictObject({ role: Role }), response: Member, status: 200, conditional: true,
  errors: ['NOT_FOUND', 'CANNOT_CHANGE_OWN_ROLE', 'OWNER_REQUIRED', 'LAST_OWNER', 'RESOURCE_BUSY'],
});
DOCS: document(updateMember, { body: { role: 'admin' } });

export const removeMember = /* @__PURE__ */ route({
  id: 'removeMember', method: 'DELETE', path: '/workspaces/{workspace_id}/members/{user_id}', domain: 'members', access: 'viewer',
  summary: 'Remove a member, or leave the workspace',
  description: 'Any member may remove themselves (leave). Removing someone else takes an admin, and removing an owner takes an owner. The last owner can neither leave nor be removed.',
  params: MemberParams, status: 204, errors: ['NOT_FOUND', 'ROLE_TOO_LOW', 'OWNER_REQUIRED', 'LAST_OWNER', 'RESOURCE_BUSY'], conditional: true,
});
